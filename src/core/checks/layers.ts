/**
 * What library layers output when called: `nn.Softmax()`/`nn.Sigmoid()` (probabilities), `nn.Linear`
 * and Keras `Dense` (logits, or the activation named), `Activation("softmax")`, the last layer of
 * `nn.Sequential`/`keras.Sequential` (with `model.add(…)` calls), and the outputs of a functional
 * `keras.Model(inputs, outputs)`. Used by `Flow` when a value is a layer.
 */
import { TK_COLON, TK_COMMA, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_RPAR, TK_STAR } from '../python/tokenizer';
import { span, type Evaluator, type Origin, type Ref, type Trace, type Value } from './values';
import type { FileModel } from './model';

/** Layer classes whose call output is what their last layer (or activation) makes. */
export const SEQUENTIAL = new Set(['Sequential']);
export const PROB_LAYERS: Record<string, Origin['kind']> = {
  Softmax: 'softmax', Sigmoid: 'sigmoid', LogSoftmax: 'log_softmax', LogSigmoid: 'logsigmoid',
};
/** Methods that keep what a tensor holds (probabilities stay probabilities). */
export const PASSTHROUGH = new Set([
  'view', 'reshape', 'contiguous', 'float', 'double', 'half', 'to', 'cuda', 'cpu', 'squeeze', 'unsqueeze',
  'flatten', 'permute', 'transpose', 'clone', 'detach', 'type', 'type_as', 'view_as', 'reshape_as', 'bfloat16',
]);
/** Layers that do not change what their input holds (probabilities stay probabilities). */
const SHAPE_ONLY_LAYERS = /^(Dropout|AlphaDropout|SpatialDropout[123]D|Dropout[123]d|GaussianNoise|GaussianDropout|Flatten|Unflatten|Reshape|Identity|ActivityRegularization)$/;

/** The class name of a layer constructor call `nn.Dropout(0.1)` → `Dropout`, or ''. */
function layerCallName(ref: Ref): string {
  const tv = ref.file.tv;
  if (tv.kind(ref.last) !== TK_RPAR) return '';
  const open = tv.openOf(ref.last, ref.first);
  return open > ref.first && tv.kind(open - 1) === TK_NAME ? tv.str(open - 1) : '';
}

/** nn.Module methods that return the module itself. */
export const MODULE_SELF = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'double', 'half', 'bfloat16', 'requires_grad_', 'to_empty']);
const KERAS_ACTIVATIONS: Record<string, Origin['kind']> = { softmax: 'softmax', sigmoid: 'sigmoid', linear: 'logits' };

/** A library layer class named by `callee` (`nn.Softmax`, `Dense`, `tf.keras.layers.Softmax`), not a user class. */
export function layerName(callee: Ref): string | undefined {
  const tv = callee.file.tv;
  const last = callee.last;
  if (tv.kind(last) !== TK_NAME) return undefined;
  const name = tv.str(last);
  if (!(SEQUENTIAL.has(name) || name in PROB_LAYERS || name === 'Linear' || name === 'Dense' || name === 'Activation' || name === 'Model' || name === 'Functional')) return undefined;
  const head = tv.str(callee.first);
  if (callee.first === last) {
    // A bare name: a library layer only if imported from a library (or not defined in the file).
    if (callee.file.topLevel(name)) return undefined;
    const imp = callee.file.imports.get(name);
    if (imp && !/^(torch|tensorflow|keras|tf_keras|flax)\b/.test(imp.module)) return undefined;
    return name;
  }
  if (head === 'self') return undefined;
  return name;
}

