/**
 * Losses a project defines in one file and imports in another: `from openrlhf.models import
 * PolicyLoss` names a loss when `openrlhf/models/__init__.py` re-exports it from `.loss`, whose
 * `class PolicyLoss` the detector recognises there (by its words, its docstring, a library's class
 * name). The detector asks this only for names its own rules leave unknown, and only for imports
 * from the project (relative, or absolute ones that are no library's).
 *
 * A module's exports are the definitions and imports the detector reports in it: scanned once per
 * file, on first use, following its own imports the same way (a chain of `__init__.py`
 * re-exports), with a guard against import cycles and a bound on the chain's length.
 */
import { moduleFileCandidates } from '../python/modulePaths';
import type { LossIndex } from './lossIndex';
import { scanSource } from './scanSource';
import type { LossUsage, ProjectExport, ProjectImports } from './types';

export type { ProjectExport, ProjectImports };

/** Reads a project file by path; undefined when there is none (or it is too large, or unreadable). */
export type ProjectFileReader = (path: string) => string | undefined;

/** Longest chain of re-exports followed (`__init__.py` → `__init__.py` → module). */
const MAX_DEPTH = 4;

/** The losses of a project's files, by module, for every file of the project. */
export class ProjectLosses {
  private readonly exportsByPath = new Map<string, ReadonlyMap<string, ProjectExport> | null>();
  private readonly inProgress = new Set<string>();
  /** For each file looked at (found or not), the files whose exports were read through it. */
  private readonly dependents = new Map<string, Set<string>>();

  /**
   * `read`: the project's files; `root`: the folder above which absolute imports are not looked
   * for (see `moduleFileCandidates`).
   */
  constructor(
    private readonly index: LossIndex,
    private readonly read: ProjectFileReader,
    private readonly root?: string,
  ) {}

  /** The imports of the file at `path` (its project-relative or absolute path, `/`-separated). */
  importsOf(path: string): ProjectImports {
    return { exportOf: (module, name) => this.exportOf(path, module, name, 0) };
  }

  private exportOf(fromPath: string, module: string, name: string, depth: number): ProjectExport | undefined {
    if (depth > MAX_DEPTH) return undefined;
    for (const candidate of moduleFileCandidates(fromPath, module, this.root)) {
      if (candidate === fromPath) continue;
      let users = this.dependents.get(candidate);
      if (!users) this.dependents.set(candidate, (users = new Set()));
      users.add(fromPath);
      const exports = this.exportsOf(candidate, depth);
      if (exports === null) continue;
      return exports.get(name);
    }
    return undefined;
  }

  /**
   * Keeps what the scan of `path` (made with this project's imports) says the file exports, so an
   * import of it later needs no second scan (`paperlens scan` of a tree scans every file anyway).
   */
  remember(path: string, usages: readonly LossUsage[]): void {
    if (!this.exportsByPath.has(path)) this.exportsByPath.set(path, exportsOf(usages));
  }

  /**
   * Forgets what `path` exports (it changed, was created or deleted) and what every file
   * that read it through an import exports, so they are read again when next needed. True when
   * anything was forgotten (scans made with it are stale).
   */
  forget(path: string): boolean {
    const pending = [path];
    let forgot = false;
    for (let p = pending.pop(); p !== undefined; p = pending.pop()) {
      forgot = this.exportsByPath.delete(p) || forgot;
      const users = this.dependents.get(p);
      if (!users) continue;
      this.dependents.delete(p);
      forgot = forgot || users.size > 0;
      pending.push(...users);
    }
    return forgot;
  }

  /** The losses `path` defines or imports, by name; null when there is no such file. */
  private exportsOf(path: string, depth: number): ReadonlyMap<string, ProjectExport> | null {
    const known = this.exportsByPath.get(path);
    if (known !== undefined) return known;
    // A cycle (`a` imports `b` imports `a`): the file being read exports nothing yet.
    if (this.inProgress.has(path)) return new Map();
    const text = this.read(path);
    if (text === undefined) {
      this.exportsByPath.set(path, null);
      return null;
    }
    this.inProgress.add(path);
    let exports: ReadonlyMap<string, ProjectExport>;
    try {
      exports = exportsOf(scanSource(text, this.index, { project: { exportOf: (module, name) => this.exportOf(path, module, name, depth + 1) } }).usages);
    } finally {
      this.inProgress.delete(path);
    }
    this.exportsByPath.set(path, exports);
    return exports;
  }
}

/** The names a file's usages define or import as losses, with their concepts (the first of each name). */
function exportsOf(usages: readonly LossUsage[]): ReadonlyMap<string, ProjectExport> {
  const exports = new Map<string, ProjectExport>();
  for (const u of usages) {
    if ((u.role === 'definition' || u.role === 'import') && u.kind !== 'parameter' && !exports.has(u.identifier)) {
      exports.set(u.identifier, { conceptId: u.conceptId, kind: u.kind });
    }
  }
  return exports;
}
