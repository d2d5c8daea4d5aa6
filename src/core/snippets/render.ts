/**
 * Renders a catalog snippet for a given insertion point: the import lines the document still
 * needs (returned separately, so an editor can put them with the other imports) and the body —
 * citation header plus the snippet's code without its module docstring and imports — re-indented
 * to the document's style and line endings.
 */
import type { ImportBinding } from '../python/imports';
import { logicalLineIndents, outlineModule } from '../python/module';
import type { Snippet } from './types';

/** Where the snippet goes. Everything is optional; absent values are detected from `documentText`. */
export interface RenderContext {
  /** The document (or notebook cell) the snippet is inserted into. */
  documentText?: string;
  /** Indentation of the insertion line, prefixed to every body line (e.g. inside an `if` block). */
  baseIndent?: string;
  /** One indentation level: `\t` or N spaces. Detected from the document; 4 spaces when it has none. */
  indentUnit?: string;
  /** Line ending. Detected from the document; `\n` when it has none. */
  eol?: '\n' | '\r\n';
  /** Names bound by imports outside the document, e.g. earlier notebook cells. */
  extraBindings?: readonly Pick<ImportBinding, 'name' | 'target'>[];
  /** Put the citation header above the body (default true). */
  header?: boolean;
}

export interface RenderedSnippet {
  /** Import statements the document lacks, in the snippet's order, without line endings. */
  imports: string[];
  /** `imports` joined with the line ending, ending with one; '' when nothing is missing. */
  importsText: string;
  /** 0-based document line before which imports belong: after the last module-level import, else after the module docstring. */
  importLine: number;
  /** Names the document binds to something else than the snippet needs (e.g. `F`); their imports are still listed. */
  conflicts: string[];
  /** Header comment and code, re-indented, each line ending with the line ending. */
  body: string;
  /** Everything for a top-level insertion in one piece: imports, a blank line, body. */
  text: string;
  indentUnit: string;
  eol: '\n' | '\r\n';
}

/** The snippet's source indentation (the .py files follow PEP 8). */
const SOURCE_INDENT = 4;

/** Renders `snippet` for insertion into `context.documentText` (or into an empty file). */
export function renderSnippet(snippet: Pick<Snippet, 'code' | 'header'>, context: RenderContext = {}): RenderedSnippet {
  const doc = context.documentText ?? '';
  const eol = context.eol ?? detectEol(doc);
  const indentUnit = context.indentUnit ?? detectIndentUnit(doc);
  const base = context.baseIndent ?? '';

  const source = outlineModule(snippet.code);
  const docInfo = outlineModule(doc);
  // The import block ends after the last top-level import (one inside `try:` belongs to its block).
  const topLevelImports = docInfo.imports.filter((s) => s.topLevel);
  const present = new Map<string, string>();
  for (const b of [...(context.extraBindings ?? []), ...docInfo.imports.flatMap((s) => s.bindings)]) present.set(b.name, b.target);

  const imports: string[] = [];
  const conflicts: string[] = [];
  for (const statement of source.imports.filter((s) => s.topLevel)) {
    const missing = statement.bindings.filter((b) => present.get(b.name) !== b.target);
    if (missing.length === 0) continue;
    for (const b of missing) if (present.has(b.name) && !conflicts.includes(b.name)) conflicts.push(b.name);
    imports.push(statement.text);
  }

  const codeLines = snippet.code.replace(/\r\n?/g, '\n').split('\n').slice(source.preambleEndLine);
  while (codeLines.length > 0 && codeLines[0].trim() === '') codeLines.shift();
  while (codeLines.length > 0 && codeLines[codeLines.length - 1].trim() === '') codeLines.pop();
  const lines = [...(context.header === false ? [] : [snippet.header]), ...codeLines];
  const body = lines.map((line) => reindent(line, base, indentUnit)).join(eol) + eol;

  const importsText = imports.length > 0 ? imports.join(eol) + eol : '';
  const importLine = topLevelImports.length > 0
    ? Math.max(...topLevelImports.map((s) => s.endLine)) + 1
    : docInfo.preambleEndLine;
  return {
    imports,
    importsText,
    importLine,
    conflicts,
    body,
    text: importsText ? importsText + eol + eol + body : body,
    indentUnit,
    eol,
  };
}

/** The document's line ending: CRLF when most line breaks are CRLF, else LF. */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * One indentation level as the document writes it: a tab when tab-indented lines outnumber
 * space-indented ones, otherwise the most common increase in leading spaces from one code line to
 * the next (2, 3, 4 or 8). Four spaces (PEP 8) when the document has no indented code.
 */
export function detectIndentUnit(text: string): string {
  const codeLines = logicalLineIndents(text);
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const indent of codeLines) {
    if (indent.startsWith('\t')) tabs++;
    else if (indent.length > 0) spaces++;
    if (!indent.includes('\t')) {
      const step = indent.length - previous;
      if (step >= 2 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
      previous = indent.length;
    }
  }
  if (tabs > spaces) return '\t';
  let best = SOURCE_INDENT;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

/** Re-expresses a 4-space-indented source line with `unit` per level under `base`; blank lines stay empty. */
function reindent(line: string, base: string, unit: string): string {
  if (line.trim() === '') return '';
  const spaces = line.length - line.trimStart().length;
  const levels = Math.floor(spaces / SOURCE_INDENT);
  const rest = spaces % SOURCE_INDENT;
  return base + unit.repeat(levels) + ' '.repeat(rest) + line.trimStart();
}
