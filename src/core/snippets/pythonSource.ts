/**
 * The little Python analysis the snippet catalog needs, on top of the detector's tokenizer (so
 * strings, comments and bracket continuations are handled exactly): module-level import bindings,
 * where a module's preamble (docstring and leading imports) ends, the module docstring, and the
 * signatures of top-level functions.
 */
import {
  TK_COLON, TK_COMMA, TK_DOT, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR,
  TK_RSQB, TK_STAR, TK_STRING, tokenize, type TokenStream,
} from '../detect/tokenizer';

/** A name an import binds at module level and the dotted path it refers to (`F` → `torch.nn.functional`). */
export interface ImportBinding {
  name: string;
  target: string;
}

/** A module-level import statement. */
export interface ImportStatement {
  /** The statement on one line, whitespace normalised (`from torch.nn import functional as F`). */
  text: string;
  bindings: ImportBinding[];
  /** 0-based lines of its first and last token. */
  startLine: number;
  endLine: number;
}

/** A top-level `def`. */
export interface FunctionDef {
  name: string;
  /** `name(params) -> ret` on one line. */
  signature: string;
  docstring: string | null;
  line: number;
}

export interface PythonModuleInfo {
  /** The module docstring (quotes removed, not dedented beyond Python's rules for the first line), or null. */
  docstring: string | null;
  /** Import statements at column 0, in order. */
  imports: ImportStatement[];
  /**
   * 0-based line just after the preamble: after the module docstring and the run of column-0
   * import statements (and `from __future__` lines) that follows it. 0 when there is neither.
   */
  preambleEndLine: number;
  functions: FunctionDef[];
}

interface LogicalLine {
  first: number;
  last: number;
  indent: number;
}

/** Analyses Python source. Never throws; malformed code yields partial results. */
export function analyzePython(text: string): PythonModuleInfo {
  const tokens = tokenize(text);
  const lineStarts = lineStartOffsets(text);
  const word = (t: number): string => (t < tokens.count ? text.slice(tokens.start[t], tokens.end[t]) : '');
  const lineOf = (offset: number): number => lineIndex(lineStarts, offset);
  const lines = logicalLines(text, tokens, lineStarts);

  let docstring: string | null = null;
  const imports: ImportStatement[] = [];
  const functions: FunctionDef[] = [];
  let preambleEndLine = 0;
  let inPreamble = true;

  for (let i = 0; i < lines.length; i++) {
    const { first, last, indent } = lines[i];
    const endLine = lineOf(Math.max(tokens.start[last], tokens.end[last] - 1));
    const head = word(first);
    if (i === 0 && first === last && tokens.kind[first] === TK_STRING) {
      docstring = stringValue(word(first));
      preambleEndLine = endLine + 1;
      continue;
    }
    if (indent === 0 && (head === 'import' || head === 'from')) {
      const bindings = parseImport(text, tokens, first, last);
      if (bindings) {
        imports.push({
          text: normaliseStatement(text.slice(tokens.start[first], tokens.end[last])),
          bindings,
          startLine: lineOf(tokens.start[first]),
          endLine,
        });
        if (inPreamble) preambleEndLine = endLine + 1;
        continue;
      }
    }
    if (indent === 0) inPreamble = false;
    if (indent === 0 && (head === 'def' || (head === 'async' && word(first + 1) === 'def'))) {
      const nameToken = head === 'def' ? first + 1 : first + 2;
      const fn = readFunction(text, tokens, nameToken, last, lines[i + 1]);
      if (fn) functions.push({ ...fn, line: lineOf(tokens.start[first]) });
    }
  }
  return { docstring, imports, preambleEndLine, functions };
}

/**
 * Leading whitespace of every logical line, in order: continuation lines inside brackets, the
 * inside of multi-line strings, comments and blank lines are not logical lines and are skipped.
 */
export function logicalLineIndents(text: string): string[] {
  const tokens = tokenize(text);
  const lineStarts = lineStartOffsets(text);
  return logicalLines(text, tokens, lineStarts).map(({ first }) => {
    const lineStart = lineStarts[lineIndex(lineStarts, tokens.start[first])];
    return text.slice(lineStart, tokens.start[first]);
  });
}

/** The bindings of every module-level import (column 0) in `text`. */
export function importBindings(text: string): ImportBinding[] {
  return analyzePython(text).imports.flatMap((s) => s.bindings);
}

