/**
 * One file's outline for the checks: statements (the tokenizer's logical lines, split at `;`),
 * `def`/`class` scopes from indentation, assignments and imports — and the indexes the flow asks
 * questions of (the last assignment of a name in a scope, a function's call sites, the child of a
 * scope by name). Every index is built once per file, in one pass or lazily on first use: a scan of
 * the file per question made the checks quadratic on long files (issue 23).
 */
import { readImportStatement } from '../python/imports';
import { computeLineStarts, lineIndex } from '../text/lineIndex';
import {
  TK_COLON, TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE,
  TK_RPAR, TK_RSQB, TK_SEMI, TK_STAR, TF_NON_ASCII, type TokenStream,
} from '../python/tokenizer';
import { TokenView } from './tokens';

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

/** An assignment to a name, and the name's position in its targets (-1 for a plain target). */
export interface NameAssignment {
  assignment: Assignment;
  index: number;
}

export class FileModel {
  readonly tv: TokenView;
  readonly stmts: Stmt[] = [];
  readonly module: Scope;
  readonly imports = new Map<string, ImportBinding>();
  /** Line starts from the one line index of core (`\r\n`, `\r` and `\n` end a line). */
  readonly lineStarts: Uint32Array;
  /** Index entries visited by queries (with `tv.reads`, the work the checks did on this file). */
  visits = 0;

  /**
   * Assignments per scope and target name, in statement order: all, and plain (`x = …`) only. A
   * scope's assignments are read on the first question about that scope ({@link assignmentsOf}):
   * most scopes of a long file are never asked about (issue 23).
   */
  private readonly byName = new Map<Scope, Map<string, NameAssignment[]>>();
  private readonly plainByName = new Map<Scope, Map<string, NameAssignment[]>>();
  private readonly assignmentOfStmt: (Assignment | undefined)[] = [];
  private readonly assignmentsRead = new Set<Scope>();
  private readonly topLevels = new Map<string, Scope>();
  private children: Map<Scope, Map<string, Scope>> | undefined;
  private methods: Map<Scope, Map<string, Scope>> | undefined;
  private readonly returnRanges = new Map<Scope, [number, number][]>();
  private bareCalls: Map<string, number[]> | undefined;
  private selfCalls: Map<Scope, Map<string, number[]>> | undefined;
  private addCalls: Map<Scope, Map<string, Stmt[]>> | undefined;
  private readonly mentionIndex = new Map<Scope, Map<string, number[]>>();
  private readonly selfAttributes = new Map<Scope, Map<string, NameAssignment>>();

  /**
   * `shared`: the text's tokens (made with the same `ipython`) and line starts, when the caller
   * already has them (the CLI tokenizes a file once for the detector, the checks and the syntax check).
   */
  constructor(readonly text: string, readonly path?: string, ipython = false, shared: { tokens?: TokenStream; lineStarts?: Uint32Array } = {}) {
    this.tv = new TokenView(text, ipython, shared.tokens);
    this.lineStarts = shared.lineStarts ?? computeLineStarts(text);
    this.module = { kind: 'module', name: '', header: -1, indent: -1, params: [], stmts: [], children: [], first: 0, last: this.tv.count - 1 };
    this.build();
    for (const c of this.module.children) if (!this.topLevels.has(c.name)) this.topLevels.set(c.name, c);
  }

  lineOf(offset: number): number {
    return lineIndex(this.lineStarts, offset) + 1;
  }

  columnOf(offset: number): number {
    return offset - this.lineStarts[lineIndex(this.lineStarts, offset)];
  }

  /** Source text of tokens [first, last], whitespace runs collapsed. */
  textOf(first: number, last: number): string {
    return this.text.slice(this.tv.start(first), this.tv.end(last)).replace(/\s+/g, ' ');
  }

