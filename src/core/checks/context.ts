/**
 * One run of the checks over a file: the file model, the value flow, where each loss is applied
 * (`Application`), and the helpers every rule shares (argument lists, references, positions,
 * findings). The rules themselves live in `rulesInputs.ts`, `rulesKeras.ts`, `rulesDistill.ts`
 * and `rulesLm.ts` and take a `CheckRun`.
 */
import type { SourceScan } from '../detect/detector';
import type { LossUsage } from '../detect/types';
import { lineColumn } from '../text/lineIndex';
import { TK_DOT, TK_EQUAL, TK_LPAR, TK_NAME, type TokenStream } from '../python/tokenizer';
import { Flow, type Ref } from './flow';
import type { KerasLossNames } from './keras';
import { FileModel, type Assignment, type Scope } from './model';
import { RULES_BY_ID } from './rules';
import type { Arg, TokenView } from './tokens';
import type { Finding, QuickFix, TextEdit } from './types';
import type { Workspace } from './workspace';

export const CE = new Set(['torch.nn.CrossEntropyLoss', 'torch.nn.functional.cross_entropy']);
export const KL = new Set(['torch.nn.KLDivLoss', 'torch.nn.functional.kl_div']);
export const BCE = new Set(['torch.nn.BCELoss', 'torch.nn.functional.binary_cross_entropy']);
export const BCE_LOGITS = new Set(['torch.nn.BCEWithLogitsLoss', 'torch.nn.functional.binary_cross_entropy_with_logits']);
export const NLL = new Set(['torch.nn.NLLLoss', 'torch.nn.functional.nll_loss']);

/** Where a loss is applied to tensors: a function call, or a call of a constructed loss module. */
export interface Application {
  usage: LossUsage;
  /** The prediction argument (first positional, or `input=`). */
  input?: Arg;
  /** For module losses: the application's own argument list (the call of the instance). */
  viaInstance: boolean;
  /** Token index of the application's `(`. */
  open: number;
}

/** A count of the work a run did, for tests that hold it to a small multiple of the input. */
export interface CheckWork {
  /** Tokens read and index entries visited. */
  steps: number;
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
  /** When given, the run adds the tokens it read and the index entries it visited (in this file). */
  work?: CheckWork;
  /** The text's tokens, when the caller has them (made with the same `ipython`): one tokenization per file. */
  tokens?: TokenStream;
}

/** Assignments of one loss instance followed at most this far back through `crit = crit.to(…)` and branches. */
const MAX_BINDINGS = 8;

export class CheckRun {
  readonly tv: TokenView;
  readonly findings: Finding[] = [];
  /** Start offsets of the findings recorded, by rule (one finding per rule and offset). */
  private readonly findingStarts = new Map<string, Set<number>>();
  readonly applications: Application[] = [];
  /**
   * Construction usage → the applications of the instance it creates (only constructions that
   * are applied: a file of many unused instances makes no list per instance).
   */
  readonly instanceApplications = new Map<LossUsage, Application[]>();
  /** Construction usage → `(` of each later call of the instance it is assigned to (when called). */
  readonly instanceCalls = new Map<LossUsage, number[]>();
  private usagesByStart: Map<number, LossUsage[]> | undefined;
  readonly model: FileModel;
  readonly flow: Flow;
  /** Entries of lists the rules walked (with the model's and the view's counts: the run's work). */
  visits = 0;

  constructor(readonly text: string, readonly scan: SourceScan, readonly options: CheckOptions) {
    // The scan is of the same text: its line starts are the model's.
    this.model = new FileModel(text, options.path, options.ipython === true, { tokens: options.tokens, lineStarts: scan.lineStarts });
    this.tv = this.model.tv;
    this.flow = new Flow(this.model, options.workspace);
  }

  /** Usages by the offset their expression starts at (built on first use). */
  get usagesAt(): ReadonlyMap<number, LossUsage[]> {
    if (!this.usagesByStart) {
      const index = new Map<number, LossUsage[]>();
      for (const u of this.scan.usages) {
        const list = index.get(u.expressionStart);
        if (list) list.push(u);
        else index.set(u.expressionStart, [u]);
      }
      this.usagesByStart = index;
    }
    return this.usagesByStart;
  }

