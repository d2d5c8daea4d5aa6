/**
 * Token-level helpers for the checks: bracket matching, argument splitting and recognising the
 * few expression shapes the rules care about (`F.softmax(x, dim=1)`, `x.sigmoid()`,
 * `nn.Softmax(dim=1)(x)`). Built on the one Python tokenizer (`core/python/tokenizer`) so strings and comments never match.
 */
import {
  TF_LINE_START, TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_NUMBER,
  TK_RBRACE, TK_RPAR, TK_RSQB, TK_STRING, tokenize, type TokenStream,
} from '../python/tokenizer';

/** One argument of a call: whole range, value range, keyword name. */
export interface Arg {
  start: number;
  end: number;
  valueStart: number;
  name?: string;
}

/** A recognised "probability maker": softmax, sigmoid or their log forms, called on an input. */
export interface ProbabilityCall {
  kind: 'softmax' | 'sigmoid' | 'log_softmax' | 'logsigmoid';
  /** Offsets of the function/method/class name token (`softmax`, `Softmax`). */
  nameStart: number;
  nameEnd: number;
  /** The function name as written. */
  name: string;
  /** Offsets of the tensor the function is applied to (`x` in `F.softmax(x, 1)` or `x.softmax(1)`). */
  inner?: { start: number; end: number };
}

/**
 * The probability makers by name. A map of own names (an object literal also answered inherited
 * names such as `toString`, and looked up sliced names slowly); names of other lengths are
 * rejected before they are read from the text.
 */
const PROBABILITY_NAMES: ReadonlyMap<string, ProbabilityCall['kind']> = new Map([
  ['softmax', 'softmax'], ['Softmax', 'softmax'],
  ['sigmoid', 'sigmoid'], ['Sigmoid', 'sigmoid'],
  ['log_softmax', 'log_softmax'], ['LogSoftmax', 'log_softmax'],
  ['logsigmoid', 'logsigmoid'], ['LogSigmoid', 'logsigmoid'],
]);
const PROBABILITY_NAME_LENGTHS: ReadonlySet<number> = new Set([...PROBABILITY_NAMES.keys()].map((n) => n.length));

export class TokenView {
  readonly t: TokenStream;
  /**
   * Tokens read through this view (accessors and the loops of its own helpers): a measure of the
   * work an analysis did, which tests hold to a small multiple of the token count.
   */
  reads = 0;
  /** For each bracket, the index of its partner (any kind closes any kind), or -1; built on first use. */
  private pairs: Int32Array | undefined;

  /** `tokens`: the text's tokens when the caller has them (made with the same `ipython`). */
  constructor(readonly text: string, ipython = false, tokens?: TokenStream) {
    this.t = tokens ?? tokenize(text, { ipython });
  }

