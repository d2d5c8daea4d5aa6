/**
 * The first syntax error of a Python file, found from tokens and indentation: unbalanced or
 * mismatched brackets, characters Python does not accept, unterminated strings, a compound
 * statement without `:`, and indentation that does not match a block. Not a full parser: it reports
 * the errors that make a file unreadable to the checks (so the CLI can say so instead of scanning
 * a broken file as if it were fine), with the line Python would report them at, and its wording.
 */
import {
  TK_COLON, TK_ERROR, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_SEMI, TK_STRING,
  type TokenStream,
} from '../python/tokenizer';
import { computeLineStarts, lineColumn } from '../text/lineIndex';
import { TokenView } from './tokens';

export interface PythonSyntaxError {
  /** 1-based line and column. */
  line: number;
  column: number;
  message: string;
}

const OPEN: Record<number, string> = { [TK_LPAR]: '(', [TK_LSQB]: '[', [TK_LBRACE]: '{' };
const CLOSE: Record<number, string> = { [TK_RPAR]: ')', [TK_RSQB]: ']', [TK_RBRACE]: '}' };
const PAIR: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** Compound statements' keywords: 2 to 7 letters. */
const COMPOUND = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally']);

/**
 * The first syntax error of `text`, or undefined. `shared`: the text's tokens (made without the
 * IPython option) and line starts, when the caller already has them.
 */
export function pythonSyntaxError(text: string, shared: { tokens?: TokenStream; lineStarts?: Uint32Array } = {}): PythonSyntaxError | undefined {
  const tv = new TokenView(text, false, shared.tokens);
  const lineStarts = shared.lineStarts ?? computeLineStarts(text);
  const pos = (offset: number) => lineColumn(lineStarts, offset);
  const at = (i: number, message: string): PythonSyntaxError => ({ ...pos(tv.start(i)), message });

  // Tokens: brackets, stray characters, strings.
  const stack: number[] = [];
  // Both passes read the token kinds in place: they visit every token of the file.
  const kinds = tv.t.kind;
  const n = tv.count;
  for (let i = 0; i < n; i++) {
    const k = kinds[i];
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) stack.push(i);
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
      const c = CLOSE[k];
      const open = stack.pop();
      if (open === undefined) return at(i, `unmatched '${c}'`);
      if (OPEN[tv.kind(open)] !== PAIR[c]) {
        const o = pos(tv.start(open));
        return at(i, `closing parenthesis '${c}' does not match opening parenthesis '${OPEN[tv.kind(open)]}'${o.line !== pos(tv.start(i)).line ? ` on line ${o.line}` : ''}`);
      }
    } else if (k === TK_ERROR) {
      const ch = tv.str(i);
      if (ch === '\\') continue;
      return at(i, `invalid character '${ch}'`);
    } else if (k === TK_STRING) {
      const q = unterminatedQuote(text, tv.start(i), tv.end(i));
      if (q > 0) return at(i, q === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal');
    }
  }
  if (stack.length) return at(stack[0], `'${OPEN[tv.kind(stack[0])]}' was never closed`);

  // Statements: compound headers need a colon; indentation must follow the blocks.
  const indents = [0];
  let expectBlock = false;
  let headerLine = 0;
  let first = 0;
  let prevLast = -1;
  // Statements start in order: the line of each is found by moving forward, not by a search.
  let line = 0;
  for (let i = 0; i <= n; i++) {
    const k = i < n ? kinds[i] : TK_NEWLINE;
    if (k !== TK_NEWLINE && k !== TK_SEMI) continue;
    const last = i - 1;
    if (last >= first) {
      const sameLine = prevLast >= 0 && kinds[first - 1] === TK_SEMI;
      if (!sameLine) {
        const start = tv.start(first);
        while (line + 1 < lineStarts.length && lineStarts[line + 1] <= start) line++;
        const indent = start - lineStarts[line];
        const top = indents[indents.length - 1];
        if (expectBlock) {
          if (indent <= top) return at(first, `expected an indented block after line ${headerLine}`);
          indents.push(indent);
        } else if (indent > top) return at(first, 'unexpected indent');
        else if (indent < top) {
          while (indents.length > 1 && indents[indents.length - 1] > indent) indents.pop();
          if (indents[indents.length - 1] !== indent) return at(first, 'unindent does not match any outer indentation level');
        }
      }
      const head = tv.isName(first, 'async') ? first + 1 : first;
      // Only a compound statement's header is searched for its colon.
      const headLength = tv.end(head) - tv.start(head);
      const compound = kinds[head] === TK_NAME && headLength >= 2 && headLength <= 7 && COMPOUND.has(tv.str(head));
      const colon = compound ? topLevelColon(tv, head, last) : -1;
      if (compound && colon < 0) return { ...pos(tv.end(last)), message: "expected ':'" };
      expectBlock = compound && colon === last;
      if (expectBlock) headerLine = pos(tv.start(first)).line;
      prevLast = last;
    }
    first = i + 1;
  }
  if (expectBlock) return { ...pos(text.length), message: `expected an indented block after line ${headerLine}` };
  return undefined;
}

function topLevelColon(tv: TokenView, first: number, last: number): number {
  let depth = 0;
  let lambdas = 0;
  for (let i = first; i <= last; i++) {
    const k = tv.kind(i);
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
    else if (depth === 0 && k === TK_NAME && tv.end(i) - tv.start(i) === 6 && tv.str(i) === 'lambda') lambdas++;
    else if (depth === 0 && k === TK_COLON) {
      if (lambdas > 0) lambdas--;
      else return i;
    }
  }
  return -1;
}

const C_SQUOTE = 39;
const C_DQUOTE = 34;
const C_BACKSLASH = 92;

/**
 * The string token `text[start, end)` read in place, with no copy or regular expression per string
 * (most of a file's strings are docstrings): its prefix letters (`rb`, `f`), its quote, then
 * whether the same quote closes it, not escaped. 0 when it is closed (or not a quoted
 * string), else the length of its unclosed quote: 1, or 3 for a triple-quoted string.
 */
function unterminatedQuote(text: string, start: number, end: number): number {
  let p = start;
  for (let c = text.charCodeAt(p); p < end && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)); c = text.charCodeAt(++p));
  if (p >= end) return 0;
  const quote = text.charCodeAt(p);
  if (quote !== C_SQUOTE && quote !== C_DQUOTE) return 0;
  const length = p + 2 < end && text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote ? 3 : 1;
  const body = p + length;
  if (end - body < length) return length;
  for (let j = end - length; j < end; j++) if (text.charCodeAt(j) !== quote) return length;
  // An odd run of backslashes before the closing quote escapes it.
  let slashes = 0;
  for (let j = end - length - 1; j >= body && text.charCodeAt(j) === C_BACKSLASH; j--) slashes++;
  return slashes % 2 === 1 ? length : 0;
}