  /** The work done so far: tokens read, index entries and list entries visited. */
  get steps(): number {
    return this.tv.reads + this.model.visits + this.visits;
  }

  // ---- applications ---------------------------------------------------------------------------

  collectApplications(): void {
    const tv = this.tv;
    /** Statement index of `x = nn.SomeLoss()` → its usage; (class, attribute) for `self.x = …`. */
    const byStmt: (LossUsage | undefined)[] = [];
    let assigned = 0;
    const names = new Set<string>();
    const bySelf = new Map<Scope, Map<string, LossUsage[]>>();
    for (const u of this.scan.usages) {
      if (u.role !== 'call' || !u.call) continue;
      if (u.kind === 'function') {
        this.applications.push({ usage: u, input: inputArg(this.argsOf(u.call.openParen)), viaInstance: false, open: tv.indexAt(u.call.openParen) });
        continue;
      }
      const open = tv.indexAt(u.call.openParen);
      const close = tv.matching(open);
      // nn.BCELoss()(p, y): constructed and applied in one expression.
      if (close >= 0 && tv.kind(close + 1) === TK_LPAR) {
        this.instanceApplications.set(u, [{ usage: u, input: inputArg(tv.args(close + 1)?.args), viaInstance: true, open: close + 1 }]);
      }
      // criterion = nn.CrossEntropyLoss(...) / self.criterion = ...: the calls of that name bound to it.
      const head = tv.indexAt(u.expressionStart);
      const target = this.assignmentTarget(u, head);
      if (!target) continue;
      if (target.self) {
        const cls = this.model.classOf(this.model.scopeAt(head));
        if (!cls) continue;
        let m = bySelf.get(cls);
        if (!m) bySelf.set(cls, (m = new Map()));
        const list = m.get(target.name) ?? [];
        if (list.length < MAX_BINDINGS) list.push(u);
        m.set(target.name, list);
      } else {
        const stmt = this.model.stmtAt(head);
        if (!stmt) continue;
        if (byStmt[stmt.index] === undefined) assigned++;
        byStmt[stmt.index] = u;
        // Only a name that is called somewhere can apply the instance it holds.
        if (this.model.callSitesOf(target.name).length > 0) names.add(target.name);
      }
    }
    // An instance passed to a function is called by its parameter's name (`def fit(net, loss_fn):`).
    if (assigned > 0) {
      const visit = (s: Scope): void => {
        for (const c of s.children) {
          for (const p of c.params) names.add(p);
          visit(c);
        }
      };
      visit(this.model.module);
    }
    // Each call site is resolved once, to the assignments its name is bound to there (Python's
    // scoping: the innermost function that assigns it, else the enclosing ones, else the module).
    for (const name of names) {
      for (const i of this.model.callSitesOf(name)) {
        for (const a of this.bindings(i, name)) {
          const u = byStmt[a.stmt.index];
          if (u) this.link(u, i + 1);
        }
      }
    }
    // `self.x(…)` in the class that assigns `self.x`, and in its subclasses in this file.
    for (const [cls, attrs] of bySelf) {
      for (const [attr, usages] of attrs) {
        for (const c of this.subclassesOf(cls)) {
          for (const i of this.model.callSitesOf(attr, c)) for (const u of usages) this.link(u, i + 1);
        }
      }
    }
    // In the order of the constructions in the file, each one's in the order found.
    if (this.instanceApplications.size > 0) {
      for (const u of this.scan.usages) {
        const apps = this.instanceApplications.get(u);
        if (apps) for (const app of apps) this.applications.push(app);
      }
    }
  }

  private link(u: LossUsage, open: number): void {
    const calls = this.instanceCalls.get(u);
    if (calls) calls.push(open);
    else this.instanceCalls.set(u, [open]);
    const app: Application = { usage: u, input: inputArg(this.tv.args(open)?.args), viaInstance: true, open };
    const apps = this.instanceApplications.get(u);
    if (apps) apps.push(app);
    else this.instanceApplications.set(u, [app]);
  }

