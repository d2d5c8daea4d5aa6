/**
 * A tolerant Python tokenizer: one linear pass over the source, no regular expressions on the hot
 * path, no exceptions, and tokens stored in typed arrays (kind, start, end) instead of objects.
 *
 * Why a hand-written tokenizer rather than a parser such as tree-sitter's Python grammar: the
 * detector only needs names, dots, brackets, `=`, commas and statement boundaries, and it must never
 * be confused by strings or comments. A tokenizer gets all of that exactly right (Python's lexical
 * grammar is small and regular), runs in one pass over the text (a few ms for 20,000 lines), and is
 * tolerant by construction: an unterminated string or bracket changes what follows, but never
 * throws. tree-sitter would give a full CST we do not use, and it has to be loaded as wasm (or a
 * native module per Electron ABI) in the extension host and in the CLI, which costs bundle size,
 * start-up time and a second code path for errors. See the header of `detector.ts` for the rest of
 * the design.
 *
 * What it implements from the Python lexical grammar: identifiers (Unicode XID, NFKC is applied
 * later by the detector), all string forms (single/triple quotes, any case/order of the r, b, u, f,
 * t prefixes, backslash escapes, f-string replacement fields with PEP 701 nesting of quotes),
 * numbers, operators, comments, explicit (`\`) and implicit (bracket) line joining, and NEWLINE
 * tokens at the end of logical lines. It does not emit INDENT/DEDENT (the detector does not need
 * them). Deliberate error recovery: a single-quoted string ends at the end of its physical line
 * (so one missing quote cannot swallow the file), and inside an unclosed bracket a statement-only
 * keyword (`def`, `class`, `import`, `return`…) at the start of a physical line closes all brackets.
 */

/** Token kinds. Plain numbers so the hot loops compare small integers. */
export const TK_NAME = 1;
export const TK_NUMBER = 2;
export const TK_STRING = 3;
/** Any operator the detector does not care about individually (`+`, `<`, `==`, `!=`, `~`…). */
export const TK_OP = 4;
export const TK_DOT = 5;
export const TK_LPAR = 6;
export const TK_RPAR = 7;
export const TK_LSQB = 8;
export const TK_RSQB = 9;
export const TK_LBRACE = 10;
export const TK_RBRACE = 11;
export const TK_COMMA = 12;
/** A single `=` (assignment, keyword argument, default value). */
export const TK_EQUAL = 13;
export const TK_COLON = 14;
export const TK_SEMI = 15;
/** `@` (decorator or matrix product). */
export const TK_AT = 16;
export const TK_STAR = 17;
export const TK_DOUBLESTAR = 18;
/** End of a logical line. Zero-width at the line break. */
export const TK_NEWLINE = 19;
/** `+=`, `-=`, `@=`, `**=`, … */
export const TK_AUGASSIGN = 20;
export const TK_ARROW = 21;
export const TK_ELLIPSIS = 22;
/** `:=` */
export const TK_WALRUS = 23;
/** A character that cannot start any token (stray `$`, `?`, a lone backslash, an emoji…). */
export const TK_ERROR = 24;

/** Flag bit: the token is the first one on its physical line. */
export const TF_LINE_START = 1;
/** Flag bit: a name token holding non-ASCII characters (it may change under NFKC normalisation). */
export const TF_NON_ASCII = 2;

/** Tokens of one source, as parallel typed arrays of length `count` (capacity may be larger). */
export interface TokenStream {
  count: number;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  flags: Uint8Array;
}

export interface TokenizeOptions {
  /**
   * Treat IPython syntax as comments: lines starting with `%` or `!` (magics and shell escapes)
   * and help lines ending in `?`. For notebook cells.
   */
  ipython?: boolean;
}

// Character codes used below.
const C_TAB = 9, C_LF = 10, C_FF = 12, C_CR = 13, C_SPACE = 32, C_BANG = 33, C_DQUOTE = 34, C_HASH = 35;
const C_PERCENT = 37, C_AMP = 38, C_SQUOTE = 39, C_LPAR = 40, C_RPAR = 41, C_STAR = 42, C_PLUS = 43;
const C_COMMA = 44, C_MINUS = 45, C_DOT = 46, C_SLASH = 47, C_0 = 48, C_9 = 57, C_COLON = 58, C_SEMI = 59;
const C_LT = 60, C_EQ = 61, C_GT = 62, C_QUESTION = 63, C_AT = 64, C_A = 65, C_Z = 90, C_LSQB = 91;
const C_BACKSLASH = 92, C_RSQB = 93, C_CARET = 94, C_UNDERSCORE = 95, C_a = 97, C_z = 122;
const C_LBRACE = 123, C_PIPE = 124, C_RBRACE = 125, C_TILDE = 126, C_BOM = 0xfeff, C_NBSP = 0xa0;

