/**
 * The outline of a Python module from one pass of the tokenizer: its logical lines, the import
 * statements whose names are bound at module level, the module docstring, where the preamble
 * (docstring, `from __future__`, the leading import block) ends, the top-level definitions
 * (functions with their signatures and docstrings, classes with their bases), the top-level
 * assignments, and what kind of place a cursor offset is (code, string, comment; bracket depth;
 * module level or inside a block). Used by the snippet catalogue (src/core/snippets) and the
 * insertion planner (src/services/insertion). Never throws; malformed code yields partial results.
 */
import { computeLineStarts, lineIndex, lineStartBefore } from '../text/lineIndex';
import { normalizeStatementText, readImportStatement, type ImportStatement } from './imports';
import {
  TK_COLON, TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE,
  TK_RPAR, TK_RSQB, TK_STRING, PYTHON_KEYWORDS, PYTHON_SOFT_KEYWORDS, tokenize, type TokenStream,
} from './tokenizer';

/** A logical line: from its first token to the token before its NEWLINE. */
export interface LogicalLine {
  first: number;
  last: number;
  /** Offsets of its first token and just after its last one. */
  start: number;
  end: number;
  /** Width of its indentation (a tab advances to the next multiple of 8, as Python counts). */
  indent: number;
}

/** A module-level import statement, with the lines it spans and its text on one line. */
export interface ModuleImport extends ImportStatement {
  /** The statement on one line, whitespace normalised (`from torch.nn import functional as F`). */
  text: string;
  /** 0-based lines of its first and last token. */
  startLine: number;
  endLine: number;
  /** At column 0 (not nested in `try:`/`if:`/`with`). */
  topLevel: boolean;
}

/** A top-level `def`. */
export interface FunctionDefinition {
  name: string;
  /** `name(params) -> ret` on one line. */
  signature: string;
  docstring: string | null;
  /** 0-based line of `def`. */
  line: number;
  /** Offset of the name. */
  nameStart: number;
}

/** A top-level `class` and its bases as written (`nn.Module`, `_Loss`). */
export interface ClassDefinition {
  name: string;
  bases: string[];
  line: number;
  nameStart: number;
}

/** A top-level `name = …` assignment. */
export interface ModuleAssignment {
  name: string;
  /** The right side as written, trimmed (`DiceLoss`, `nn.CrossEntropyLoss()`). */
  value: string;
  nameStart: number;
}

export interface ModuleOutline {
  /** The module docstring (quotes and prefix removed), or null. */
  docstring: string | null;
  /** Import statements whose names are bound at module level (top level, or inside a top-level `try`/`if`/`with`). */
  imports: ModuleImport[];
  /**
   * Offset of the start of the line after the preamble: the docstring, then the leading run of
   * top-level imports (comments and blank lines between them included). 0 when there is none.
   */
  preambleEnd: number;
  /** 0-based line just after the preamble (0 when there is none). */
  preambleEndLine: number;
  /** What the preamble ends with. */
  preambleKind: 'none' | 'docstring' | 'imports';
  /** Top-level `def`/`class` names → offset of the name. */
  definitions: Map<string, number>;
  functions: FunctionDefinition[];
  classes: ClassDefinition[];
  assignments: ModuleAssignment[];
  /** Offsets where lines start. */
  lineStarts: Uint32Array;
}

/** Statement keywords whose body still binds names at module level. */
const MODULE_LEVEL_BLOCKS = new Set(['try', 'except', 'else', 'finally', 'if', 'elif', 'with']);

/** Width of the whitespace from `from` to `to` (a tab advances to the next multiple of 8). */
function columnWidth(text: string, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) w += text.charCodeAt(i) === 9 ? 8 - (w % 8) : 1;
  return w;
}

/**
 * The logical lines of a token stream: continuation lines inside brackets, the inside of
 * multi-line strings, comments and blank lines are not logical lines.
 */