  /**
   * The assignments a name used at token `i` may hold: the last one before the use in its own
   * scope, or the last one of the enclosing scope that binds it; one in a nested block (`if …:`)
   * may not have run, so the ones before it count too; `crit = crit.to(device)` keeps the instance.
   */
  private bindings(i: number, name: string, depth = 0): Assignment[] {
    const model = this.model;
    const here = model.scopeAt(i);
    for (let s: Scope | undefined = here; s; s = s.parent) {
      if (s.kind === 'class' && s !== here) continue;
      // A parameter (`def train(model, criterion):`): what its callers pass.
      if (s.kind === 'def' && s.params.includes(name)) return depth < 4 ? this.paramBindings(s, name, depth + 1) : [];
      if (model.child(s, name)) return [];
      let a = model.lastAssignment(s, name, s === here ? i : Number.MAX_SAFE_INTEGER);
      if (!a) {
        // Assigned later in the same function: a local not yet bound here.
        if (s === here && s.kind === 'def' && model.lastAssignment(s, name, Number.MAX_SAFE_INTEGER)) return [];
        continue;
      }
      const use = model.stmtAt(i);
      const base = s === here && use ? use.indent : (s.stmts[0]?.indent ?? 0);
      const out: Assignment[] = [];
      while (a && out.length < MAX_BINDINGS) {
        this.visits++;
        const stmt = a.assignment.stmt;
        const rebind = this.tv.str(a.assignment.rhsFirst) === name && this.tv.kind(a.assignment.rhsFirst + 1) === TK_DOT;
        if (!rebind) out.push(a.assignment);
        if (!rebind && stmt.indent <= base) break;
        a = model.lastAssignment(s, name, stmt.first);
      }
      return out;
    }
    return [];
  }

  private readonly paramMemo = new Map<Scope, Map<string, Assignment[]>>();

  /** The assignments the callers of `fn` pass as parameter `name` (a bare name at the call site). */
  private paramBindings(fn: Scope, name: string, depth: number): Assignment[] {
    let memo = this.paramMemo.get(fn);
    if (!memo) this.paramMemo.set(fn, (memo = new Map()));
    const known = memo.get(name);
    if (known) return known;
    const out: Assignment[] = [];
    memo.set(name, out); // a recursive function passing the parameter on finds it in progress
    const tv = this.tv;
    const cls = fn.parent?.kind === 'class' ? fn.parent : undefined;
    const pos = fn.params.indexOf(name) - (cls && fn.params[0] === 'self' ? 1 : 0);
    for (const site of this.model.callSitesOf(fn.name, cls)) {
      const call = tv.args(site + 1);
      const arg = call?.args.find((a) => a.name === name) ?? call?.args.filter((a) => !a.name)[pos];
      const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
      if (!range || range[0] !== range[1] || tv.kind(range[0]) !== TK_NAME) continue;
      for (const a of this.bindings(range[0], tv.str(range[0]), depth)) {
        if (out.length < MAX_BINDINGS && !out.includes(a)) out.push(a);
      }
    }
    return out;
  }

  /** `cls` and the classes of this file that derive from it (by the last name of each base). */
  private subclassesOf(cls: Scope): Scope[] {
    if (!this.subclasses) {
      this.subclasses = new Map();
      const tv = this.tv;
      const visit = (s: Scope): void => {
        for (const c of s.children) {
          if (c.kind === 'class') {
            const header = this.model.stmts[c.header];
            const nameTok = tv.str(header.first) === 'class' ? header.first + 1 : header.first + 2;
            const open = nameTok + 1;
            const call = tv.kind(open) === TK_LPAR ? tv.args(open) : undefined;
            for (const a of call?.args ?? []) {
              if (a.name) continue;
              const range = tv.range(a.valueStart, a.end);
              if (!range || tv.kind(range[1]) !== TK_NAME) continue;
              const base = tv.str(range[1]);
              const list = this.subclasses!.get(base);
              if (list) list.push(c);
              else this.subclasses!.set(base, [c]);
            }
          }
          visit(c);
        }
      };
      visit(this.model.module);
    }
    const out = [cls];
    const seen = new Set(out);
    for (let k = 0; k < out.length; k++) {
      for (const d of this.subclasses.get(out[k].name) ?? []) {
        this.visits++;
        if (!seen.has(d)) {
          seen.add(d);
          out.push(d);
        }
      }
    }
    return out;
  }