const ID_START = /[\p{XID_Start}_]/u;
const ID_CONTINUE = /\p{XID_Continue}/u;

/** Keywords that can only begin a statement, never appear inside brackets: used for recovery. */
/** Python's keywords (hard: never a name). */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Soft keywords: names everywhere except at the start of their statements. */
export const PYTHON_SOFT_KEYWORDS: ReadonlySet<string> = new Set(['match', 'case', 'type']);

const STATEMENT_ONLY_KEYWORDS = new Set([
  'def', 'class', 'import', 'from', 'return', 'pass', 'break', 'continue', 'raise', 'global',
  'nonlocal', 'del', 'assert', 'try', 'except', 'finally', 'while', 'with', 'elif',
]);

/** f-string replacement fields nest (PEP 701); past this depth they are scanned as plain text. */
const MAX_FSTRING_NESTING = 32;

function isAsciiIdStart(c: number): boolean {
  return (c >= C_a && c <= C_z) || (c >= C_A && c <= C_Z) || c === C_UNDERSCORE;
}

function isAsciiIdContinue(c: number): boolean {
  return (c >= C_a && c <= C_z) || (c >= C_A && c <= C_Z) || c === C_UNDERSCORE || (c >= C_0 && c <= C_9);
}

/** The code point at `i` and its length in UTF-16 units, for the non-ASCII slow path. */
function codePointAt(text: string, i: number): { cp: number; len: number } {
  const cp = text.codePointAt(i) ?? 0;
  return { cp, len: cp > 0xffff ? 2 : 1 };
}

/** True when `text[i..]` starts a Unicode identifier (slow path for non-ASCII). */
function isUnicodeIdStart(text: string, i: number): boolean {
  const { cp } = codePointAt(text, i);
  return ID_START.test(String.fromCodePoint(cp));
}

/**
 * Returns the end of the identifier starting at `i` (the first character is already known to be
 * an identifier start).
 */
let identifierWasNonAscii = false;

function scanIdentifier(text: string, i: number): number {
  const n = text.length;
  let j = i;
  identifierWasNonAscii = false;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c < 128) {
      if (!isAsciiIdContinue(c)) break;
      j++;
    } else {
      const { cp, len } = codePointAt(text, j);
      if (!ID_CONTINUE.test(String.fromCodePoint(cp))) break;
      identifierWasNonAscii = true;
      j += len;
    }
  }
  return j;
}

/**
 * If `text[i..j)` is a valid string prefix (combinations of r, b, u, f, t in any case, at most one
 * of each and no b with f/t/u), returns whether it makes an f-string (or t-string) — otherwise null.
 */
function stringPrefixKind(text: string, i: number, j: number): 'plain' | 'format' | null {
  const len = j - i;
  if (len < 1 || len > 2) return null;
  let r = 0, b = 0, u = 0, f = 0;
  for (let k = i; k < j; k++) {
    switch (text.charCodeAt(k) | 0x20) {
      case 0x72: r++; break; // r
      case 0x62: b++; break; // b
      case 0x75: u++; break; // u
      case 0x66: case 0x74: f++; break; // f, t (PEP 750 template strings lex like f-strings)
      default: return null;
    }
  }
  if (r > 1 || b > 1 || u > 1 || f > 1) return null;
  if (u && len > 1) return null;
  if (b && f) return null;
  return f ? 'format' : 'plain';
}

/** IPython help syntax on a whole line: `obj?`, `F.cross_entropy??`, `np.*load*?`. */
const HELP_LINE = /[\p{L}\p{N}_.*\[\]]+\?\??[ \t]*(?:\r|\n|$)/uy;

function isHelpLine(text: string, i: number): boolean {
  HELP_LINE.lastIndex = i;
  return HELP_LINE.test(text);
}

