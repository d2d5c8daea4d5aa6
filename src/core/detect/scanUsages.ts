/**
 * The scanner's state and how it records what it finds: the token arrays of one scan, name tests,
 * and the usages (library, hand-written, strings, keyword parameters) with their calls. The passes
 * that find them extend this class: `scanBindings.ts` → `scanFunctions.ts` → `scanReferences.ts`.
 */
import * as tokens from '../python/tokenizer';
import type { TokenStream } from '../python/tokenizer';
import { lineColumn } from '../text/lineIndex';
import { normalizeName } from '../python/imports';
import type { IndexedIdentifier, LossIndex } from './lossIndex';
import type { Framework } from '../concepts/types';
import { CallTokens, LazyCall, callRead, readCall } from './calls';
import type { ScanScope } from './sourceScan';
import { MAX_CALL_TOKENS, mentionsLossWord, scratchArrays, stringContent } from './scanSupport';
import type { LossUsage, UsageHow, UsageKind, UsageRole } from './types';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const { TK_COLON, TK_COMMA, TK_LBRACE, TK_LPAR, TK_NAME, TK_NEWLINE, TK_RPAR, TK_SEMI, TK_STRING } = tokens;

/** The state of one scan and the usages it records. */
export class ScanUsages {
  protected readonly kind: Uint8Array;
  protected readonly start: Uint32Array;
  protected readonly end: Uint32Array;
  protected readonly flags: Uint8Array;
  protected readonly count: number;
  /** 1 for tokens that belong to an import statement (not references). */
  protected readonly skip: Uint8Array;
  readonly usages: LossUsage[] = [];
  protected readonly lineStarts: Uint32Array;
  /** Token steps taken so far, by the passes and the walks (`ScanOptions.work`). */
  visits = 0;

  constructor(
    protected readonly text: string,
    protected readonly tokens: TokenStream,
    protected readonly index: LossIndex,
    protected readonly scope: ScanScope,
    lineStarts: Uint32Array,
  ) {
    this.kind = tokens.kind;
    this.start = tokens.start;
    this.end = tokens.end;
    this.flags = tokens.flags;
    this.count = tokens.count;
    this.skip = scratchArrays.bytes(tokens.count);
    this.lineStarts = lineStarts;
    this.callTokens = new CallTokens(text);
  }

  protected name(i: number): string {
    return normalizeName(this.text.slice(this.start[i], this.end[i]));
  }

  /**
   * True when `name`, met in a library's module the registry does not list (a backend, a re-export:
   * `ops.categorical_crossentropy`, `from fvcore.nn import giou_loss`), names a library loss: the
   * name of one (the last component of a registry identifier) or a name with a loss word, that its
   * words name without doubt. `path`: the module path, whose metrics modules hold metrics.
   */
  protected namesLibraryLoss(name: string, path: string): boolean {
    if (/metric/i.test(path) || !(this.index.mayEndWith(name) || mentionsLossWord(name))) return false;
    return this.index.lexicon.conceptOf(name, 'attribute') !== undefined;
  }

  protected isName(i: number, value: string): boolean {
    return i < this.count && this.kind[i] === TK_NAME && this.end[i] - this.start[i] === value.length &&
      this.text.startsWith(value, this.start[i]);
  }

  protected isStatementStart(i: number): boolean {
    if (i === 0) return true;
    const k = this.kind[i - 1];
    return k === TK_NEWLINE || k === TK_SEMI;
  }

  /**
   * Characters between the start of the line holding token `i` and the token: the indentation when
   * the token starts its line. A binary search of the line starts, not a walk back to the line
   * start, which made a long single-line file (minified or generated Python) quadratic.
   */
  protected indentOf(i: number): number {
    return lineColumn(this.lineStarts, this.start[i]).column - 1;
  }

  protected addUsage(headToken: number, identifierToken: number, resolvedName: string, hit: IndexedIdentifier, role: UsageRole | null): void {
    this.push(headToken, identifierToken, resolvedName, hit.qualifiedName, hit.conceptId, hit.framework, hit.kind, role, 'library');
  }

  protected addHandwrittenUsage(headToken: number, identifierToken: number, resolvedName: string, conceptId: string, kind: 'class' | 'function', role: UsageRole | null, how: UsageHow): void {
    this.push(headToken, identifierToken, resolvedName, this.name(identifierToken), conceptId, 'handwritten', kind, role, how);
  }

