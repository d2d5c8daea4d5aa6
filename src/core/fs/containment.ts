/**
 * Keeping reads inside a set of folders, links included: what an untrusted workspace (VS Code's
 * Restricted Mode) may make PaperLens read. A path is judged by where it really is, after every
 * symbolic link in it is followed, so `refs.bib -> ~/private.bib` in a workspace is outside it.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** Whether `child` is `root` or lies below it (both absolute, resolved paths). */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `file` when it lies inside one of `roots` (each compared by its own real path),
 * else undefined; also undefined when `file` cannot be resolved (missing, a broken link, no access).
 * Read the returned path, not `file`, so that a link changed after the check is not followed.
 */
export async function realPathInside(file: string, roots: readonly string[]): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot !== undefined && isWithin(realRoot, real)) return real;
  }
  return undefined;
}

/** {@link realPathInside}, synchronously (for a reader the detector calls during a scan). */
export function realPathInsideSync(file: string, roots: readonly string[]): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      continue;
    }
    if (isWithin(realRoot, real)) return real;
  }
  return undefined;
}
