/**
 * Following values across a Python file (and the workspace files its imports name): what a model
 * returns, what a variable holds, what a parameter receives. Token-based, like the rest of the
 * checks, over the file outline of `model.ts` and its indexes.
 *
 * `Flow.evaluate` answers "what is this expression?" as a `Value`: a probability/logit producer
 * (`Origin`), a tuple, an instance of a user class, a library layer (`nn.Softmax()`, `Dense(10)`,
 * see `layers.ts`), or a user function — following assignments, tuple unpacking, `self.attr = …`
 * in `__init__`, `forward`/`__call__`/`call`, function returns, parameters bound at call sites,
 * and imports that resolve to a workspace file.
 */
import { TK_COMMA, TK_DOT, TK_LPAR, TK_NAME, TK_NUMBER, TK_OP, TK_RPAR, TK_RSQB, TK_STRING } from '../python/tokenizer';
import { applyLayer, layerName, MODULE_SELF, PASSTHROUGH, stringValue } from './layers';
import { FileModel, type Assignment, type ImportBinding, type NameAssignment, type Scope, type Stmt } from './model';
import type { TokenView } from './tokens';
import { span, type Evaluator, type Origin, type Ref, type Trace, type Value } from './values';
import { WorkspaceFiles, type Workspace } from './workspace';

export { FileModel, WorkspaceFiles, stringValue };
export type { Assignment, ImportBinding, Origin, Ref, Scope, Stmt, Trace, Value, Workspace };

const MAX_DEPTH = 24;

/** A memoised expression's state: not known (evaluate it), being evaluated, or known. */
const UNKNOWN = 0;
const ACTIVE = 1;
const DONE = 2;

/** One memoised expression of a scope, chained with the others that start at the same token. */
interface MemoEntry {
  last: number;
  state: typeof UNKNOWN | typeof ACTIVE | typeof DONE;
  value: Value | undefined;
  next: MemoEntry | undefined;
}
/** Evaluation steps per question: bounds the work on pathological code (call chains fanning out). */
const MAX_STEPS = 2_000;

export class Flow implements Evaluator {
  private depth = 0;

  constructor(readonly root: FileModel, private readonly workspace?: Workspace) {
    this.register(root);
  }

  /** Evaluations left for the current question (one top-level `evaluate`). */
  private budget = 0;
  /**
   * Results of expressions evaluated without parameter bindings, by scope (scopes belong to one
   * file) and first token, then by last token along a short chain (an expression's first token
   * rarely starts more than one). Small integer keys hash fast, and one small record per
   * expression keeps the garbage collector's work down (a number made of both indices, and a map
   * per first token, each cost more than the evaluation: issue 23).
   */
  private readonly memo = new Map<Scope, Map<number, MemoEntry>>();

  /** Evaluates an expression to a value; `trace` records the first hops. */
  evaluate(ref: Ref, trace?: Trace): Value | undefined {
    if (this.depth === 0) this.budget = MAX_STEPS;
    if (this.depth > MAX_DEPTH || --this.budget < 0) return undefined;
    // Memoised when nothing depends on the caller (no parameter bindings). A trace's hops are set
    // after evaluation by the assignment or call site that makes them, so a cached inner value
    // still gets the outer hops named.
    let entry: MemoEntry | undefined;
    if (!ref.env) {
      let byFirst = this.memo.get(ref.scope);
      if (!byFirst) this.memo.set(ref.scope, (byFirst = new Map()));
      const head = byFirst.get(ref.first);
      for (let e = head; e; e = e.next) {
        if (e.last !== ref.last) continue;
        // In progress: a cycle.
        if (e.state === ACTIVE) return undefined;
        if (e.state === DONE) return e.value;
        entry = e;
        break;
      }
      if (!entry) {
        entry = { last: ref.last, state: ACTIVE, value: undefined, next: head };
        byFirst.set(ref.first, entry);
      }
      entry.state = ACTIVE;
    }
    this.depth++;
    let v: Value | undefined;
    try {
      v = this.eval(ref, trace);
    } catch (err) {
      this.depth--;
      if (entry) entry.state = UNKNOWN;
      throw err;
    }
    this.depth--;
    if (entry) {
      // Out of budget: the answer may be incomplete, so it is not kept.
      entry.state = this.budget >= 0 ? DONE : UNKNOWN;
      entry.value = v;
    }
    return v;
  }

