/**
 * The project a Python document's imports resolve in, for the detector (`core/detect/project.ts`):
 * `from rlhf import ClippedPolicyLoss` in a file of a workspace folder is followed into the folder's
 * `rlhf/__init__.py` and the module it re-exports from, so the hover names the loss there too.
 *
 * Saved files are read (`services/projectFiles.ts`: `.py` files up to 1 MB, only inside the
 * document's workspace folder; in Restricted Mode by their real path, so a link out of the workspace
 * is not followed). What a module exports is kept until a Python file is saved, created, deleted or
 * renamed, the workspace is trusted or its folders change; then it is read again, and the document
 * scans that may have used it are dropped.
 */
import * as vscode from 'vscode';
import { ProjectLosses, type ProjectImports } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';
import { readProjectModule, toPosixPath } from '../services/projectFiles';

export class EditorProjectImports implements vscode.Disposable {
  private readonly projects = new Map<string, { index: LossIndex; trusted: boolean; project: ProjectLosses }>();
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
