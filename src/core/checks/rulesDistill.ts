/**
 * kd-temperature-squared: a distillation term — KL (or soft-target cross-entropy) between student
 * and teacher outputs both divided by a temperature — that is never multiplied by T² (Hinton et
 * al., 2015, §2). "Multiplied" is looked for in the term's statement, the statements of its
 * function that use its value, and (when it is returned) the statements of the callers.
 */
import { TK_DOT, TK_DOUBLESTAR, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_OP, TK_RBRACE, TK_RPAR, TK_RSQB, TK_STAR } from '../python/tokenizer';
import { CE, KL, type Application, type CheckRun } from './context';
import type { Origin } from './flow';
import { firstAfter, type FileModel, type Scope, type Stmt } from './model';
import type { Arg } from './tokens';
import type { QuickFix } from './types';

/**
 * A distillation term: KL (or soft-target cross-entropy) between student and teacher outputs both
 * divided by a temperature, that is never multiplied by T² (Hinton et al., 2015, §2).
 */
export function kdTemperature(run: CheckRun): void {
  for (const app of run.applications) {
    const qn = app.usage.qualifiedName;
    const isKl = KL.has(qn);
    if (!isKl && !CE.has(qn)) continue;
    const args = run.tv.args(app.open)?.args ?? [];
    const positional = args.filter((a) => !a.name);
    const input = args.find((a) => a.name === 'input') ?? positional[0];
    const target = args.find((a) => a.name === 'target') ?? positional[1];
    if (!input || !target) continue;
    // KL: log_softmax(s / T) against softmax(t / T). Soft-target CE: (s / T) against softmax(t / T).
    const student = isKl ? temperatureOf(run, input, ['log_softmax', 'softmax']) : divisionIn(run, input);
    // The teacher is followed only for a student divided by a temperature (most losses are not).
    if (!student) continue;
    const teacher = temperatureOf(run, target, isKl ? ['softmax', 'log_softmax'] : ['softmax']);
    if (!teacher) continue;
    const t = student.divisor;
    if (/^\d/.test(t) && Number(t) <= 1) continue;
    if (scaledBySquare(run, app)) continue;
    const callee = run.calleeRange(app);
    const close = run.tv.matching(app.open);
    const next = run.tv.kind(close + 1);
    const prev = run.tv.str(run.tv.indexAt(callee.start) - 1);
    const canFix = student.inline && /^[A-Za-z_][\w.]*$/.test(t) && next !== TK_DOT && next !== TK_LSQB && next !== TK_LPAR && !['/', '**', '%', '@', '//'].includes(prev);
    const fixes: QuickFix[] = canFix
      ? [{ title: `Multiply the distillation term by ${t} ** 2`, preferred: true, edits: [{ start: run.tv.end(close), end: run.tv.end(close), newText: ` * ${t} ** 2` }] }]
      : [];
    run.add('kd-temperature-squared', callee.start, callee.end, app.usage.conceptId,
      `This distillation term compares student and teacher outputs divided by the temperature \`${t}\`${student.line ? ` (${run.lineText(student.line)})` : ''} but is not multiplied by ${t} ** 2: its gradients shrink as 1/T², so the soft targets lose weight against the hard-label loss as T grows. Hinton et al. (2015, §2, arXiv:1503.02531): "it is important to multiply them by T²".`,
      fixes);
  }
}

/** `softmax(x / T)` (or a log form) reaching the argument, directly or followed: the divisor text. */
function temperatureOf(run: CheckRun, arg: Arg, kinds: Origin['kind'][]): { divisor: string; inline: boolean; line?: number } | undefined {
  const ref = run.refOf(arg.valueStart, arg.end);
  if (!ref) return undefined;
  const direct = run.tv.probabilityCall(ref.first, ref.last);
  if (direct) {
    if (!kinds.includes(direct.kind) || !direct.inner) return undefined;
    const d = divisorIn(run.model, direct.inner.start, direct.inner.end);
    return d ? { divisor: d, inline: true } : undefined;
  }
  const origin = run.flow.origin(ref);
  if (!origin || !kinds.includes(origin.kind) || !origin.inner) return undefined;
  const d = divisorIn(origin.file, origin.inner.start, origin.inner.end);
  return d ? { divisor: d, inline: false, line: origin.file === run.model ? origin.line : undefined } : undefined;
}

/** `s / T` as the argument itself, or in the variable's assignment in this function. */
function divisionIn(run: CheckRun, arg: Arg): { divisor: string; inline: boolean; line?: number } | undefined {
  const d = divisorIn(run.model, arg.valueStart, arg.end);
  if (d) return { divisor: d, inline: true };
  const ref = run.refOf(arg.valueStart, arg.end);
  if (!ref || ref.first !== ref.last || run.tv.kind(ref.first) !== TK_NAME) return undefined;
  const name = run.tv.str(ref.first);
  const a = run.model.lastAssignment(ref.scope, name, ref.first, true)?.assignment;
  if (!a) return undefined;
  const d2 = divisorIn(run.model, run.tv.start(a.rhsFirst), run.tv.end(a.rhsLast));
  return d2 ? { divisor: d2, inline: false, line: run.model.lineOf(run.tv.start(a.rhsFirst)) } : undefined;
}

