/**
 * What insertion needs to know about a Python module, from one pass of the detector's tokenizer:
 * where its preamble (docstring, `from __future__`, the leading import block) ends, which names its
 * imports bind at module level (nested ones in `try:`/`if:` included), which top-level functions
 * and classes it defines, and what kind of place a cursor offset is (code, string, comment; bracket
 * depth; module level or inside a block). Line endings and indentation are detected by the
 * snippet renderer (src/core/snippets/render.ts). Pure: no vscode, unit-tested in test/unit/editor-logic.
 */
import {
  TK_COLON, TK_COMMA, TK_DOT, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR,
  TK_RSQB, TK_STAR, TK_STRING, tokenize, type TokenStream,
} from '../../core/detect/tokenizer';
import { lineIndex, lineStartOffsets } from '../../core/snippets/pythonSource';

export { lineIndex };

/** A name an import binds, and the dotted path it refers to (`F` → `torch.nn.functional`). */
export interface ImportBinding {
  name: string;
  target: string;
}

/** One `import …` or `from … import …` statement. */
export interface ImportStatement {
  /** Offset of `import`/`from`, and just after the statement's last token. */
  start: number;
  end: number;
  bindings: ImportBinding[];
  /** True for `from M import *`. */
  star: boolean;
  /** At column 0 (not nested in `try:`/`if:`). */
  topLevel: boolean;
}

/** A logical line: from its first token to its NEWLINE. */
interface LogicalLine {
  first: number;
  last: number;
  start: number;
  end: number;
  indent: number;
}

export interface ModuleOutline {
  /** Import statements whose names are bound at module level (top level, or inside a top-level `try`/`if`/`with`). */
  imports: ImportStatement[];
  /**
   * Offset of the start of the line after the preamble: the docstring, then the leading run of
   * top-level imports (comments and blank lines between them included). 0 when there is none.
   */
  preambleEnd: number;
  /** What the preamble ends with. */
  preambleKind: 'none' | 'docstring' | 'imports';
  /** Top-level `def`/`class` names → offset of the name. */
  definitions: Map<string, number>;
  /** Offsets where lines start. */
  lineStarts: number[];
}

/** Statement keywords whose body still binds names at module level. */
const MODULE_LEVEL_BLOCKS = new Set(['try', 'except', 'else', 'finally', 'if', 'elif', 'with']);

/** Builds the outline of a module (or a notebook cell, with `ipython` to skip magics). Never throws. */
export function outlineModule(text: string, options: { ipython?: boolean } = {}): ModuleOutline {
  const tokens = tokenize(text, { ipython: options.ipython === true });
  const lineStarts = lineStartOffsets(text);
  const lines = logicalLines(text, tokens, lineStarts);
  const imports: ImportStatement[] = [];
  const definitions = new Map<string, number>();
  let preambleEnd = 0;
  let preambleKind: ModuleOutline['preambleKind'] = 'none';
  let inPreamble = true;
  let enclosingTopLevel = '';

  for (const [i, line] of lines.entries()) {
    const head = tokenText(text, tokens, line.first);
    if (line.indent === 0) enclosingTopLevel = tokens.kind[line.first] === TK_NAME ? head : '';
    const isImport = tokens.kind[line.first] === TK_NAME && (head === 'import' || head === 'from');
    if (isImport && (line.indent === 0 || MODULE_LEVEL_BLOCKS.has(enclosingTopLevel))) {
      const stmt = parseImport(text, tokens, line.first, line.last);
      if (stmt) imports.push({ ...stmt, start: line.start, end: line.end, topLevel: line.indent === 0 });
    }
    if (line.indent === 0 && tokens.kind[line.first] === TK_NAME) {
      const defName = head === 'async' ? tokenText(text, tokens, line.first + 1) === 'def' ? line.first + 2 : -1 : head === 'def' || head === 'class' ? line.first + 1 : -1;
      if (defName > 0 && defName <= line.last && tokens.kind[defName] === TK_NAME) definitions.set(tokenText(text, tokens, defName), tokens.start[defName]);
    }
    if (!inPreamble) continue;
    if (i === 0 && line.first === line.last && tokens.kind[line.first] === TK_STRING) {
      preambleEnd = lineEndAfter(text, lineStarts, line.end);
      preambleKind = 'docstring';
    } else if (isImport && line.indent === 0) {
      preambleEnd = lineEndAfter(text, lineStarts, line.end);
      preambleKind = 'imports';
    } else {
      inPreamble = false;
    }
  }

  return { imports, preambleEnd, preambleKind, definitions, lineStarts };
}