  private build(): void {
    const tv = this.tv;
    const stack: Scope[] = [this.module];
    const lineStarts = this.lineStarts;
    // Statements start in order: the line of each is found by moving forward, not by a search.
    let line = 0;
    let first = 0;
    // The token kinds read in place: this loop visits every token of the file.
    const kinds = tv.t.kind;
    const n = tv.count;
    tv.reads += n;
    for (let i = 0; i <= n; i++) {
      const k = i < n ? kinds[i] : TK_NEWLINE;
      if (k !== TK_NEWLINE && k !== TK_SEMI) continue;
      const last = i - 1;
      if (last >= first) {
        const start = tv.start(first);
        while (line + 1 < lineStarts.length && lineStarts[line + 1] <= start) line++;
        const indent = start - lineStarts[line];
        const semiContinued = first > 0 && tv.kind(first - 1) === TK_SEMI;
        if (!semiContinued) while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
        const top = stack[stack.length - 1];
        const stmt: Stmt = { first, last, indent, scope: top, index: this.stmts.length };
        this.stmts.push(stmt);
        const head = tv.isName(first, 'async') ? first + 1 : first;
        const isDef = tv.isName(head, 'def');
        if ((isDef || tv.isName(head, 'class')) && tv.kind(head + 1) === TK_NAME) {
          const scope: Scope = {
            kind: isDef ? 'def' : 'class', name: tv.str(head + 1), header: stmt.index, indent, parent: top,
            params: isDef ? this.params(head + 2) : [], stmts: [], children: [], first, last,
          };
          top.children.push(scope);
          top.stmts.push(stmt);
          stack.push(scope);
        } else {
          top.stmts.push(stmt);
          for (let s = stack.length - 1; s > 0 && stack[s].last < last; s--) stack[s].last = last;
          if (tv.isName(head, 'import') || tv.isName(head, 'from')) this.importStmt(stmt);
        }
      }
      first = i + 1;
    }
  }

