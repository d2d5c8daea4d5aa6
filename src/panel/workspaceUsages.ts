/**
 * "Find usages in workspace": runs the detector over the workspace's Python files and notebooks
 * (the editor's text for open ones, unsaved edits included), and opens a listed place.
 */
import * as vscode from 'vscode';
import type { LossIndex } from '../core/detect/lossIndex';
import { EXCLUDE_GLOB } from '../core/fs/excluded';
import type { ProjectImports } from '../core/detect/types';
import { usagesInCells, usagesInFile, type FileUsage } from '../services/usagesInFile';

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

/** Files read ahead of the one being scanned (reads overlap the detector's work). */
const READ_AHEAD = 8;

export interface ScanWorkspaceOptions {
  /** After each file: files done, files to scan, usages found so far. */
  onProgress?: (done: number, total: number, usages: number) => void;
  /** Each file's usages as soon as it is scanned (streamed; in the listed order of files). */
  onUsages?: (found: readonly WorkspaceUsage[]) => void;
  /** The project a file imports from (names imported from the workspace's own modules). */
  project?: (uri: vscode.Uri) => ProjectImports | undefined;
}

type FileText = { text: string; kind: 'python' | 'notebook' } | { cells: { index: number; source: string }[] } | undefined;

/** The text to scan: the editor's for open documents (unsaved edits included), else the file's. */
async function readForScan(uri: vscode.Uri): Promise<FileText> {
  const notebook = uri.path.endsWith('.ipynb');
  try {
    const open = notebook ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return { text: open.getText(), kind: 'python' };
    const cells = notebook ? openNotebookCells(uri) : undefined;
    if (cells) return { cells };
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    return { text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)), kind: notebook ? 'notebook' : 'python' };
  } catch {
    return undefined; // unreadable (deleted meanwhile, permissions): skip it
  }
}

/**
 * Scans the workspace for usages of `concepts` (null: every loss). Yields to the host between
 * files; reports progress and streams each file's usages through `options`; stops at `token`.
 */
export async function scanWorkspace(index: LossIndex, concepts: ReadonlySet<string> | null, token?: vscode.CancellationToken, options: ScanWorkspaceOptions = {}): Promise<WorkspaceUsages> {
  const files = await vscode.workspace.findFiles('**/*.{py,ipynb}', EXCLUDE_GLOB, MAX_FILES + 1, token);
  const truncatedFiles = files.length > MAX_FILES;
  files.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const list = files.slice(0, MAX_FILES);
  const usages: WorkspaceUsage[] = [];
  let filesScanned = 0;
  let lastYield = performance.now();
  const reads = new Map<number, Promise<FileText>>();
  const readAhead = (from: number) => {
    for (let k = from; k < Math.min(list.length, from + READ_AHEAD); k++) if (!reads.has(k)) reads.set(k, readForScan(list[k]));
  };
  for (let i = 0; i < list.length; i++) {
    if (token?.isCancellationRequested || usages.length >= MAX_USAGES) break;
    readAhead(i);
    const read = await reads.get(i)!;
    reads.delete(i);
    options.onProgress?.(i + 1, list.length, usages.length);
    if (!read) continue;
    const project = options.project?.(list[i]);
    const found = 'cells' in read ? usagesInCells(read.cells, index, concepts, project) : usagesInFile(read.text, read.kind, index, concepts, project);
    filesScanned++;
    const path = vscode.workspace.asRelativePath(list[i]);
    const batch = found.map((u) => ({ ...u, uri: list[i], path }));
    usages.push(...batch);
    if (batch.length) options.onUsages?.(batch);
    // Keep the extension host responsive on large workspaces.
    if (performance.now() - lastYield > 15) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
  }
  return { usages: usages.slice(0, MAX_USAGES), filesScanned, truncated: truncatedFiles || usages.length > MAX_USAGES };
}

/**
 * {@link scanWorkspace} with a progress notification ("312 of 2,000 files, 41 usages") that has a
 * Cancel button; cancelling it, or `token`, stops the scan and returns what was found so far.
 */
export async function scanWorkspaceWithProgress(index: LossIndex, concepts: ReadonlySet<string> | null, token: vscode.CancellationToken, stream: ScanWorkspaceOptions = {}): Promise<WorkspaceUsages & { cancelled: boolean }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'PaperLens: finding loss usages', cancellable: true }, async (progress, progressToken) => {
    const both = new vscode.CancellationTokenSource();
    const subscriptions = [token.onCancellationRequested(() => both.cancel()), progressToken.onCancellationRequested(() => both.cancel())];
    let reported = 0;
    try {
      const result = await scanWorkspace(index, concepts, both.token, {
        onUsages: stream.onUsages,
        project: stream.project,
        onProgress: (done, total, found) => {
          stream.onProgress?.(done, total, found);
          const share = total ? (done / total) * 100 : 100;
          // Report at most every 1% (each report is a message to the UI).
          if (share - reported < 1 && done !== total) return;
          progress.report({ increment: share - reported, message: `${done.toLocaleString()} of ${total.toLocaleString()} files, ${found.toLocaleString()} usages` });
          reported = share;
        },
      });
      return { ...result, cancelled: both.token.isCancellationRequested };
    } finally {
      for (const s of subscriptions) s.dispose();
      both.dispose();
    }
  });
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