/** What a library layer outputs when called. */
export function applyLayer(flow: Evaluator, layer: { ref: Ref; name: string }, ref: Ref, open: number, trace?: Trace): Value | undefined {
  const lf = layer.ref.file;
  const ltv = lf.tv;
  const lopen = ltv.openOf(layer.ref.last, layer.ref.first);
  const largs = ltv.args(lopen);
  if (!largs) return undefined;
  const nameStart = ltv.start(lopen - 1);
  const nameEnd = ltv.end(lopen - 1);
  // Every origin with the same properties in the same order (no spread copies), its text and
  // line made only for a layer that makes one (not for a Sequential, whose last layer does): issue 23.
  const made = (kind: Origin['kind'], size?: number): Value => {
    const what = shorten(lf.textOf(layer.ref.first, layer.ref.last));
    const line = lf.lineOf(nameStart);
    const layerNameArg = largs.args.find((a) => a.name === 'name');
    const layerName = layerNameArg ? stringValue(lf.text.slice(layerNameArg.valueStart, layerNameArg.end)) : undefined;
    return { t: 'origin', origin: { kind, what, line, file: lf, size, nameStart, nameEnd, layerName, inner: undefined } };
  };
  if (layer.name in PROB_LAYERS) return made(PROB_LAYERS[layer.name]);
  if (layer.name === 'Activation') {
    const act = largs.args.find((a) => !a.name || a.name === 'activation');
    const kind = act ? KERAS_ACTIVATIONS[stringValue(lf.text.slice(act.valueStart, act.end)) ?? ''] : undefined;
    return made(kind ?? 'other');
  }
  if (layer.name === 'Linear' || layer.name === 'Dense') {
    const sizeArg = layer.name === 'Linear'
      ? largs.args.find((a) => a.name === 'out_features') ?? largs.args.filter((a) => !a.name)[1]
      : largs.args.find((a) => a.name === 'units') ?? largs.args.filter((a) => !a.name)[0];
    const size = sizeArg ? intOf(lf, sizeArg.valueStart, sizeArg.end) : undefined;
    let kind: Origin['kind'] = 'logits';
    if (layer.name === 'Dense') {
      const act = largs.args.find((a) => a.name === 'activation') ?? largs.args.filter((a) => !a.name)[1];
      const value = act ? lf.text.slice(act.valueStart, act.end).trim() : undefined;
      if (value !== undefined && value !== 'None') {
        const s = stringValue(value);
        kind = s !== undefined ? KERAS_ACTIVATIONS[s] ?? 'other' : /(^|\.)softmax$/.test(value) ? 'softmax' : /(^|\.)sigmoid$/.test(value) ? 'sigmoid' : 'other';
      }
    }
    return made(kind, size);
  }
  if (SEQUENTIAL.has(layer.name)) {
    const items = sequentialLayers(layer.ref, largs.args);
    // Dropout, Flatten, Identity… after the output layer keep what it makes.
    let k = items.length - 1;
    while (k > 0 && SHAPE_ONLY_LAYERS.test(layerCallName(items[k]))) k--;
    const lastLayer = items[k];
    if (!lastLayer) return undefined;
    const v = flow.evaluate(lastLayer);
    if (!v) return undefined;
    if (v.t === 'layer' || v.t === 'instance') return flow.apply(v, ref, open, trace);
    return undefined;
  }
  if (layer.name === 'Model' || layer.name === 'Functional') {
    const out = largs.args.find((a) => a.name === 'outputs') ?? largs.args.filter((a) => !a.name)[1];
    const range = out ? ltv.range(out.valueStart, out.end) : undefined;
    if (!range) return undefined;
    return kerasOutputs(flow, span(layer.ref, range[0], range[1]));
  }
  return undefined;
}