  /** A usage that is not a name token (a string's contents): a reference. */
  protected pushAt(start: number, end: number, identifier: string, resolvedName: string, qualifiedName: string, conceptId: string, framework: Framework, kind: UsageKind, role: UsageRole, how: UsageHow): void {
    const { line, column } = lineColumn(this.lineStarts, start);
    this.usages.push({ start, end, line, column, endColumn: column + (end - start), identifier, expression: identifier, expressionStart: start, resolvedName, qualifiedName, conceptId, framework, kind, role, how });
  }

  /** Records a usage; with `role` null, it is a call when `(` follows the identifier, else a reference. */
  protected push(
    headToken: number,
    identifierToken: number,
    resolvedName: string,
    qualifiedName: string,
    conceptId: string,
    framework: Framework,
    kind: UsageKind,
    role: UsageRole | null,
    how: UsageHow,
  ): void {
    const start = this.start[identifierToken];
    const end = this.end[identifierToken];
    const { line, column } = lineColumn(this.lineStarts, start);
    const identifier = this.text.slice(start, end);
    const isCall = role === null && identifierToken + 1 < this.count && this.kind[identifierToken + 1] === TK_LPAR;
    const expression = headToken === identifierToken ? identifier : this.rawChain(headToken, identifierToken);
    const expressionStart = this.start[headToken];
    if (!isCall) {
      const usageRole = role ?? 'reference';
      this.usages.push({ start, end, line, column, endColumn: column + (end - start), identifier, expression, expressionStart, resolvedName, qualifiedName, conceptId, framework, kind, role: usageRole, how });
      // `{"bce": binary_crossentropy, …}`: an alias table's key that is the loss's own string alias
      // names the same loss as its value, in Keras code (a Keras or hand-written value). Beside
      // another library's class (`{"mse": nn.MSELoss}`) the key is an option's value.
      const kinds = this.kind;
      if ((framework === 'keras' || framework === 'tensorflow' || framework === 'handwritten') && headToken >= 3 && kinds[headToken - 1] === TK_COLON && kinds[headToken - 2] === TK_STRING && (kinds[headToken - 3] === TK_LBRACE || kinds[headToken - 3] === TK_COMMA)) {
        const key = stringContent(this.text, this.start[headToken - 2], this.end[headToken - 2]);
        const hit = key ? this.index.kerasString(key.text) : undefined;
        if (key && hit && hit.conceptId === conceptId) this.pushAt(key.start, key.end, key.text, key.text, hit.qualifiedName, hit.conceptId, hit.framework, hit.kind, 'reference', 'string');
      }
      return;
    }
    // The call is read first so that the usage is created whole (adding `call` afterwards cost
    // every call usage a second allocation for its property store).
    const call = this.readCallAt(identifierToken + 1);
    const usage: LossUsage = { start, end, line, column, endColumn: column + (end - start), identifier, expression, expressionStart, resolvedName, qualifiedName, conceptId, framework, kind, role: 'call', how, call };
    this.usages.push(usage);
    for (const a of this.keywordTokens) this.addParameterUsage(usage, this.text.slice(this.start[a], this.end[a]), this.start[a]);
  }

  /** Keyword-argument tokens of the call being read (reused between calls). */
  protected readonly keywordTokens: number[] = [];
  /** Calls of this scan whose arguments are read on demand, in the order they were found. */
  protected readonly lazyCalls: LazyCall[] = [];

  /**
   * Reads the call whose `(` is token `open` without building its argument list: where it ends,
   * whether it is closed, and its keyword names (left in `keywordTokens` for the parameter usages). The arguments
   * are parsed from a copy of the call's tokens when something asks for them (`LazyCall`): only a
   * hover and tests do, and building them for every call was half of a large file's scan time.
   */
  protected readCallAt(open: number): LazyCall {
    const { count, text } = this;
    const limit = Math.min(count, open + MAX_CALL_TOKENS);
    const keywordTokens = this.keywordTokens;
    keywordTokens.length = 0;
    const j = readCall(this.kind, this.start, this.end, text, open, limit, null, keywordTokens);
    this.visits += j - open;
    const closed = callRead.finished && this.kind[j] === TK_RPAR;
    const endOffset = closed ? this.end[j] : j < count ? this.start[j] : text.length;
    const call = new LazyCall(this.callTokens, this.start[open], endOffset, closed, open, Math.min(j + 1, limit) - open);
    this.lazyCalls.push(call);
    return call;
  }

