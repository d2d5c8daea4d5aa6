/**
 * keras-from-logits: a Keras probabilistic loss whose `from_logits` disagrees with the model output
 * it receives — through `model.compile(loss=…)` (a string, a loss object or function, a list or a
 * dict by output name) or a loss object called in a custom training loop.
 */
import type { LossUsage } from '../detect/types';
import { TK_COLON, TK_COMMA, TK_DOT, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_STRING } from '../python/tokenizer';
import type { CheckRun } from './context';
import type { Origin } from './flow';
import { FROM_LOGITS_CLASSES } from './keras';
import { stringValue } from './layers';
import type { Scope } from './model';
import type { TextEdit } from './types';

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

/**
 * keras-from-logits, per model: each `model.compile(loss=…)` is paired with that model's output
 * layer(s) (Sequential, functional `Model(inputs, outputs)`, subclassed `call`), and each Keras
 * loss object applied as `loss_fn(y_true, model(x))` with the model output it receives.
 */
export function kerasFromLogits(run: CheckRun): void {
  const tv = run.tv;
  for (const i of run.model.callsNamed('compile')) {
    if (i < 2 || tv.kind(i - 1) !== TK_DOT) continue;
    let f = i - 2;
    while (f >= 2 && tv.kind(f - 1) === TK_DOT && tv.kind(f - 2) === TK_NAME) f -= 2;
    if (tv.kind(f) !== TK_NAME) continue;
    const model = run.flow.evaluate({ file: run.model, scope: run.model.scopeAt(i), first: f, last: i - 2, env: undefined });
    if (!model) continue;
    const outputs = run.flow.origins(run.flow.output(model));
    if (!outputs.some((o) => o)) continue;
    const call = tv.args(i + 1);
    const lossArg = call?.args.find((a) => a.name === 'loss') ?? call?.args.filter((a) => !a.name)[1];
    const range = lossArg ? tv.range(lossArg.valueStart, lossArg.end) : undefined;
    if (!range) continue;
    const [a, b] = range;
    if ((tv.kind(a) === TK_LSQB || tv.kind(a) === TK_LPAR) && tv.matching(a) === b) {
      // One loss per output, in order.
      tv.splitTop(a + 1, b - 1, TK_COMMA).forEach(([x, y], k) => {
        const spec = kerasLossSpec(run, x, y);
        if (spec && outputs[k]) kerasPair(run, outputs[k]!, spec);
      });
    } else if (tv.kind(a) === TK_LBRACE && tv.matching(a) === b) {
      // {"output_name": loss}: outputs by their layer's name=.
      for (const [x, y] of tv.splitTop(a + 1, b - 1, TK_COMMA)) {
        const colon = tv.splitTop(x, y, TK_COLON);
        if (colon.length !== 2) continue;
        const key = stringValue(run.model.textOf(colon[0][0], colon[0][1]));
        const out = outputs.find((o) => o?.layerName !== undefined && o.layerName === key);
        const spec = kerasLossSpec(run, colon[1][0], colon[1][1]);
        if (spec && out) kerasPair(run, out, spec);
      }
    } else {
      const spec = kerasLossSpec(run, a, b);
      if (spec) for (const o of outputs) if (o) kerasPair(run, o, spec);
    }
  }
  // Custom training loops: loss_fn(y_true, y_pred) with y_pred a model output.
  for (const u of run.scan.usages) {
    if (u.role !== 'call' || !u.call || !kerasFromLogitsName(u)) continue;
    const ctorOpen = run.tv.indexAt(u.call.openParen);
    const spec = kerasLossSpec(run, run.tv.indexAt(u.expressionStart), run.tv.matching(ctorOpen));
    if (!spec) continue;
    const opens: number[] = [];
    if (u.kind === 'function') opens.push(ctorOpen);
    else {
      const close = run.tv.matching(ctorOpen);
      if (close >= 0 && run.tv.kind(close + 1) === TK_LPAR) opens.push(close + 1);
      opens.push(...(run.instanceCalls.get(u) ?? []));
    }
    for (const open of opens) {
      const args = run.tv.args(open)?.args ?? [];
      const pred = args.find((x) => x.name === 'y_pred') ?? args.filter((x) => !x.name)[1];
      const ref = pred ? run.refOf(pred.valueStart, pred.end) : undefined;
      const origin = ref ? run.flow.origin(ref) : undefined;
      if (origin) kerasPair(run, origin, spec);
    }
  }
}

