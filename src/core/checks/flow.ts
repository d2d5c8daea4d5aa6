/**
 * Following values across a Python file (and the workspace files its imports name): what a model
 * returns, what a variable holds, what a parameter receives. Token-based, like the rest of the
 * checks: statements are the detector tokenizer's logical lines, blocks come from indentation.
 *
 * `FileModel` is one file's outline: statements, `def`/`class` scopes, assignments and imports.
 * `Flow.evaluate` answers "what is this expression?" as a `Value`: a probability/logit producer
 * (`Origin`), a tuple, an instance of a user class, a library layer (`nn.Softmax()`, `Dense(10)`),
 * or a user function — following assignments, tuple unpacking, `self.attr = …` in `__init__`,
 * `forward`/`__call__`/`call`, `nn.Sequential`/`keras.Sequential` last layers, function returns,
 * parameters bound at call sites, and imports that resolve to a workspace file.
 */
import {
  TK_COLON, TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_NUMBER, TK_OP,
  TK_RBRACE, TK_RPAR, TK_RSQB, TK_SEMI, TK_STAR, TK_STRING,
} from '../python/tokenizer';
import { TokenView } from './tokens';

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

export type Value =
  | { t: 'origin'; origin: Origin }
  | { t: 'tuple'; items: Ref[]; keys?: (string | undefined)[] }
  | { t: 'instance'; cls: Scope }
  | { t: 'class'; cls: Scope }
  | { t: 'layer'; ref: Ref; name: string }
  | { t: 'function'; fn: Scope; self?: Scope };

export interface Stmt {
  first: number;
  last: number;
  indent: number;
  scope: Scope;
  index: number;
}

export interface Scope {
  kind: 'module' | 'def' | 'class';
  name: string;
  /** The header statement (`def f(…):`), -1 for the module. */
  header: number;
  indent: number;
  parent?: Scope;
  params: string[];
  /** Statements owned directly (nested defs/classes own theirs). */
  stmts: Stmt[];
  children: Scope[];
  /** First and last token of the whole block (header included). */
  first: number;
  last: number;
}

export interface Assignment {
  stmt: Stmt;
  /** Target names; `self.x` as `self.x`. Position in a tuple target, or -1 for a plain target. */
  targets: { name: string; index: number }[];
  rhsFirst: number;
  rhsLast: number;
}

/** A module import: local name → module and the imported name (undefined for `import m`). */
export interface ImportBinding {
  module: string;
  name?: string;
}

/** Layer classes whose call output is what their last layer (or activation) makes. */
const SEQUENTIAL = new Set(['Sequential']);
const PROB_LAYERS: Record<string, Origin['kind']> = {
  Softmax: 'softmax', Sigmoid: 'sigmoid', LogSoftmax: 'log_softmax', LogSigmoid: 'logsigmoid',
};
/** Methods that keep what a tensor holds (probabilities stay probabilities). */
const PASSTHROUGH = new Set([
  'view', 'reshape', 'contiguous', 'float', 'double', 'half', 'to', 'cuda', 'cpu', 'squeeze', 'unsqueeze',
  'flatten', 'permute', 'transpose', 'clone', 'detach', 'type', 'type_as', 'view_as', 'reshape_as', 'bfloat16',
]);
/** Layers that do not change what their input holds (probabilities stay probabilities). */
const SHAPE_ONLY_LAYERS = /^(Dropout|AlphaDropout|SpatialDropout[123]D|Dropout[123]d|GaussianNoise|GaussianDropout|Flatten|Unflatten|Reshape|Identity|ActivityRegularization)$/;

/** The class name of a layer constructor call `nn.Dropout(0.1)` → `Dropout`, or ''. */
function layerCallName(ref: Ref): string {
  const tv = ref.file.tv;
  if (tv.kind(ref.last) !== TK_RPAR) return '';
  const open = openOf(tv, ref.last, ref.first);
  return open > ref.first && tv.kind(open - 1) === TK_NAME ? tv.str(open - 1) : '';
}

