/**
 * Notebooks: reads the code cells of a Jupyter notebook (`.ipynb` JSON, nbformat 4, and 3's
 * worksheets; malformed input gives an `error`, never an exception), and scans cells in order with
 * one scope (`scanNotebook`), skipping cells whose cell magic makes them another language.
 */
import type { ProjectImports } from './types';
import { computeLineStarts } from '../text/lineIndex';
import type { LossIndex } from './lossIndex';
import { scanSource } from './scanSource';
import { ScanScope, SourceScan } from './sourceScan';

/** A code cell's source and where it sits in the notebook. */
export interface NotebookCode {
  /** 0-based position among all cells of the notebook (markdown and raw cells count too). */
  index: number;
  source: string;
}

export interface ParsedNotebook {
  /** Code cells in notebook order. */
  cells: NotebookCode[];
  /** Kernel language from the metadata (`python`, `R`…), lower-cased; null when not stated. */
  language: string | null;
  /** Set when the text is not a notebook; `cells` is then empty. */
  error?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Cell source is a string or a list of line strings. */
function sourceText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').join('');
  return '';
}

function languageOf(metadata: Record<string, unknown> | undefined): string | null {
  if (!metadata) return null;
  const kernelspec = asRecord(metadata.kernelspec);
  const info = asRecord(metadata.language_info);
  const candidates = [kernelspec?.language, info?.name, metadata.language];
  for (const c of candidates) if (typeof c === 'string' && c.trim()) return c.trim().toLowerCase();
  return null;
}

/** Parses notebook JSON into its code cells. */
export function parseIpynb(text: string): ParsedNotebook {
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text.replace(/^\uFEFF/, '') : '');
  } catch (err) {
    return { cells: [], language: null, error: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const root = asRecord(json);
  if (!root) return { cells: [], language: null, error: 'not a notebook: the top level is not a JSON object' };
  const metadata = asRecord(root.metadata);
  let rawCells: unknown = root.cells;
  if (!Array.isArray(rawCells) && Array.isArray(root.worksheets)) {
    // nbformat 3: cells live in worksheets, code in `input`.
    rawCells = root.worksheets.flatMap((w) => {
      const cells = asRecord(w)?.cells;
      return Array.isArray(cells) ? cells : [];
    });
  }
  if (!Array.isArray(rawCells)) return { cells: [], language: languageOf(metadata), error: 'not a notebook: no "cells" array' };
  const cells: NotebookCode[] = [];
  rawCells.forEach((raw, index) => {
    const cell = asRecord(raw);
    if (!cell || cell.cell_type !== 'code') return;
    cells.push({ index, source: sourceText(cell.source ?? cell.input) });
  });
  return { cells, language: languageOf(metadata) };
}

/** True when the notebook's kernel is Python (or the metadata does not say). */
export function isPythonNotebook(notebook: ParsedNotebook): boolean {
  return notebook.language === null || notebook.language.startsWith('python') || notebook.language === 'ipython';
}

/**
 * Cell magics whose body is another language (IPython's own and the common extensions'): such a
 * cell is not scanned. Any other cell magic (`%%time`, `%%capture`, `%%backend torch`,
 *) leaves a Python body, which is scanned with the magic line skipped.
 */
const FOREIGN_CELL_MAGICS = new Set([
  'bash', 'sh', 'script', 'system', 'html', 'HTML', 'javascript', 'js', 'latex', 'markdown', 'svg', 'perl',
  'ruby', 'pypy', 'sql', 'R', 'julia', 'octave', 'matlab', 'cmd', 'powershell', 'mermaid', 'dot', 'sx', 'file',
  // The body is a file's text, written to disk and not run by the kernel.
  'writefile',
]);

/** True when a notebook cell's body is not Python (`%%bash`, `%%html`, `%%sql`…). */
export function isForeignCellMagic(cell: string): boolean {
  const m = /^\s*%%([A-Za-z_][\w]*)/.exec(cell);
  return m !== null && FOREIGN_CELL_MAGICS.has(m[1]);
}

/** Per-cell results of a notebook scan; positions are relative to each cell. */
export interface NotebookScan {
  cells: SourceScan[];
}

/**
 * Scans notebook cells in order, carrying imports and definitions from earlier cells into later
 * ones. IPython magics are ignored; cells with a non-Python cell magic yield no usages.
 */
export function scanNotebook(cells: readonly string[], index: LossIndex, options: { project?: ProjectImports } = {}): NotebookScan {
  const scope = new ScanScope();
  const out: SourceScan[] = [];
  for (const cell of Array.isArray(cells) ? cells : []) {
    const source = typeof cell === 'string' ? cell : '';
    if (isForeignCellMagic(source)) {
      out.push(new SourceScan([], computeLineStarts(source), source.length));
      continue;
    }
    out.push(scanSource(source, index, { ipython: true, scope, project: options.project }));
  }
  return { cells: out };
}
