/**
 * A project's Python modules on disk, for the detector's project imports (`core/detect/project.ts`):
 * the editor's hover and language-model tools, and `paperlens mcp`. Only `.py` files inside the
 * project's root are read, up to 1 MB each; with `realPaths`, a file is judged by where it really
 * is, so a link out of the root is not followed (VS Code's Restricted Mode, an MCP client's request).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isWithin, realPathInsideSync } from '../core/fs/containment';
import { ProjectLosses, type ProjectImports } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';

/** Largest module file read. */
export const MAX_PROJECT_MODULE_BYTES = 1_000_000;

/** `/`-separated form of a native path (what `ProjectLosses` works with). */
export function toPosixPath(p: string): string {
  return p.split(path.sep).join('/');
}

/** The text of the module at `posixPath` when it is a `.py` file inside `root`, else undefined. */
export function readProjectModule(root: string, posixPath: string, realPaths: boolean): string | undefined {
  if (!posixPath.endsWith('.py')) return undefined;
  const file = path.normalize(posixPath.split('/').join(path.sep));
  if (!isWithin(root, file)) return undefined;
  const target = realPaths ? realPathInsideSync(file, [root]) : file;
  if (target === undefined) return undefined;
  try {
    const stat = statSync(target);
    if (!stat.isFile() || stat.size > MAX_PROJECT_MODULE_BYTES) return undefined;
    return readFileSync(target, 'utf8');
  } catch {
    return undefined;
  }
}

/** A project over each of `roots` (absolute folders): the imports of a file inside one of them. */
export function diskProjects(index: LossIndex, roots: readonly string[], realPaths: boolean): (absolutePath: string) => ProjectImports | undefined {
  const projects = new Map<string, ProjectLosses>();
  return (absolutePath) => {
    const file = path.resolve(absolutePath);
    const root = roots.map((r) => path.resolve(r)).find((r) => isWithin(r, file));
    if (root === undefined) return undefined;
    let project = projects.get(root);
    if (!project) {
      project = new ProjectLosses(index, (p) => readProjectModule(root, p, realPaths), toPosixPath(root));
      projects.set(root, project);
    }
    return project.importsOf(toPosixPath(file));
  };
}
