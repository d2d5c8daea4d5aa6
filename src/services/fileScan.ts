/**
 * Scanning one `.py` file or `.ipynb` notebook: the one implementation every front end uses.
 *
 * - {@link detectFile}: the detector over a file's text (BOM dropped; a notebook's code cells in
 *   order, imports carried from cell to cell; binary data and broken notebooks refused with a
 *   reason). The sidebar's "find usages" (usagesInFile.ts) and `paperlens scan` both start here.
 * - {@link scanFile}: what `paperlens scan` reports for a file — each usage with its concept's
 *   papers, the paper-aware checks' findings (following values into the other files of the scan),
 *   their fixes as SARIF regions, and a Python syntax error — as plain data, so the CLI's thread
 *   and its worker threads (src/cli/scan/scanWorker.ts) give the same answer.
 * - {@link DiskPythonFiles}: the other `.py` files of a scan, read from disk when an import first
 *   needs one, so every thread follows imports across the whole tree without holding it all.
 *
 * Lines and columns are 1-based, columns in UTF-16 code units; notebook positions carry `cell`,
 * the cell's index among all cells (markdown cells count), and a line within the cell.
 */
import { readFileSync } from 'node:fs';
import { applyRuleSettings, checkSource, type RuleSettings } from '../core/checks/analyze';
import type { Workspace } from '../core/checks/flow';
import type { KerasLossNames } from '../core/checks/keras';
import { sarifFixes, type SarifFix } from '../core/checks/sarif';
import { computeLineStarts } from '../core/text/lineIndex';
import { pythonSyntaxError } from '../core/checks/syntax';
import type { Finding } from '../core/checks/types';
import { isForeignCellMagic, scanNotebook, scanSource, type ProjectImports, type ProjectLosses, type SourceScan } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';
import { isPythonNotebook, parseIpynb, type NotebookCode } from '../core/detect/notebook';
import type { LossUsage } from '../core/detect/types';
import { tokenize, type TokenStream } from '../core/python/tokenizer';

/** The kind of file the detector reads, from its name; undefined for anything else. */
export function fileKind(file: string): 'python' | 'notebook' | undefined {
  if (/\.py$/i.test(file)) return 'python';
  if (/\.ipynb$/i.test(file)) return 'notebook';
  return undefined;
}

/** Why a file is skipped when it holds binary data (the words `paperlens check` uses for corpus files). */
export const BINARY_FILE = 'this file is not text (it contains binary data), so it was skipped';

/**
 * True when text read from a file is binary data rather than source: a NUL character, or more
 * than 5% control characters, in its first 8,192 characters (the test `paperlens check` applies
 * to corpus files' bytes, src/core/papers/userCorpus.ts).
 */
