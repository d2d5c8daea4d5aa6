/**
 * A loss call's arguments: read once during the scan for its keyword names and extent (`readCall`),
 * parsed in full only when asked (`LazyCall`), from copies of the call's tokens (`CallTokens`).
 */
import * as tokens from '../python/tokenizer';
import type { CallArgument, CallInfo } from './types';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const { TK_COMMA, TK_DOUBLESTAR, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_STAR } = tokens;

/** Set by `readCall`: the read stopped at the call's closing bracket (not at a line end or the limit). */
export const callRead = { finished: false };

/**
 * Reads the argument list of a call whose `(` is token `open`, up to token `limit` (exclusive).
 * Returns the index where the read stopped (the closing bracket when `callRead.finished`). With
 * `args`, every argument is appended to it; with `keywordTokens`, the name token of every keyword
 * argument is. One loop for both, so that the eager read during the scan and the lazy parse of
 * `LazyCall` cannot disagree.
 */
export function readCall(
  kind: Uint8Array, start: Uint32Array, end: Uint32Array, text: string, open: number, limit: number,
  args: CallArgument[] | null, keywordTokens: number[] | null,
): number {
  let depth = 0;
  let argFirst = -1;
  let j = open + 1;
  let finished = false;
  for (; j < limit; j++) {
    const k = kind[j];
    if (k === TK_NEWLINE) break; // only after error recovery: the call was never closed
    if (depth === 0 && (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE)) {
      finishArgument(kind, start, end, text, argFirst, j - 1, args, keywordTokens);
      finished = true;
      break;
    }
    if (depth === 0 && k === TK_COMMA) {
      finishArgument(kind, start, end, text, argFirst, j - 1, args, keywordTokens);
      argFirst = -1;
      continue;
    }
    if (argFirst < 0) argFirst = j;
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
  }
  if (!finished && argFirst >= 0) finishArgument(kind, start, end, text, argFirst, Math.min(j, limit) - 1, args, keywordTokens);
  callRead.finished = finished;
  return j;
}

/** One argument, tokens `first`..`last`: appended to `args` and/or its keyword token to `keywordTokens`. */
function finishArgument(
  kind: Uint8Array, start: Uint32Array, end: Uint32Array, text: string, first: number, last: number,
  args: CallArgument[] | null, keywordTokens: number[] | null,
): void {
  if (first < 0 || last < first) return;
  const argStart = start[first];
  const argEnd = end[last];
  if (kind[first] === TK_NAME && kind[first + 1] === TK_EQUAL && first + 1 < last) {
    if (keywordTokens) keywordTokens.push(first);
    if (args) {
      const valueStart = start[first + 2];
      args.push({ kind: 'keyword', name: text.slice(argStart, end[first]), value: text.slice(valueStart, argEnd), start: argStart, end: argEnd, valueStart });
    }
  } else if (!args) {
    // Nothing else to note without an argument list.
  } else if ((kind[first] === TK_STAR || kind[first] === TK_DOUBLESTAR) && first < last) {
    const valueStart = start[first + 1];
    args.push({ kind: kind[first] === TK_STAR ? 'star' : 'doubleStar', value: text.slice(valueStart, argEnd), start: argStart, end: argEnd, valueStart });
  } else {
    args.push({ kind: 'positional', value: text.slice(argStart, argEnd), start: argStart, end: argEnd, valueStart: argStart });
  }
}

/** Copies of the tokens of one scan's calls (see `ScanUsages.finishCalls`). */
export class CallTokens {
  kind = new Uint8Array(0);
  start = new Uint32Array(0);
  end = new Uint32Array(0);
  constructor(readonly text: string) {}
}

/**
 * A loss call whose argument list is parsed on first access, from copies of its tokens. Reads the
 * same as a plain `CallInfo` (and serialises as one).
 */
export class LazyCall implements CallInfo {
  // Fields are declared (type-only) and assigned in the constructor: emitted as class fields they
  // were defined one by one on every instance, a measurable cost at 40,000 calls in a file.
  declare private readonly tokens: CallTokens;
  declare readonly openParen: number;
  declare readonly end: number;
  declare readonly closed: boolean;
  /** Index of `(` in the scan's tokens, then (after `finishCalls`) in `tokens`. */
  declare tokenOpen: number;
  /** Tokens of the call from `(` that its parse reads. */
  declare readonly tokenLength: number;
  declare private parsed: CallArgument[] | undefined;

  constructor(tokens: CallTokens, openParen: number, end: number, closed: boolean, tokenOpen: number, tokenLength: number) {
    this.tokens = tokens;
    this.openParen = openParen;
    this.end = end;
    this.closed = closed;
    this.tokenOpen = tokenOpen;
    this.tokenLength = tokenLength;
    this.parsed = undefined;
  }

  get arguments(): CallArgument[] {
    if (this.parsed === undefined) {
      const { kind, start, end, text } = this.tokens;
      this.parsed = [];
      readCall(kind, start, end, text, this.tokenOpen, this.tokenOpen + this.tokenLength, this.parsed, null);
    }
    return this.parsed;
  }

  get positionalCount(): number {
    let n = 0;
    for (const a of this.arguments) if (a.kind === 'positional') n++;
    return n;
  }

  get keywords(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of this.arguments) if (a.kind === 'keyword' && a.name !== undefined && a.name !== '__proto__') out[a.name] = a.value;
    return out;
  }

  toJSON(): CallInfo {
    return { openParen: this.openParen, end: this.end, closed: this.closed, positionalCount: this.positionalCount, keywords: this.keywords, arguments: this.arguments };
  }
}
