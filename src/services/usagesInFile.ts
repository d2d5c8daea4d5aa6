/**
 * The loss usages of one workspace file, for "Find usages in workspace": the detector over a
 * Python file, or over a notebook's code cells (imports carried from cell to cell), through
 * fileScan.ts, the one file scan `paperlens scan` uses too. Pure.
 */
import type { ProjectImports } from '../core/detect/types';
import type { LossIndex } from '../core/detect/lossIndex';
import type { LossUsage } from '../core/detect/types';
import { detectCells, detectFile } from './fileScan';

/** A usage in a file; `cell` is the notebook cell's index among all cells (code and markdown). */
export interface FileUsage {
  line: number;
  column: number;
  endColumn: number;
  cell?: number;
  conceptId: string;
  expression: string;
  preview: string;
}

/** Longest preview line shown. */
const PREVIEW = 160;

function previewOf(text: string, usage: LossUsage, lineStarts: Uint32Array): string {
  const start = lineStarts[usage.line - 1] ?? 0;
  const end = usage.line < lineStarts.length ? lineStarts[usage.line] : text.length;
  const line = text.slice(start, end).replace(/\r?\n$/, '').trim();
  return line.length > PREVIEW ? `${line.slice(0, PREVIEW - 1)}…` : line;
}

function fileUsage(source: string, usage: LossUsage, lineStarts: Uint32Array, cell?: number): FileUsage {
  return {
    line: usage.line, column: usage.column, endColumn: usage.endColumn, cell,
    conceptId: usage.conceptId, expression: usage.expression, preview: previewOf(source, usage, lineStarts),
  };
}

/** Imports name a loss without using it; the list shows calls, references and definitions. */
function wanted(usage: LossUsage, concepts: ReadonlySet<string> | null): boolean {
  return usage.role !== 'import' && (concepts === null || concepts.has(usage.conceptId));
}

/**
 * Usages in `text`, a `.py` file or an `.ipynb` notebook (by `kind`), of the concepts in
 * `concepts` (null: every loss), names imported from the project's modules followed through
 * `project`. Never throws; a notebook that is not JSON and a file of binary
 * data give no usages.
 */
export function usagesInFile(text: string, kind: 'python' | 'notebook', index: LossIndex, concepts: ReadonlySet<string> | null, project?: ProjectImports): FileUsage[] {
  const detected = detectFile(text, kind, index, { project });
  if ('error' in detected) return [];
  if (detected.kind === 'python') {
    return detected.scan.usages.filter((u) => wanted(u, concepts)).map((u) => fileUsage(detected.source, u, detected.scan.lineStarts));
  }
  return cellUsages(detected.cells, detected.scans, concepts);
}

/**
 * Usages in a notebook's code cells, in order (`index`: the cell's position among all cells), for
 * a notebook read from disk or one open in the editor.
 */
export function usagesInCells(cells: readonly { index: number; source: string }[], index: LossIndex, concepts: ReadonlySet<string> | null, project?: ProjectImports): FileUsage[] {
  return cellUsages(cells, detectCells(cells, index, project), concepts);
}

function cellUsages(cells: readonly { index: number; source: string }[], scans: readonly { usages: readonly LossUsage[]; lineStarts: Uint32Array }[], concepts: ReadonlySet<string> | null): FileUsage[] {
  const out: FileUsage[] = [];
  scans.forEach((scan, i) => {
    const cell = cells[i];
    for (const u of scan.usages) if (wanted(u, concepts)) out.push(fileUsage(cell.source, u, scan.lineStarts, cell.index));
  });
  return out;
}