export function isBinaryText(text: string): boolean {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  if (head.includes('\0')) return true;
  // Control characters other than tab, line feed, form feed and carriage return.
  const control = head.match(/[\x01-\x08\x0b\x0e-\x1f]/g);
  return control !== null && control.length / head.length > 0.05;
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The detector's view of one file. */
export type DetectedFile =
  /** `tokens`: the source's tokens the detector read, when asked for (the checks read them too). */
  | { kind: 'python'; source: string; scan: SourceScan; tokens?: TokenStream }
  /** `python`: false for a notebook in another kernel's language (no cells scanned). */
  | { kind: 'notebook'; python: boolean; cells: NotebookCode[]; scans: SourceScan[] }
  /** A notebook that is not valid JSON, or a file of binary data (`skipped`). */
  | { error: string; skipped?: true };

/** Runs the detector over a notebook's code cells in order (`index`: the cell's place among all cells). */
export function detectCells(cells: readonly NotebookCode[], index: LossIndex, project?: ProjectImports): SourceScan[] {
  return scanNotebook(cells.map((c) => c.source), index, { project }).cells;
}

/**
 * Runs the detector over one file's text. Never throws. `project`: the project's other files, for
 * names imported from its own modules; `keepTokens`: also return a Python file's tokens (otherwise
 * the detector reuses one buffer from file to file).
 */
export function detectFile(text: string, kind: 'python' | 'notebook', index: LossIndex, options: { project?: ProjectImports; keepTokens?: boolean } = {}): DetectedFile {
  const { project, keepTokens = false } = options;
  if (isBinaryText(text)) return { error: BINARY_FILE, skipped: true };
  const source = withoutBom(text);
  if (kind === 'python') {
    if (!keepTokens) return { kind: 'python', source, scan: scanSource(source, index, { project }) };
    const tokens = tokenize(source);
    return { kind: 'python', source, scan: scanSource(source, index, { tokens, project }), tokens };
  }
  const notebook = parseIpynb(source);
  if (notebook.error) return { error: notebook.error };
  if (!isPythonNotebook(notebook)) return { kind: 'notebook', python: false, cells: notebook.cells, scans: [] };
  return { kind: 'notebook', python: true, cells: notebook.cells, scans: detectCells(notebook.cells, index, project) };
}

/** One finding as `paperlens scan` prints it in JSON. Key order is part of the format. */
export interface ScanJsonFinding extends Pick<Finding, 'rule' | 'line' | 'column' | 'endLine' | 'endColumn' | 'message' | 'severity' | 'source'> {
  cell?: number;
  concept: string;
}

/** One usage as `paperlens scan` prints it in JSON. Key order is part of the format. */
export interface ScanJsonUsage {
  cell?: number;
  line: number;
  column: number;
  endColumn: number;
  identifier: string;
  qualifiedName: string;
  concept: string;
  framework: string;
  /** How the detector recognised it: library, definition, local, name or string. */
  how: string;
  papers: string[];
}

/**
 * What `paperlens scan` reports for one file: usages, findings with their SARIF fixes (one entry
 * per finding; none for notebook cells, which SARIF regions cannot address) and a syntax error;
 * or an error (a broken notebook, binary data, a file that could not be read).
 */
export type FileScanResult =
  | { usages: ScanJsonUsage[]; findings: ScanJsonFinding[]; fixes: (SarifFix[] | undefined)[]; syntax?: { line: number; message: string } }
  | { error: string };

/** What scanning needs besides a file's text; built once per thread (see scanServices.ts). */
export interface ScanContext {
  index: LossIndex;
  /** Paper ids per concept, in the registry's ranking (the shipped corpus merged with `--corpus` files). */
  papers: ReadonlyMap<string, readonly string[]>;
  kerasNames: KerasLossNames;
  rules: RuleSettings;
  /** The other Python files of the scan, for following imports; none when the scan has one file. */
  workspace?: Workspace;
  /** The losses those files define, for names imported from them (the detector's side of `workspace`). */
  project?: ProjectLosses;
}

function toJsonUsage(u: LossUsage, papers: ScanContext['papers'], cell?: number): ScanJsonUsage {
  const out: ScanJsonUsage = cell === undefined ? ({} as ScanJsonUsage) : ({ cell } as ScanJsonUsage);
  out.line = u.line;
  out.column = u.column;
  out.endColumn = u.endColumn;
  out.identifier = u.identifier;
  out.qualifiedName = u.qualifiedName;
  out.concept = u.conceptId;
  out.framework = u.framework;
  out.how = u.how;
  out.papers = [...(papers.get(u.conceptId) ?? [])];
  return out;
}

function toJsonFinding(f: Finding, cell?: number): ScanJsonFinding {
  const out: ScanJsonFinding = cell === undefined ? ({} as ScanJsonFinding) : ({ cell } as ScanJsonFinding);
  out.rule = f.rule;
  out.line = f.line;
  out.column = f.column;
  out.endLine = f.endLine;
  out.endColumn = f.endColumn;
  out.message = f.message;
  out.severity = f.severity;
  out.source = f.source;
  out.concept = f.conceptId;
  return out;
}


/**
 * The checks' findings over a notebook's code cells joined in order (non-Python cell magics
 * blanked), so a model defined in one cell is followed into the loss of a later one; each finding
 * is mapped back to its cell.
 */
function notebookFindings(cells: readonly NotebookCode[], ctx: ScanContext): ScanJsonFinding[] {
  const parts: string[] = [];
  const starts: { line: number; cell: number }[] = [];
  let line = 1;
  for (const c of cells) {
    const body = isForeignCellMagic(c.source) ? c.source.replace(/[^\r\n]/g, ' ') : c.source;
    starts.push({ line, cell: c.index });
    parts.push(body);
    // Lines as the checks count them (\r\n, \n and a lone \r alike).
    line += computeLineStarts(body).length;
  }
  const joined = parts.join('\n');
  const cellOfLine = (at: number) => {
    // The last cell starting at or before the line (binary search: a notebook may have many cells).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid].line <= at) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo];
  };
  const lineLabel = (at: number) => {
    const start = cellOfLine(at);
    return `line ${at - start.line + 1} of cell ${start.cell}`;
  };
  const tokens = tokenize(joined, { ipython: true });
  const found = applyRuleSettings(checkSource(joined, scanSource(joined, ctx.index, { ipython: true, tokens }), { ipython: true, kerasNames: ctx.kerasNames, lineLabel, tokens }), ctx.rules);
  return found.map((f) => {
    const start = cellOfLine(f.line);
    return toJsonFinding({ ...f, line: f.line - start.line + 1, endLine: f.endLine - start.line + 1 }, start.cell);
  });
}

/** Scans one file's text as `paperlens scan` reports it (`file`: its path, for following imports). Never throws. */
export function scanFile(file: string, text: string, ctx: ScanContext): FileScanResult {
  const kind = fileKind(file) ?? 'python';
  try {
    const detected = detectFile(text, kind, ctx.index, { project: ctx.project?.importsOf(file), keepTokens: true });
    // A module the tree's other files import is not scanned a second time for its exports.
    if (ctx.project && 'kind' in detected && detected.kind === 'python') ctx.project.remember(file, detected.scan.usages);
    if ('error' in detected) return { error: detected.error };
    if (detected.kind === 'notebook') {
      if (!detected.python) return { usages: [], findings: [], fixes: [] };
      const usages: ScanJsonUsage[] = [];
      detected.scans.forEach((cellScan, i) => {
        for (const u of cellScan.usages) usages.push(toJsonUsage(u, ctx.papers, detected.cells[i].index));
      });
      const findings = notebookFindings(detected.cells, ctx);
      return { usages, findings, fixes: findings.map(() => undefined) };
    }
    const { source, scan, tokens } = detected;
    // One tokenization and one line index for the detector, the syntax check and the checks.
    const lineStarts = scan.lineStarts;
    const syntax = pythonSyntaxError(source, { tokens, lineStarts });
    const found = applyRuleSettings(checkSource(source, scan, { kerasNames: ctx.kerasNames, path: file, workspace: ctx.workspace, tokens }), ctx.rules);
    return {
      usages: scan.usages.map((u) => toJsonUsage(u, ctx.papers)),
      findings: found.map((f) => toJsonFinding(f)),
      // One line index for the file: a line index per finding made a scan quadratic.
      fixes: found.map((f) => sarifFixes(f, lineStarts)),
      ...(syntax ? { syntax: { line: syntax.line, message: `line ${syntax.line}: invalid Python: ${syntax.message}` } } : {}),
    };
  } catch (err) {
    // The detector and the checks do not throw by design; this keeps one bug from ending a scan.
    return { error: `could not be scanned (${err instanceof Error ? err.message : String(err)})` };
  }
}

/**
 * The Python files of a scan as the map the checks follow imports through
 * (`WorkspaceFiles`, src/core/checks/flow.ts): every listed path is a key; a file's text is read
 * from disk the first time an import needs it (or handed over by {@link remember} when the file
 * is itself scanned), BOM dropped. A file that cannot be read, or holds binary data, has no text.
 */
export class DiskPythonFiles implements ReadonlyMap<string, string> {
  private readonly texts = new Map<string, string | undefined>();
  private readonly listed: ReadonlySet<string>;

  /** `paths`: `/`-separated absolute paths of the scan's `.py` files. */
  constructor(paths: readonly string[]) {
    this.listed = new Set(paths);
  }

  /** Keeps the text of a listed file that was read for scanning, so imports do not read it again. */
  remember(path: string, text: string): void {
    if (this.listed.has(path)) this.texts.set(path, isBinaryText(text) ? undefined : withoutBom(text));
  }

  get(path: string): string | undefined {
    if (!this.listed.has(path)) return undefined;
    if (!this.texts.has(path)) {
      let text: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        text = undefined;
      }
      this.texts.set(path, text === undefined || isBinaryText(text) ? undefined : withoutBom(text));
    }
    return this.texts.get(path);
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  get size(): number {
    return this.listed.size;
  }

  keys(): MapIterator<string> {
    return this.listed.keys();
  }

  *entries(): MapIterator<[string, string]> {
    for (const p of this.listed) {
      const text = this.get(p);
      if (text !== undefined) yield [p, text];
    }
  }

  *values(): MapIterator<string> {
    for (const [, text] of this.entries()) yield text;
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [p, text] of this.entries()) callback(text, p, this);
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}