/** nn.Module methods that return the module itself. */
const MODULE_SELF = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'double', 'half', 'bfloat16', 'requires_grad_', 'to_empty']);
const KERAS_ACTIVATIONS: Record<string, Origin['kind']> = { softmax: 'softmax', sigmoid: 'sigmoid', linear: 'logits' };

export class FileModel {
  readonly tv: TokenView;
  readonly stmts: Stmt[] = [];
  readonly module: Scope;
  readonly assignments: Assignment[] = [];
  readonly imports = new Map<string, ImportBinding>();
  readonly lineStarts: number[];

  constructor(readonly text: string, readonly path?: string, ipython = false) {
    this.tv = new TokenView(text, ipython);
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    this.module = { kind: 'module', name: '', header: -1, indent: -1, params: [], stmts: [], children: [], first: 0, last: this.tv.count - 1 };
    this.build();
  }

  private callSites: Map<string, number[]> | undefined;

  /**
   * Token indices of `name(` for every called name that is not a `def`, built once per file: the
   * flow looks up a function's callers for each parameter it follows, and a scan of the whole file
   * per look-up made a file of many functions quadratic.
   */
  callSitesOf(name: string): readonly number[] {
    if (!this.callSites) {
      const sites = new Map<string, number[]>();
      const tv = this.tv;
      for (let i = 0; i + 1 < tv.count; i++) {
        if (tv.kind(i) !== TK_NAME || tv.kind(i + 1) !== TK_LPAR || tv.str(i - 1) === 'def') continue;
        const n = tv.str(i);
        const list = sites.get(n);
        if (list) list.push(i);
        else sites.set(n, [i]);
      }
      this.callSites = sites;
    }
    return this.callSites.get(name) ?? [];
  }

