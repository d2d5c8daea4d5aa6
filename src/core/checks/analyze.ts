/**
 * Paper-aware checks over one Python source (or notebook cell), on top of the detector's scan:
 * which losses are called, on what, with which arguments. Pure and synchronous; never throws.
 */
import type { SourceScan } from '../detect/detector';
import type { LossUsage } from '../detect/types';
import { FileModel, Flow, openOf as openIndex, splitTop, stringValue, type Origin, type Ref, type Scope, type Stmt, type Trace, type Workspace } from './flow';
import { FROM_LOGITS_CLASSES, type KerasLossNames } from './keras';
import { RULES_BY_ID } from './rules';
import { TK_COLON, TK_COMMA, TK_DOUBLESTAR, TK_RBRACE, TK_RPAR, TK_RSQB, TK_STAR } from '../python/tokenizer';
import { TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_STRING, TokenView, type Arg } from './tokens';
import type { Finding, QuickFix, Severity, TextEdit } from './types';

const CE = new Set(['torch.nn.CrossEntropyLoss', 'torch.nn.functional.cross_entropy']);
const KL = new Set(['torch.nn.KLDivLoss', 'torch.nn.functional.kl_div']);
const BCE = new Set(['torch.nn.BCELoss', 'torch.nn.functional.binary_cross_entropy']);
const BCE_LOGITS = new Set(['torch.nn.BCEWithLogitsLoss', 'torch.nn.functional.binary_cross_entropy_with_logits']);
const NLL = new Set(['torch.nn.NLLLoss', 'torch.nn.functional.nll_loss']);
/** Output sizes at or above this make the logits dominate memory (LLM vocabularies start around 32k). */
export const LARGE_VOCAB = 32_000;

/** Where a loss is applied to tensors: a function call, or a call of a constructed loss module. */
/** A Keras loss as passed to compile or applied: whether it reads y_pred as logits, and fixes. */
interface KerasLossSpec {
  label: string;
  conceptId: string;
  fromLogits: boolean;
  start: number;
  end: number;
  toLogits?: TextEdit;
  toProbabilities?: TextEdit;
}

/** A Keras loss with a from_logits argument (`keras.losses.SparseCategoricalCrossentropy`, `…binary_crossentropy`). */
function kerasFromLogitsName(u: LossUsage): boolean {
  const m = /^keras\.losses\.(\w+)$/.exec(u.qualifiedName);
  return m !== null && m[1] in FROM_LOGITS_CLASSES;
}

interface Application {
  usage: LossUsage;
  /** The prediction argument (first positional, or `input=`). */
  input?: Arg;
  /** For module losses: the application's own argument list (the call of the instance). */
  viaInstance: boolean;
  /** Token index of the application's `(`. */
  open: number;
}

export interface CheckOptions {
  /** Notebook cell: IPython magics are comments. */
  ipython?: boolean;
  /** Keras loss names for `compile(loss="…")`, from the registry (`kerasLossNames(concepts)`). */
  kerasNames?: KerasLossNames;
  /** The file's path, for following imports into `workspace`. */
  path?: string;
  /** Other files imports may resolve to (the CLI over a directory, the editor's open files). */
  workspace?: Workspace;
  /** How messages name a line of this text (`line 12`); notebooks joined from cells name the cell. */
  lineLabel?: (line: number) => string;
}

/** What reaches a loss's input, and how. */
interface Producer {
  kind: Origin['kind'];
  /** The producer as named in messages: `softmax(…)`, `nn.Softmax()`. */
  name: string;
  nameStart: number;
  nameEnd: number;
  /** Inline in the argument (fixes are safe only then). */
  inline: boolean;
  /** The tensor inside an inline producer, for the unwrap fix. */
  inner?: { start: number; end: number };
  /** Message suffix telling where it came from. */
  where: string;
}