/** The start of the line after the one containing `offset` (or the end of the text). */
function lineEndAfter(text: string, lineStarts: number[], offset: number): number {
  const line = lineIndex(lineStarts, Math.max(0, offset - 1));
  return line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
}

function logicalLines(text: string, tokens: TokenStream, lineStarts: number[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let first = -1;
  for (let t = 0; t < tokens.count; t++) {
    if (tokens.kind[t] === TK_NEWLINE) {
      if (first >= 0) {
        const start = tokens.start[first];
        const lineStart = lineStarts[lineIndex(lineStarts, start)];
        out.push({ first, last: t - 1, start, end: tokens.end[t - 1], indent: columnWidth(text, lineStart, start) });
      }
      first = -1;
    } else if (first < 0) {
      first = t;
    }
  }
  return out;
}

/** Width of the whitespace from `from` to `to` (a tab counts as 8, as Python does for consistency checks). */
function columnWidth(text: string, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) w += text.charCodeAt(i) === 9 ? 8 - (w % 8) : 1;
  return w;
}

function tokenText(text: string, tokens: TokenStream, t: number): string {
  return t < tokens.count ? text.slice(tokens.start[t], tokens.end[t]) : '';
}

/** Dotted name starting at token `t`: returns the name and the index after it. */
function dottedName(text: string, tokens: TokenStream, t: number, last: number): { name: string; next: number } {
  let name = '';
  let j = t;
  // Relative imports: leading dots (`.` or `...` tokens).
  while (j <= last && (tokens.kind[j] === TK_DOT || tokenText(text, tokens, j) === '...')) {
    name += tokenText(text, tokens, j);
    j++;
  }
  while (j <= last && tokens.kind[j] === TK_NAME) {
    name += tokenText(text, tokens, j);
    j++;
    if (j <= last && tokens.kind[j] === TK_DOT && j + 1 <= last && tokens.kind[j + 1] === TK_NAME) {
      name += '.';
      j++;
    } else break;
  }
  return { name, next: j };
}

/** Parses `import a.b as c, d` or `from m import (x as y, z)` between tokens first..last. */
function parseImport(text: string, tokens: TokenStream, first: number, last: number): Omit<ImportStatement, 'start' | 'end' | 'topLevel'> | undefined {
  const head = tokenText(text, tokens, first);
  const bindings: ImportBinding[] = [];
  if (head === 'import') {
    let t = first + 1;
    while (t <= last) {
      const { name, next } = dottedName(text, tokens, t, last);
      if (!name) break;
      t = next;
      if (tokenText(text, tokens, t) === 'as' && tokens.kind[t + 1] === TK_NAME) {
        bindings.push({ name: tokenText(text, tokens, t + 1), target: name });
        t += 2;
      } else {
        // `import a.b.c` binds `a`.
        const top = name.split('.')[0];
        bindings.push({ name: top, target: top });
      }
      if (tokens.kind[t] === TK_COMMA) t++;
      else break;
    }
    return { bindings, star: false };
  }
  if (head === 'from') {
    const { name: module, next } = dottedName(text, tokens, first + 1, last);
    let t = next;
    if (!module || tokenText(text, tokens, t) !== 'import') return undefined;
    t++;
    if (tokens.kind[t] === TK_STAR) return { bindings, star: true };
    if (tokens.kind[t] === TK_LPAR) t++;
    while (t <= last && tokens.kind[t] === TK_NAME) {
      const imported = tokenText(text, tokens, t);
      t++;
      let local = imported;
      if (tokenText(text, tokens, t) === 'as' && tokens.kind[t + 1] === TK_NAME) {
        local = tokenText(text, tokens, t + 1);
        t += 2;
      }
      bindings.push({ name: local, target: module.endsWith('.') ? `${module}${imported}` : `${module}.${imported}` });
      if (tokens.kind[t] === TK_COMMA) t++;
      else break;
    }
    return { bindings, star: false };
  }
  return undefined;
}

