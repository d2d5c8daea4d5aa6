/**
 * Files an agent may ask the tools to read: only Python files and notebooks inside the workspace
 * roots (the VS Code workspace folders, or the directory `paperlens mcp` serves). A path that leaves
 * the roots, by `..` or through a symbolic link, is refused with a message that says so.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** How the tools reach files; the editor reads unsaved editor text first, the CLI the disk. */
export interface WorkspaceFiles {
  /** Absolute paths of the workspace roots; relative paths resolve against the first. */
  readonly roots: readonly string[];
  /** The text of an absolute path already checked to be inside a root. */
  read(absolutePath: string): Promise<string>;
}

/** A file resolved for reading, with the path to show (relative to its root, `/`-separated). */
export interface ResolvedFile {
  absolute: string;
  shown: string;
}

/** A problem with a path the agent gave: shown to the agent as the tool's error. */
export class PathError extends Error {}

/** True when `child` is `root` or inside it (both absolute and normalised). */
function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p;
  }
}

/**
 * Resolves `given` (relative to the first root, or absolute) to a `.py`/`.ipynb` file inside the
 * roots. Throws {@link PathError} when there is no workspace, the path is outside it (also after
 * following symbolic links), or it is not a Python file or notebook.
 */
export async function resolveWorkspaceFile(files: WorkspaceFiles, given: string): Promise<ResolvedFile> {
  const roots = files.roots.map((r) => path.resolve(r));
  if (roots.length === 0) throw new PathError(`cannot read "${given}": no workspace folder is open`);
  const absolute = path.resolve(roots[0], given.trim());
  const root = roots.find((r) => isInside(r, absolute));
  if (!root) throw new PathError(`"${given}" is outside the workspace (${roots.join(', ')}); only files inside it can be read`);
  // A link inside the workspace must not lead out of it.
  const real = await realOrSelf(absolute);
  const realRoots = await Promise.all(roots.map(realOrSelf));
  if (!realRoots.some((r) => isInside(r, real))) throw new PathError(`"${given}" leads outside the workspace through a symbolic link; only files inside it can be read`);
  if (!/\.(py|pyi|ipynb)$/i.test(absolute)) throw new PathError(`"${given}" is not a Python file (.py) or notebook (.ipynb)`);
  return { absolute, shown: path.relative(root, absolute).split(path.sep).join('/') || path.basename(absolute) };
}

/** Reads files from disk (the CLI's MCP server); refuses directories with a clear message. */
export function diskWorkspace(roots: readonly string[]): WorkspaceFiles {
  return {
    roots,
    async read(absolutePath: string): Promise<string> {
      const info = await stat(absolutePath);
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      return readFile(absolutePath, 'utf8');
    },
  };
}

/** A one-line reason for a failed read (`no such file or directory`), from a Node error. */
export function readErrorMessage(err: unknown): string {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    FileNotFound: 'no such file or directory',
    FileIsADirectory: 'is a directory',
    NoPermissions: 'permission denied',
  };
  return known[code] ?? (err instanceof Error ? err.message : String(err));
}
