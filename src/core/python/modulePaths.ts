/**
 * Where the module of an import statement may live, as files: `from .losses import X` in
 * `pkg/train.py` is `pkg/losses.py` or `pkg/losses/__init__.py`; `from pkg.models import X` is
 * `pkg/models.py` or `pkg/models/__init__.py` under the importing file's folder or a folder above
 * it (the package root is not known, so each ancestor is tried, nearest first).
 *
 * Paths use `/`; a path without a folder (`train.py`) is in the root `''`.
 */

/** Folders above `dir` (itself first) tried for an absolute import. */
const MAX_ANCESTORS = 12;

/** The folder of a `/`-separated path (`''` for a bare file name). */
function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : slash === 0 ? '/' : path.slice(0, slash);
}

function join(dir: string, rest: string): string {
  return dir === '' ? rest : dir.endsWith('/') ? dir + rest : `${dir}/${rest}`;
}

/**
 * Candidate files for `module` (leading dots for a relative import) imported from `fromPath`, in
 * the order to try them. `root`: the folder above which absolute imports are not looked for
 * (a workspace folder, a repository); without it, up to twelve folders up.
 */
export function moduleFileCandidates(fromPath: string, module: string, root?: string): string[] {
  const from = fromPath.split('\\').join('/');
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots).split('.').filter(Boolean).join('/');
  const files = (base: string) => (rest ? [join(base, `${rest}.py`), join(base, `${rest}/__init__.py`)] : [join(base, '__init__.py')]);
  let dir = dirOf(from);
  if (dots > 0) {
    for (let d = 1; d < dots; d++) {
      if (dir === '' || dir === '/') return [];
      dir = dirOf(dir);
    }
    return files(dir);
  }
  if (!rest) return [];
  const top = root === undefined ? undefined : root.split('\\').join('/').replace(/\/$/, '');
  // Below the root (a root of '' holds every relative path).
  const inside = (d: string) => top === undefined || top === '' || d === top || d.startsWith(`${top}/`);
  const out: string[] = [];
  for (let n = 0; n < MAX_ANCESTORS && inside(dir); n++) {
    out.push(...files(dir));
    if (dir === '' || dir === '/' || dir === top) break;
    const up = dirOf(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}
