/**
 * The folders PaperLens never looks into — dependencies, version control, virtual environments,
 * caches — as ONE list, and the forms each consumer needs: a set of names (`paperlens scan`'s
 * tree walk, the editor's corpus-file walk), a glob for VS Code's `findFiles` exclude argument
 * (the sidebar's "find usages", the editor's corpus-file discovery) and a path test.
 *
 * A folder named `env` is not in the list: in reinforcement-learning code it is often a package of
 * environments. A virtual environment called `env` is still left out: the CLI recognises it by its
 * contents ({@link isEnvironmentFolder}) and everyone skips its `site-packages`.
 */

/** Folder names never searched or scanned. */
export const EXCLUDED_DIRS: readonly string[] = Object.freeze([
  // version control
  '.git', '.hg', '.svn',
  // dependencies and virtual environments
  'node_modules', 'site-packages', '__pypackages__', '.venv', 'venv', '.env', 'virtualenv', 'virtualenvs', '.virtualenvs', '.conda', '.eggs',
  // tools' caches and copies
  '__pycache__', '.ipynb_checkpoints', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
]);

const EXCLUDED_SET: ReadonlySet<string> = new Set(EXCLUDED_DIRS);

/** True when a folder of this name is never looked into. */
export function isExcludedDir(name: string): boolean {
  return EXCLUDED_SET.has(name);
}

/** One glob for `findFiles`' exclude argument: any path through an excluded folder. */
export const EXCLUDE_GLOB = `**/{${EXCLUDED_DIRS.join(',')}}/**`;

/** True when a path (either separator) goes through an excluded folder. */
export function inExcludedDir(filePath: string): boolean {
  const parts = filePath.split(/[\\/]+/);
  parts.pop();
  return parts.some((p) => EXCLUDED_SET.has(p));
}

/**
 * A folder that is a virtual environment (venv, virtualenv, conda) whatever its name, judged by
 * the names of its entries: `pyvenv.cfg` (venv and virtualenv) or `conda-meta` (conda).
 */
export function isEnvironmentFolder(entryNames: readonly string[]): boolean {
  return entryNames.includes('pyvenv.cfg') || entryNames.includes('conda-meta');
}