/** Returns the end of a number literal starting at `i` (loose: accepts any well-formed-ish run). */
function scanNumber(text: string, i: number): number {
  const n = text.length;
  let j = i;
  let prev = 0;
  while (j < n) {
    const c = text.charCodeAt(j);
    const isSign = (c === C_PLUS || c === C_MINUS) && (prev === 0x65 || prev === 0x45) &&
      // `0x1e+1` is hex 0x1e plus 1, not an exponent.
      !(text.charCodeAt(i) === C_0 && (text.charCodeAt(i + 1) | 0x20) === 0x78);
    if (isAsciiIdContinue(c) || c === C_DOT || isSign) {
      // `1..real` is not a thing, but `1.__class__` is `1.` then `__class__`: stop at a second dot.
      if (c === C_DOT && text.charCodeAt(j + 1) === C_DOT) break;
      prev = c;
      j++;
    } else {
      break;
    }
  }
  return j;
}

/** Growable token arrays. A class (not closures over `let`s) so the hot `push` is inlined. */
class TokenBuffer implements TokenStream {
  count = 0;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  flags: Uint8Array;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  push(k: number, s: number, e: number, f: number): void {
    const i = this.count;
    if (i === this.kind.length) this.grow();
    this.kind[i] = k;
    this.start[i] = s;
    this.end[i] = e;
    this.flags[i] = f;
    this.count = i + 1;
  }

  last(): number {
    return this.count > 0 ? this.kind[this.count - 1] : 0;
  }

  private grow(): void {
    const capacity = this.kind.length * 2;
    const k = new Uint8Array(capacity); k.set(this.kind); this.kind = k;
    const s = new Uint32Array(capacity); s.set(this.start); this.start = s;
    const e = new Uint32Array(capacity); e.set(this.end); this.end = e;
    const f = new Uint8Array(capacity); f.set(this.flags); this.flags = f;
  }
}

/**
 * Tokenizes Python source. Never throws; linear in the length of `text`.
 * `reuse` lends arrays from an earlier stream the caller no longer needs (saves garbage on rescans).
 */