  lineOf(offset: number): number {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  columnOf(offset: number): number {
    return offset - this.lineStarts[this.lineOf(offset) - 1];
  }

  /** Source text of tokens [first, last], whitespace runs collapsed. */
  textOf(first: number, last: number): string {
    return this.text.slice(this.tv.start(first), this.tv.end(last)).replace(/\s+/g, ' ');
  }

  private build(): void {
    const tv = this.tv;
    const stack: Scope[] = [this.module];
    let first = 0;
    for (let i = 0; i <= tv.count; i++) {
      const k = i < tv.count ? tv.kind(i) : TK_NEWLINE;
      if (k !== TK_NEWLINE && k !== TK_SEMI) continue;
      const last = i - 1;
      if (last >= first) {
        const indent = this.columnOf(tv.start(first));
        const semiContinued = first > 0 && tv.kind(first - 1) === TK_SEMI;
        if (!semiContinued) while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
        const top = stack[stack.length - 1];
        const stmt: Stmt = { first, last, indent, scope: top, index: this.stmts.length };
        this.stmts.push(stmt);
        let head = first;
        if (tv.str(head) === 'async') head++;
        const word = tv.str(head);
        if ((word === 'def' || word === 'class') && tv.kind(head + 1) === TK_NAME) {
          const scope: Scope = {
            kind: word === 'def' ? 'def' : 'class', name: tv.str(head + 1), header: stmt.index, indent, parent: top,
            params: word === 'def' ? this.params(head + 2) : [], stmts: [], children: [], first, last: last,
          };
          top.children.push(scope);
          top.stmts.push(stmt);
          stack.push(scope);
        } else {
          top.stmts.push(stmt);
          for (const s of stack) if (s !== this.module) s.last = Math.max(s.last, last);
          this.assignment(stmt);
          this.importStmt(stmt);
        }
      }
      first = i + 1;
    }
  }

  private params(open: number): string[] {
    if (this.tv.kind(open) !== TK_LPAR) return [];
    const call = this.tv.args(open);
    if (!call) return [];
    const out: string[] = [];
    for (const a of call.args) {
      const i = this.tv.indexAt(a.start);
      const j = this.tv.kind(i) === TK_STAR ? i + 1 : i;
      if (this.tv.kind(j) === TK_NAME) out.push(this.tv.str(j));
    }
    return out;
  }

  private assignment(stmt: Stmt): void {
    const tv = this.tv;
    let depth = 0;
    let eq = -1;
    for (let i = stmt.first; i <= stmt.last; i++) {
      const k = tv.kind(i);
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
      else if (k === TK_EQUAL && depth === 0) {
        eq = i;
        break;
      }
    }
    if (eq <= stmt.first || eq >= stmt.last) return;
    // Annotated `x: T = v`: the target is before the colon.
    let targetLast = eq - 1;
    for (let i = stmt.first; i < eq; i++) if (tv.kind(i) === TK_COLON) targetLast = i - 1;
    let tf = stmt.first;
    let tl = targetLast;
    if ((tv.kind(tf) === TK_LPAR || tv.kind(tf) === TK_LSQB) && tv.matching(tf) === tl) {
      tf++;
      tl--;
    }
    const parts: [number, number][] = [];
    let start = tf;
    depth = 0;
    for (let i = tf; i <= tl + 1; i++) {
      const k = i <= tl ? tv.kind(i) : TK_COMMA;
      if (k === TK_LPAR || k === TK_LSQB) depth++;
      else if (k === TK_RPAR || k === TK_RSQB) depth--;
      else if (k === TK_COMMA && depth === 0) {
        if (i - 1 >= start) parts.push([start, i - 1]);
        start = i + 1;
      }
    }
    const tuple = parts.length > 1 || (tl + 1 <= targetLast && tv.kind(tl + 1) === TK_COMMA) || tv.kind(targetLast) === TK_COMMA;
    const targets: Assignment['targets'] = [];
    parts.forEach(([a, b], idx) => {
      const s = tv.kind(a) === TK_STAR ? a + 1 : a;
      const name = this.textOf(s, b).replace(/\s/g, '');
      if (/^[A-Za-z_][\w.]*$/.test(name)) targets.push({ name, index: tuple ? idx : -1 });
    });
    if (targets.length) this.assignments.push({ stmt, targets, rhsFirst: eq + 1, rhsLast: stmt.last });
  }

  private importStmt(stmt: Stmt): void {
    const tv = this.tv;
    const word = tv.str(stmt.first);
    if (word === 'import') {
      // import a.b.c [as x], d
      let i = stmt.first + 1;
      while (i <= stmt.last) {
        let j = i;
        while (j + 2 <= stmt.last && tv.kind(j + 1) === TK_DOT) j += 2;
        const module = this.textOf(i, j).replace(/\s/g, '');
        if (tv.str(j + 1) === 'as' && tv.kind(j + 2) === TK_NAME) {
          this.imports.set(tv.str(j + 2), { module });
          j += 2;
        } else this.imports.set(module.split('.')[0], { module: module.split('.')[0] });
        i = j + 2;
      }
    } else if (word === 'from') {
      let i = stmt.first + 1;
      let j = i;
      while (j <= stmt.last && tv.str(j) !== 'import') j++;
      const module = this.textOf(i, j - 1).replace(/\s/g, '');
      for (i = j + 1; i <= stmt.last; i++) {
        if (tv.kind(i) !== TK_NAME) continue;
        const name = tv.str(i);
        if (tv.str(i + 1) === 'as' && tv.kind(i + 2) === TK_NAME) {
          this.imports.set(tv.str(i + 2), { module, name });
          i += 2;
        } else this.imports.set(name, { module, name });
      }
    }
  }

  /** The innermost scope whose block holds token `i`. */
  scopeAt(i: number): Scope {
    let s = this.module;
    for (;;) {
      const child = s.children.find((c) => i >= c.first && i <= c.last);
      if (!child) return s;
      s = child;
    }
  }

  /** The statement holding token `i`. */
  stmtAt(i: number): Stmt | undefined {
    let lo = 0;
    let hi = this.stmts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.stmts[mid];
      if (i < s.first) hi = mid - 1;
      else if (i > s.last) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** The class a method belongs to (a `def` directly in a `class`). */
  classOf(scope: Scope): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'class') return s;
    return undefined;
  }

  /** A top-level `def`/`class` of this name. */
  topLevel(name: string): Scope | undefined {
    return this.module.children.find((c) => c.name === name);
  }

  /** Return statements of a function (not of nested functions): their expression token ranges. */
  returns(fn: Scope): [number, number][] {
    const out: [number, number][] = [];
    for (const s of fn.stmts) if (this.tv.str(s.first) === 'return' && s.last > s.first) out.push([s.first + 1, s.last]);
    return out;
  }
}

