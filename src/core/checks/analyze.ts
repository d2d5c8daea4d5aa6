/**
 * Paper-aware checks over one Python source (or notebook cell), on top of the detector's scan:
 * which losses are called, on what, with which arguments. Pure and synchronous; never throws.
 */
import type { SourceScan } from '../detect/detector';
import type { LossUsage } from '../detect/types';
import { RULES_BY_ID } from './rules';
import { TK_DOT, TK_EQUAL, TK_LPAR, TK_NAME, TK_NEWLINE, TokenView, type Arg, type ProbabilityCall } from './tokens';
import type { Finding, QuickFix, Severity, TextEdit } from './types';

const CE = new Set(['torch.nn.CrossEntropyLoss', 'torch.nn.functional.cross_entropy']);
const KL = new Set(['torch.nn.KLDivLoss', 'torch.nn.functional.kl_div']);
const BCE = new Set(['torch.nn.BCELoss', 'torch.nn.functional.binary_cross_entropy']);
const BCE_LOGITS = new Set(['torch.nn.BCEWithLogitsLoss', 'torch.nn.functional.binary_cross_entropy_with_logits']);
const NLL = new Set(['torch.nn.NLLLoss', 'torch.nn.functional.nll_loss']);
const KERAS_CE = new Set([
  'keras.losses.CategoricalCrossentropy', 'keras.losses.SparseCategoricalCrossentropy', 'keras.losses.BinaryCrossentropy',
  'keras.losses.categorical_crossentropy', 'keras.losses.sparse_categorical_crossentropy', 'keras.losses.binary_crossentropy',
]);
/** Output sizes at or above this make the logits dominate memory (LLM vocabularies start around 32k). */
export const LARGE_VOCAB = 32_000;

/** Where a loss is applied to tensors: a function call, or a call of a constructed loss module. */
interface Application {
  usage: LossUsage;
  /** The prediction argument (first positional, or `input=`). */
  input?: Arg;
  /** For module losses: the application's own argument list (the call of the instance). */
  viaInstance: boolean;
}

export interface CheckOptions {
  /** Notebook cell: IPython magics are comments. */
  ipython?: boolean;
}

/** Runs every rule over `text`. `scan` is the detector's result for the same text. */
export function checkSource(text: string, scan: SourceScan, options: CheckOptions = {}): Finding[] {
  try {
    return new Checker(text, scan, options).run();
  } catch {
    // A rule bug must never cost the user their other diagnostics or the hover.
    return [];
  }
}

class Checker {
  private readonly tv: TokenView;
  private readonly findings: Finding[] = [];
  /** Construction usage → the applications of the instance it creates. */
  private readonly applications: Application[] = [];
  private readonly instanceApplications = new Map<LossUsage, Application[]>();

  constructor(private readonly text: string, private readonly scan: SourceScan, options: CheckOptions) {
    this.tv = new TokenView(text, options.ipython === true);
  }

  run(): Finding[] {
    this.collectApplications();
    this.klDivMean();
    this.inputRules();
    this.kerasFromLogits();
    this.labelSmoothing();
    this.largeVocab();
    return this.findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  }

  // ---- applications ---------------------------------------------------------------------------

