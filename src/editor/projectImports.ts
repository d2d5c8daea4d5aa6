/**
 * The project a Python document's imports resolve in, for the detector (`core/detect/project.ts`):
 * `from rlhf import ClippedPolicyLoss` in a file of a workspace folder is followed into the folder's
 * `rlhf/__init__.py` and the module it re-exports from, so the hover names the loss there too.
 *
 * Saved files are read (`services/projectFiles.ts`: `.py` files up to 1 MB, only inside the
 * document's workspace folder; in Restricted Mode by their real path, so a link out of the workspace
 * is not followed). What a module exports is kept until that file (or one it re-exports from) is
 * changed, created or deleted, in the editor or outside it — then only those are read again, and the document scans that
 * may have used them are dropped — or until the workspace is trusted or its folders change.
 */
import * as vscode from 'vscode';
import { ProjectLosses, type ProjectImports } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';
import { readProjectModule, toPosixPath } from '../services/projectFiles';

export class EditorProjectImports implements vscode.Disposable {
  private readonly projects = new Map<string, { index: LossIndex; trusted: boolean; project: ProjectLosses }>();
  private readonly disposables: vscode.Disposable[] = [];

  /** `onReset`: called when what modules export has changed (drop the scans that may have used it). */
  constructor(private readonly index: () => LossIndex, private readonly onReset: () => void) {
    const reset = () => {
      if (this.projects.size === 0) return;
      this.projects.clear();
      this.onReset();
    };
    const changed = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      let stale = false;
      for (const { project } of this.projects.values()) stale = project.forget(toPosixPath(uri.fsPath)) || stale;
      if (stale) this.onReset();
    };
    // Saves, and changes made outside the editor (a `git checkout`): a rename is a delete and a create.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed),
      watcher.onDidCreate(changed),
      watcher.onDidDelete(changed),
      vscode.workspace.onDidGrantWorkspaceTrust(reset),
      vscode.workspace.onDidChangeWorkspaceFolders(reset),
    );
  }

  /** The imports of the file at `uri`; undefined outside a workspace folder on disk. */
  forUri(uri: vscode.Uri): ProjectImports | undefined {
    if (uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || folder.uri.scheme !== 'file') return undefined;
    const root = folder.uri.fsPath;
    const index = this.index();
    const trusted = vscode.workspace.isTrusted;
    let entry = this.projects.get(root);
    if (!entry || entry.index !== index || entry.trusted !== trusted) {
      entry = { index, trusted, project: new ProjectLosses(index, (p) => readProjectModule(root, p, !trusted), toPosixPath(root)) };
      this.projects.set(root, entry);
    }
    return entry.project.importsOf(toPosixPath(uri.fsPath));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.projects.clear();
  }
}