/** 0-based line index of `offset`. */
export function lineIndex(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offsets where lines start (`\n`, `\r\n` and `\r` all end a line). */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function logicalLines(text: string, tokens: TokenStream, lineStarts: number[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let first = -1;
  for (let t = 0; t < tokens.count; t++) {
    if (tokens.kind[t] === TK_NEWLINE) {
      if (first >= 0) {
        const lineStart = lineStarts[lineIndex(lineStarts, tokens.start[first])];
        out.push({ first, last: t - 1, indent: tokens.start[first] - lineStart });
      }
      first = -1;
    } else if (first < 0) {
      first = t;
    }
  }
  return out;
}

/**
 * Collapses a multi-line statement onto one line: `from a import (\n  b,\n)` → `from a import (b)`.
 * Only a trailing comma followed by a line break is dropped, so a default such as `(1,)` survives.
 */
function normaliseStatement(source: string): string {
  return source
    .replace(/\\\r?\n/g, ' ')
    .replace(/,[ \t]*\r?\n\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}

/** Dotted name from token `t`: the name (with leading dots for relative imports) and the index after it. */
function dottedName(text: string, tokens: TokenStream, t: number, last: number): { name: string; next: number } {
  const word = (k: number): string => text.slice(tokens.start[k], tokens.end[k]);
  let name = '';
  let j = t;
  while (j <= last && (tokens.kind[j] === TK_DOT || word(j) === '...')) name += word(j++);
  // `import` is a keyword, never part of a module name (`from . import x`).
  while (j <= last && tokens.kind[j] === TK_NAME && word(j) !== 'import') {
    name += word(j++);
    if (j + 1 <= last && tokens.kind[j] === TK_DOT && tokens.kind[j + 1] === TK_NAME) {
      name += '.';
      j++;
    } else break;
  }
  return { name, next: j };
}

/** Bindings of `import a.b as c, d` or `from m import (x as y, z)`; undefined when it is not an import. */
function parseImport(text: string, tokens: TokenStream, first: number, last: number): ImportBinding[] | undefined {
  const word = (k: number): string => (k <= last ? text.slice(tokens.start[k], tokens.end[k]) : '');
  const bindings: ImportBinding[] = [];
  if (word(first) === 'import') {
    let t = first + 1;
    while (t <= last) {
      const { name, next } = dottedName(text, tokens, t, last);
      if (!name) return undefined;
      t = next;
      if (word(t) === 'as' && tokens.kind[t + 1] === TK_NAME && t + 1 <= last) {
        bindings.push({ name: word(t + 1), target: name });
        t += 2;
      } else {
        // `import a.b.c` binds `a`, the top-level package.
        const top = name.split('.')[0];
        bindings.push({ name: top, target: top });
      }
      if (t <= last && tokens.kind[t] === TK_COMMA) t++;
      else break;
    }
    return bindings;
  }
  if (word(first) === 'from') {
    const { name: module, next } = dottedName(text, tokens, first + 1, last);
    let t = next;
    if (!module || word(t) !== 'import') return undefined;
    t++;
    // `from m import *` binds names nobody can list; it is recorded with no bindings.
    if (tokens.kind[t] === TK_STAR) return bindings;
    if (tokens.kind[t] === TK_LPAR) t++;
    while (t <= last && tokens.kind[t] === TK_NAME) {
      const imported = word(t++);
      let local = imported;
      if (word(t) === 'as' && tokens.kind[t + 1] === TK_NAME) {
        local = word(t + 1);
        t += 2;
      }
      bindings.push({ name: local, target: module.endsWith('.') ? `${module}${imported}` : `${module}.${imported}` });
      if (t <= last && tokens.kind[t] === TK_COMMA) t++;
      else break;
    }
    return bindings;
  }
  return undefined;
}

/** Name, one-line signature and docstring of the `def` whose name token is `nameToken`. */
function readFunction(
  text: string,
  tokens: TokenStream,
  nameToken: number,
  last: number,
  next: LogicalLine | undefined,
): Omit<FunctionDef, 'line'> | undefined {
  if (tokens.kind[nameToken] !== TK_NAME || tokens.kind[nameToken + 1] !== TK_LPAR) return undefined;
  // The header ends at the first ':' outside brackets after the parameter list.
  let depth = 0;
  let colon = -1;
  for (let t = nameToken + 1; t <= last; t++) {
    const k = tokens.kind[t];
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
    else if (k === TK_COLON && depth === 0) {
      colon = t;
      break;
    }
  }
  if (colon < 0) return undefined;
  const signature = normaliseStatement(text.slice(tokens.start[nameToken], tokens.start[colon]));
  // The body's first statement is the docstring when it is a lone string (a one-line `def f(): "doc"` too).
  let docstring: string | null = null;
  if (colon + 1 <= last && colon + 1 === last && tokens.kind[last] === TK_STRING) {
    docstring = stringValue(text.slice(tokens.start[last], tokens.end[last]));
  } else if (next && next.first === next.last && tokens.kind[next.first] === TK_STRING) {
    docstring = stringValue(text.slice(tokens.start[next.first], tokens.end[next.first]));
  }
  return { name: text.slice(tokens.start[nameToken], tokens.end[nameToken]), signature, docstring };
}

/** The value of a plain string literal (prefix and quotes removed; escapes other than line joins kept as written). */
function stringValue(literal: string): string {
  const m = /^[rRuUbB]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(literal);
  return m ? m[2] : literal;
}