  private collectApplications(): void {
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call) continue;
      if (u.kind === 'function') {
        this.applications.push({ usage: u, input: inputArg(this.argsOf(u.call.openParen)), viaInstance: false });
        continue;
      }
      const apps: Application[] = [];
      const open = this.tv.indexAt(u.call.openParen);
      const close = this.tv.matching(open);
      // nn.BCELoss()(p, y): constructed and applied in one expression.
      if (close >= 0 && this.tv.kind(close + 1) === TK_LPAR) {
        apps.push({ usage: u, input: inputArg(this.tv.args(close + 1)?.args), viaInstance: true });
      }
      // criterion = nn.CrossEntropyLoss(...) / self.criterion = ...: every later call of that name.
      const target = this.assignmentTarget(u);
      if (target) for (const open2 of this.callsOf(target)) apps.push({ usage: u, input: inputArg(this.tv.args(open2)?.args), viaInstance: true });
      this.instanceApplications.set(u, apps);
      this.applications.push(...apps);
    }
  }

  private argsOf(openParenOffset: number): Arg[] | undefined {
    return this.tv.args(this.tv.indexAt(openParenOffset))?.args;
  }

  /** `name` or `self.name` when the usage's expression is the whole right-hand side of an assignment. */
  private assignmentTarget(u: LossUsage): { self: boolean; name: string } | undefined {
    const head = this.tv.indexAt(u.expressionStart);
    if (this.tv.kind(head - 1) !== TK_EQUAL) return undefined;
    const name = head - 2;
    if (this.tv.kind(name) !== TK_NAME) return undefined;
    if (this.tv.lineStart(name)) return { self: false, name: this.tv.str(name) };
    if (this.tv.kind(name - 1) === TK_DOT && this.tv.kind(name - 2) === TK_NAME && this.tv.lineStart(name - 2) && this.tv.str(name - 2) === 'self') {
      return { self: true, name: this.tv.str(name) };
    }
    return undefined;
  }

  /** Token indexes of `(` in calls `name(...)` or `self.name(...)`. */
  private callsOf(target: { self: boolean; name: string }): number[] {
    const out: number[] = [];
    for (let i = 0; i + 1 < this.tv.count; i++) {
      if (this.tv.kind(i) !== TK_NAME || this.tv.kind(i + 1) !== TK_LPAR || this.tv.str(i) !== target.name) continue;
      const dotted = this.tv.kind(i - 1) === TK_DOT;
      if (target.self ? dotted && this.tv.str(i - 2) === 'self' : !dotted) out.push(i + 1);
    }
    return out;
  }

  // ---- rules ----------------------------------------------------------------------------------

  private klDivMean(): void {
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call || !KL.has(u.qualifiedName)) continue;
      const args = this.argsOf(u.call.openParen) ?? [];
      const reduction = args.find((a) => a.name === 'reduction');
      if (args.some((a) => a.name === 'size_average' || a.name === 'reduce')) continue;
      let fix: QuickFix;
      if (reduction) {
        const value = this.text.slice(reduction.valueStart, reduction.end).trim();
        if (!/^(['"])mean\1$/.test(value)) continue;
        const quote = value[0];
        fix = { title: `Use reduction=${quote}batchmean${quote}`, preferred: true, edits: [{ start: reduction.valueStart, end: reduction.end, newText: `${quote}batchmean${quote}` }] };
      } else {
        fix = { title: 'Add reduction="batchmean"', preferred: true, edits: [this.insertKeyword(u.call.openParen, args, 'reduction="batchmean"')] };
      }
      const which = u.kind === 'class' ? `${u.identifier}()` : `${u.identifier}(...)`;
      this.add('kl-div-mean', u.start, u.end, u.conceptId,
        `${which} uses reduction='mean'${reduction ? '' : ' (the default)'}, which divides by the number of elements: the result is not the KL divergence. Use reduction='batchmean' (PyTorch docs: KLDivLoss).`,
        [fix]);
    }
  }

  /** Rules about what is fed to a loss: softmax/sigmoid before CE, BCE, BCE-with-logits, NLL, KL. */
  private inputRules(): void {
    for (const app of this.applications) {
      const qn = app.usage.qualifiedName;
      if (!app.input) continue;
      const prob = this.probabilityOf(app.input);
      if (!prob) continue;
      const { call, viaLine } = prob;
      const where = viaLine ? ` (assigned on line ${viaLine})` : '';
      const range = { start: app.input.valueStart, end: app.input.end };
      const unwrap = !viaLine && call.inner ? { start: range.start, end: range.end, newText: this.text.slice(call.inner.start, call.inner.end) } : undefined;

      if (KL.has(qn) && (call.kind === 'softmax' || call.kind === 'sigmoid')) {
        const fixes: QuickFix[] = [];
        if (!viaLine && call.kind === 'softmax') fixes.push({ title: `Use ${logName(call.name)}`, preferred: true, edits: [{ start: call.nameStart, end: call.nameEnd, newText: logName(call.name) }] });
        this.add('kl-div-input-not-log', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} expects log-probabilities as input, but this is ${call.name}(...)${where}. Pass log_softmax(...) instead (PyTorch docs: kl_div, "input … in log-probabilities").`, fixes);
      } else if (CE.has(qn) && call.kind === 'softmax') {
        this.add('softmax-before-ce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} applies log-softmax itself and expects logits, but this is ${call.name}(...)${where}: softmax is applied twice. Pass the logits (PyTorch docs: CrossEntropyLoss).`,
          unwrap ? [{ title: 'Pass the logits (remove the softmax)', preferred: true, edits: [unwrap] }] : []);
      } else if (BCE.has(qn) && call.kind === 'sigmoid') {
        this.add('sigmoid-before-bce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} on sigmoid(...)${where} is numerically unstable for large logits. Use ${app.usage.kind === 'class' ? 'BCEWithLogitsLoss' : 'binary_cross_entropy_with_logits'} on the logits (PyTorch docs: BCEWithLogitsLoss).`,
          unwrap ? this.bceFix(app, unwrap) : []);
      } else if (BCE_LOGITS.has(qn) && call.kind === 'sigmoid') {
        this.add('sigmoid-before-bce-with-logits', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} applies the sigmoid itself, but this is sigmoid(...)${where}: the sigmoid is applied twice. Pass the logits (PyTorch docs: BCEWithLogitsLoss).`,
          unwrap ? [{ title: 'Pass the logits (remove the sigmoid)', preferred: true, edits: [unwrap] }] : []);
      } else if (NLL.has(qn) && call.kind === 'softmax') {
        const fixes: QuickFix[] = viaLine ? [] : [{ title: `Use ${logName(call.name)}`, preferred: true, edits: [{ start: call.nameStart, end: call.nameEnd, newText: logName(call.name) }] }];
        this.add('log-softmax-nll-vs-ce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} expects log-probabilities, but this is ${call.name}(...)${where}. Use log_softmax, or cross_entropy on the logits (PyTorch docs: NLLLoss).`, fixes);
      }
    }
  }

  /** The BCE → BCE-with-logits fix: rename the loss and unwrap the sigmoid, when both are safe. */
  private bceFix(app: Application, unwrap: TextEdit): QuickFix[] {
    const u = app.usage;
    const dotted = u.expression.includes('.');
    if (!dotted) return [];
    if (u.kind === 'function' && u.identifier === 'binary_cross_entropy') {
      return [{ title: 'Use binary_cross_entropy_with_logits on the logits', preferred: true, edits: [{ start: u.start, end: u.end, newText: 'binary_cross_entropy_with_logits' }, unwrap] }];
    }
    if (u.kind === 'class' && u.identifier === 'BCELoss' && (this.instanceApplications.get(u)?.length ?? 0) === 1) {
      return [{ title: 'Use BCEWithLogitsLoss on the logits', preferred: true, edits: [{ start: u.start, end: u.end, newText: 'BCEWithLogitsLoss' }, unwrap] }];
    }
    return [];
  }

  /** softmax/sigmoid directly, or through a variable assigned from one in the same function. */
  private probabilityOf(arg: Arg): { call: ProbabilityCall; viaLine?: number } | undefined {
    const range = this.tv.range(arg.valueStart, arg.end);
    if (!range) return undefined;
    const direct = this.tv.probabilityCall(range[0], range[1]);
    if (direct) return { call: direct };
    if (range[0] !== range[1] || this.tv.kind(range[0]) !== TK_NAME) return undefined;
    const assigned = this.lastAssignment(this.tv.str(range[0]), range[0]);
    if (!assigned) return undefined;
    const call = this.tv.probabilityCall(assigned.first, assigned.last);
    return call ? { call, viaLine: this.lineOf(this.tv.start(assigned.first)) } : undefined;
  }

  /** The right-hand side [first, last] of the last `name = …` before token `before`, within its function. */
  private lastAssignment(name: string, before: number): { first: number; last: number } | undefined {
    const scopeStart = this.enclosingDefOffset(this.tv.start(before));
    for (let i = before - 1; i >= 0 && this.tv.start(i) >= scopeStart; i--) {
      if (!this.tv.isAssignmentTarget(i) || this.tv.str(i) !== name) continue;
      let last = i + 2;
      while (last + 1 < this.tv.count && this.tv.kind(last + 1) !== TK_NEWLINE) last++;
      return last >= i + 2 ? { first: i + 2, last } : undefined;
    }
    return undefined;
  }

  /** Offset of the `def` line enclosing `offset` (by indentation), or 0 at module level. */
  private enclosingDefOffset(offset: number): number {
    const lines = this.scan.lineStarts;
    const lineIdx = this.lineOf(offset) - 1;
    const indentOf = (l: number) => {
      const s = lines[l];
      let i = s;
      while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
      return { indent: i - s, blank: i >= this.text.length || this.text[i] === '\n' || this.text[i] === '\r' || this.text[i] === '#', at: i };
    };
    let current = indentOf(lineIdx).indent;
    for (let l = lineIdx - 1; l >= 0; l--) {
      const info = indentOf(l);
      if (info.blank || info.indent >= current) continue;
      if (/^(async\s+)?def\s/.test(this.text.slice(info.at, info.at + 10))) return lines[l];
      current = info.indent;
      if (current === 0) break;
    }
    return 0;
  }

  private kerasFromLogits(): void {
    const uses = this.scan.usages.filter((u) => u.role === 'call' && u.call && KERAS_CE.has(u.qualifiedName));
    if (uses.length === 0) return;
    const dense = this.lastDense();
    if (!dense || dense.activation !== 'linear') return;
    for (const u of uses) {
      const args = this.argsOf(u.call!.openParen) ?? [];
      const fromLogits = args.find((a) => a.name === 'from_logits');
      const value = fromLogits ? this.text.slice(fromLogits.valueStart, fromLogits.end).trim() : undefined;
      if (value !== undefined && value !== 'False') continue;
      const edit: TextEdit = fromLogits
        ? { start: fromLogits.valueStart, end: fromLogits.end, newText: 'True' }
        : this.insertKeyword(u.call!.openParen, args, 'from_logits=True');
      this.add('keras-from-logits', u.start, u.end, u.conceptId,
        `The model's output layer (Dense on line ${dense.line}) has no activation, so it outputs logits, but ${u.identifier} assumes probabilities unless from_logits=True (Keras docs: probabilistic losses).`,
        [{ title: 'Set from_logits=True', preferred: true, edits: [edit] }]);
    }
  }

  /** The last `Dense(...)` layer in the file and whether its activation is linear. */
  private lastDense(): { line: number; activation: 'linear' | 'other' } | undefined {
    for (let i = this.tv.count - 2; i >= 0; i--) {
      if (this.tv.kind(i) !== TK_NAME || this.tv.str(i) !== 'Dense' || this.tv.kind(i + 1) !== TK_LPAR) continue;
      const call = this.tv.args(i + 1);
      if (!call) return undefined;
      const act = call.args.find((a) => a.name === 'activation') ?? call.args.filter((a) => !a.name)[1];
      const value = act ? this.text.slice(act.valueStart, act.end).trim() : undefined;
      const linear = value === undefined || value === 'None' || /^(['"])linear\1$/.test(value);
      return { line: this.lineOf(this.tv.start(i)), activation: linear ? 'linear' : 'other' };
    }
    return undefined;
  }

  private labelSmoothing(): void {
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call || !CE.has(u.qualifiedName)) continue;
      const arg = (this.argsOf(u.call.openParen) ?? []).find((a) => a.name === 'label_smoothing');
      if (!arg) continue;
      const eps = this.text.slice(arg.valueStart, arg.end).trim();
      const n = Number(eps);
      const detail = Number.isFinite(n) && n > 0 && n <= 1 ? `the target class gets ${round(1 - n)} + ${eps}/K and every other class ${eps}/K` : 'the target class gets 1−ε+ε/K and every other class ε/K';
      this.add('label-smoothing-convention', arg.start, arg.end, u.conceptId,
        `label_smoothing=${eps} follows PyTorch's convention: ${detail} (K = number of classes), not ε/(K−1) as in some papers' code (PyTorch docs: CrossEntropyLoss).`, []);
    }
  }

  private largeVocab(): void {
    const vocab = this.largestLinearOutput();
    if (!vocab) return;
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !CE.has(u.qualifiedName)) continue;
      const f = this.add('large-vocab-ce', u.start, u.end, u.conceptId,
        `The logits come from nn.Linear(…, ${vocab.size.toLocaleString('en-US')}) (line ${vocab.line}): for every token, cross-entropy materialises ${vocab.size.toLocaleString('en-US')} logits and their gradient, which dominate memory. Cut Cross-Entropy (Wijmans et al., arXiv:2411.09009) computes the same loss in chunks; PaperLens can insert a verified chunked implementation.`, []);
      if (f) f.suggestedSnippet = 'cut-cross-entropy';
    }
  }

  /** The largest `Linear(in, out)` output size ≥ LARGE_VOCAB, resolving a NAME through `NAME = int`. */
  private largestLinearOutput(): { size: number; line: number } | undefined {
    let best: { size: number; line: number } | undefined;
    for (let i = 0; i + 1 < this.tv.count; i++) {
      if (this.tv.kind(i) !== TK_NAME || this.tv.str(i) !== 'Linear' || this.tv.kind(i + 1) !== TK_LPAR) continue;
      const call = this.tv.args(i + 1);
      if (!call) continue;
      const out = call.args.find((a) => a.name === 'out_features') ?? call.args.filter((a) => !a.name)[1];
      if (!out) continue;
      const range = this.tv.range(out.valueStart, out.end);
      if (!range || range[0] !== range[1]) continue;
      let size = this.tv.intValue(range[0]);
      if (size === undefined && this.tv.kind(range[0]) === TK_NAME) size = this.constantValue(this.tv.str(range[0]));
      if (size !== undefined && size >= LARGE_VOCAB && (!best || size > best.size)) best = { size, line: this.lineOf(this.tv.start(i)) };
    }
    return best;
  }

  /** The integer assigned to `name` by a statement `name = 50257` (last one in the file). */
  private constantValue(name: string): number | undefined {
    let value: number | undefined;
    for (let i = 0; i + 3 < this.tv.count; i++) {
      if (this.tv.isAssignmentTarget(i) && this.tv.str(i) === name && this.tv.kind(i + 3) === TK_NEWLINE) {
        value = this.tv.intValue(i + 2) ?? value;
      }
    }
    return value;
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** An edit adding `keyword=value` as the last argument of the call opened at `openParen`. */
  private insertKeyword(openParen: number, args: Arg[], text: string): TextEdit {
    const last = args[args.length - 1];
    return last ? { start: last.end, end: last.end, newText: `, ${text}` } : { start: openParen + 1, end: openParen + 1, newText: text };
  }

  private add(rule: string, start: number, end: number, conceptId: string, message: string, fixes: QuickFix[]): Finding | undefined {
    const info = RULES_BY_ID.get(rule);
    if (!info) return undefined;
    if (this.findings.some((f) => f.rule === rule && f.start === start)) return undefined;
    const a = this.position(start);
    const b = this.position(end);
    const finding: Finding = {
      rule, start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column,
      message, severity: info.defaultSeverity, source: info.source, conceptId, fixes,
    };
    this.findings.push(finding);
    return finding;
  }

  private lineOf(offset: number): number {
    const lines = this.scan.lineStarts;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.scan.lineStarts[line - 1] + 1 };
  }
}