/** Files of a workspace the checks may follow imports into. */
export interface Workspace {
  /** The file a `from <module> import …` in `fromPath` names, or undefined. */
  resolve(fromPath: string, module: string): FileModel | undefined;
}

/** A workspace over known files (the CLI: every .py file of the scan). */
export class WorkspaceFiles implements Workspace {
  private readonly models = new Map<string, FileModel>();
  private readonly paths: string[];
  private readonly pathSet: Set<string>;
  private readonly resolved = new Map<string, FileModel | undefined>();

  constructor(private readonly files: ReadonlyMap<string, string>) {
    this.paths = [...files.keys()].map((p) => p.split('\\').join('/'));
    this.pathSet = new Set(this.paths);
  }

  model(path: string): FileModel | undefined {
    const p = path.split('\\').join('/');
    let m = this.models.get(p);
    if (!m) {
      const text = this.files.get(path) ?? this.files.get(p);
      if (text === undefined) return undefined;
      m = new FileModel(text, p);
      this.models.set(p, m);
    }
    return m;
  }

  resolve(fromPath: string, module: string): FileModel | undefined {
    const key = `${fromPath}\u0000${module}`;
    if (!this.resolved.has(key)) this.resolved.set(key, this.lookup(fromPath, module));
    return this.resolved.get(key);
  }

  private lookup(fromPath: string, module: string): FileModel | undefined {
    const from = fromPath.split('\\').join('/');
    const dir = from.slice(0, from.lastIndexOf('/'));
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    const candidates = (base: string) => (rest ? [`${base}/${rest}.py`, `${base}/${rest}/__init__.py`] : [`${base}/__init__.py`]);
    if (dots > 0) {
      let base = dir;
      for (let d = 1; d < dots; d++) base = base.slice(0, base.lastIndexOf('/'));
      for (const c of candidates(base)) if (this.pathSet.has(c)) return this.model(c);
      return undefined;
    }
    if (!rest) return undefined;
    // Absolute: next to the importing file first, then any file whose path ends with the module path.
    for (const c of candidates(dir)) if (this.pathSet.has(c)) return this.model(c);
    const suffixes = [`/${rest}.py`, `/${rest}/__init__.py`];
    const hits = this.paths.filter((p) => suffixes.some((s) => p.endsWith(s) || `/${p}` === s));
    if (hits.length === 0) return undefined;
    // The nearest one to the importing file (longest shared prefix).
    hits.sort((a, b) => sharedPrefix(b, from) - sharedPrefix(a, from) || a.length - b.length);
    return this.model(hits[0]);
  }
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

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

const MAX_DEPTH = 24;
/** Evaluation steps per question: bounds the work on pathological code (call chains fanning out). */
const MAX_STEPS = 2_000;

const scopeIds = new WeakMap<Scope, number>();
let nextScopeId = 0;
function scopeKey(s: Scope): number {
  let id = scopeIds.get(s);
  if (id === undefined) {
    id = nextScopeId++;
    scopeIds.set(s, id);
  }
  return id;
}

export class Flow {
  private depth = 0;

  constructor(readonly root: FileModel, private readonly workspace?: Workspace) {
    this.register(root);
  }

  /** Evaluations left for the current question (one top-level `evaluate`). */
  private budget = 0;
  /** Results of expressions evaluated without parameter bindings, and those in progress (cycles). */
  private readonly memo = new Map<string, Value | undefined>();
  private readonly active = new Set<string>();

  /** Evaluates an expression to a value; `trace` records the first hops. */
  evaluate(ref: Ref, trace?: Trace): Value | undefined {
    if (this.depth === 0) this.budget = MAX_STEPS;
    if (this.depth > MAX_DEPTH || --this.budget < 0) return undefined;
    // Memoised when nothing depends on the caller (no parameter bindings). A trace's hops are set
    // after evaluation by the assignment or call site that makes them, so a cached inner value
    // still gets the outer hops named.
    const key = ref.env ? undefined : `${ref.file.path ?? ''}\u0000${ref.first}:${ref.last}:${scopeKey(ref.scope)}`;
    if (key !== undefined) {
      if (this.memo.has(key)) return this.memo.get(key);
      if (this.active.has(key)) return undefined;
      this.active.add(key);
    }
    this.depth++;
    try {
      const v = this.eval(ref, trace);
      if (key !== undefined && this.budget >= 0) this.memo.set(key, v);
      return v;
    } finally {
      this.depth--;
      if (key !== undefined) this.active.delete(key);
    }
  }

