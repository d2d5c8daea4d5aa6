/**
 * The project a Python document's imports resolve in, for the detector (`core/detect/project.ts`):
 * `from rlhf import ClippedPolicyLoss` in a file of a workspace folder is followed into the folder's
 * `rlhf/__init__.py` and the module it re-exports from, so the hover names the loss there too.
 *
 * Saved files are read (up to 1 MB each), only inside the document's workspace folder; in Restricted
 * Mode a file is judged by its real path, so a link out of the workspace is not followed. What a
 * module exports is kept until a Python file is saved, created, deleted or renamed, or the workspace
 * is trusted; then it is read again, and the document scans that may have used it are dropped.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { isWithin } from '../core/fs/containment';
import { ProjectLosses, type ProjectImports } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';

/** Largest module file read. */
const MAX_MODULE_BYTES = 1_000_000;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export class EditorProjectImports implements vscode.Disposable {
  private readonly projects = new Map<string, { index: LossIndex; project: ProjectLosses }>();
  private readonly disposables: vscode.Disposable[] = [];

  /** `onReset`: called when what modules export may have changed (drop scans that used it). */
  constructor(private readonly index: () => LossIndex, private readonly onReset: () => void) {
    const reset = () => {
      if (this.projects.size === 0) return;
      this.projects.clear();
      this.onReset();
    };
    const isPython = (uri: vscode.Uri) => uri.path.endsWith('.py');
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((d) => { if (d.languageId === 'python' || isPython(d.uri)) reset(); }),
      vscode.workspace.onDidCreateFiles((e) => { if (e.files.some(isPython)) reset(); }),
      vscode.workspace.onDidDeleteFiles((e) => { if (e.files.some(isPython)) reset(); }),
      vscode.workspace.onDidRenameFiles((e) => { if (e.files.some((f) => isPython(f.oldUri) || isPython(f.newUri))) reset(); }),
      vscode.workspace.onDidGrantWorkspaceTrust(reset),
      vscode.workspace.onDidChangeWorkspaceFolders(reset),
    );
  }

  /** The imports of `document`'s project; undefined outside a workspace folder or for unsaved documents. */
  for(document: vscode.TextDocument): ProjectImports | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || folder.uri.scheme !== 'file') return undefined;
    const root = folder.uri.fsPath;
    const index = this.index();
    let entry = this.projects.get(root);
    if (!entry || entry.index !== index) {
      entry = { index, project: new ProjectLosses(index, (p) => this.read(root, p), toPosix(root)) };
      this.projects.set(root, entry);
    }
    return entry.project.importsOf(toPosix(document.uri.fsPath));
  }

  /** A module's saved text, when it is a `.py` file inside `root` (by its real path in Restricted Mode). */
  private read(root: string, posixPath: string): string | undefined {
    if (!posixPath.endsWith('.py')) return undefined;
    const file = path.normalize(posixPath.split('/').join(path.sep));
    if (!isWithin(root, file)) return undefined;
    try {
      let target = file;
      if (!vscode.workspace.isTrusted) {
        target = realpathSync(file);
        if (!isWithin(realpathSync(root), target)) return undefined;
      }
      const stat = statSync(target);
      if (!stat.isFile() || stat.size > MAX_MODULE_BYTES) return undefined;
      return readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.projects.clear();
  }
}