export function logicalLines(text: string, tokens: TokenStream, lineStarts: ArrayLike<number>): LogicalLine[] {
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

function tokenText(text: string, tokens: TokenStream, t: number): string {
  return t < tokens.count ? text.slice(tokens.start[t], tokens.end[t]) : '';
}

/** The value of a plain string literal (prefix and quotes removed; escapes kept as written). */
export function stringValue(literal: string): string {
  const m = /^[rRuUbBfF]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(literal);
  return m ? m[2] : literal;
}

/**
 * The last few outlines built, by text: one completion request plans an insertion per offered
 * snippet, each needing the same document's outline (and the snippet's own), and the document can
 * be large. Outlines are never mutated by their users.
 */
const recentOutlines: { text: string; ipython: boolean; outline: ModuleOutline }[] = [];
const RECENT_OUTLINES = 4;

/** Builds the outline of a module (or a notebook cell, with `ipython` to skip magics). */
export function outlineModule(text: string, options: { ipython?: boolean } = {}): ModuleOutline {
  const ipython = options.ipython === true;
  for (let i = 0; i < recentOutlines.length; i++) {
    const r = recentOutlines[i];
    if (r.ipython !== ipython || r.text !== text) continue;
    // Most recently used first, so a large document outlives the small snippets asked in between.
    if (i > 0) recentOutlines.unshift(...recentOutlines.splice(i, 1));
    return r.outline;
  }
  const outline = buildOutline(text, options);
  recentOutlines.unshift({ text, ipython, outline });
  if (recentOutlines.length > RECENT_OUTLINES) recentOutlines.pop();
  return outline;
}

function buildOutline(text: string, options: { ipython?: boolean }): ModuleOutline {
  const tokens = tokenize(text, { ipython: options.ipython === true });
  const lineStarts = computeLineStarts(text);
  const lines = logicalLines(text, tokens, lineStarts);
  const lineOf = (offset: number): number => lineIndex(lineStarts, offset);
  const imports: ModuleImport[] = [];
  const definitions = new Map<string, number>();
  const functions: FunctionDefinition[] = [];
  const classes: ClassDefinition[] = [];
  const assignments: ModuleAssignment[] = [];
  let docstring: string | null = null;
  let preambleEnd = 0;
  let preambleEndLine = 0;
  let preambleKind: ModuleOutline['preambleKind'] = 'none';
  let inPreamble = true;
  let enclosingTopLevel = '';

  for (const [i, line] of lines.entries()) {
    const { first, last } = line;
    const isName = tokens.kind[first] === TK_NAME;
    const head = tokenText(text, tokens, first);
    if (line.indent === 0) enclosingTopLevel = isName ? head : '';
    const endLine = lineOf(Math.max(tokens.start[last], tokens.end[last] - 1));
    const isImport = isName && (head === 'import' || head === 'from');
    if (isImport && (line.indent === 0 || MODULE_LEVEL_BLOCKS.has(enclosingTopLevel))) {
      const stmt = readImportStatement(text, tokens, first);
      if (stmt) {
        imports.push({
          ...stmt,
          end: line.end,
          text: normalizeStatementText(text.slice(line.start, line.end)),
          startLine: lineOf(line.start),
          endLine,
          topLevel: line.indent === 0,
        });
      }
    }
    if (line.indent === 0 && isName) readDefinition(text, tokens, line, lines[i + 1], lineOf, { definitions, functions, classes, assignments });
    if (!inPreamble) continue;
    if (i === 0 && first === last && tokens.kind[first] === TK_STRING) {
      docstring = stringValue(tokenText(text, tokens, first));
      preambleEnd = lineEndAfter(text, lineStarts, line.end);
      preambleEndLine = endLine + 1;
      preambleKind = 'docstring';
    } else if (isImport && line.indent === 0 && imports.length > 0 && imports[imports.length - 1].firstToken === first) {
      preambleEnd = lineEndAfter(text, lineStarts, line.end);
      preambleEndLine = endLine + 1;
      preambleKind = 'imports';
    } else {
      inPreamble = false;
    }
  }
  return { docstring, imports, preambleEnd, preambleEndLine, preambleKind, definitions, functions, classes, assignments, lineStarts };
}

/** Records the top-level `def`, `class` or `name = …` on `line`. */
function readDefinition(
  text: string,
  tokens: TokenStream,
  line: LogicalLine,
  next: LogicalLine | undefined,
  lineOf: (offset: number) => number,
  out: Pick<ModuleOutline, 'definitions' | 'functions' | 'classes' | 'assignments'>,
): void {
  const { first, last } = line;
  const head = tokenText(text, tokens, first);
  const keywordAt = head === 'async' && tokenText(text, tokens, first + 1) === 'def' ? first + 1 : first;
  const keyword = tokenText(text, tokens, keywordAt);
  const nameToken = keywordAt + 1;
  if ((keyword === 'def' || keyword === 'class') && nameToken <= last && tokens.kind[nameToken] === TK_NAME) {
    const name = tokenText(text, tokens, nameToken);
    const nameStart = tokens.start[nameToken];
    out.definitions.set(name, nameStart);
    if (keyword === 'def') {
      const fn = readFunction(text, tokens, nameToken, last, next);
      if (fn) out.functions.push({ ...fn, line: lineOf(tokens.start[first]), nameStart });
    } else {
      out.classes.push({ name, bases: readBases(text, tokens, nameToken + 1, last), line: lineOf(tokens.start[first]), nameStart });
    }
    return;
  }
  if (head !== 'def' && head !== 'class' && tokens.kind[first + 1] === TK_EQUAL && first + 2 <= last) {
    out.assignments.push({ name: head, value: text.slice(tokens.start[first + 2], tokens.end[last]).trim(), nameStart: tokens.start[first] });
  }
}

/** `(nn.Module, metaclass=M)` after a class name → `['nn.Module']` (keywords left out). */
function readBases(text: string, tokens: TokenStream, open: number, last: number): string[] {
  if (tokens.kind[open] !== TK_LPAR) return [];
  const bases: string[] = [];
  let depth = 0;
  let argStart = open + 1;
  for (let t = open + 1; t <= last; t++) {
    const k = tokens.kind[t];
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if ((k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) && depth > 0) depth--;
    else if (depth === 0 && (k === TK_COMMA || k === TK_RPAR)) {
      if (t > argStart && tokens.kind[argStart + 1] !== TK_EQUAL) {
        let dottedOnly = true;
        for (let j = argStart; j < t; j++) if (tokens.kind[j] !== TK_NAME && tokens.kind[j] !== TK_DOT) dottedOnly = false;
        if (dottedOnly) bases.push(text.slice(tokens.start[argStart], tokens.end[t - 1]).replace(/\s+/g, ''));
      }
      argStart = t + 1;
      if (k === TK_RPAR) break;
    }
  }
  return bases;
}

/** Name, one-line signature and docstring of the `def` whose name token is `nameToken`. */
function readFunction(
  text: string,
  tokens: TokenStream,
  nameToken: number,
  last: number,
  next: LogicalLine | undefined,
): Omit<FunctionDefinition, 'line' | 'nameStart'> | undefined {
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
  const signature = normalizeStatementText(text.slice(tokens.start[nameToken], tokens.start[colon]));
  // The body's first statement is the docstring when it is a lone string (a one-line `def f(): "doc"` too).
  let docstring: string | null = null;
  if (colon + 1 === last && tokens.kind[last] === TK_STRING) {
    docstring = stringValue(tokenText(text, tokens, last));
  } else if (next && next.first === next.last && tokens.kind[next.first] === TK_STRING) {
    docstring = stringValue(tokenText(text, tokens, next.first));
  }
  return { name: tokenText(text, tokens, nameToken), signature, docstring };
}

/** The start of the line after the one containing `offset` (or the end of the text). */
function lineEndAfter(text: string, lineStarts: ArrayLike<number>, offset: number): number {
  const line = lineIndex(lineStarts, Math.max(0, offset - 1));
  return line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
}

/**
 * Leading whitespace of every logical line, in order (continuation lines, the inside of multi-line
 * strings, comments and blank lines are skipped).
 */
export function logicalLineIndents(text: string): string[] {
  const tokens = tokenize(text);
  const lineStarts = computeLineStarts(text);
  return logicalLines(text, tokens, lineStarts).map(({ start }) => text.slice(lineStarts[lineIndex(lineStarts, start)], start));
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
 * A place where reading may restart: the start of a physical line that begins a logical line (no
 * open bracket, not inside a string), and the kind of the token that ended the statement before it.
 * It depends only on the text before `offset`, so it stays valid while that text is unchanged.
 */
export interface ContextCheckpoint {
  offset: number;
  lastOfPreviousStatement: number;
}

export interface PositionContextOptions {
  ipython?: boolean;
  /** Start of a word being typed (default `offset`), ignored when judging whether the line is empty. */
  wordStart?: number;
  /** Read from this checkpoint (at or before the offset's line) instead of the start of the text. */
  from?: ContextCheckpoint;
  /** Called with each checkpoint passed on the way to the offset, in order. */
  checkpoint?: (c: ContextCheckpoint) => void;
}

/**
 * Classifies `offset`. Only the text up to the end of the offset's line is read, from `from` when
 * given (see {@link PositionContexts}, which keeps checkpoints so typing does not re-read the file).
 */
export function positionContext(text: string, offset: number, options: PositionContextOptions = {}): PositionContext {
  const wordStart = Math.min(options.wordStart ?? offset, offset);
  const lineStart = lineStartBefore(text, offset);
  const base = options.from && options.from.offset <= lineStart ? options.from : undefined;
  const from = base?.offset ?? 0;
  const eolMatch = /\r\n|\n|\r|$/.exec(text.slice(offset));
  const lineEnd = offset + (eolMatch?.index ?? 0);
  // Tokens in `window` are relative to `from`; a string still open at the line end runs to the end.
  const window = text.slice(from, lineEnd);
  const tokens = tokenize(window, { ipython: options.ipython === true });
  let depth = 0;
  let inString = false;
  /** Kind of the last token of the previous logical line (before its NEWLINE). */
  let lastOfPreviousStatement = base?.lastOfPreviousStatement ?? -1;
  let lastToken = -1;
  /** Tokens that start on this line before the offset: a `#` inside one of them is not a comment. */
  const covered: [number, number][] = [];
  for (let t = 0; t < tokens.count; t++) {
    const s = tokens.start[t] + from;
    const e = tokens.end[t] + from;
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
      // A NEWLINE at a line break (not one from bracket recovery) starts a logical line after it.
      const c = text.charCodeAt(s);
      if (options.checkpoint && (c === 10 || c === 13)) {
        const next = s + (c === 13 && text.charCodeAt(s + 1) === 10 ? 2 : 1);
        if (next <= lineStart) options.checkpoint({ offset: next, lastOfPreviousStatement });
      }
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
  const lineRest = text.slice(offset, lineEnd);
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


/** The import statements of `text` (a snippet's import lines, or any source), in order. */
export function parseImports(text: string): ModuleImport[] {
  return outlineModule(text).imports;
}

/** Checkpoints kept this far apart (in characters): a keystroke re-reads at most about this much. */
const CHECKPOINT_SPACING = 2048;

/**
 * {@link positionContext} for a document being typed in: keeps checkpoints from the previous call
 * and reuses those before the first changed character, so a keystroke in a 20,000-line file reads a
 * few lines, not the whole file. One instance per document.
 */
export class PositionContexts {
  private text = '';
  private ipython = false;
  /** Sorted by offset, at least CHECKPOINT_SPACING apart. */
  private points: ContextCheckpoint[] = [];
  /** Characters before the cursor that the last call read (from its checkpoint, or the start). */
  lastRead = 0;

  at(text: string, offset: number, options: { ipython?: boolean; wordStart?: number } = {}): PositionContext {
    const ipython = options.ipython === true;
    if (ipython !== this.ipython) this.points = [];
    // A checkpoint depends only on the text before it: keep those before the first change.
    const same = commonPrefixLength(this.text, text);
    let keep = this.points.length;
    while (keep > 0 && this.points[keep - 1].offset > same) keep--;
    this.points.length = keep;
    this.text = text;
    this.ipython = ipython;

    const lineStart = lineStartBefore(text, offset);
    let i = this.points.length - 1;
    while (i >= 0 && this.points[i].offset > lineStart) i--;
    const from = i >= 0 ? this.points[i] : undefined;
    this.lastRead = offset - (from?.offset ?? 0);
    const points = this.points;
    return positionContext(text, offset, {
      ...options,
      from,
      checkpoint: (c) => {
        const last = points.length ? points[points.length - 1].offset : 0;
        if (c.offset - last >= CHECKPOINT_SPACING) points.push(c);
      },
    });
  }
}

/** Length of the longest common prefix of `a` and `b`. */
function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  // Halve by whole slices first (string equality is a fast compare), then finish char by char.
  let lo = 0;
  let hi = n;
  while (hi - lo > 64) {
    const mid = (lo + hi) >>> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid;
  }
  while (lo < hi && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  return lo;
}


/**
 * False when going from `before` to `after` cannot have changed which modules the text imports:
 * the edit only typed or deleted identifier characters and spaces (which open or close no string,
 * bracket or comment), not next to a quote or backslash, on a line that is not, and does not
 * continue, an `import`/`from` statement.
 * True otherwise (then the imports must be read again). Linear, with no tokenizing.
 */
export function importsMayDiffer(before: string, after: string): boolean {
  if (before === after) return false;
  const p = commonPrefixLength(before, after);
  // Common suffix, not overlapping the prefix in either text.
  let s = 0;
  const max = Math.min(before.length, after.length) - p;
  while (s < max && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const removed = before.slice(p, before.length - s);
  const added = after.slice(p, after.length - s);
  const plain = /^[A-Za-z0-9_ \t]*$/;
  if (!plain.test(removed) || !plain.test(added)) return true;
  // Next to a quote or a backslash, a letter can split `"""`, make a string prefix or end an escape.
  const touchy = (c: number) => c === 34 || c === 39 || c === 92;
  if (touchy(before.charCodeAt(p - 1)) || touchy(before.charCodeAt(before.length - s)) || touchy(after.charCodeAt(after.length - s))) return true;
  // A keyword made or unmade (`return` → `retxurn`) can change how a broken bracket is recovered.
  const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  for (const [text, end] of [[before, before.length - s], [after, after.length - s]] as const) {
    let a = p;
    while (a > 0 && isWordChar(text.charCodeAt(a - 1))) a--;
    let b = end;
    while (b < text.length && isWordChar(text.charCodeAt(b))) b++;
    for (const word of text.slice(a, b).split(/[ \t]+/)) if (PYTHON_KEYWORDS.has(word) || PYTHON_SOFT_KEYWORDS.has(word)) return true;
  }
  // The edited line in both texts, and the line before it (a continued import names modules too).
  for (const text of [before, after]) {
    const start = lineStartBefore(text, p);
    const previous = start > 0 ? lineStartBefore(text, start - 1) : start;
    const endMatch = /\r\n|\n|\r|$/.exec(text.slice(p));
    const end = p + (endMatch?.index ?? 0);
    if (/\b(?:import|from)\b/.test(text.slice(previous, end))) return true;
  }
  return false;
}
