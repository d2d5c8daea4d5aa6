/**
 * The values the flow computes (`Value`, `Origin`), the references it evaluates (`Ref`), how a
 * value reached a loss (`Trace`), and the evaluator the layer code calls back into.
 */
import type { FileModel, Scope } from './model';

/** What produced a tensor, as far as the rules care. */
export interface Origin {
  /** softmax/sigmoid/log forms: probabilities; `logits`: a linear output (no activation). */
  kind: 'softmax' | 'sigmoid' | 'log_softmax' | 'logsigmoid' | 'logits' | 'other';
  /** Source text of the producer, shortened: `nn.Softmax()`, `Dense(10)`. */
  what: string;
  /** 1-based line of the producer, and its file when not the file being checked. */
  line: number;
  file: FileModel;
  /** Output size of a linear layer (`nn.Linear(d, 50257)`, `Dense(10)`), when a literal or a constant. */
  size?: number;
  /** Offsets of the producer's function/class name, for fixes in the same file. */
  nameStart: number;
  nameEnd: number;
  /** The `name=` of a Keras layer, for dict losses keyed by output name. */
  layerName?: string;
  /** For `softmax(x / T)`-style producers: offsets of the tensor argument in `file`. */
  inner?: { start: number; end: number };
}

/** A reference to an expression: tokens [first, last] of a file, evaluated in a scope. */
export interface Ref {
  file: FileModel;
  scope: Scope;
  first: number;
  last: number;
  /** Parameters bound at a call site being followed. */
  env?: Map<string, Ref>;
}

/**
 * Tokens [first, last] of the same file, scope and bindings as `ref`. Every Ref is made with the
 * same properties in the same order (`env` included when undefined): one object shape keeps the
 * flow's property reads monomorphic, where `{ ...ref, first, last }` made copies cost more than
 * the evaluation (issue 23).
 */
export function span(ref: Ref, first: number, last: number): Ref {
  return { file: ref.file, scope: ref.scope, first, last, env: ref.env };
}

export type Value =
  | { t: 'origin'; origin: Origin }
  | { t: 'tuple'; items: Ref[]; keys?: (string | undefined)[] }
  | { t: 'instance'; cls: Scope }
  | { t: 'class'; cls: Scope }
  | { t: 'layer'; ref: Ref; name: string }
  | { t: 'function'; fn: Scope; self?: Scope };


/** One step of how a value reached the loss, for messages. */
export interface Trace {
  /** The first assignment on the loss's side, e.g. `validity, label = discriminator(x)`, and its line. */
  via?: { text: string; line: number; name: string; direct: boolean };
  /** A call site whose argument was followed into a parameter. */
  argOf?: { call: string; line: number; name: string };
  /** Set by the caller when the evaluated expression is a bare name: its own assignment is `direct`. */
  depth0?: boolean;
  /** The loss's scope: only assignments there are named as the first hop. */
  scope?: Scope;
}

/** What the layer code needs from the flow: evaluating an expression and calling a value. */
export interface Evaluator {
  evaluate(ref: Ref, trace?: Trace): Value | undefined;
  apply(f: Value, ref: Ref, open: number, trace?: Trace): Value | undefined;
}