  private subclasses: Map<string, Scope[]> | undefined;

  argsOf(openParenOffset: number): Arg[] | undefined {
    return this.tv.args(this.tv.indexAt(openParenOffset))?.args;
  }

  /**
   * `name` or `self.name` when the usage's expression is the whole right-hand side of an
   * assignment. `head`: the token of the expression's start, when the caller has it.
   */
  assignmentTarget(u: LossUsage, head = this.tv.indexAt(u.expressionStart)): { self: boolean; name: string } | undefined {
    const tv = this.tv;
    if (tv.kind(head - 1) !== TK_EQUAL) return undefined;
    const name = head - 2;
    if (tv.kind(name) !== TK_NAME) return undefined;
    if (tv.lineStart(name)) return { self: false, name: tv.str(name) };
    if (tv.kind(name - 1) === TK_DOT && tv.kind(name - 2) === TK_NAME && tv.lineStart(name - 2) && tv.str(name - 2) === 'self') {
      return { self: true, name: tv.str(name) };
    }
    return undefined;
  }

  /** References already made, by start offset (the rules ask for the same arguments' references). */
  private readonly refs = new Map<number, { end: number; ref: Ref | undefined }>();

  /** The reference for an argument's expression in the checked file (shared: callers must not change it). */
  refOf(start: number, end: number): Ref | undefined {
    const known = this.refs.get(start);
    if (known && known.end === end) return known.ref;
    const range = this.tv.range(start, end);
    const ref: Ref | undefined = range ? { file: this.model, scope: this.model.scopeAt(range[0]), first: range[0], last: range[1], env: undefined } : undefined;
    this.refs.set(start, { end, ref });
    return ref;
  }

  /** The callee of an application: `F.kl_div` for a function, the instance name (`kl`, `self.kd`) otherwise. */
  calleeRange(app: Application): { start: number; end: number } {
    if (!app.viaInstance) return { start: app.usage.start, end: app.usage.end };
    const name = app.open - 1;
    return this.tv.kind(name) === TK_NAME ? { start: this.tv.start(name), end: this.tv.end(name) } : { start: app.usage.start, end: app.usage.end };
  }

  /** `line 12`, `line 10 of models.py` for another file, or the caller's label (notebook cells). */
  lineText(line: number, file: FileModel = this.model): string {
    if (file !== this.model) return `line ${line}${file.path ? ` of ${file.path.split(/[\\/]/).pop()}` : ''}`;
    return this.options.lineLabel ? this.options.lineLabel(line) : `line ${line}`;
  }

  /** An edit adding `keyword=value` as the last argument of the call opened at `openParen`. */
  insertKeyword(openParen: number, args: Arg[], text: string): TextEdit {
    const last = args[args.length - 1];
    return last ? { start: last.end, end: last.end, newText: `, ${text}` } : { start: openParen + 1, end: openParen + 1, newText: text };
  }

  /** Records a finding (one per rule and start offset). */
  add(rule: string, start: number, end: number, conceptId: string, message: string, fixes: QuickFix[]): Finding | undefined {
    const info = RULES_BY_ID.get(rule);
    if (!info) return undefined;
    let starts = this.findingStarts.get(rule);
    if (!starts) this.findingStarts.set(rule, (starts = new Set()));
    if (starts.has(start)) return undefined;
    starts.add(start);
    const a = lineColumn(this.scan.lineStarts, start);
    const b = lineColumn(this.scan.lineStarts, end);
    const finding: Finding = {
      rule, start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column,
      message, severity: info.defaultSeverity, source: info.source, conceptId, fixes,
    };
    this.findings.push(finding);
    return finding;
  }

  /** 1-based line of an offset of the checked text. */
  lineOf(offset: number): number {
    return lineColumn(this.scan.lineStarts, offset).line;
  }
}

/** The prediction argument: the first positional one, or `input=`. */
export function inputArg(args: Arg[] | undefined): Arg | undefined {
  if (!args) return undefined;
  return args.find((a) => !a.name) ?? args.find((a) => a.name === 'input');
}

/** Source text clipped for messages. */
export function clip(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 77)}…`;
}