  /** What calling a model value produces, with no call site (`model.compile(...)`). */
  output(v: Value): Value | undefined {
    if (v.t === 'layer' || v.t === 'instance' || v.t === 'function') return this.apply(v, v.t === 'layer' ? v.ref : { file: this.root, scope: this.root.module, first: 0, last: -1, env: undefined }, -1);
    return undefined;
  }

  /** The origins of a value that is one output or a tuple/list of outputs (undefined where unknown). */
  origins(v: Value | undefined): (Origin | undefined)[] {
    if (!v) return [];
    if (v.t === 'origin') return [v.origin];
    if (v.t === 'tuple') {
      return v.items.map((r, k) => {
        const o = this.origin(r);
        return o && v.keys?.[k] !== undefined ? { ...o, layerName: v.keys[k] } : o;
      });
    }
    return [];
  }

  /** Evaluates to an origin (calling a layer/instance value with no further input is not done). */
  origin(ref: Ref, trace?: Trace): Origin | undefined {
    const v = this.evaluate(ref, trace);
    return v?.t === 'origin' ? v.origin : undefined;
  }

  private eval(ref: Ref, trace?: Trace): Value | undefined {
    const { file } = ref;
    const tv = file.tv;
    let { first, last } = ref;
    // (expr)
    while (tv.kind(first) === TK_LPAR && tv.matching(first) === last) {
      first++;
      last--;
    }
    if (last < first) return undefined;
    const r = span(ref, first, last);
    // Top-level comma: a tuple.
    const parts = tv.hasTop(first, last, TK_COMMA) ? tv.splitTop(first, last, TK_COMMA) : [];
    if (parts.length > 1) return { t: 'tuple', items: parts.map(([a, b]) => span(r, a, b)) };

    const prob = tv.probabilityCall(first, last);
    if (prob) {
      return { t: 'origin', origin: { kind: prob.kind, what: `${prob.name}(…)`, line: file.lineOf(prob.nameStart), file, size: undefined, nameStart: prob.nameStart, nameEnd: prob.nameEnd, layerName: undefined, inner: prob.inner } };
    }

    const lk = tv.kind(last);
    if (lk === TK_RPAR) return this.evalCall(r, trace);
    if (lk === TK_RSQB) {
      // x[...]: a tuple element for an integer index, otherwise the same kind of values.
      const open = tv.openOf(last, first);
      if (open <= first) return undefined;
      const base = this.evaluate(span(r, first, open - 1), trace);
      if (!base) return undefined;
      if (base.t === 'tuple') {
        const n = open + 2 === last ? tv.intValue(open + 1) : undefined;
        const neg = open + 3 === last && tv.str(open + 1) === '-' ? tv.intValue(open + 2) : undefined;
        const idx = n ?? (neg !== undefined ? base.items.length - neg : undefined);
        return idx !== undefined && base.items[idx] ? this.evaluate(base.items[idx]) : undefined;
      }
      return base.t === 'origin' ? base : undefined;
    }
    if (lk !== TK_NAME) return undefined;
    // Dotted name: self.attr, obj.attr, or a NAME.
    if (first === last) return this.evalName(r, tv.str(first), trace);
    if (tv.kind(last - 1) === TK_DOT) {
      const recv = span(r, first, last - 2);
      const attr = tv.str(last);
      if (recv.first === recv.last && tv.str(recv.first) === 'self') {
        const cls = file.classOf(ref.scope);
        if (!cls) return undefined;
        const method = file.method(cls, attr);
        if (method) return { t: 'function', fn: method, self: cls };
        return this.selfAttribute(file, cls, attr, trace);
      }
      const base = this.evaluate(recv);
      if (base?.t === 'instance') {
        const model = this.fileOf(base.cls) ?? file;
        const method = model.method(base.cls, attr);
        if (method) return { t: 'function', fn: method, self: base.cls };
        return this.selfAttribute(model, base.cls, attr, trace);
      }
      if (base?.t === 'origin' && PASSTHROUGH.has(attr)) return base;
    }
    return undefined;
  }