export function tokenize(text: string, options: TokenizeOptions = {}, reuse?: TokenStream): TokenStream {
  const n = text.length;
  // Roughly one token per 4 characters in real code; grown by doubling.
  const wanted = Math.max(64, (n >> 2) + 16);
  let buf: TokenBuffer;
  if (reuse instanceof TokenBuffer && reuse.kind.length >= wanted >> 1) {
    buf = reuse;
    buf.count = 0;
  } else {
    buf = new TokenBuffer(wanted);
  }
  // Set by scanField when the enclosing string ended inside a replacement field.
  let stringEndedInField = false;

  /** The index after a backslash escape at `j` (`\r\n` counts as one character). */
  function skipEscape(j: number): number {
    return text.charCodeAt(j + 1) === C_CR && text.charCodeAt(j + 2) === C_LF ? j + 3 : j + 2;
  }

  /**
   * Scans a string body from `j` (just after the opening quote or quotes); returns the index after
   * the closing quote, or where an unterminated string stops.
   */
  function scanStringBody(j: number, q: number, triple: boolean, isFormat: boolean, nesting: number): number {
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === C_BACKSLASH) {
        j = skipEscape(j);
        continue;
      }
      if (c === q) {
        if (!triple) return j + 1;
        if (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q) return j + 3;
        j++;
        continue;
      }
      if ((c === C_LF || c === C_CR) && !triple) return j;
      if (c === C_LBRACE && isFormat) {
        if (text.charCodeAt(j + 1) === C_LBRACE) {
          j += 2;
          continue;
        }
        j = scanField(j + 1, q, triple, nesting + 1);
        if (stringEndedInField) {
          stringEndedInField = false;
          return j;
        }
        continue;
      }
      j++;
    }
    return n;
  }

  /** True when the outer string's closing delimiter starts at `j`. */
  function closesOuter(j: number, q: number, triple: boolean): boolean {
    if (text.charCodeAt(j) !== q) return false;
    return !triple || (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q);
  }

  /**
   * Scans an f-string replacement field from `j` (after `{`); returns the index after its `}`.
   * If the enclosing string ends inside the field (a newline in a single-quoted string, or its
   * closing quote in the format spec), sets `stringEndedInField` and returns the string's end.
   */
  function scanField(j: number, q: number, triple: boolean, nesting: number): number {
    let depth = 0;
    let inSpec = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if ((c === C_LF || c === C_CR) && !triple) {
        stringEndedInField = true;
        return j;
      }
      if (inSpec) {
        if (c === C_RBRACE) return j + 1;
        if (closesOuter(j, q, triple)) {
          stringEndedInField = true;
          return j + (triple ? 3 : 1);
        }
        if (c === C_LBRACE) {
          j = scanField(j + 1, q, triple, nesting + 1);
          if (stringEndedInField) return j;
          continue;
        }
        if (c === C_BACKSLASH) {
          j = skipEscape(j);
          continue;
        }
        j++;
        continue;
      }
      if (c === C_SQUOTE || c === C_DQUOTE) {
        // A nested string (PEP 701 allows the outer quote here). Past the nesting cap, or for
        // pre-3.12 code that reuses the outer quote to close the string, fall back to closing.
        if (nesting > MAX_FSTRING_NESTING && closesOuter(j, q, triple)) {
          stringEndedInField = true;
          return j + (triple ? 3 : 1);
        }
        j = scanNestedString(j, j, nesting);
        continue;
      }
      if (isAsciiIdStart(c)) {
        const e = scanIdentifier(text, j);
        const qc = text.charCodeAt(e);
        if ((qc === C_SQUOTE || qc === C_DQUOTE) && stringPrefixKind(text, j, e) !== null) {
          j = scanNestedString(j, e, nesting);
        } else {
          j = e;
        }
        continue;
      }
      if (c === C_LPAR || c === C_LSQB || c === C_LBRACE) depth++;
      else if (c === C_RPAR || c === C_RSQB) depth = depth > 0 ? depth - 1 : 0;
      else if (c === C_RBRACE) {
        if (depth === 0) return j + 1;
        depth--;
      } else if (c === C_COLON && depth === 0) {
        inSpec = true;
      } else if (c === C_BACKSLASH) {
        j = skipEscape(j);
        continue;
      }
      j++;
    }
    return n;
  }

  /** Scans a string inside an f-string field: prefix at `p`, opening quote at `qi`. */
  function scanNestedString(p: number, qi: number, nesting: number): number {
    const q = text.charCodeAt(qi);
    const triple = text.charCodeAt(qi + 1) === q && text.charCodeAt(qi + 2) === q;
    const isFormat = qi > p && stringPrefixKind(text, p, qi) === 'format' && nesting <= MAX_FSTRING_NESTING;
    return scanStringBody(qi + (triple ? 3 : 1), q, triple, isFormat, nesting);
  }

  /** Scans a whole string token whose prefix starts at `_prefixStart` (kept for the call sites' symmetry) and quote at `qi`; returns its end. */
  function scanString(_prefixStart: number, qi: number, isFormat: boolean): number {
    const q = text.charCodeAt(qi);
    const triple = text.charCodeAt(qi + 1) === q && text.charCodeAt(qi + 2) === q;
    stringEndedInField = false;
    const e = scanStringBody(qi + (triple ? 3 : 1), q, triple, isFormat, 0);
    stringEndedInField = false;
    return e;
  }

  const ipython = options.ipython === true;
  let depth = 0;
  let atLineStart = true;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);

    if (c === C_SPACE || c === C_TAB || c === C_FF || c === C_BOM || c === C_NBSP) {
      i++;
      continue;
    }
    if (c === C_LF || c === C_CR) {
      if (depth === 0 && buf.count > 0 && buf.last() !== TK_NEWLINE) buf.push(TK_NEWLINE, i, i, 0);
      i += c === C_CR && text.charCodeAt(i + 1) === C_LF ? 2 : 1;
      atLineStart = true;
      continue;
    }
    if (c === C_HASH) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === C_LF || d === C_CR) break;
        i++;
      }
      continue;
    }
    if (c === C_BACKSLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === C_LF || d === C_CR) {
        // Explicit line joining: the next physical line continues this logical line.
        i += d === C_CR && text.charCodeAt(i + 2) === C_LF ? 3 : 2;
        continue;
      }
      if (i + 1 === n) {
        i++;
        continue;
      }
      buf.push(TK_ERROR, i, i + 1, atLineStart ? TF_LINE_START : 0);
      atLineStart = false;
      i++;
      continue;
    }

    const lineStart = atLineStart && (buf.count === 0 || buf.last() === TK_NEWLINE);
    if (ipython && lineStart && depth === 0 && (c === C_PERCENT || c === C_BANG || c === C_QUESTION || isHelpLine(text, i))) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === C_LF || d === C_CR) break;
        i++;
      }
      continue;
    }
    const f = atLineStart ? TF_LINE_START : 0;
    atLineStart = false;

    if (isAsciiIdStart(c) || (c >= 128 && isUnicodeIdStart(text, i))) {
      const e = scanIdentifier(text, i);
      const qc = text.charCodeAt(e);
      if (qc === C_SQUOTE || qc === C_DQUOTE) {
        const prefix = stringPrefixKind(text, i, e);
        if (prefix !== null) {
          const se = scanString(i, e, prefix === 'format');
          buf.push(TK_STRING, i, se, f);
          i = se;
          continue;
        }
      }
      if (depth > 0 && f && e - i <= 8 && STATEMENT_ONLY_KEYWORDS.has(text.slice(i, e))) {
        // Recovery: an unclosed bracket cannot contain this statement; close everything.
        depth = 0;
        if (buf.count > 0 && buf.last() !== TK_NEWLINE) buf.push(TK_NEWLINE, i, i, 0);
      }
      buf.push(TK_NAME, i, e, identifierWasNonAscii || c >= 128 ? f | TF_NON_ASCII : f);
      i = e;
      continue;
    }
    if ((c >= C_0 && c <= C_9) || (c === C_DOT && text.charCodeAt(i + 1) >= C_0 && text.charCodeAt(i + 1) <= C_9)) {
      const e = scanNumber(text, i);
      buf.push(TK_NUMBER, i, e, f);
      i = e;
      continue;
    }
    if (c === C_SQUOTE || c === C_DQUOTE) {
      const se = scanString(i, i, false);
      buf.push(TK_STRING, i, se, f);
      i = se;
      continue;
    }

    const c1 = text.charCodeAt(i + 1);
    let k = TK_OP;
    let len = 1;
    switch (c) {
      case C_LPAR: k = TK_LPAR; depth++; break;
      case C_LSQB: k = TK_LSQB; depth++; break;
      case C_LBRACE: k = TK_LBRACE; depth++; break;
      case C_RPAR: k = TK_RPAR; if (depth > 0) depth--; break;
      case C_RSQB: k = TK_RSQB; if (depth > 0) depth--; break;
      case C_RBRACE: k = TK_RBRACE; if (depth > 0) depth--; break;
      case C_DOT:
        if (c1 === C_DOT && text.charCodeAt(i + 2) === C_DOT) { k = TK_ELLIPSIS; len = 3; } else k = TK_DOT;
        break;
      case C_COMMA: k = TK_COMMA; break;
      case C_SEMI: k = TK_SEMI; break;
      case C_COLON:
        if (c1 === C_EQ) { k = TK_WALRUS; len = 2; } else k = TK_COLON;
        break;
      case C_EQ:
        if (c1 === C_EQ) { k = TK_OP; len = 2; } else k = TK_EQUAL;
        break;
      case C_AT:
        if (c1 === C_EQ) { k = TK_AUGASSIGN; len = 2; } else k = TK_AT;
        break;
      case C_STAR:
        if (c1 === C_STAR) {
          if (text.charCodeAt(i + 2) === C_EQ) { k = TK_AUGASSIGN; len = 3; } else { k = TK_DOUBLESTAR; len = 2; }
        } else if (c1 === C_EQ) { k = TK_AUGASSIGN; len = 2; } else k = TK_STAR;
        break;
      case C_MINUS:
        if (c1 === C_GT) { k = TK_ARROW; len = 2; } else if (c1 === C_EQ) { k = TK_AUGASSIGN; len = 2; }
        break;
      case C_SLASH:
        if (c1 === C_SLASH) {
          if (text.charCodeAt(i + 2) === C_EQ) { k = TK_AUGASSIGN; len = 3; } else len = 2;
        } else if (c1 === C_EQ) { k = TK_AUGASSIGN; len = 2; }
        break;
      case C_LT: case C_GT:
        if (c1 === c) {
          if (text.charCodeAt(i + 2) === C_EQ) { k = TK_AUGASSIGN; len = 3; } else len = 2;
        } else if (c1 === C_EQ) len = 2;
        else if (c === C_LT && c1 === C_GT) len = 2; // `<>` (Barry as FLUFL)
        break;
      case C_PLUS: case C_PERCENT: case C_AMP: case C_PIPE: case C_CARET:
        if (c1 === C_EQ) { k = TK_AUGASSIGN; len = 2; }
        break;
      case C_BANG:
        if (c1 === C_EQ) len = 2; else k = TK_ERROR;
        break;
      case C_TILDE:
        break;
      default:
        k = TK_ERROR;
        // Keep surrogate pairs whole so no token boundary splits a character.
        if (c >= 0xd800 && c <= 0xdbff && c1 >= 0xdc00 && c1 <= 0xdfff) len = 2;
    }
    buf.push(k, i, i + len, f);
    i += len;
  }
  if (buf.count > 0 && buf.last() !== TK_NEWLINE) buf.push(TK_NEWLINE, n, n, 0);
  return buf;
}