/** The divisor of a top-level `/` in file text [start, end): `T`, `self.temperature`, `4.0`. */
function divisorIn(file: FileModel, start: number, end: number): string | undefined {
  const tv = file.tv;
  const range = tv.range(start, end);
  if (!range) return undefined;
  let depth = 0;
  for (let i = range[0]; i <= range[1]; i++) {
    const k = tv.kind(i);
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
    else if (depth === 0 && k === TK_OP && tv.end(i) - tv.start(i) === 1 && tv.str(i) === '/' && i < range[1]) {
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
function scaledBySquare(run: CheckRun, app: Application): boolean {
  const file = run.model;
  const stmt = file.stmtAt(app.open);
  if (!stmt) return false;
  const scope = stmt.scope;
  const index = squareIndex(file);
  if (index.squares(stmt)) return true;
  const assigned = file.assignmentAt(stmt);
  const names = new Set(assigned ? assigned.targets.map((t) => t.name) : []);
  const tracked = [...names];
  let returned = file.tv.str(stmt.first) === 'return';
  // The later statements of the scope that use the value, in order: each found by a binary search
  // in the index of the statements mentioning a tracked name, at most MAX_FOLLOWED of them.
  let p = file.positionInScope(stmt);
  for (let followed = 0; followed < MAX_FOLLOWED; followed++) {
    let next = Number.MAX_SAFE_INTEGER;
    for (const n of tracked) {
      const m = file.mentions(scope, n);
      const k = firstAfter(m, p);
      if (k < m.length && m[k] < next) next = m[k];
    }
    if (next === Number.MAX_SAFE_INTEGER) break;
    p = next;
    const s = scope.stmts[p];
    if (index.squares(s)) return true;
    if (file.tv.str(s.first) === 'return') returned = true;
    for (const t of file.assignmentAt(s)?.targets ?? []) {
      if (names.has(t.name) || names.size >= MAX_NAMES) continue;
      names.add(t.name);
      tracked.push(t.name);
    }
  }
  if (!returned || scope.kind !== 'def') return false;
  return index.callerSquares(scope);
}

/** Statements followed after a distillation term, and names tracked, at most (bounds the work per term). */
const MAX_FOLLOWED = 64;
const MAX_NAMES = 16;

/** Per file: which statements square something, and which functions' callers square their result. */
interface SquareIndex {
  squares(s: Stmt): boolean;
  callerSquares(fn: Scope): boolean;
}

const squareIndexes = new WeakMap<FileModel, SquareIndex>();

function squareIndex(file: FileModel): SquareIndex {
  let index = squareIndexes.get(file);
  if (index) return index;
  const squaring = new Map<number, boolean>();
  const squares = (s: Stmt): boolean => {
    let v = squaring.get(s.index);
    if (v === undefined) squaring.set(s.index, (v = hasSquare(file, s.first, s.last)));
    return v;
  };
  /**
   * Per scope, the names mentioned by its statements that square something, each with their
   * positions in order: one pass over the scope, where the names are read from the squaring
   * statements only (reading every name of the module to find a few was a third of the rule).
   */
  const squaringMentions = new Map<Scope, Map<string, number[]>>();
  const squaringAfter = (scope: Scope, name: string, p: number): boolean => {
    let byName = squaringMentions.get(scope);
    if (!byName) {
      byName = new Map();
      const tv = file.tv;
      for (let q = 0; q < scope.stmts.length; q++) {
        const s = scope.stmts[q];
        if (!squares(s)) continue;
        for (let i = s.first; i <= s.last; i++) {
          if (tv.kind(i) !== TK_NAME) continue;
          const n = tv.str(i);
          const list = byName.get(n);
          if (!list) byName.set(n, [q]);
          else if (list[list.length - 1] !== q) list.push(q);
        }
      }
      squaringMentions.set(scope, byName);
    }
    const list = byName.get(name) ?? [];
    return firstAfter(list, p) < list.length;
  };
  const callers = new Map<Scope, boolean>();
  const callerSquares = (fn: Scope): boolean => {
    const known = callers.get(fn);
    if (known !== undefined) return known;
    // Returned: the callers decide. Unknown callers → cannot tell, stay quiet.
    const cls = fn.parent?.kind === 'class' ? fn.parent : undefined;
    const calls = file.callSitesOf(fn.name, cls);
    const result = calls.length === 0 || calls.some((i) => {
      const s = file.stmtAt(i);
      if (!s) return false;
      if (squares(s)) return true;
      const a = file.assignmentAt(s);
      if (!a) return false;
      const p = file.positionInScope(s);
      return a.targets.some((t) => squaringAfter(s.scope, t.name, p));
    });
    callers.set(fn, result);
    return result;
  };
  index = { squares, callerSquares };
  squareIndexes.set(file, index);
  return index;
}

/** `x ** 2`, `x**2.0`, `pow(x, 2)`, `x.pow(2)`, `x.square()` or `A * A` in tokens [first, last]. */
function hasSquare(file: FileModel, first: number, last: number): boolean {
  const tv = file.tv;
  // Kinds read in place: the callers' squaring index sends every statement of a scope here.
  const kinds = tv.t.kind;
  tv.reads += last - first + 1;
  for (let i = first; i <= last; i++) {
    const k = kinds[i];
    if (k !== TK_DOUBLESTAR && k !== TK_NAME && k !== TK_STAR) continue;
    if (k === TK_DOUBLESTAR && /^2(\.0*)?$/.test(tv.str(i + 1))) return true;
    if (k === TK_NAME && tv.isName(i, 'square') && tv.kind(i + 1) === TK_LPAR) return true;
    if (k === TK_NAME && tv.isName(i, 'pow') && tv.kind(i + 1) === TK_LPAR) {
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