  private readonly scopeFiles = new Map<Scope, FileModel>();

  private fileOf(scope: Scope): FileModel | undefined {
    return this.scopeFiles.get(rootScope(scope));
  }

  private register(file: FileModel): void {
    this.scopeFiles.set(file.module, file);
  }

  /** The value of `self.attr` in class `cls`: its assignment in `__init__` (or any method). */
  private selfAttribute(file: FileModel, cls: Scope, attr: string, trace?: Trace): Value | undefined {
    const name = `self.${attr}`;
    const a = file.selfAssignment(cls, name);
    // Inherited from a base class defined in this file: not followed.
    return a ? this.fromAssignment(file, a.assignment, a.index, name, trace) : undefined;
  }

  private fromAssignment(file: FileModel, a: Assignment, index: number, name: string, trace?: Trace, env?: Map<string, Ref>): Value | undefined {
    const rhs: Ref = { file, scope: a.stmt.scope, first: a.rhsFirst, last: a.rhsLast, env };
    let v = this.evaluate(rhs, trace);
    if (index >= 0) v = v?.t === 'tuple' && v.items[index] ? this.evaluate(v.items[index]) : undefined;
    // The first hop on the loss's side names a tensor (`validity, label = discriminator(x)`), not the
    // model object (`discriminator = Discriminator()`); outer assignments are reached last and win.
    if (trace && v?.t === 'origin' && file === this.root && (!trace.scope || a.stmt.scope === trace.scope)) {
      trace.via = { text: file.textOf(a.stmt.first, a.stmt.last), line: file.lineOf(file.tv.start(a.stmt.first)), name, direct: trace.depth0 === true };
    }
    return v;
  }

