/**
 * The detector's scan of a Python document or notebook cell, from the shared per-version cache, so
 * that a hover (or a diagnostic pass, or a completion) is a lookup, not a rescan. A notebook is
 * scanned as a whole, cells in order, so imports in earlier cells resolve names in later ones.
 */
import * as vscode from 'vscode';
import type { DocumentScanCache } from '../core/detect/cache';
import type { ProjectImports, SourceScan } from '../core/detect/detector';

/** The scan of one document or cell. Offsets are relative to that document (cell). */
export interface DocumentScan {
  scan: SourceScan;
  /** True for a notebook cell (IPython magics are skipped). */
  ipython: boolean;
}

/** Python code cells of a notebook, in order. */
export function pythonCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
}

/** The notebook a cell document belongs to, if it is open. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
}

export class DocumentScans implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * `project`: the project a document's imports resolve in (names imported from the workspace's own
   * modules); none in tests that scan documents alone.
   */
  constructor(private readonly cache: () => DocumentScanCache, private readonly project?: (document: vscode.TextDocument) => ProjectImports | undefined) {
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((d) => this.cacheIfLoaded()?.delete(d.uri.toString())),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.cacheIfLoaded()?.delete(nb.uri.toString())),
    );
  }

  private loaded = false;

  private cacheIfLoaded(): DocumentScanCache | undefined {
    return this.loaded ? this.cache() : undefined;
  }

  /** The scan of a Python document or notebook cell at its current version; undefined for other languages. */
  forDocument(document: vscode.TextDocument): DocumentScan | undefined {
    if (document.languageId !== 'python') return undefined;
    const cache = this.cache();
    this.loaded = true;
    const notebook = notebookOf(document);
    if (notebook) {
      const cells = pythonCells(notebook);
      const index = cells.findIndex((c) => c.document === document);
      if (index >= 0) {
        // Changes whenever a cell is edited, added, removed or moved.
        const version = cells.map((c) => `${c.document.uri.fragment}@${c.document.version}`).join(',');
        const scan = cache.getNotebook(notebook.uri.toString(), version, () => cells.map((c) => c.document.getText()));
        const cellScan = scan.cells[index];
        if (cellScan) return { scan: cellScan, ipython: true };
      }
    }
    const ipython = document.uri.scheme === 'vscode-notebook-cell';
    const project = this.project?.(document);
    return { scan: cache.get(document.uri.toString(), document.version, () => document.getText(), { ipython, project }), ipython };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