  /** Token copies shared by this scan's calls; filled by `finishCalls`. */
  protected readonly callTokens: CallTokens;

  /**
   * Copies the tokens of every call into `callTokens` (overlapping ranges — a loss call inside a
   * loss call — once), so that the arguments can be parsed after the scratch token arrays have
   * been lent to the next scan.
   */
  finishCalls(): void {
    const calls = this.lazyCalls;
    if (calls.length === 0) return;
    // Found in token order already, except in unusual nestings; sort only then.
    let sorted = true;
    for (let c = 1; c < calls.length && sorted; c++) sorted = calls[c - 1].tokenOpen <= calls[c].tokenOpen;
    if (!sorted) calls.sort((a, b) => a.tokenOpen - b.tokenOpen);
    // Merge the ranges into segments, then copy each segment once.
    const segments = new Int32Array(2 * calls.length); // [start, end) pairs of token indices
    let segmentCount = 0;
    let segStart = calls[0].tokenOpen;
    let segEnd = segStart + calls[0].tokenLength;
    for (let c = 1; c < calls.length; c++) {
      const { tokenOpen, tokenLength } = calls[c];
      if (tokenOpen >= segEnd) {
        segments[segmentCount++] = segStart;
        segments[segmentCount++] = segEnd;
        segStart = tokenOpen;
      }
      segEnd = Math.max(segEnd, tokenOpen + tokenLength);
    }
    segments[segmentCount++] = segStart;
    segments[segmentCount++] = segEnd;
    let total = 0;
    for (let s = 0; s < segmentCount; s += 2) total += segments[s + 1] - segments[s];
    this.visits += total + calls.length;
    const store = this.callTokens;
    store.kind = new Uint8Array(total);
    store.start = new Uint32Array(total);
    store.end = new Uint32Array(total);
    let base = 0;
    let c = 0;
    for (let s = 0; s < segmentCount; s += 2) {
      const from = segments[s];
      const to = segments[s + 1];
      // A plain loop: segments are a few tokens long, and subarray() allocates three views per segment.
      for (let t = from, b = base; t < to; t++, b++) {
        store.kind[b] = this.kind[t];
        store.start[b] = this.start[t];
        store.end[b] = this.end[t];
      }
      for (; c < calls.length && calls[c].tokenOpen < to; c++) calls[c].tokenOpen = base + (calls[c].tokenOpen - from);
      base += to - from;
    }
  }

  /**
   * `label_smoothing=0.1` in a library loss call names the label-smoothing concept too. Only for a
   * library's loss, whose parameters the registry knows: the keywords of the project's own losses
   * are its switches (`DiceLoss(jaccard=True)`).
   */
  protected addParameterUsage(parent: LossUsage, name: string, start: number): void {
    if (parent.how !== 'library') return;
    const conceptId = this.index.parameterConcept(name);
    if (!conceptId || conceptId === parent.conceptId) return;
    const { line, column } = lineColumn(this.lineStarts, start);
    this.usages.push({
      start,
      end: start + name.length,
      line,
      column,
      endColumn: column + name.length,
      identifier: name,
      expression: name,
      expressionStart: start,
      resolvedName: `${parent.resolvedName}(${name}=…)`,
      qualifiedName: `${parent.qualifiedName}(${name}=…)`,
      conceptId,
      framework: parent.framework,
      kind: 'parameter',
      role: 'reference',
      how: 'library',
    });
  }

  /** The chain from `head` to `last` as written, without whitespace: `tf.keras.losses.Huber`. */
  protected rawChain(head: number, last: number): string {
    // Usually written without spaces (`tf.keras.losses.Huber`): then it is one slice.
    let length = last - head >> 1; // the dots
    this.visits += last - head;
    for (let j = head; j <= last; j += 2) length += this.end[j] - this.start[j];
    if (this.end[last] - this.start[head] === length) return this.text.slice(this.start[head], this.end[last]);
    const out: string[] = [];
    for (let j = head; j <= last; j += 2) out.push(this.text.slice(this.start[j], this.end[j]));
    return out.join('.');
  }
}