  /**
   * Bracket partners in one pass with a stack. Matching brackets by scanning for each query made
   * nested calls quadratic; this pairs every bracket exactly as the depth count did (a closing
   * bracket of any kind closes the innermost open one; unbalanced ones get -1).
   */
  private pairIndex(): Int32Array {
    if (this.pairs) return this.pairs;
    const n = this.t.count;
    const pairs = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.t.kind[i];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) stack.push(i);
      else if ((k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) && stack.length > 0) {
        const open = stack.pop()!;
        pairs[open] = i;
        pairs[i] = open;
      }
    }
    this.reads += n;
    this.pairs = pairs;
    return pairs;
  }

  get count(): number {
    return this.t.count;
  }

  kind(i: number): number {
    this.reads++;
    return i >= 0 && i < this.t.count ? this.t.kind[i] : 0;
  }

  start(i: number): number {
    return this.t.start[i];
  }

  end(i: number): number {
    return this.t.end[i];
  }

  str(i: number): string {
    this.reads++;
    return this.text.slice(this.t.start[i], this.t.end[i]);
  }

  /** True when token `i` is the name `word` (compared in place, without slicing the text). */
  isName(i: number, word: string): boolean {
    this.reads++;
    if (i < 0 || i >= this.t.count || this.t.kind[i] !== TK_NAME) return false;
    const start = this.t.start[i];
    return this.t.end[i] - start === word.length && this.text.startsWith(word, start);
  }

  lineStart(i: number): boolean {
    return (this.t.flags[i] & TF_LINE_START) !== 0;
  }

  /** Index of the first token starting at or after `offset`. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.t.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t.start[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the bracket closing the one at `open`, or -1 when unclosed (or not an opening bracket). */
  matching(open: number): number {
    if (open < 0 || open >= this.t.count) return -1;
    const k = this.t.kind[open];
    if (k !== TK_LPAR && k !== TK_LSQB && k !== TK_LBRACE) return -1;
    this.reads++;
    return this.pairIndex()[open];
  }

  /** Index of the bracket opening the one closing at `close`, when it is at or after `from`; else -1. */
  openOf(close: number, from: number): number {
    if (close < 0 || close >= this.t.count) return -1;
    const k = this.t.kind[close];
    if (k !== TK_RPAR && k !== TK_RSQB && k !== TK_RBRACE) return -1;
    this.reads++;
    const open = this.pairIndex()[close];
    return open >= from ? open : -1;
  }

  /** True when tokens [first, last] hold a top-level token of `kind` (outside any brackets). */
  hasTop(first: number, last: number, kind: number): boolean {
    const pairs = this.pairIndex();
    for (let i = first; i <= last; i++) {
      this.reads++;
      const k = this.t.kind[i];
      if (k === kind) return true;
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
        const close = pairs[i];
        if (close < 0 || close > last) return false;
        i = close;
      }
    }
    return false;
  }

  /** Splits tokens [first, last] at top-level tokens of `kind`, stepping over bracketed groups. */
  splitTop(first: number, last: number, kind: number): [number, number][] {
    const out: [number, number][] = [];
    const pairs = this.pairIndex();
    let start = first;
    for (let i = first; i <= last; i++) {
      this.reads++;
      const k = this.t.kind[i];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
        // An unclosed bracket (or one closing past `last`) holds the rest of the range.
        const close = pairs[i];
        i = close < 0 || close > last ? last : close;
      } else if (k === kind) {
        if (i - 1 >= start) out.push([start, i - 1]);
        start = i + 1;
      }
    }
    if (last >= start) out.push([start, last]);
    return out;
  }

  /**
   * Argument lists already split: `argSlot[open]` is 0 when the call opened at token `open` was not
   * split yet, else 1 + its place in `argLists` (a typed array by token: a map's lookups cost more
   * than the splitting they saved).
   */
  private argSlot: Int32Array | undefined;
  private readonly argLists: ({ args: Arg[]; close: number } | undefined)[] = [];

  /**
   * Splits the arguments of the call whose `(` is token `open`. Each list is split once: the rules
   * and the flow ask for the same calls' arguments many times (issue 23). The result is shared:
   * callers must not change it.
   */
  args(open: number): { args: Arg[]; close: number } | undefined {
    if (open < 0 || open >= this.t.count) return undefined;
    const slots = (this.argSlot ??= new Int32Array(this.t.count));
    const slot = slots[open];
    if (slot > 0) return this.argLists[slot - 1];
    const split = this.splitArgs(open);
    this.argLists.push(split);
    slots[open] = this.argLists.length;
    return split;
  }

  private splitArgs(open: number): { args: Arg[]; close: number } | undefined {
    const close = this.matching(open);
    if (close < 0) return undefined;
    const args: Arg[] = [];
    let first = open + 1;
    const pairs = this.pairIndex();
    // Each argument ends at a top-level comma or at the `)`; the last step (i = close) ends the last.
    for (let i = open + 1; i <= close; i++) {
      this.reads++;
      const k = this.t.kind[i];
      // Step over a bracketed group: its commas are not this call's.
      if (i < close && (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE)) i = Math.max(i, pairs[i]);
      else if (i === close || k === TK_COMMA) {
        const last = i - 1;
        if (last >= first) args.push(this.arg(first, last));
        first = i + 1;
      }
    }
    return { args, close };
  }

  /** The argument of tokens [first, last]: `name=value` or a value. */
  private arg(first: number, last: number): Arg {
    let valueStart = this.t.start[first];
    let name: string | undefined;
    if (this.kind(first) === TK_NAME && this.kind(first + 1) === TK_EQUAL && first + 2 <= last) {
      name = this.str(first);
      valueStart = this.t.start[first + 2];
    }
    return { start: this.t.start[first], end: this.t.end[last], valueStart, name };
  }

  /**
   * Recognises `[dotted.]softmax(x, …)`, `x.softmax(…)`, `[dotted.]Softmax(…)(x)` spanning exactly
   * the token range [from, to] (inclusive).
   */
  probabilityCall(from: number, to: number): ProbabilityCall | undefined {
    // Walk a dotted chain: NAME (DOT NAME)*, possibly with a call in the middle for `x.float().softmax(1)`.
    let i = from;
    if (this.kind(i) !== TK_NAME) return undefined;
    let lastName = i;
    let receiverEnd = -1;
    i++;
    while (i <= to && this.kind(i) === TK_DOT && this.kind(i + 1) === TK_NAME) {
      receiverEnd = i - 1;
      lastName = i + 1;
      i += 2;
    }
    // Only a called name is read from the text (most expressions asked about are not calls).
    if (this.kind(i) !== TK_LPAR || !PROBABILITY_NAME_LENGTHS.has(this.t.end[lastName] - this.t.start[lastName])) return undefined;
    const name = this.str(lastName);
    const kind = PROBABILITY_NAMES.get(name);
    if (!kind) return undefined;
    const call = this.args(i);
    if (!call) return undefined;
    const nameStart = this.t.start[lastName];
    const nameEnd = this.t.end[lastName];
    // One shape for every result (no spread copies: issue 23).
    const made = (inner: ProbabilityCall['inner']): ProbabilityCall => ({ kind, nameStart, nameEnd, name, inner });
    const isClass = /^[A-Z]/.test(name);
    if (isClass) {
      // nn.Softmax(dim=1)(x): the module is constructed, then applied.
      const apply = call.close + 1;
      if (this.kind(apply) !== TK_LPAR) return undefined;
      const applied = this.args(apply);
      if (!applied || applied.close !== to) return undefined;
      const x = applied.args.find((a) => !a.name);
      return made(x ? { start: x.start, end: x.end } : undefined);
    }
    if (call.close !== to) return undefined;
    const positional = call.args.find((a) => !a.name) ?? call.args.find((a) => a.name === 'input');
    const receiverIsModule = receiverEnd >= from && /^(F|functional|torch|nn|tf|jax|jnn|special)$/.test(this.str(receiverEnd));
    if (receiverEnd >= from && !receiverIsModule) {
      // Method form: x.softmax(dim=-1) — the receiver is the tensor.
      return made({ start: this.t.start[from], end: this.t.end[receiverEnd] });
    }
    return made(positional ? { start: positional.valueStart, end: positional.end } : undefined);
  }

  /** Token index range [first, last] covering exactly the offsets [start, end), or undefined. */
  range(start: number, end: number): [number, number] | undefined {
    const first = this.indexAt(start);
    let last = first;
    if (first >= this.t.count || this.t.start[first] !== start) return undefined;
    while (last + 1 < this.t.count && this.t.end[last + 1] <= end && this.t.kind[last + 1] !== TK_NEWLINE) {
      last++;
      this.reads++;
    }
    return this.t.end[last] === end ? [first, last] : undefined;
  }

  /** True when token `i` is a NAME and the tokens after it are `=` (simple assignment) at statement start. */
  isAssignmentTarget(i: number): boolean {
    return this.kind(i) === TK_NAME && this.lineStart(i) && this.kind(i + 1) === TK_EQUAL;
  }

  /** Integer value of a number token (`50_257`), or undefined. */
  intValue(i: number): number | undefined {
    if (this.kind(i) !== TK_NUMBER) return undefined;
    const s = this.str(i).replace(/_/g, '');
    return /^\d+$/.test(s) ? Number(s) : undefined;
  }

  isString(i: number): boolean {
    return this.kind(i) === TK_STRING;
  }
}

export { TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_NUMBER, TK_RPAR, TK_STRING };