  /** What calling a model value produces, with no call site (`model.compile(...)`). */
  output(v: Value): Value | undefined {
    if (v.t === 'layer' || v.t === 'instance' || v.t === 'function') return this.apply(v, v.t === 'layer' ? v.ref : { file: this.root, scope: this.root.module, first: 0, last: -1 }, -1);
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
    const r: Ref = { ...ref, first, last };
    // Top-level comma: a tuple.
    const parts = splitTop(tv, first, last, TK_COMMA);
    if (parts.length > 1) return { t: 'tuple', items: parts.map(([a, b]) => ({ ...r, first: a, last: b })) };

    const prob = tv.probabilityCall(first, last);
    if (prob) {
      return { t: 'origin', origin: { kind: prob.kind, what: `${prob.name}(…)`, line: file.lineOf(prob.nameStart), file, nameStart: prob.nameStart, nameEnd: prob.nameEnd, inner: prob.inner } };
    }

    const lk = tv.kind(last);
    if (lk === TK_RPAR) return this.evalCall(r, trace);
    if (lk === TK_RSQB) {
      // x[...]: a tuple element for an integer index, otherwise the same kind of values.
      const open = openOf(tv, last, first);
      if (open <= first) return undefined;
      const base = this.evaluate({ ...r, last: open - 1 }, trace);
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
      const recv = { ...r, last: last - 2 };
      const attr = tv.str(last);
      if (recv.first === recv.last && tv.str(recv.first) === 'self') {
        const cls = file.classOf(ref.scope);
        if (!cls) return undefined;
        const method = cls.children.find((c) => c.kind === 'def' && c.name === attr);
        if (method) return { t: 'function', fn: method, self: cls };
        return this.selfAttribute(file, cls, attr, trace);
      }
      const base = this.evaluate(recv);
      if (base?.t === 'instance') {
        const model = this.fileOf(base.cls) ?? file;
        const method = base.cls.children.find((c) => c.kind === 'def' && c.name === attr);
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
    const methods = cls.children.filter((c) => c.kind === 'def');
    methods.sort((a, b) => Number(b.name === '__init__') - Number(a.name === '__init__'));
    for (const m of methods) {
      const as = file.assignments.filter((a) => a.stmt.scope === m && a.targets.some((t) => t.name === name));
      const a = as[as.length - 1];
      if (!a) continue;
      const t = a.targets.find((x) => x.name === name)!;
      return this.fromAssignment(file, a, t.index, name, trace);
    }
    // Inherited from a base class defined in this file.
    return undefined;
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
      const def = s.children.find((c) => c.name === name);
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

  private lastAssignment(file: FileModel, scope: Scope, name: string, before: number): { assignment: Assignment; index: number } | undefined {
    let best: { assignment: Assignment; index: number } | undefined;
    for (const a of file.assignments) {
      if (a.stmt.scope !== scope || a.stmt.first >= before) continue;
      const t = a.targets.find((x) => x.name === name);
      if (t) best = { assignment: a, index: t.index };
    }
    return best;
  }

  /** A parameter: the argument passed at the call sites of its function (first one that evaluates). */
  private fromCallers(file: FileModel, fn: Scope, param: string, trace?: Trace): Value | undefined {
    const pos = fn.params.indexOf(param);
    const cls = fn.parent?.kind === 'class' ? fn.parent : undefined;
    const offset = cls && fn.params[0] === 'self' ? 1 : 0;
    const tv = file.tv;
    for (const i of file.callSitesOf(fn.name)) {
      const name = tv.str(i);
      let matches = false;
      if (cls) {
        // self.method(...) inside the class; self(...) / model(...) for forward.
        if (name === fn.name && tv.kind(i - 1) === TK_DOT && tv.str(i - 2) === 'self') matches = file.classOf(file.scopeAt(i)) === cls;
      } else if (name === fn.name && tv.kind(i - 1) !== TK_DOT) matches = true;
      if (!matches) continue;
      const call = tv.args(i + 1);
      if (!call) continue;
      const positional = call.args.filter((a) => !a.name);
      const arg = call.args.find((a) => a.name === param) ?? positional[pos - offset];
      if (!arg) continue;
      const range = tv.range(arg.valueStart, arg.end);
      if (!range) continue;
      const callerScope = file.scopeAt(i);
      const sub: Trace = {};
      const v = this.evaluate({ file, scope: callerScope, first: range[0], last: range[1] }, sub);
      if (v) {
        if (trace && !trace.argOf && !trace.via) {
          trace.argOf = { call: `${file.textOf(i, call.close)}`, line: file.lineOf(tv.start(i)), name: param };
        }
        return v;
      }
    }
    return undefined;
  }

  private evalCall(ref: Ref, trace?: Trace): Value | undefined {
    const { file } = ref;
    const tv = file.tv;
    const open = openOf(tv, ref.last, ref.first);
    if (open <= ref.first) return undefined;
    const callee: Ref = { ...ref, last: open - 1 };
    const lastName = tv.kind(open - 1) === TK_NAME ? tv.str(open - 1) : '';
    const dotted = tv.kind(open - 2) === TK_DOT;
    // x.view(...), x.float(): the receiver's value.
    if (dotted && (PASSTHROUGH.has(lastName) || MODULE_SELF.has(lastName))) {
      const v = this.evaluate({ ...ref, last: open - 3 }, trace);
      // Tensors keep what they hold; module.to(device) / .cuda() / .eval() return the module itself.
      if (v?.t === 'origin' && PASSTHROUGH.has(lastName)) return v;
      if ((v?.t === 'instance' || v?.t === 'layer') && MODULE_SELF.has(lastName)) return v;
      return undefined;
    }
    // model.forward(x) is model(x).
    if (dotted && (lastName === 'forward' || lastName === 'call' || lastName === '__call__')) {
      const recv = this.evaluate({ ...ref, last: open - 3 });
      if (recv && (recv.t === 'instance' || recv.t === 'layer')) return this.apply(recv, ref, open, trace);
    }
    // A library layer constructed here: nn.Softmax(dim=1), nn.Sequential(...), layers.Dense(10).
    const layer = this.layerName(callee);
    if (layer) return { t: 'layer', ref, name: layer };
    const f = this.evaluate(callee, trace);
    if (!f) return undefined;
    if (f.t === 'class') return { t: 'instance', cls: f.cls };
    return this.apply(f, ref, open, trace);
  }

  /** A library layer class named by `callee` (`nn.Softmax`, `Dense`, `tf.keras.layers.Softmax`), not a user class. */
  private layerName(callee: Ref): string | undefined {
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

  /** The output of calling `f` at the call whose `(` is token `open` of `ref`. */
  private apply(f: Value, ref: Ref, open: number, trace?: Trace): Value | undefined {
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
      const method = f.cls.children.find((c) => c.kind === 'def' && (c.name === 'forward' || c.name === '__call__' || c.name === 'call'));
      return method ? this.apply({ t: 'function', fn: method, self: f.cls }, ref, open, trace) : undefined;
    }
    if (f.t === 'layer') return this.applyLayer(f, ref, open, trace);
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

  /** What a library layer outputs when called. */
  private applyLayer(layer: { ref: Ref; name: string }, ref: Ref, open: number, trace?: Trace): Value | undefined {
    const lf = layer.ref.file;
    const ltv = lf.tv;
    const lopen = openOf(ltv, layer.ref.last, layer.ref.first);
    const largs = ltv.args(lopen);
    if (!largs) return undefined;
    const nameStart = ltv.start(lopen - 1);
    const nameEnd = ltv.end(lopen - 1);
    const what = shorten(lf.textOf(layer.ref.first, layer.ref.last));
    const line = lf.lineOf(nameStart);
    const layerNameArg = largs.args.find((a) => a.name === 'name');
    const layerName = layerNameArg ? stringValue(lf.text.slice(layerNameArg.valueStart, layerNameArg.end)) : undefined;
    const base = { what, line, file: lf, nameStart, nameEnd, layerName };
    if (layer.name in PROB_LAYERS) return { t: 'origin', origin: { ...base, kind: PROB_LAYERS[layer.name] } };
    if (layer.name === 'Activation') {
      const act = largs.args.find((a) => !a.name || a.name === 'activation');
      const kind = act ? KERAS_ACTIVATIONS[stringValue(lf.text.slice(act.valueStart, act.end)) ?? ''] : undefined;
      return { t: 'origin', origin: { ...base, kind: kind ?? 'other' } };
    }
    if (layer.name === 'Linear' || layer.name === 'Dense') {
      const sizeArg = layer.name === 'Linear'
        ? largs.args.find((a) => a.name === 'out_features') ?? largs.args.filter((a) => !a.name)[1]
        : largs.args.find((a) => a.name === 'units') ?? largs.args.filter((a) => !a.name)[0];
      const size = sizeArg ? this.intOf(lf, sizeArg.valueStart, sizeArg.end) : undefined;
      let kind: Origin['kind'] = 'logits';
      if (layer.name === 'Dense') {
        const act = largs.args.find((a) => a.name === 'activation') ?? largs.args.filter((a) => !a.name)[1];
        const value = act ? lf.text.slice(act.valueStart, act.end).trim() : undefined;
        if (value !== undefined && value !== 'None') {
          const s = stringValue(value);
          kind = s !== undefined ? KERAS_ACTIVATIONS[s] ?? 'other' : /(^|\.)softmax$/.test(value) ? 'softmax' : /(^|\.)sigmoid$/.test(value) ? 'sigmoid' : 'other';
        }
      }
      return { t: 'origin', origin: { ...base, kind, size } };
    }
    if (SEQUENTIAL.has(layer.name)) {
      const items = this.sequentialLayers(layer.ref, largs.args);
      // Dropout, Flatten, Identity… after the output layer keep what it makes.
      let k = items.length - 1;
      while (k > 0 && SHAPE_ONLY_LAYERS.test(layerCallName(items[k]))) k--;
      const lastLayer = items[k];
      if (!lastLayer) return undefined;
      const v = this.evaluate(lastLayer);
      if (!v) return undefined;
      if (v.t === 'layer' || v.t === 'instance') return this.apply(v, ref, open, trace);
      return undefined;
    }
    if (layer.name === 'Model' || layer.name === 'Functional') {
      const out = largs.args.find((a) => a.name === 'outputs') ?? largs.args.filter((a) => !a.name)[1];
      const range = out ? ltv.range(out.valueStart, out.end) : undefined;
      if (!range) return undefined;
      return this.kerasOutputs({ ...layer.ref, first: range[0], last: range[1] });
    }
    return undefined;
  }

  /** Functional outputs: `outputs`, `[a, b]`, `{"name": t}`; a list becomes a tuple. */
  kerasOutputs(ref: Ref): Value | undefined {
    const tv = ref.file.tv;
    if ((tv.kind(ref.first) === TK_LSQB || tv.kind(ref.first) === TK_LPAR) && tv.matching(ref.first) === ref.last) {
      const items = splitTop(tv, ref.first + 1, ref.last - 1, TK_COMMA).map(([a, b]) => ({ ...ref, first: a, last: b }));
      return { t: 'tuple', items };
    }
    if (tv.kind(ref.first) === TK_LBRACE && tv.matching(ref.first) === ref.last) {
      // {"name": tensor}: the loss dict is keyed by these names.
      const items: Ref[] = [];
      const keys: (string | undefined)[] = [];
      for (const [a, b] of splitTop(tv, ref.first + 1, ref.last - 1, TK_COMMA)) {
        const kv = splitTop(tv, a, b, TK_COLON);
        if (kv.length !== 2) continue;
        keys.push(stringValue(ref.file.textOf(kv[0][0], kv[0][1])));
        items.push({ ...ref, first: kv[1][0], last: kv[1][1] });
      }
      return { t: 'tuple', items, keys };
    }
    return this.evaluate(ref);
  }

  /** The layers of `Sequential([...])`/`Sequential(a, b)` plus later `.add(layer)` calls on its variable. */
  private sequentialLayers(ref: Ref, args: { start: number; end: number; valueStart: number; name?: string }[]): Ref[] {
    const tv = ref.file.tv;
    const out: Ref[] = [];
    const positional = args.filter((a) => !a.name || a.name === 'layers');
    for (const a of positional) {
      const range = tv.range(a.valueStart, a.end);
      if (!range) continue;
      if (tv.kind(range[0]) === TK_LSQB && tv.matching(range[0]) === range[1]) {
        for (const [x, y] of splitTop(tv, range[0] + 1, range[1] - 1, TK_COMMA)) out.push({ ...ref, first: x, last: y });
      } else if (tv.kind(range[0]) !== TK_STAR) out.push({ ...ref, first: range[0], last: range[1] });
    }
    // model = Sequential(); model.add(Dense(…)): the last add on that variable.
    const stmt = ref.file.stmtAt(ref.first);
    const a = stmt ? ref.file.assignments.find((x) => x.stmt === stmt && x.rhsFirst === ref.first && x.rhsLast === ref.last) : undefined;
    if (a && a.targets.length === 1 && a.targets[0].index < 0) {
      const v = a.targets[0].name;
      const reassigned = ref.file.assignments.find((x) => x.stmt.first > ref.last && x.stmt.scope === stmt!.scope && x.targets.some((t) => t.name === v));
      for (const s of ref.file.stmts) {
        if (s.first <= ref.last || s.scope !== stmt!.scope) continue;
        // A later `model = …` starts another model: its layers are not this one's.
        if (reassigned && s.first >= reassigned.stmt.first) break;
        const txt = ref.file.textOf(s.first, Math.min(s.first + v.split('.').length * 2 + 1, s.last)).replace(/\s/g, '');
        if (!txt.startsWith(`${v}.add(`)) continue;
        const openIdx = s.first + v.split('.').length * 2 + 1;
        const call = tv.args(openIdx);
        const arg = call?.args.find((x) => !x.name);
        const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
        if (range) out.push({ ...ref, scope: s.scope, first: range[0], last: range[1] });
      }
    }
    return out;
  }

  private intOf(file: FileModel, start: number, end: number): number | undefined {
    const range = file.tv.range(start, end);
    if (!range || range[0] !== range[1]) return undefined;
    const n = file.tv.intValue(range[0]);
    if (n !== undefined) return n;
    if (file.tv.kind(range[0]) !== TK_NAME) return undefined;
    const a = this.lastAssignment(file, file.module, file.tv.str(range[0]), Number.MAX_SAFE_INTEGER);
    if (!a || a.assignment.rhsFirst !== a.assignment.rhsLast) return undefined;
    return file.tv.intValue(a.assignment.rhsFirst);
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

/** Splits tokens [first, last] at top-level tokens of `kind`. */
export function splitTop(tv: TokenView, first: number, last: number, kind: number): [number, number][] {
  const out: [number, number][] = [];
  let start = first;
  let depth = 0;
  for (let i = first; i <= last; i++) {
    const k = tv.kind(i);
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
    else if (k === kind && depth === 0) {
      if (i - 1 >= start) out.push([start, i - 1]);
      start = i + 1;
    }
  }
  if (last >= start) out.push([start, last]);
  return out;
}

/** Index of the bracket opening the one closing at `close`, searching back to `from`. */
export function openOf(tv: TokenView, close: number, from: number): number {
  let depth = 0;
  for (let i = close; i >= from; i--) {
    const k = tv.kind(i);
    if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth++;
    else if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The value of a Python string literal written as `"x"`/`'x'`, or undefined. */
export function stringValue(text: string): string | undefined {
  const m = /^\s*(['"])([^'"\\]*)\1\s*$/.exec(text);
  return m ? m[2] : undefined;
}

function shorten(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 57)}…`;
}

export { TK_NUMBER, TK_OP, TK_STRING };