/** A Keras loss as written: a string name, a constructed loss, a function, or a variable holding one. */
function kerasLossSpec(run: CheckRun, first: number, last: number, depth = 0): KerasLossSpec | undefined {
  const tv = run.tv;
  if (first === last && tv.kind(first) === TK_STRING) {
    const name = stringValue(tv.str(first));
    const known = name !== undefined ? run.options.kerasNames?.get(name) : undefined;
    if (!known?.fromLogitsClass) return undefined;
    const prefix = kerasLossesPrefix(run);
    return {
      label: `loss=${tv.str(first)}`, conceptId: known.conceptId, fromLogits: false, start: tv.start(first), end: tv.end(first),
      toLogits: prefix ? { start: tv.start(first), end: tv.end(first), newText: `${prefix}.${known.fromLogitsClass}(from_logits=True)` } : undefined,
    };
  }
  const u = run.usagesAt.get(tv.start(first))?.find((x) => (x.role === 'call' || x.role === 'reference') && kerasFromLogitsName(x));
  if (u) {
    if (u.role === 'reference' || !u.call) {
      return u.kind === 'function' && tv.end(last) === u.end ? { label: u.expression, conceptId: u.conceptId, fromLogits: false, start: u.start, end: u.end } : undefined;
    }
    const args = run.argsOf(u.call.openParen) ?? [];
    const fl = args.find((a) => a.name === 'from_logits');
    const value = fl ? run.text.slice(fl.valueStart, fl.end).trim() : 'False';
    const fromLogits = value === 'True' ? true : value === 'False' ? false : undefined;
    if (fromLogits === undefined) return undefined;
    const call = u.call;
    const set = (v: string): TextEdit => (fl ? { start: fl.valueStart, end: fl.end, newText: v } : run.insertKeyword(call.openParen, args, `from_logits=${v}`));
    return { label: `${u.identifier}(${fl ? `from_logits=${value}` : ''})`, conceptId: u.conceptId, fromLogits, start: u.start, end: u.end, toLogits: set('True'), toProbabilities: set('False') };
  }
  if (depth < 4 && first === last && tv.kind(first) === TK_NAME) {
    for (let s: Scope | undefined = run.model.scopeAt(first); s; s = s.parent) {
      const a = run.model.lastAssignment(s, tv.str(first), first, true)?.assignment;
      if (a) return kerasLossSpec(run, a.rhsFirst, a.rhsLast, depth + 1);
    }
  }
  return undefined;
}

const prefixes = new WeakMap<CheckRun, { prefix: string | undefined }>();

/** The module path to write `….losses.X` with, from the file's imports (`keras`, `tf.keras`, `losses`); once per run. */
function kerasLossesPrefix(run: CheckRun): string | undefined {
  let known = prefixes.get(run);
  if (!known) prefixes.set(run, (known = { prefix: importedLossesPrefix(run) }));
  return known.prefix;
}

function importedLossesPrefix(run: CheckRun): string | undefined {
  for (const [local, imp] of run.model.imports) {
    if (imp.name === undefined && imp.module === 'keras') return `${local}.losses`;
    if (imp.name === 'keras' && (imp.module === 'tensorflow' || imp.module === 'tf_keras')) return `${local}.losses`;
  }
  for (const [local, imp] of run.model.imports) {
    if (imp.name === 'losses' && /^(keras|tensorflow\.keras|tf_keras)$/.test(imp.module)) return local;
    if (imp.name === undefined && imp.module === 'tensorflow') return `${local}.keras.losses`;
  }
  return undefined;
}

function kerasPair(run: CheckRun, out: Origin, spec: KerasLossSpec): void {
  const at = `\`${out.what}\` on ${run.lineText(out.line, out.file)}`;
  if (out.kind === 'logits' && !spec.fromLogits) {
    run.add('keras-from-logits', spec.start, spec.end, spec.conceptId,
      `The model's output layer ${at} has no activation, so it outputs logits, but ${spec.label} assumes probabilities unless from_logits=True (Keras docs: probabilistic losses).`,
      spec.toLogits ? [{ title: 'Set from_logits=True', preferred: true, edits: [spec.toLogits] }] : []);
  } else if ((out.kind === 'softmax' || out.kind === 'sigmoid') && spec.fromLogits) {
    run.add('keras-from-logits', spec.start, spec.end, spec.conceptId,
      `The model's output layer ${at} already applies ${out.kind}, but ${spec.label} treats its output as logits and applies ${out.kind} again (Keras docs: probabilistic losses, from_logits).`,
      spec.toProbabilities ? [{ title: 'Set from_logits=False', preferred: true, edits: [spec.toProbabilities] }] : []);
  }
}
