/**
 * Rules about a loss's arguments: what is fed to it (softmax before cross-entropy, sigmoid before
 * BCE or BCE-with-logits, probabilities into NLL or KL), KL's `reduction='mean'`, PyTorch's
 * label-smoothing convention, and cross-entropy over a large vocabulary.
 */
import { TF_LINE_START, TK_EQUAL, TK_NAME, TK_NEWLINE } from '../python/tokenizer';
import { BCE, BCE_LOGITS, CE, clip, KL, NLL, type Application, type CheckRun } from './context';
import type { Origin, Trace } from './flow';
import type { Arg, TokenView } from './tokens';
import type { QuickFix, TextEdit } from './types';

/** Output sizes at or above this make the logits dominate memory (LLM vocabularies start around 32k). */
export const LARGE_VOCAB = 32_000;

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

export function klDivMean(run: CheckRun): void {
  for (const u of run.scan.usages) {
    if (u.role !== 'call' || !u.call || !KL.has(u.qualifiedName)) continue;
    const args = run.argsOf(u.call.openParen) ?? [];
    const reduction = args.find((a) => a.name === 'reduction');
    if (args.some((a) => a.name === 'size_average' || a.name === 'reduce')) continue;
    let fix: QuickFix;
    if (reduction) {
      const value = run.text.slice(reduction.valueStart, reduction.end).trim();
      if (!/^(['"])mean\1$/.test(value)) continue;
      const quote = value[0];
      fix = { title: `Use reduction=${quote}batchmean${quote}`, preferred: true, edits: [{ start: reduction.valueStart, end: reduction.end, newText: `${quote}batchmean${quote}` }] };
    } else {
      fix = { title: 'Add reduction="batchmean"', preferred: true, edits: [run.insertKeyword(u.call.openParen, args, 'reduction="batchmean"')] };
    }
    const which = u.kind === 'class' ? `${u.identifier}()` : `${u.identifier}(...)`;
    run.add('kl-div-mean', u.start, u.end, u.conceptId,
      `${which} uses reduction='mean'${reduction ? '' : ' (the default)'}, which divides by the number of elements: the result is not the KL divergence. Use reduction='batchmean' (PyTorch docs: KLDivLoss).`,
      [fix]);
  }
}

/** Rules about what is fed to a loss: softmax/sigmoid before CE, BCE, BCE-with-logits, NLL, KL. */
export function inputRules(run: CheckRun): void {
  for (const app of run.applications) {
    const qn = app.usage.qualifiedName;
    if (!app.input) continue;
    if (!(KL.has(qn) || CE.has(qn) || BCE.has(qn) || BCE_LOGITS.has(qn) || NLL.has(qn))) continue;
    const p = producerOf(run, app.input);
    if (!p) continue;
    const { where } = p;
    const range = { start: app.input.valueStart, end: app.input.end };
    const unwrap = p.inline && p.inner ? { start: range.start, end: range.end, newText: run.text.slice(p.inner.start, p.inner.end) } : undefined;

    if (KL.has(qn) && (p.kind === 'softmax' || p.kind === 'sigmoid')) {
      const fixes: QuickFix[] = [];
      if (p.inline && p.kind === 'softmax') fixes.push({ title: `Use ${logName(p.name)}`, preferred: true, edits: [{ start: p.nameStart, end: p.nameEnd, newText: logName(p.name) }] });
      run.add('kl-div-input-not-log', range.start, range.end, app.usage.conceptId,
        `${app.usage.identifier} expects log-probabilities as input, but this is ${p.name}${where}. Pass log_softmax(...) instead (PyTorch docs: kl_div, "input … in log-probabilities").`, fixes);
    } else if (CE.has(qn) && p.kind === 'softmax') {
      run.add('softmax-before-ce', range.start, range.end, app.usage.conceptId,
        `${app.usage.identifier} applies log-softmax itself and expects logits, but this is ${p.name}${where}: softmax is applied twice. Pass the logits (PyTorch docs: CrossEntropyLoss).`,
        unwrap ? [{ title: 'Pass the logits (remove the softmax)', preferred: true, edits: [unwrap] }] : []);
    } else if (BCE.has(qn) && p.kind === 'sigmoid') {
      run.add('sigmoid-before-bce', range.start, range.end, app.usage.conceptId,
        `${app.usage.identifier} on ${p.name}${where} is numerically unstable for large logits. Use ${app.usage.kind === 'class' ? 'BCEWithLogitsLoss' : 'binary_cross_entropy_with_logits'} on the logits (PyTorch docs: BCEWithLogitsLoss).`,
        unwrap ? bceFix(run, app, unwrap) : []);
    } else if (BCE_LOGITS.has(qn) && p.kind === 'sigmoid') {
      run.add('sigmoid-before-bce-with-logits', range.start, range.end, app.usage.conceptId,
        `${app.usage.identifier} applies the sigmoid itself, but this is ${p.name}${where}: the sigmoid is applied twice. Pass the logits (PyTorch docs: BCEWithLogitsLoss).`,
        unwrap ? [{ title: 'Pass the logits (remove the sigmoid)', preferred: true, edits: [unwrap] }] : []);
    } else if (NLL.has(qn) && p.kind === 'softmax') {
      const fixes: QuickFix[] = p.inline ? [{ title: `Use ${logName(p.name)}`, preferred: true, edits: [{ start: p.nameStart, end: p.nameEnd, newText: logName(p.name) }] }] : [];
      run.add('log-softmax-nll-vs-ce', range.start, range.end, app.usage.conceptId,
        `${app.usage.identifier} expects log-probabilities, but this is ${p.name}${where}. Use log_softmax, or cross_entropy on the logits (PyTorch docs: NLLLoss).`, fixes);
    }
  }
}

/** The BCE → BCE-with-logits fix: rename the loss and unwrap the sigmoid, when both are safe. */
function bceFix(run: CheckRun, app: Application, unwrap: TextEdit): QuickFix[] {
  const u = app.usage;
  const dotted = u.expression.includes('.');
  if (!dotted) return [];
  if (u.kind === 'function' && u.identifier === 'binary_cross_entropy') {
    return [{ title: 'Use binary_cross_entropy_with_logits on the logits', preferred: true, edits: [{ start: u.start, end: u.end, newText: 'binary_cross_entropy_with_logits' }, unwrap] }];
  }
  if (u.kind === 'class' && u.identifier === 'BCELoss' && (run.instanceApplications.get(u)?.length ?? 0) === 1) {
    return [{ title: 'Use BCEWithLogitsLoss on the logits', preferred: true, edits: [{ start: u.start, end: u.end, newText: 'BCEWithLogitsLoss' }, unwrap] }];
  }
  return [];
}

/** What produced an argument: inline softmax/sigmoid, or followed through variables, models and calls. */
function producerOf(run: CheckRun, arg: Arg): Producer | undefined {
  const ref = run.refOf(arg.valueStart, arg.end);
  if (!ref) return undefined;
  const direct = run.tv.probabilityCall(ref.first, ref.last);
  if (direct) return { kind: direct.kind, name: `${direct.name}(...)`, nameStart: direct.nameStart, nameEnd: direct.nameEnd, inline: true, inner: direct.inner, where: '' };
  const trace: Trace = { depth0: ref.first === ref.last && run.tv.kind(ref.first) === TK_NAME, scope: ref.scope };
  const origin = run.flow.origin(ref, trace);
  if (!origin || origin.kind === 'logits' || origin.kind === 'other') return undefined;
  return { kind: origin.kind, name: /\(…\)$/.test(origin.what) ? origin.what.replace('…', '...') : `\`${origin.what}\``, nameStart: origin.nameStart, nameEnd: origin.nameEnd, inline: false, where: whereText(run, origin, trace) };
}

/** ` (assigned on line 3)` or the chain: ` (\`v, p = model(x)\` on line 9: \`p\` is the output of \`nn.Softmax()\` at line 4)`. */
function whereText(run: CheckRun, origin: Origin, trace: Trace): string {
  const at = run.lineText(origin.line, origin.file);
  const what = /\(…\)$/.test(origin.what) ? origin.what.replace('…', '...') : origin.what;
  if (trace.via) {
    if (origin.file === run.model && origin.line === trace.via.line && trace.via.direct) return ` (assigned on ${run.lineText(trace.via.line)})`;
    return ` (\`${clip(trace.via.text)}\` on ${run.lineText(trace.via.line)}: \`${trace.via.name}\` is the output of \`${what}\` at ${at})`;
  }
  if (trace.argOf) return ` (\`${trace.argOf.name}\` is passed by \`${clip(trace.argOf.call)}\` on ${run.lineText(trace.argOf.line)} and is the output of \`${what}\` at ${at})`;
  return ` (the output of \`${what}\` at ${at})`;
}

export function labelSmoothing(run: CheckRun): void {
  for (const u of run.scan.usages) {
    if (u.role !== 'call' || !u.call || !CE.has(u.qualifiedName)) continue;
    const arg = (run.argsOf(u.call.openParen) ?? []).find((a) => a.name === 'label_smoothing');
    if (!arg) continue;
    const eps = run.text.slice(arg.valueStart, arg.end).trim();
    const n = Number(eps);
    const detail = Number.isFinite(n) && n > 0 && n <= 1 ? `the target class gets ${round(1 - n)} + ${eps}/K and every other class ${eps}/K` : 'the target class gets 1−ε+ε/K and every other class ε/K';
    run.add('label-smoothing-convention', arg.start, arg.end, u.conceptId,
      `label_smoothing=${eps} follows PyTorch's convention: ${detail} (K = number of classes), not ε/(K−1) as in some papers' code (PyTorch docs: CrossEntropyLoss).`, []);
  }
}

export function largeVocab(run: CheckRun): void {
  const vocab = largestLinearOutput(run);
  for (const app of run.applications) {
    const u = app.usage;
    if (!CE.has(u.qualifiedName)) continue;
    // The logits' layer: an nn.Linear of this file, or followed from the input (other files too).
    let size = vocab?.size;
    let where = vocab ? run.lineText(vocab.line) : '';
    if (!vocab && app.input) {
      const ref = run.refOf(app.input.valueStart, app.input.end);
      const origin = ref ? run.flow.origin(ref) : undefined;
      if (!origin || origin.kind !== 'logits' || origin.size === undefined || origin.size < LARGE_VOCAB) continue;
      size = origin.size;
      where = run.lineText(origin.line, origin.file);
    }
    if (size === undefined) continue;
    const n = size.toLocaleString('en-US');
    const f = run.add('large-vocab-ce', u.start, u.end, u.conceptId,
      `The logits come from nn.Linear(…, ${n}) (${where}): for every token, cross-entropy materialises ${n} logits and their gradient, which dominate memory. Cut Cross-Entropy (Wijmans et al., arXiv:2411.09009) computes the same loss in chunks; PaperLens can insert a verified chunked implementation.`, []);
    if (f) f.suggestedSnippet = 'cut-cross-entropy';
  }
}

/** The largest `Linear(in, out)` output size ≥ LARGE_VOCAB, resolving a NAME through `NAME = int`. */
function largestLinearOutput(run: CheckRun): { size: number; line: number } | undefined {
  const tv = run.tv;
  let best: { size: number; line: number } | undefined;
  let constants: Map<string, number> | undefined;
  for (const i of run.model.callsNamed('Linear')) {
    const call = tv.args(i + 1);
    if (!call) continue;
    const out = call.args.find((a) => a.name === 'out_features') ?? call.args.filter((a) => !a.name)[1];
    if (!out) continue;
    const range = tv.range(out.valueStart, out.end);
    if (!range || range[0] !== range[1]) continue;
    let size = tv.intValue(range[0]);
    if (size === undefined && tv.kind(range[0]) === TK_NAME) size = (constants ??= integerConstants(tv)).get(tv.str(range[0]));
    if (size !== undefined && size >= LARGE_VOCAB && (!best || size > best.size)) best = { size, line: run.lineOf(tv.start(i)) };
  }
  return best;
}

/**
 * The integer each name is assigned by a statement `name = 50257` (the last such statement in the
 * file), in one pass: a pass per `Linear(d, NAME)` made files of many layers quadratic.
 */
function integerConstants(tv: TokenView): Map<string, number> {
  const out = new Map<string, number>();
  // The kinds read in place: this pass visits every token of the file.
  const { kind, flags } = tv.t;
  tv.reads += tv.count;
  for (let i = 0; i + 3 < tv.count; i++) {
    if (kind[i] !== TK_NAME || (flags[i] & TF_LINE_START) === 0 || kind[i + 1] !== TK_EQUAL || kind[i + 3] !== TK_NEWLINE) continue;
    const value = tv.intValue(i + 2);
    if (value !== undefined) out.set(tv.str(i), value);
  }
  return out;
}

function logName(name: string): string {
  return name.startsWith('Softmax') ? 'LogSoftmax' : 'log_softmax';
}

function round(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}