  private evalName(ref: Ref, name: string, trace?: Trace): Value | undefined {
    const { file, scope } = ref;
    if (name === 'self') {
      const cls = file.classOf(scope);
      return cls ? { t: 'instance', cls } : undefined;
    }
    const bound = ref.env?.get(name);
    if (bound) return this.evaluate(bound, trace);
    // The last assignment before this use, in this scope. One inside a nested block (`if not
    // self.training: x = softmax(x)`) may not have run: it counts unless the one before is known
    // and differs.
    const a = this.lastAssignment(file, scope, name, ref.first);
    if (a) {
      const v = this.fromAssignment(file, a.assignment, a.index, name, trace, ref.env);
      const use = file.stmtAt(ref.first);
      if (v && use && a.assignment.stmt.indent > use.indent) {
        const before = this.lastAssignment(file, scope, name, a.assignment.stmt.first);
        const w = before ? this.fromAssignment(file, before.assignment, before.index, name, undefined, ref.env) : undefined;
        if (w && valueKind(w) !== valueKind(v)) return undefined;
      }
      return v;
    }
    if (scope.kind === 'def' && scope.params.includes(name)) return this.fromCallers(file, scope, name, trace);
    // Enclosing scopes (module globals, closures) and definitions.
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.kind === 'class') continue;
      const def = file.child(s, name);
      if (def) return def.kind === 'class' ? { t: 'class', cls: def } : { t: 'function', fn: def };
      if (s === scope) continue;
      const g = this.lastAssignment(file, s, name, Number.MAX_SAFE_INTEGER);
      if (g) return this.fromAssignment(file, g.assignment, g.index, name, trace);
    }
    const imp = file.imports.get(name);
    if (imp?.name && this.workspace && file.path) {
      const target = this.workspace.resolve(file.path, imp.module);
      if (target) {
        this.register(target);
        const def = target.topLevel(imp.name);
        if (def) return def.kind === 'class' ? { t: 'class', cls: def } : { t: 'function', fn: def };
        const g = this.lastAssignment(target, target.module, imp.name, Number.MAX_SAFE_INTEGER);
        if (g) return this.fromAssignment(target, g.assignment, g.index, imp.name);
      }
    }
    return undefined;
  }

  private lastAssignment(file: FileModel, scope: Scope, name: string, before: number): NameAssignment | undefined {
    return file.lastAssignment(scope, name, before);
  }

  /** A parameter: the argument passed at the call sites of its function (first one that evaluates). */
  /** Parameters already followed to their callers: the value and the call site it came from. */
  private readonly callers = new Map<Scope, Map<string, { v: Value | undefined; argOf?: Trace['argOf'] } | 'active'>>();

  /**
   * A parameter: the argument passed at the call sites of its function (first one that evaluates).
   * Memoised per function and parameter (the callers' arguments do not depend on who asks), so a
   * parameter used many times costs one walk over the call sites.
   */
  private fromCallers(file: FileModel, fn: Scope, param: string, trace?: Trace): Value | undefined {
    let memo = this.callers.get(fn);
    if (!memo) this.callers.set(fn, (memo = new Map()));
    const known = memo.get(param);
    if (known === 'active') return undefined;
    if (known) {
      if (known.argOf && trace && !trace.argOf && !trace.via) trace.argOf = known.argOf;
      return known.v;
    }
    memo.set(param, 'active');
    const found = this.walkCallers(file, fn, param);
    if (this.budget >= 0) memo.set(param, found);
    else memo.delete(param);
    if (found.argOf && trace && !trace.argOf && !trace.via) trace.argOf = found.argOf;
    return found.v;
  }

  private walkCallers(file: FileModel, fn: Scope, param: string): { v: Value | undefined; argOf?: Trace['argOf'] } {
    const pos = fn.params.indexOf(param);
    const cls = fn.parent?.kind === 'class' ? fn.parent : undefined;
    const offset = cls && fn.params[0] === 'self' ? 1 : 0;
    const tv = file.tv;
    // `self.method(…)` inside the class for a method, `fn(…)` for a function: from the file's call index.
    for (const i of file.callSitesOf(fn.name, cls)) {
      const call = tv.args(i + 1);
      if (!call) continue;
      const positional = call.args.filter((a) => !a.name);
      const arg = call.args.find((a) => a.name === param) ?? positional[pos - offset];
      if (!arg) continue;
      const range = tv.range(arg.valueStart, arg.end);
      if (!range) continue;
      const v = this.evaluate({ file, scope: file.scopeAt(i), first: range[0], last: range[1], env: undefined }, {});
      if (v) return { v, argOf: { call: `${file.textOf(i, call.close)}`, line: file.lineOf(tv.start(i)), name: param } };
    }
    return { v: undefined };
  }

  private evalCall(ref: Ref, trace?: Trace): Value | undefined {
    const { file } = ref;
    const tv = file.tv;
    const open = tv.openOf(ref.last, ref.first);
    if (open <= ref.first) return undefined;
    const callee = span(ref, ref.first, open - 1);
    const lastName = tv.kind(open - 1) === TK_NAME ? tv.str(open - 1) : '';
    const dotted = tv.kind(open - 2) === TK_DOT;
    // x.view(...), x.float(): the receiver's value.
    if (dotted && (PASSTHROUGH.has(lastName) || MODULE_SELF.has(lastName))) {
      const v = this.evaluate(span(ref, ref.first, open - 3), trace);
      // Tensors keep what they hold; module.to(device) / .cuda() / .eval() return the module itself.
      if (v?.t === 'origin' && PASSTHROUGH.has(lastName)) return v;
      if ((v?.t === 'instance' || v?.t === 'layer') && MODULE_SELF.has(lastName)) return v;
      return undefined;
    }
    // model.forward(x) is model(x).
    if (dotted && (lastName === 'forward' || lastName === 'call' || lastName === '__call__')) {
      const recv = this.evaluate(span(ref, ref.first, open - 3));
      if (recv && (recv.t === 'instance' || recv.t === 'layer')) return this.apply(recv, ref, open, trace);
    }
    // A library layer constructed here: nn.Softmax(dim=1), nn.Sequential(...), layers.Dense(10).
    const layer = layerName(callee);
    if (layer) return { t: 'layer', ref, name: layer };
    const f = this.evaluate(callee, trace);
    if (!f) return undefined;
    if (f.t === 'class') return { t: 'instance', cls: f.cls };
    return this.apply(f, ref, open, trace);
  }

  /** The output of calling `f` at the call whose `(` is token `open` of `ref`. */
  /** The output of calling `f` (used by the layer code for a Sequential's last layer). */
  apply(f: Value, ref: Ref, open: number, trace?: Trace): Value | undefined {
    const file = ref.file;
    const tv = file.tv;
    const call = open >= 0 ? tv.args(open) : { args: [], close: -1 };
    if (!call) return undefined;
    if (f.t === 'function') {
      const fnFile = this.fileOf(f.fn) ?? file;
      const env = new Map<string, Ref>();
      const offset = f.fn.params[0] === 'self' && (f.self || f.fn.parent?.kind === 'class') ? 1 : 0;
      const positional = call.args.filter((a) => !a.name);
      f.fn.params.slice(offset).forEach((p, k) => {
        const a = call.args.find((x) => x.name === p) ?? positional[k];
        const range = a ? tv.range(a.valueStart, a.end) : undefined;
        if (range) env.set(p, { file, scope: ref.scope, first: range[0], last: range[1], env: ref.env });
      });
      return this.returnValue(fnFile, f.fn, env);
    }
    if (f.t === 'instance') {
      const method = callMethod(this.fileOf(f.cls) ?? file, f.cls);
      return method ? this.apply({ t: 'function', fn: method, self: f.cls }, ref, open, trace) : undefined;
    }
    if (f.t === 'layer') return applyLayer(this, f, ref, open, trace);
    return undefined;
  }

  /**
   * What a function returns. With several `return`s, they must agree: `return logits` in training
   * and `return softmax(logits)` otherwise is not known to be either.
   */
  private returnValue(file: FileModel, fn: Scope, env: Map<string, Ref>): Value | undefined {
    const returns = file.returns(fn).slice(-8);
    let result: Value | undefined;
    for (let k = returns.length - 1; k >= 0; k--) {
      const [a, b] = returns[k];
      if (a === b && file.tv.str(a) === 'None') continue;
      const v = this.evaluate({ file, scope: fn, first: a, last: b, env });
      if (!v) continue;
      if (result && valueKind(result) !== valueKind(v)) return undefined;
      result ??= v;
    }
    return result;
  }
}

/** What kind of value, for comparing alternatives: the origin's kind, or the value's type. */
function valueKind(v: Value | undefined): string {
  if (!v) return 'unknown';
  return v.t === 'origin' ? `origin:${v.origin.kind}` : v.t;
}

function rootScope(s: Scope): Scope {
  let r = s;
  while (r.parent) r = r.parent;
  return r;
}

/** The method a call of an instance runs: the first of `forward`, `__call__`, `call` in the class body. */
function callMethod(file: FileModel, cls: Scope): Scope | undefined {
  let best: Scope | undefined;
  for (const name of ['forward', '__call__', 'call']) {
    const m = file.method(cls, name);
    if (m && (!best || m.first < best.first)) best = m;
  }
  return best;
}

/** Splits tokens [first, last] at top-level tokens of `kind`. */
export function splitTop(tv: TokenView, first: number, last: number, kind: number): [number, number][] {
  return tv.splitTop(first, last, kind);
}

/** Index of the bracket opening the one closing at `close`, when at or after `from`; else -1. */
export function openOf(tv: TokenView, close: number, from: number): number {
  return tv.openOf(close, from);
}

export { TK_NUMBER, TK_OP, TK_STRING };