/** Runs every rule over `text`. `scan` is the detector's result for the same text. */
export function checkSource(text: string, scan: SourceScan, options: CheckOptions = {}): Finding[] {
  // Every rule starts from a loss call, or (Keras) a compile(loss="…") that names its loss by string.
  if (!scan.usages.some((u) => u.role === 'call') && !/\.compile\s*\(/.test(text)) return [];
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

  private readonly model: FileModel;
  private readonly flow: Flow;

  constructor(private readonly text: string, private readonly scan: SourceScan, private readonly options: CheckOptions) {
    this.model = new FileModel(text, options.path, options.ipython === true);
    this.tv = this.model.tv;
    this.flow = new Flow(this.model, options.workspace);
  }

  run(): Finding[] {
    this.collectApplications();
    this.klDivMean();
    this.inputRules();
    this.kerasFromLogits();
    this.labelSmoothing();
    this.largeVocab();
    this.kdTemperature();
    this.lmUnshifted();
    return this.findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  }

  // ---- applications ---------------------------------------------------------------------------

  private collectApplications(): void {
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call) continue;
      if (u.kind === 'function') {
        this.applications.push({ usage: u, input: inputArg(this.argsOf(u.call.openParen)), viaInstance: false, open: this.tv.indexAt(u.call.openParen) });
        continue;
      }
      const apps: Application[] = [];
      const open = this.tv.indexAt(u.call.openParen);
      const close = this.tv.matching(open);
      // nn.BCELoss()(p, y): constructed and applied in one expression.
      if (close >= 0 && this.tv.kind(close + 1) === TK_LPAR) {
        apps.push({ usage: u, input: inputArg(this.tv.args(close + 1)?.args), viaInstance: true, open: close + 1 });
      }
      // criterion = nn.CrossEntropyLoss(...) / self.criterion = ...: every later call of that name.
      const target = this.assignmentTarget(u);
      if (target) for (const open2 of this.callsOf(target)) apps.push({ usage: u, input: inputArg(this.tv.args(open2)?.args), viaInstance: true, open: open2 });
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

  private callSitesByName: Map<string, number[]> | undefined;

  /**
   * Token indexes of `(` in calls `name(...)` or `self.name(...)`. The call sites of every name are
   * collected in one pass on first use: a pass per loss instance made a file of many
   * `x = nn.SomeLoss()` lines quadratic.
   */
  private callsOf(target: { self: boolean; name: string }): number[] {
    if (!this.callSitesByName) {
      const sites = new Map<string, number[]>();
      for (let i = 0; i + 1 < this.tv.count; i++) {
        if (this.tv.kind(i) !== TK_NAME || this.tv.kind(i + 1) !== TK_LPAR) continue;
        const name = this.tv.str(i);
        const list = sites.get(name);
        if (list) list.push(i);
        else sites.set(name, [i]);
      }
      this.callSitesByName = sites;
    }
    const out: number[] = [];
    for (const i of this.callSitesByName.get(target.name) ?? []) {
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
      if (!(KL.has(qn) || CE.has(qn) || BCE.has(qn) || BCE_LOGITS.has(qn) || NLL.has(qn))) continue;
      const p = this.producerOf(app.input);
      if (!p) continue;
      const { where } = p;
      const range = { start: app.input.valueStart, end: app.input.end };
      const unwrap = p.inline && p.inner ? { start: range.start, end: range.end, newText: this.text.slice(p.inner.start, p.inner.end) } : undefined;

      if (KL.has(qn) && (p.kind === 'softmax' || p.kind === 'sigmoid')) {
        const fixes: QuickFix[] = [];
        if (p.inline && p.kind === 'softmax') fixes.push({ title: `Use ${logName(p.name)}`, preferred: true, edits: [{ start: p.nameStart, end: p.nameEnd, newText: logName(p.name) }] });
        this.add('kl-div-input-not-log', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} expects log-probabilities as input, but this is ${p.name}${where}. Pass log_softmax(...) instead (PyTorch docs: kl_div, "input … in log-probabilities").`, fixes);
      } else if (CE.has(qn) && p.kind === 'softmax') {
        this.add('softmax-before-ce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} applies log-softmax itself and expects logits, but this is ${p.name}${where}: softmax is applied twice. Pass the logits (PyTorch docs: CrossEntropyLoss).`,
          unwrap ? [{ title: 'Pass the logits (remove the softmax)', preferred: true, edits: [unwrap] }] : []);
      } else if (BCE.has(qn) && p.kind === 'sigmoid') {
        this.add('sigmoid-before-bce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} on ${p.name}${where} is numerically unstable for large logits. Use ${app.usage.kind === 'class' ? 'BCEWithLogitsLoss' : 'binary_cross_entropy_with_logits'} on the logits (PyTorch docs: BCEWithLogitsLoss).`,
          unwrap ? this.bceFix(app, unwrap) : []);
      } else if (BCE_LOGITS.has(qn) && p.kind === 'sigmoid') {
        this.add('sigmoid-before-bce-with-logits', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} applies the sigmoid itself, but this is ${p.name}${where}: the sigmoid is applied twice. Pass the logits (PyTorch docs: BCEWithLogitsLoss).`,
          unwrap ? [{ title: 'Pass the logits (remove the sigmoid)', preferred: true, edits: [unwrap] }] : []);
      } else if (NLL.has(qn) && p.kind === 'softmax') {
        const fixes: QuickFix[] = p.inline ? [{ title: `Use ${logName(p.name)}`, preferred: true, edits: [{ start: p.nameStart, end: p.nameEnd, newText: logName(p.name) }] }] : [];
        this.add('log-softmax-nll-vs-ce', range.start, range.end, app.usage.conceptId,
          `${app.usage.identifier} expects log-probabilities, but this is ${p.name}${where}. Use log_softmax, or cross_entropy on the logits (PyTorch docs: NLLLoss).`, fixes);
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

  /** The reference for an argument's expression in the checked file. */
  private refOf(start: number, end: number): Ref | undefined {
    const range = this.tv.range(start, end);
    if (!range) return undefined;
    return { file: this.model, scope: this.model.scopeAt(range[0]), first: range[0], last: range[1] };
  }

  /** What produced an argument: inline softmax/sigmoid, or followed through variables, models and calls. */
  private producerOf(arg: Arg): Producer | undefined {
    const ref = this.refOf(arg.valueStart, arg.end);
    if (!ref) return undefined;
    const direct = this.tv.probabilityCall(ref.first, ref.last);
    if (direct) return { kind: direct.kind, name: `${direct.name}(...)`, nameStart: direct.nameStart, nameEnd: direct.nameEnd, inline: true, inner: direct.inner, where: '' };
    const trace: Trace = { depth0: ref.first === ref.last && this.tv.kind(ref.first) === TK_NAME, scope: ref.scope };
    const origin = this.flow.origin(ref, trace);
    if (!origin || origin.kind === 'logits' || origin.kind === 'other') return undefined;
    return { kind: origin.kind, name: /\(…\)$/.test(origin.what) ? origin.what.replace('…', '...') : `\`${origin.what}\``, nameStart: origin.nameStart, nameEnd: origin.nameEnd, inline: false, where: this.whereText(origin, trace) };
  }

  /** ` (assigned on line 3)` or the chain: ` (\`v, p = model(x)\` on line 9: \`p\` is the output of \`nn.Softmax()\` at line 4)`. */
  private whereText(origin: Origin, trace: Trace): string {
    const at = this.lineText(origin.line, origin.file);
    const what = /\(…\)$/.test(origin.what) ? origin.what.replace('…', '...') : origin.what;
    if (trace.via) {
      if (origin.file === this.model && origin.line === trace.via.line && trace.via.direct) return ` (assigned on ${this.lineText(trace.via.line)})`;
      return ` (\`${clip(trace.via.text)}\` on ${this.lineText(trace.via.line)}: \`${trace.via.name}\` is the output of \`${what}\` at ${at})`;
    }
    if (trace.argOf) return ` (\`${trace.argOf.name}\` is passed by \`${clip(trace.argOf.call)}\` on ${this.lineText(trace.argOf.line)} and is the output of \`${what}\` at ${at})`;
    return ` (the output of \`${what}\` at ${at})`;
  }

  /**
   * keras-from-logits, per model: each `model.compile(loss=…)` is paired with that model's output
   * layer(s) (Sequential, functional `Model(inputs, outputs)`, subclassed `call`), and each Keras
   * loss object applied as `loss_fn(y_true, model(x))` with the model output it receives.
   */
  private kerasFromLogits(): void {
    const tv = this.tv;
    for (let i = 2; i + 1 < tv.count; i++) {
      if (tv.str(i) !== 'compile' || tv.kind(i + 1) !== TK_LPAR || tv.kind(i - 1) !== TK_DOT) continue;
      let f = i - 2;
      while (f >= 2 && tv.kind(f - 1) === TK_DOT && tv.kind(f - 2) === TK_NAME) f -= 2;
      if (tv.kind(f) !== TK_NAME) continue;
      const model = this.flow.evaluate({ file: this.model, scope: this.model.scopeAt(i), first: f, last: i - 2 });
      if (!model) continue;
      const outputs = this.flow.origins(this.flow.output(model));
      if (!outputs.some((o) => o)) continue;
      const call = tv.args(i + 1);
      const lossArg = call?.args.find((a) => a.name === 'loss') ?? call?.args.filter((a) => !a.name)[1];
      const range = lossArg ? tv.range(lossArg.valueStart, lossArg.end) : undefined;
      if (!range) continue;
      const [a, b] = range;
      if ((tv.kind(a) === TK_LSQB || tv.kind(a) === TK_LPAR) && tv.matching(a) === b) {
        // One loss per output, in order.
        splitTop(tv, a + 1, b - 1, TK_COMMA).forEach(([x, y], k) => {
          const spec = this.kerasLossSpec(x, y);
          if (spec && outputs[k]) this.kerasPair(outputs[k]!, spec);
        });
      } else if (tv.kind(a) === TK_LBRACE && tv.matching(a) === b) {
        // {"output_name": loss}: outputs by their layer's name=.
        for (const [x, y] of splitTop(tv, a + 1, b - 1, TK_COMMA)) {
          const colon = splitTop(tv, x, y, TK_COLON);
          if (colon.length !== 2) continue;
          const key = stringValue(this.model.textOf(colon[0][0], colon[0][1]));
          const out = outputs.find((o) => o?.layerName !== undefined && o.layerName === key);
          const spec = this.kerasLossSpec(colon[1][0], colon[1][1]);
          if (spec && out) this.kerasPair(out, spec);
        }
      } else {
        const spec = this.kerasLossSpec(a, b);
        if (spec) for (const o of outputs) if (o) this.kerasPair(o, spec);
      }
    }
    // Custom training loops: loss_fn(y_true, y_pred) with y_pred a model output.
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call || !kerasFromLogitsName(u)) continue;
      const ctorOpen = this.tv.indexAt(u.call.openParen);
      const spec = this.kerasLossSpec(this.tv.indexAt(u.expressionStart), this.tv.matching(ctorOpen));
      if (!spec) continue;
      const opens: number[] = [];
      if (u.kind === 'function') opens.push(ctorOpen);
      else {
        const close = this.tv.matching(ctorOpen);
        if (close >= 0 && this.tv.kind(close + 1) === TK_LPAR) opens.push(close + 1);
        const target = this.assignmentTarget(u);
        if (target) opens.push(...this.callsOf(target));
      }
      for (const open of opens) {
        const args = this.tv.args(open)?.args ?? [];
        const pred = args.find((x) => x.name === 'y_pred') ?? args.filter((x) => !x.name)[1];
        const ref = pred ? this.refOf(pred.valueStart, pred.end) : undefined;
        const origin = ref ? this.flow.origin(ref) : undefined;
        if (origin) this.kerasPair(origin, spec);
      }
    }
  }

  /** A Keras loss as written: a string name, a constructed loss, a function, or a variable holding one. */
  private kerasLossSpec(first: number, last: number, depth = 0): KerasLossSpec | undefined {
    const tv = this.tv;
    if (first === last && tv.kind(first) === TK_STRING) {
      const name = stringValue(tv.str(first));
      const known = name !== undefined ? this.options.kerasNames?.get(name) : undefined;
      if (!known?.fromLogitsClass) return undefined;
      const prefix = this.kerasLossesPrefix();
      return {
        label: `loss=${tv.str(first)}`, conceptId: known.conceptId, fromLogits: false, start: tv.start(first), end: tv.end(first),
        toLogits: prefix ? { start: tv.start(first), end: tv.end(first), newText: `${prefix}.${known.fromLogitsClass}(from_logits=True)` } : undefined,
      };
    }
    const u = this.scan.usages.find((x) => x.expressionStart === tv.start(first) && (x.role === 'call' || x.role === 'reference') && kerasFromLogitsName(x));
    if (u) {
      if (u.role === 'reference' || !u.call) {
        return u.kind === 'function' && tv.end(last) === u.end ? { label: u.expression, conceptId: u.conceptId, fromLogits: false, start: u.start, end: u.end } : undefined;
      }
      const args = this.argsOf(u.call.openParen) ?? [];
      const fl = args.find((a) => a.name === 'from_logits');
      const value = fl ? this.text.slice(fl.valueStart, fl.end).trim() : 'False';
      const fromLogits = value === 'True' ? true : value === 'False' ? false : undefined;
      if (fromLogits === undefined) return undefined;
      const call = u.call;
      const set = (v: string): TextEdit => (fl ? { start: fl.valueStart, end: fl.end, newText: v } : this.insertKeyword(call.openParen, args, `from_logits=${v}`));
      return { label: `${u.identifier}(${fl ? `from_logits=${value}` : ''})`, conceptId: u.conceptId, fromLogits, start: u.start, end: u.end, toLogits: set('True'), toProbabilities: set('False') };
    }
    if (depth < 4 && first === last && tv.kind(first) === TK_NAME) {
      for (let s: Scope | undefined = this.model.scopeAt(first); s; s = s.parent) {
        const as = this.model.assignments.filter((a) => a.stmt.scope === s && a.stmt.first < first && a.targets.some((t) => t.name === tv.str(first) && t.index < 0));
        const a = as[as.length - 1];
        if (a) return this.kerasLossSpec(a.rhsFirst, a.rhsLast, depth + 1);
      }
    }
    return undefined;
  }

  /** The module path to write `….losses.X` with, from the file's imports (`keras`, `tf.keras`, `losses`). */
  private kerasLossesPrefix(): string | undefined {
    for (const [local, imp] of this.model.imports) {
      if (imp.name === undefined && imp.module === 'keras') return `${local}.losses`;
      if (imp.name === 'keras' && (imp.module === 'tensorflow' || imp.module === 'tf_keras')) return `${local}.losses`;
    }
    for (const [local, imp] of this.model.imports) {
      if (imp.name === 'losses' && /^(keras|tensorflow\.keras|tf_keras)$/.test(imp.module)) return local;
      if (imp.name === undefined && imp.module === 'tensorflow') return `${local}.keras.losses`;
    }
    return undefined;
  }

  private kerasPair(out: Origin, spec: KerasLossSpec): void {
    const at = `\`${out.what}\` on ${this.lineText(out.line, out.file)}`;
    if (out.kind === 'logits' && !spec.fromLogits) {
      this.add('keras-from-logits', spec.start, spec.end, spec.conceptId,
        `The model's output layer ${at} has no activation, so it outputs logits, but ${spec.label} assumes probabilities unless from_logits=True (Keras docs: probabilistic losses).`,
        spec.toLogits ? [{ title: 'Set from_logits=True', preferred: true, edits: [spec.toLogits] }] : []);
    } else if ((out.kind === 'softmax' || out.kind === 'sigmoid') && spec.fromLogits) {
      this.add('keras-from-logits', spec.start, spec.end, spec.conceptId,
        `The model's output layer ${at} already applies ${out.kind}, but ${spec.label} treats its output as logits and applies ${out.kind} again (Keras docs: probabilistic losses, from_logits).`,
        spec.toProbabilities ? [{ title: 'Set from_logits=False', preferred: true, edits: [spec.toProbabilities] }] : []);
    }
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
    for (const app of this.applications) {
      const u = app.usage;
      if (!CE.has(u.qualifiedName)) continue;
      // The logits' layer: an nn.Linear of this file, or followed from the input (other files too).
      let size = vocab?.size;
      let where = vocab ? this.lineText(vocab.line) : '';
      if (!vocab && app.input) {
        const ref = this.refOf(app.input.valueStart, app.input.end);
        const origin = ref ? this.flow.origin(ref) : undefined;
        if (!origin || origin.kind !== 'logits' || origin.size === undefined || origin.size < LARGE_VOCAB) continue;
        size = origin.size;
        where = this.lineText(origin.line, origin.file);
      }
      if (size === undefined) continue;
      const n = size.toLocaleString('en-US');
      const f = this.add('large-vocab-ce', u.start, u.end, u.conceptId,
        `The logits come from nn.Linear(…, ${n}) (${where}): for every token, cross-entropy materialises ${n} logits and their gradient, which dominate memory. Cut Cross-Entropy (Wijmans et al., arXiv:2411.09009) computes the same loss in chunks; PaperLens can insert a verified chunked implementation.`, []);
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

  // ---- kd-temperature-squared ------------------------------------------------------------------

  /**
   * A distillation term: KL (or soft-target cross-entropy) between student and teacher outputs both
   * divided by a temperature, that is never multiplied by T² (Hinton et al., 2015, §2).
   */
  private kdTemperature(): void {
    for (const app of this.applications) {
      const qn = app.usage.qualifiedName;
      const isKl = KL.has(qn);
      if (!isKl && !CE.has(qn)) continue;
      const args = this.tv.args(app.open)?.args ?? [];
      const positional = args.filter((a) => !a.name);
      const input = args.find((a) => a.name === 'input') ?? positional[0];
      const target = args.find((a) => a.name === 'target') ?? positional[1];
      if (!input || !target) continue;
      // KL: log_softmax(s / T) against softmax(t / T). Soft-target CE: (s / T) against softmax(t / T).
      const student = isKl ? this.temperatureOf(input, ['log_softmax', 'softmax']) : this.divisionIn(input);
      const teacher = this.temperatureOf(target, isKl ? ['softmax', 'log_softmax'] : ['softmax']);
      if (!student || !teacher) continue;
      const t = student.divisor;
      if (/^\d/.test(t) && Number(t) <= 1) continue;
      if (this.scaledBySquare(app)) continue;
      const callee = this.calleeRange(app);
      const close = this.tv.matching(app.open);
      const next = this.tv.kind(close + 1);
      const prev = this.tv.str(this.tv.indexAt(callee.start) - 1);
      const canFix = student.inline && /^[A-Za-z_][\w.]*$/.test(t) && next !== TK_DOT && next !== TK_LSQB && next !== TK_LPAR && !['/', '**', '%', '@', '//'].includes(prev);
      const fixes: QuickFix[] = canFix
        ? [{ title: `Multiply the distillation term by ${t} ** 2`, preferred: true, edits: [{ start: this.tv.end(close), end: this.tv.end(close), newText: ` * ${t} ** 2` }] }]
        : [];
      this.add('kd-temperature-squared', callee.start, callee.end, app.usage.conceptId,
        `This distillation term compares student and teacher outputs divided by the temperature \`${t}\`${student.line ? ` (${this.lineText(student.line)})` : ''} but is not multiplied by ${t} ** 2: its gradients shrink as 1/T², so the soft targets lose weight against the hard-label loss as T grows. Hinton et al. (2015, §2, arXiv:1503.02531): "it is important to multiply them by T²".`,
        fixes);
    }
  }

  /** The callee of an application: `F.kl_div` for a function, the instance name (`kl`, `self.kd`) otherwise. */
  private calleeRange(app: Application): { start: number; end: number } {
    if (!app.viaInstance) return { start: app.usage.start, end: app.usage.end };
    const name = app.open - 1;
    return this.tv.kind(name) === TK_NAME ? { start: this.tv.start(name), end: this.tv.end(name) } : { start: app.usage.start, end: app.usage.end };
  }

  /** `softmax(x / T)` (or a log form) reaching the argument, directly or followed: the divisor text. */
  private temperatureOf(arg: Arg, kinds: Origin['kind'][]): { divisor: string; inline: boolean; line?: number } | undefined {
    const ref = this.refOf(arg.valueStart, arg.end);
    if (!ref) return undefined;
    const direct = this.tv.probabilityCall(ref.first, ref.last);
    if (direct) {
      if (!kinds.includes(direct.kind) || !direct.inner) return undefined;
      const d = this.divisorIn(this.model, direct.inner.start, direct.inner.end);
      return d ? { divisor: d, inline: true } : undefined;
    }
    const origin = this.flow.origin(ref);
    if (!origin || !kinds.includes(origin.kind) || !origin.inner) return undefined;
    const d = this.divisorIn(origin.file, origin.inner.start, origin.inner.end);
    return d ? { divisor: d, inline: false, line: origin.file === this.model ? origin.line : undefined } : undefined;
  }

  /** `s / T` as the argument itself, or in the variable's assignment in this function. */
  private divisionIn(arg: Arg): { divisor: string; inline: boolean; line?: number } | undefined {
    const d = this.divisorIn(this.model, arg.valueStart, arg.end);
    if (d) return { divisor: d, inline: true };
    const ref = this.refOf(arg.valueStart, arg.end);
    if (!ref || ref.first !== ref.last || this.tv.kind(ref.first) !== TK_NAME) return undefined;
    const name = this.tv.str(ref.first);
    const as = this.model.assignments.filter((a) => a.stmt.scope === ref.scope && a.stmt.first < ref.first && a.targets.some((t) => t.name === name && t.index < 0));
    const a = as[as.length - 1];
    if (!a) return undefined;
    const d2 = this.divisorIn(this.model, this.tv.start(a.rhsFirst), this.tv.end(a.rhsLast));
    return d2 ? { divisor: d2, inline: false, line: this.model.lineOf(this.tv.start(a.rhsFirst)) } : undefined;
  }

  /** The divisor of a top-level `/` in file text [start, end): `T`, `self.temperature`, `4.0`. */
  private divisorIn(file: FileModel, start: number, end: number): string | undefined {
    const tv = file.tv;
    const range = tv.range(start, end);
    if (!range) return undefined;
    let depth = 0;
    for (let i = range[0]; i <= range[1]; i++) {
      const k = tv.kind(i);
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
      else if (depth === 0 && tv.str(i) === '/' && i < range[1]) {
        let j = i + 1;
        if (tv.kind(j) === TK_LPAR) {
          const close = tv.matching(j);
          return close > 0 && close <= range[1] ? file.textOf(j + 1, close - 1).replace(/\s/g, '') : undefined;
        }
        while (j + 2 <= range[1] && tv.kind(j + 1) === TK_DOT) j += 2;
        return file.textOf(i + 1, j).replace(/\s/g, '');
      }
    }
    return undefined;
  }

  /**
   * True when the application's statement, a later statement of its function using the variable it
   * is assigned to, or (when it is returned) the statement calling the function, squares something:
   * `* T ** 2`, `* T * T`, `pow(T, 2)`, `T.pow(2)`, `* T2`-style names are not recognised.
   */
  private scaledBySquare(app: Application): boolean {
    const file = this.model;
    const stmt = file.stmtAt(app.open);
    if (!stmt) return false;
    const scope = stmt.scope;
    const squares = (s: Stmt) => hasSquare(file, s.first, s.last);
    if (squares(stmt)) return true;
    const assigned = file.assignments.find((a) => a.stmt === stmt);
    const names = assigned ? assigned.targets.map((t) => t.name) : [];
    let returned = file.tv.str(stmt.first) === 'return';
    for (const s of scope.stmts) {
      if (s.first <= stmt.first) continue;
      let uses = false;
      for (let i = s.first; i <= s.last && !uses; i++) if (file.tv.kind(i) === TK_NAME && names.includes(file.textOf(i, i))) uses = true;
      if (!uses) continue;
      if (squares(s)) return true;
      if (file.tv.str(s.first) === 'return') returned = true;
      const a = file.assignments.find((x) => x.stmt === s);
      if (a) names.push(...a.targets.map((t) => t.name));
    }
    if (!returned || scope.kind !== 'def') return false;
    // Returned: the callers decide. Unknown callers → cannot tell, stay quiet.
    const cls = scope.parent?.kind === 'class' ? scope.parent : undefined;
    const calls = this.callSites(scope, cls);
    if (calls.length === 0) return true;
    return calls.some((i) => {
      const s = file.stmtAt(i);
      if (!s) return false;
      if (squares(s)) return true;
      const a = file.assignments.find((x) => x.stmt === s);
      if (!a) return false;
      const vs = a.targets.map((t) => t.name);
      return s.scope.stmts.some((t) => t.first > s.first && squares(t) && rangeMentions(file, t.first, t.last, vs));
    });
  }

  /** Token indexes of calls of function `fn` (`fn(...)`, or `self.fn(...)` within its class). */
  private callSites(fn: Scope, cls?: Scope): number[] {
    const tv = this.tv;
    const out: number[] = [];
    this.callsOf({ self: false, name: fn.name }); // fills callSitesByName
    for (const i of this.callSitesByName?.get(fn.name) ?? []) {
      if (tv.str(i - 1) === 'def') continue;
      if (cls) {
        if (tv.kind(i - 1) === TK_DOT && tv.str(i - 2) === 'self' && this.model.classOf(this.model.scopeAt(i)) === cls) out.push(i);
      } else if (tv.kind(i - 1) !== TK_DOT) out.push(i);
    }
    return out;
  }

  // ---- lm-logits-unshifted ---------------------------------------------------------------------

  /** Causal-LM cross-entropy of a model's logits against the very tokens fed to it, neither shifted. */
  private lmUnshifted(): void {
    for (const app of this.applications) {
      if (!CE.has(app.usage.qualifiedName)) continue;
      const args = this.tv.args(app.open)?.args ?? [];
      const positional = args.filter((a) => !a.name);
      const input = args.find((a) => a.name === 'input') ?? positional[0];
      const target = args.find((a) => a.name === 'target') ?? positional[1];
      if (!input || !target) continue;
      const inRef = this.refOf(input.valueStart, input.end);
      const tgRef = this.refOf(target.valueStart, target.end);
      if (!inRef || !tgRef) continue;
      const inBase = stripReshape(this.tv, inRef.first, inRef.last);
      const tgBase = stripReshape(this.tv, tgRef.first, tgRef.last);
      // Only sequence logits that are flattened or transposed for the loss, and plain names.
      if (!inBase.reshaped || inBase.first !== inBase.last || tgBase.first !== tgBase.last) continue;
      if (this.tv.kind(inBase.first) !== TK_NAME || this.tv.kind(tgBase.first) !== TK_NAME) continue;
      const logits = this.aliasRoot({ ...inRef, first: inBase.first, last: inBase.last }, 0);
      const labels = this.aliasRoot({ ...tgRef, first: tgBase.first, last: tgBase.last }, 0);
      if (!logits?.call || !labels || logits.call.input.key !== labels.key) continue;
      // Models that reconstruct their input on purpose (autoencoders, masked/denoising encoders).
      if (this.reconstructs(logits.call.callee)) continue;
      const callee = this.calleeRange(app);
      const fixes: QuickFix[] = [];
      const inView = viewCall(this.tv, inRef.first, inRef.last);
      const tgView = viewCall(this.tv, tgRef.first, tgRef.last);
      if (inView && tgView) {
        fixes.push({
          title: 'Shift: logits[..., :-1, :] against labels[..., 1:]', preferred: true,
          edits: [
            { start: this.tv.end(inRef.first), end: this.tv.end(inView), newText: '[..., :-1, :].reshape' },
            { start: this.tv.end(tgRef.first), end: this.tv.end(tgView), newText: '[..., 1:].reshape' },
          ],
        });
      }
      const lbl = this.tv.str(tgBase.first);
      this.add('lm-logits-unshifted', callee.start, callee.end, app.usage.conceptId,
        `The targets \`${lbl}\` are the tokens the model was given (\`${clip(logits.call.text)}\` on ${this.lineText(logits.call.line, logits.call.file)}) and neither side is shifted: the logits at position t are trained to predict token t, which the model already sees, so it learns to copy its input and the loss falls fast while meaning nothing. Compare logits[..., :-1, :] with labels[..., 1:] (Hugging Face transformers, ForCausalLMLoss: "Shift so that tokens < n predict n").`,
        fixes);
    }
  }

  /** True when the called model is named like one that reconstructs its input (encoder, VAE, BERT, MLM, denoising). */
  private reconstructs(callee: Ref): boolean {
    const RECONSTRUCTS = /auto_?encoder|encoder|vae|bert|mlm|masked|denois|reconstruct/i;
    if (RECONSTRUCTS.test(callee.file.textOf(callee.first, callee.last))) return true;
    const v = this.flow.evaluate(callee);
    const cls = v?.t === 'instance' || v?.t === 'class' ? v.cls : v?.t === 'function' ? v.self : undefined;
    return cls !== undefined && RECONSTRUCTS.test(cls.name);
  }

  /**
   * Follows a name back through plain aliases (`y = x`, `y = x.clone()`), parameters (to the first
   * call site) and model calls (`logits = model(x)`, `model(x).logits`, `model(x)[0]`): a key naming
   * where the tensor was made, and for model outputs the key of the model's input.
   */
  private aliasRoot(ref: Ref, depth: number): { key: string; call?: { input: { key: string }; text: string; line: number; file: FileModel; callee: Ref } } | undefined {
    if (depth > 12) return undefined;
    const file = ref.file;
    const tv = file.tv;
    let { first, last } = ref;
    // Strip .logits / [0] / passthrough methods.
    for (;;) {
      if (tv.kind(last) === TK_NAME && tv.kind(last - 1) === TK_DOT && last - 2 >= first && ['logits', 'data'].includes(tv.str(last))) {
        last -= 2;
        continue;
      }
      if (tv.kind(last) === TK_RSQB) {
        const open = tv.matching(openIndex(tv, last, first));
        const o = openIndex(tv, last, first);
        if (open === last && o > first && o + 2 === last && tv.intValue(o + 1) === 0) {
          last = o - 1;
          continue;
        }
        break;
      }
      if (tv.kind(last) === TK_RPAR) {
        const o = openIndex(tv, last, first);
        if (o > first + 1 && tv.kind(o - 2) === TK_DOT && ['clone', 'detach', 'to', 'cuda', 'cpu', 'long', 'contiguous'].includes(tv.str(o - 1))) {
          last = o - 3;
          continue;
        }
        // A model call: its first positional argument (or input_ids=/idx=/x=).
        if (o > first) {
          const call = tv.args(o);
          const arg = call?.args.find((a) => a.name === 'input_ids' || a.name === 'idx') ?? call?.args.filter((a) => !a.name)[0];
          const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
          if (!range) return undefined;
          const input = this.aliasRoot({ ...ref, first: range[0], last: range[1] }, depth + 1);
          return input ? { key: `call@${file.path}:${o}`, call: { input, text: file.textOf(first, last), line: file.lineOf(tv.start(first)), file, callee: { ...ref, first, last: o - 1 } } } : undefined;
        }
      }
      break;
    }
    if (first !== last || tv.kind(first) !== TK_NAME) return { key: `expr@${file.path}:${first}-${last}` };
    const name = tv.str(first);
    const bound = ref.env?.get(name);
    if (bound) return this.aliasRoot(bound, depth + 1);
    for (let s: Scope | undefined = ref.scope; s; s = s.parent) {
      if (s.kind === 'class') continue;
      const as = file.assignments.filter((a) => a.stmt.scope === s && (s !== ref.scope || a.stmt.first < first) && a.targets.some((t) => t.name === name && t.index < 0));
      const a = as[as.length - 1];
      if (a) return this.aliasRoot({ file, scope: a.stmt.scope, first: a.rhsFirst, last: a.rhsLast }, depth + 1);
      if (s.kind === 'def' && s.params.includes(name)) {
        const cls = s.parent?.kind === 'class' ? s.parent : undefined;
        const site = this.callSites(s, cls)[0];
        if (site === undefined) return { key: `param@${file.path}:${s.first}:${name}` };
        const call = tv.args(site + 1);
        const offset = cls && s.params[0] === 'self' ? 1 : 0;
        const pos = s.params.indexOf(name) - offset;
        const arg = call?.args.find((x) => x.name === name) ?? call?.args.filter((x) => !x.name)[pos];
        const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
        if (!range) return { key: `param@${file.path}:${s.first}:${name}` };
        return this.aliasRoot({ file, scope: file.scopeAt(site), first: range[0], last: range[1] }, depth + 1);
      }
    }
    return { key: `global@${file.path}:${name}` };
  }

  /** `line 12`, `line 10 of models.py` for another file, or the caller's label (notebook cells). */
  private lineText(line: number, file: FileModel = this.model): string {
    if (file !== this.model) return `line ${line}${file.path ? ` of ${file.path.split(/[\\/]/).pop()}` : ''}`;
    return this.options.lineLabel ? this.options.lineLabel(line) : `line ${line}`;
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
  return name.startsWith('Softmax') ? 'LogSoftmax' : 'log_softmax';
}

/** `x ** 2`, `x**2.0`, `pow(x, 2)`, `x.pow(2)`, `x.square()` or `A * A` in tokens [first, last]. */
function hasSquare(file: FileModel, first: number, last: number): boolean {
  const tv = file.tv;
  for (let i = first; i <= last; i++) {
    const k = tv.kind(i);
    if (k === TK_DOUBLESTAR && /^2(\.0*)?$/.test(tv.str(i + 1))) return true;
    if (k === TK_NAME && tv.str(i) === 'square' && tv.kind(i + 1) === TK_LPAR) return true;
    if (k === TK_NAME && tv.str(i) === 'pow' && tv.kind(i + 1) === TK_LPAR) {
      const args = tv.args(i + 1)?.args ?? [];
      if (args.some((a) => /^2(\.0*)?$/.test(file.text.slice(a.valueStart, a.end).trim()))) return true;
    }
    if (k === TK_STAR && i > first && i < last) {
      // A * A with A a dotted name.
      let a = i - 1;
      while (a - 2 >= first && tv.kind(a - 1) === TK_DOT) a -= 2;
      let b = i + 1;
      while (b + 2 <= last && tv.kind(b + 1) === TK_DOT) b += 2;
      if (tv.kind(i - 1) === TK_NAME && tv.kind(i + 1) === TK_NAME && file.textOf(a, i - 1) === file.textOf(i + 1, b)) return true;
    }
  }
  return false;
}

/** True when tokens [first, last] mention one of `names` (dotted names compared as written). */
function rangeMentions(file: FileModel, first: number, last: number, names: string[]): boolean {
  for (let i = first; i <= last; i++) if (file.tv.kind(i) === TK_NAME && names.includes(file.tv.str(i))) return true;
  return false;
}

const RESHAPES = new Set(['view', 'reshape', 'flatten', 'contiguous', 'transpose', 'permute', 'float', 'long']);

/** Strips trailing `.view(…)`/`.reshape(…)`/`.flatten()`/`.transpose(…)` calls: the base tokens and whether any was a reshape. */
function stripReshape(tv: TokenView, first: number, last: number): { first: number; last: number; reshaped: boolean } {
  let reshaped = false;
  while (tv.kind(last) === TK_RPAR) {
    const o = openIndex(tv, last, first);
    if (o < first + 2 || tv.kind(o - 2) !== TK_DOT || !RESHAPES.has(tv.str(o - 1))) break;
    if (['view', 'reshape', 'flatten', 'transpose', 'permute'].includes(tv.str(o - 1))) reshaped = true;
    last = o - 3;
  }
  return { first, last, reshaped };
}

/** For `NAME.view(…)`/`NAME.reshape(…)`: the token index of `view`/`reshape`. */
function viewCall(tv: TokenView, first: number, last: number): number | undefined {
  if (tv.kind(first) !== TK_NAME || tv.kind(first + 1) !== TK_DOT || !['view', 'reshape'].includes(tv.str(first + 2)) || tv.kind(first + 3) !== TK_LPAR) return undefined;
  return tv.matching(first + 3) === last ? first + 2 : undefined;
}

function clip(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 77)}…`;
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