/** Parses import statements from a snippet's import lines (or any source), in order. */
export function parseImports(text: string): ImportStatement[] {
  return outlineModule(text).imports;
}

/** What kind of place an offset is, for deciding what a completion or an insertion may do there. */
export interface PositionContext {
  /** Inside a string literal (including docstrings) or a comment: nothing is offered there. */
  inStringOrComment: boolean;
  /** Open brackets enclosing the offset. */
  bracketDepth: number;
  /** Text of the line before the offset. */
  linePrefix: string;
  /** Offset where the line starts. */
  lineStart: number;
  /** True when the line holds nothing but whitespace (ignoring text after the offset when `ignoreAfter`). */
  blankLine: boolean;
  /**
   * True when a top-level statement could start here: column 0 (after optional `word` being typed),
   * no open bracket, and the previous statement does not open a block (`def f():` with no body yet).
   */
  moduleLevel: boolean;
}

/**
 * Classifies `offset`. `wordStart` (default `offset`) marks the start of a word being typed, which is
 * ignored when judging whether the line is otherwise empty.
 */
export function positionContext(text: string, offset: number, options: { ipython?: boolean; wordStart?: number } = {}): PositionContext {
  const tokens = tokenize(text, { ipython: options.ipython === true });
  const wordStart = Math.min(options.wordStart ?? offset, offset);
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let depth = 0;
  let inString = false;
  /** Kind of the last token of the previous logical line (before its NEWLINE). */
  let lastOfPreviousStatement = -1;
  let lastToken = -1;
  /** Tokens that start on this line before the offset: a `#` inside one of them is not a comment. */
  const covered: [number, number][] = [];
  for (let t = 0; t < tokens.count; t++) {
    const s = tokens.start[t];
    const e = tokens.end[t];
    const k = tokens.kind[t];
    if (s >= offset || (s >= wordStart && k !== TK_NEWLINE)) break;
    if (e > lineStart) covered.push([s, e]);
    if (k === TK_STRING && offset < e) inString = true;
    else if (k === TK_STRING && offset === e && !stringClosed(text, s, e)) inString = true;
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth = Math.max(0, depth - 1);
    if (k === TK_NEWLINE) {
      // The tokenizer only ends a logical line outside brackets (or after recovering from one).
      depth = 0;
      if (lastToken >= 0) lastOfPreviousStatement = tokens.kind[lastToken];
      lastToken = -1;
    } else {
      lastToken = t;
    }
  }
  const linePrefix = text.slice(lineStart, offset);
  let inComment = false;
  if (!inString) {
    for (let i = lineStart; i < offset && !inComment; i++) {
      if (text.charCodeAt(i) === 35 && !covered.some(([s, e]) => s <= i && i < e)) inComment = true;
    }
  }
  const restMatch = /\r\n|\n|\r|$/.exec(text.slice(offset));
  const lineRest = text.slice(offset, offset + (restMatch?.index ?? 0));
  const beforeWord = text.slice(lineStart, wordStart);
  const blankLine = beforeWord.trim() === '' && lineRest.trim() === '';
  // A statement can start at column 0 here unless the previous one opened a block that has no body
  // yet (`def f():` followed by this line): a top-level def there would leave `f` without a body.
  const moduleLevel = !inString && !inComment && depth === 0 && lastToken < 0 && beforeWord === '' && lastOfPreviousStatement !== TK_COLON;
  return { inStringOrComment: inString || inComment, bracketDepth: depth, linePrefix, lineStart, blankLine, moduleLevel };
}

/** True when the string token [s, e) ends with its closing quote (not cut off at the line end). */
function stringClosed(text: string, s: number, e: number): boolean {
  const body = text.slice(s, e);
  const m = /^[A-Za-z]*("""|'''|"|')/.exec(body);
  if (!m) return true;
  const q = m[1];
  return body.length >= m[0].length + q.length && body.endsWith(q) && !body.endsWith(`\\${q}`);
}