function inputArg(args: Arg[] | undefined): Arg | undefined {
  if (!args) return undefined;
  return args.find((a) => !a.name) ?? args.find((a) => a.name === 'input');
}

function logName(name: string): string {
  return name === 'Softmax' ? 'LogSoftmax' : 'log_softmax';
}

function round(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

/** Applies edits (non-overlapping) to text, last first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** User settings for rules: disabled ids and severity overrides (`off` disables). */
export interface RuleSettings {
  disabled?: readonly string[];
  severity?: Readonly<Record<string, Severity | 'off'>>;
}

/** Which rules run, and at which severity, under the given settings. */
export function effectiveRules(settings: RuleSettings = {}): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const [id, info] of RULES_BY_ID) {
    const override = settings.severity?.[id];
    const disabled = settings.disabled?.includes(id) || override === 'off';
    if (disabled) continue;
    if (info.enabledByDefault || override !== undefined) out.set(id, override ?? info.defaultSeverity);
  }
  return out;
}

/** Filters findings to the enabled rules and applies severity overrides. */
export function applyRuleSettings(findings: readonly Finding[], settings: RuleSettings = {}): Finding[] {
  const rules = effectiveRules(settings);
  return findings.filter((f) => rules.has(f.rule)).map((f) => ({ ...f, severity: rules.get(f.rule)! }));
}

/**
 * Applies preferred fixes one at a time, re-checking after each, until none is left (bounded).
 * `check` runs the rules on a text.
 */
export function applyAllFixes(text: string, check: (text: string) => Finding[], maxRounds = 100): string {
  let current = text;
  for (let round = 0; round < maxRounds; round++) {
    const fix = check(current).flatMap((f) => f.fixes.filter((x) => x.preferred))[0];
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}
