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
      const s = tv.str(i);
      const m = /^[A-Za-z]*('''|"""|'|")/.exec(s);
      if (!m) continue;
      const q = m[1];
      const body = s.slice(m[0].length);
      const closed = body.length >= q.length && body.endsWith(q) && !endsEscaped(body.slice(0, body.length - q.length));
      if (!closed) return at(i, q.length === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal');
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
      const compound = kinds[head] === TK_NAME && COMPOUND.has(tv.str(head));
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

function endsEscaped(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}
