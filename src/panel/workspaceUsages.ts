/**
 * "Find usages in workspace": runs the detector over the workspace's Python files and notebooks
 * (the editor's text for open ones, unsaved edits included), and opens a listed place.
 */
import * as vscode from 'vscode';
import type { LossIndex } from '../core/detect/lossIndex';
import { usagesInCells, usagesInFile, type FileUsage } from '../services/usagesInFile';

/** Folders no one wants listed: dependencies, environments, caches. */
const EXCLUDE = '**/{node_modules,.git,.hg,.venv,venv,.env,env,__pycache__,site-packages,.tox,.mypy_cache,.pytest_cache,.ipynb_checkpoints}/**';
const MAX_FILES = 5_000;
const MAX_FILE_BYTES = 2_000_000;
const MAX_USAGES = 2_000;

export interface WorkspaceUsage extends FileUsage {
  uri: vscode.Uri;
  /** Workspace-relative path for display. */
  path: string;
}

export interface WorkspaceUsages {
  usages: WorkspaceUsage[];
  filesScanned: number;
  truncated: boolean;
}

function openNotebookCells(uri: vscode.Uri): { index: number; source: string }[] | undefined {
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
  if (!notebook) return undefined;
  return notebook.getCells()
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python')
    .map(({ cell, index }) => ({ index, source: cell.document.getText() }));
}

/** Scans the workspace for usages of `concepts` (null: every loss). Yields between files. */
export async function scanWorkspace(index: LossIndex, concepts: ReadonlySet<string> | null, token?: vscode.CancellationToken): Promise<WorkspaceUsages> {
  const files = await vscode.workspace.findFiles('**/*.{py,ipynb}', EXCLUDE, MAX_FILES + 1, token);
  const truncatedFiles = files.length > MAX_FILES;
  files.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const usages: WorkspaceUsage[] = [];
  let filesScanned = 0;
  let lastYield = performance.now();
  for (const uri of files.slice(0, MAX_FILES)) {
    if (token?.isCancellationRequested || usages.length >= MAX_USAGES) break;
    const notebook = uri.path.endsWith('.ipynb');
    let found: FileUsage[];
    try {
      const open = notebook ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const cells = notebook ? openNotebookCells(uri) : undefined;
      if (open) found = usagesInFile(open.getText(), 'python', index, concepts);
      else if (cells) found = usagesInCells(cells, index, concepts);
      else {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_FILE_BYTES) continue;
        const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
        found = usagesInFile(text, notebook ? 'notebook' : 'python', index, concepts);
      }
    } catch {
      continue; // unreadable (deleted meanwhile, permissions): skip it
    }
    filesScanned++;
    const path = vscode.workspace.asRelativePath(uri);
    for (const u of found) usages.push({ ...u, uri, path });
    // Keep the extension host responsive on large workspaces.
    if (performance.now() - lastYield > 15) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
  }
  return { usages: usages.slice(0, MAX_USAGES), filesScanned, truncated: truncatedFiles || usages.length > MAX_USAGES };
}

/** Opens a usage: the file at the identifier, or the notebook cell. */
export async function openUsage(usage: WorkspaceUsage): Promise<void> {
  const start = new vscode.Position(usage.line - 1, usage.column - 1);
  const selection = new vscode.Range(start, new vscode.Position(usage.line - 1, usage.endColumn - 1));
  if (usage.cell === undefined) {
    await vscode.window.showTextDocument(usage.uri, { selection, preview: true });
    return;
  }
  const notebook = await vscode.workspace.openNotebookDocument(usage.uri);
  await vscode.window.showNotebookDocument(notebook, { selections: [new vscode.NotebookRange(usage.cell, usage.cell + 1)], preview: true });
  const cell = notebook.cellAt(usage.cell);
  await vscode.window.showTextDocument(cell.document, { selection, preview: true });
}