/** Functional outputs: `outputs`, `[a, b]`, `{"name": t}`; a list becomes a tuple. */
export function kerasOutputs(flow: Evaluator, ref: Ref): Value | undefined {
  const tv = ref.file.tv;
  if ((tv.kind(ref.first) === TK_LSQB || tv.kind(ref.first) === TK_LPAR) && tv.matching(ref.first) === ref.last) {
    const items = tv.splitTop(ref.first + 1, ref.last - 1, TK_COMMA).map(([a, b]) => span(ref, a, b));
    return { t: 'tuple', items };
  }
  if (tv.kind(ref.first) === TK_LBRACE && tv.matching(ref.first) === ref.last) {
    // {"name": tensor}: the loss dict is keyed by these names.
    const items: Ref[] = [];
    const keys: (string | undefined)[] = [];
    for (const [a, b] of tv.splitTop(ref.first + 1, ref.last - 1, TK_COMMA)) {
      const kv = tv.splitTop(a, b, TK_COLON);
      if (kv.length !== 2) continue;
      keys.push(stringValue(ref.file.textOf(kv[0][0], kv[0][1])));
      items.push(span(ref, kv[1][0], kv[1][1]));
    }
    return { t: 'tuple', items, keys };
  }
  return flow.evaluate(ref);
}

/** The layers of `Sequential([...])`/`Sequential(a, b)` plus later `.add(layer)` calls on its variable. */
function sequentialLayers(ref: Ref, args: { start: number; end: number; valueStart: number; name?: string }[]): Ref[] {
  const tv = ref.file.tv;
  const out: Ref[] = [];
  const positional = args.filter((a) => !a.name || a.name === 'layers');
  for (const a of positional) {
    const range = tv.range(a.valueStart, a.end);
    if (!range) continue;
    if (tv.kind(range[0]) === TK_LSQB && tv.matching(range[0]) === range[1]) {
      for (const [x, y] of tv.splitTop(range[0] + 1, range[1] - 1, TK_COMMA)) out.push(span(ref, x, y));
    } else if (tv.kind(range[0]) !== TK_STAR) out.push(span(ref, range[0], range[1]));
  }
  // model = Sequential(); model.add(Dense(…)): the layers added to that variable in the same scope,
  // up to a later `model = …` (which starts another model). From the file's index of `.add(` calls.
  const file = ref.file;
  const stmt = file.stmtAt(ref.first);
  const a = stmt ? file.assignmentAt(stmt) : undefined;
  if (stmt && a && a.rhsFirst === ref.first && a.rhsLast === ref.last && a.targets.length === 1 && a.targets[0].index < 0) {
    const v = a.targets[0].name;
    const reassigned = file.nextAssignment(stmt.scope, v, ref.last);
    const adds = file.addCallsOf(stmt.scope, v);
    let k0 = 0;
    for (let hi = adds.length; k0 < hi;) {
      const mid = (k0 + hi) >> 1;
      if (adds[mid].first <= ref.last) k0 = mid + 1;
      else hi = mid;
    }
    for (let k = k0; k < adds.length; k++) {
      const s = adds[k];
      if (reassigned && s.first >= reassigned.assignment.stmt.first) break;
      const openIdx = s.first + v.split('.').length * 2 + 1;
      const call = tv.args(openIdx);
      const arg = call?.args.find((x) => !x.name);
      const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
      if (range) out.push({ file: ref.file, scope: s.scope, first: range[0], last: range[1], env: ref.env });
    }
  }
  return out;
}

function intOf(file: FileModel, start: number, end: number): number | undefined {
  const range = file.tv.range(start, end);
  if (!range || range[0] !== range[1]) return undefined;
  const n = file.tv.intValue(range[0]);
  if (n !== undefined) return n;
  if (file.tv.kind(range[0]) !== TK_NAME) return undefined;
  const a = file.lastAssignment(file.module, file.tv.str(range[0]), Number.MAX_SAFE_INTEGER);
  if (!a || a.assignment.rhsFirst !== a.assignment.rhsLast) return undefined;
  return file.tv.intValue(a.assignment.rhsFirst);
}

/** The value of a Python string literal written as `"x"`/`'x'`, or undefined. */
export function stringValue(text: string): string | undefined {
  const m = /^\s*(['"])([^'"\\]*)\1\s*$/.exec(text);
  return m ? m[2] : undefined;
}

/** Source text shortened for messages. */
export function shorten(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 57)}…`;
}