  /**
   * The parameter names of `def f(…)` whose `(` is token `open`: the name starting each top-level
   * item (after a `*`), read from the tokens in one walk (every `def` of the file comes here).
   */
  private params(open: number): string[] {
    const tv = this.tv;
    if (tv.kind(open) !== TK_LPAR) return [];
    const close = tv.matching(open);
    if (close < 0) return [];
    const kinds = tv.t.kind;
    const out: string[] = [];
    let itemStart = true;
    for (let i = open + 1; i < close; i++) {
      const k = kinds[i];
      if (k === TK_COMMA) {
        itemStart = true;
        continue;
      }
      if (itemStart) {
        itemStart = false;
        const j = k === TK_STAR ? i + 1 : i;
        if (kinds[j] === TK_NAME) out.push(tv.str(j));
      }
      // A bracketed default or annotation: its commas are not the list's.
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
        const end = tv.matching(i);
        if (end < 0 || end > close) break;
        i = end;
      }
    }
    tv.reads += close - open;
    return out;
  }

  private assignment(stmt: Stmt): void {
    const tv = this.tv;
    let eq = -1;
    const kinds = tv.t.kind;
    for (let i = stmt.first; i <= stmt.last; i++) {
      tv.reads++;
      const k = kinds[i];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
        const close = tv.matching(i);
        if (close < 0 || close > stmt.last) break;
        i = close;
      } else if (k === TK_EQUAL) {
        eq = i;
        break;
      } else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) break;
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
    const parts = tl >= tf ? tv.splitTop(tf, tl, TK_COMMA) : [];
    const tuple = parts.length > 1 || (tl + 1 <= targetLast && tv.kind(tl + 1) === TK_COMMA) || tv.kind(targetLast) === TK_COMMA;
    const targets: Assignment['targets'] = [];
    for (let idx = 0; idx < parts.length; idx++) {
      const [p, b] = parts[idx];
      const name = this.targetName(tv.kind(p) === TK_STAR ? p + 1 : p, b);
      if (name !== undefined) targets.push({ name, index: tuple ? idx : -1 });
    }
    if (!targets.length) return;
    const a: Assignment = { stmt, targets, rhsFirst: eq + 1, rhsLast: stmt.last };
    this.assignmentOfStmt[stmt.index] = a;
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k];
      // A name listed twice (`x, x = …`) is indexed at its first place.
      let repeated = false;
      for (let j = 0; j < k && !repeated; j++) repeated = targets[j].name === t.name;
      if (repeated) continue;
      const entry: NameAssignment = { assignment: a, index: t.index };
      push(this.byName, stmt.scope, t.name, entry);
      if (t.index < 0) push(this.plainByName, stmt.scope, t.name, entry);
    }
  }

  /**
   * A target's dotted name (`x`, `self.fc`, whitespace dropped) for tokens [first, last], or
   * undefined for any other target (`x[0]`, `f(x).y`). ASCII names joined by dots are read from the
   * tokens; anything else from the text.
   */
  private targetName(first: number, last: number): string | undefined {
    const tv = this.tv;
    const flags = tv.t.flags;
    let simple = true;
    for (let i = first; i <= last && simple; i++) {
      simple = (i - first) % 2 === 0 ? tv.kind(i) === TK_NAME && (flags[i] & TF_NON_ASCII) === 0 : tv.kind(i) === TK_DOT;
    }
    if (simple && (last - first) % 2 === 0) {
      if (first === last) return tv.str(first);
      let name = tv.str(first);
      for (let i = first + 2; i <= last; i += 2) name += `.${tv.str(i)}`;
      return name;
    }
    const name = this.textOf(first, last).replace(/\s/g, '');
    return /^[A-Za-z_][\w.]*$/.test(name) ? name : undefined;
  }

  private importStmt(stmt: Stmt): void {
    const st = readImportStatement(this.text, this.tv.t, stmt.first);
    if (!st) return;
    for (const b of st.bindings) this.imports.set(b.name, b.fromImport ? { module: st.module, name: b.importedName } : { module: b.target });
  }

  /** Reads the assignments of a scope's own statements (not its `def`/`class` headers), once. */
  private assignmentsOf(scope: Scope): void {
    if (this.assignmentsRead.has(scope)) return;
    this.assignmentsRead.add(scope);
    const stmts = scope.stmts;
    const children = scope.children;
    // Headers are in statement order, as the children are.
    let child = 0;
    for (let k = 0; k < stmts.length; k++) {
      const stmt = stmts[k];
      if (child < children.length && children[child].header === stmt.index) {
        child++;
        continue;
      }
      this.assignment(stmt);
    }
  }

  /** The assignment statement `stmt` makes, if it is one. */
  assignmentAt(stmt: Stmt): Assignment | undefined {
    this.assignmentsOf(stmt.scope);
    return this.assignmentOfStmt[stmt.index];
  }

  /**
   * The last assignment to `name` in `scope` whose statement starts before token `before`
   * (`plain`: only `name = …`, not `name, y = …`). A binary search in the name's assignments.
   */
  lastAssignment(scope: Scope, name: string, before: number, plain = false): NameAssignment | undefined {
    this.assignmentsOf(scope);
    const list = (plain ? this.plainByName : this.byName).get(scope)?.get(name);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      this.visits++;
      const mid = (lo + hi) >> 1;
      if (list[mid].assignment.stmt.first < before) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? list[lo - 1] : undefined;
  }

  /** The first assignment to `name` in `scope` whose statement starts after token `after`. */
  nextAssignment(scope: Scope, name: string, after: number): NameAssignment | undefined {
    this.assignmentsOf(scope);
    const list = this.byName.get(scope)?.get(name);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      this.visits++;
      const mid = (lo + hi) >> 1;
      if (list[mid].assignment.stmt.first <= after) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }

  /**
   * The assignment that sets `self.attr` (`name` is `self.attr`) in class `cls`: the last one in
   * `__init__`, else the last one in the first method (in order) that sets it. Built per class once.
   */
  selfAssignment(cls: Scope, name: string): NameAssignment | undefined {
    let attrs = this.selfAttributes.get(cls);
    if (!attrs) {
      attrs = new Map();
      const methods = cls.children.filter((c) => c.kind === 'def');
      methods.sort((a, b) => Number(b.name === '__init__') - Number(a.name === '__init__'));
      for (const m of methods) {
        this.assignmentsOf(m);
        for (const [n, list] of this.byName.get(m) ?? []) {
          if (n.startsWith('self.') && !attrs.has(n)) attrs.set(n, list[list.length - 1]);
        }
      }
      this.selfAttributes.set(cls, attrs);
    }
    this.visits++;
    return attrs.get(name);
  }

  /** The innermost scope whose block holds token `i` (a binary search per level). */
  scopeAt(i: number): Scope {
    let s = this.module;
    for (;;) {
      const cs = s.children;
      let lo = 0;
      let hi = cs.length - 1;
      let found: Scope | undefined;
      while (lo <= hi) {
        this.visits++;
        const mid = (lo + hi) >> 1;
        const c = cs[mid];
        if (i < c.first) hi = mid - 1;
        else if (i > c.last) lo = mid + 1;
        else {
          found = c;
          break;
        }
      }
      if (!found) return s;
      s = found;
    }
  }

  /** The statement holding token `i`. */
  stmtAt(i: number): Stmt | undefined {
    let lo = 0;
    let hi = this.stmts.length - 1;
    while (lo <= hi) {
      this.visits++;
      const mid = (lo + hi) >> 1;
      const s = this.stmts[mid];
      if (i < s.first) hi = mid - 1;
      else if (i > s.last) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** Position of `stmt` in its scope's `stmts`. */
  positionInScope(stmt: Stmt): number {
    const list = stmt.scope.stmts;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      this.visits++;
      const mid = (lo + hi) >> 1;
      if (list[mid].first < stmt.first) lo = mid + 1;
      else if (list[mid].first > stmt.first) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** The class a method belongs to (a `def` directly in a `class`). */
  classOf(scope: Scope): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'class') return s;
    return undefined;
  }

  /** A top-level `def`/`class` of this name (the first one). */
  topLevel(name: string): Scope | undefined {
    return this.topLevels.get(name);
  }

  /** The first `def`/`class` of this name directly in `scope`. */
  child(scope: Scope, name: string): Scope | undefined {
    this.children ??= new Map();
    return firstByName(this.children, scope, scope.children, name);
  }

  /** The first `def` of this name directly in `scope` (a method, for a class). */
  method(scope: Scope, name: string): Scope | undefined {
    this.methods ??= new Map();
    return firstByName(this.methods, scope, scope.children.filter((c) => c.kind === 'def'), name);
  }

  /** Return statements of a function (not of nested functions): their expression token ranges. */
  returns(fn: Scope): [number, number][] {
    let out = this.returnRanges.get(fn);
    if (!out) {
      out = [];
      for (const s of fn.stmts) if (this.tv.str(s.first) === 'return' && s.last > s.first) out.push([s.first + 1, s.last]);
      this.returnRanges.set(fn, out);
    }
    return out;
  }

  /**
   * Token indices of the name in calls of a function: `name(…)` (not `x.name(…)`, not `def name(`)
   * for a plain function, `self.name(…)` inside class `cls` for a method. One pass over the file
   * on first use.
   */
  callSitesOf(name: string, cls?: Scope): readonly number[] {
    if (!this.bareCalls || !this.selfCalls) {
      const bare = new Map<string, number[]>();
      const self = new Map<Scope, Map<string, number[]>>();
      const tv = this.tv;
      for (const [n, sites] of this.callIndex()) {
        for (const i of sites) {
          if (tv.kind(i - 1) === TK_DOT) {
            if (!tv.isName(i - 2, 'self')) continue;
            const c = this.classOf(this.scopeAt(i));
            if (c) push(self, c, n, i);
          } else if (!tv.isName(i - 1, 'def')) {
            const list = bare.get(n);
            if (list) list.push(i);
            else bare.set(n, [i]);
          }
        }
      }
      this.bareCalls = bare;
      this.selfCalls = self;
    }
    const out = cls ? this.selfCalls.get(cls)?.get(name) : this.bareCalls.get(name);
    this.visits += out?.length ?? 0;
    return out ?? [];
  }

  /**
   * Token indices of the name in every `name(` of the file, whatever comes before it (`f(`,
   * `x.f(`, `self.f(`, `def f(`), in order. The rules that look for one callee (`compile`,
   * `Linear`) and {@link callSitesOf} share this index: one pass over the tokens, on first use.
   */
  callsNamed(name: string): readonly number[] {
    const out = this.callIndex().get(name) ?? [];
    this.visits += out.length;
    return out;
  }

  private calls: Map<string, number[]> | undefined;

  private callIndex(): Map<string, number[]> {
    if (!this.calls) {
      const index = new Map<string, number[]>();
      const tv = this.tv;
      const kinds = tv.t.kind;
      const n = tv.count;
      for (let i = 0; i + 1 < n; i++) {
        if (kinds[i] !== TK_NAME || kinds[i + 1] !== TK_LPAR) continue;
        const name = tv.str(i);
        const list = index.get(name);
        if (list) list.push(i);
        else index.set(name, [i]);
      }
      tv.reads += n;
      this.calls = index;
    }
    return this.calls;
  }

  /** Statements `receiver.add(…)` in `scope` (Keras `model.add(layer)`), in order. */
  addCallsOf(scope: Scope, receiver: string): readonly Stmt[] {
    if (!this.addCalls) {
      const index = new Map<Scope, Map<string, Stmt[]>>();
      const tv = this.tv;
      for (const s of this.stmts) {
        let j = s.first;
        if (tv.kind(j) !== TK_NAME) continue;
        while (j + 2 <= s.last && tv.kind(j + 1) === TK_DOT && tv.kind(j + 2) === TK_NAME) j += 2;
        // NAME(.NAME)* . add (  — j is `add`.
        if (j - 2 < s.first || !tv.isName(j, 'add') || tv.kind(j + 1) !== TK_LPAR) continue;
        push(index, s.scope, this.textOf(s.first, j - 2).replace(/\s/g, ''), s);
      }
      this.addCalls = index;
    }
    const out = this.addCalls.get(scope)?.get(receiver) ?? [];
    this.visits += out.length;
    return out;
  }

  /**
   * Positions (in `scope.stmts`) of the statements of `scope` that mention the name `name` as a
   * token, in order. Built for a scope on first use, in one pass over its statements.
   */
  mentions(scope: Scope, name: string): readonly number[] {
    let index = this.mentionIndex.get(scope);
    if (!index) {
      index = new Map();
      const tv = this.tv;
      const kinds = tv.t.kind;
      const stmts = scope.stmts;
      for (let p = 0; p < stmts.length; p++) {
        const s = stmts[p];
        tv.reads += s.last - s.first + 1;
        for (let i = s.first; i <= s.last; i++) {
          if (kinds[i] !== TK_NAME) continue;
          const n = tv.str(i);
          const list = index.get(n);
          if (!list) index.set(n, [p]);
          else if (list[list.length - 1] !== p) list.push(p);
        }
      }
      this.mentionIndex.set(scope, index);
    }
    this.visits++;
    return index.get(name) ?? [];
  }
}

function push<K, T>(index: Map<K, Map<string, T[]>>, key: K, name: string, value: T): void {
  let byName = index.get(key);
  if (!byName) index.set(key, (byName = new Map()));
  const list = byName.get(name);
  if (list) list.push(value);
  else byName.set(name, [value]);
}

function firstByName(cache: Map<Scope, Map<string, Scope>>, scope: Scope, candidates: Scope[], name: string): Scope | undefined {
  let byName = cache.get(scope);
  if (!byName) {
    byName = new Map();
    for (const c of candidates) if (!byName.has(c.name)) byName.set(c.name, c);
    cache.set(scope, byName);
  }
  return byName.get(name);
}

/** The first index in the sorted `list` whose value is greater than `p`, or `list.length`. */
export function firstAfter(list: readonly number[], p: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
