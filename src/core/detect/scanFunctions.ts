/**
 * Function scopes: each function's own names (parameters, assignment, `for`/`as`/`:=` targets, minus
 * `global`/`nonlocal`), which shadow the module's imports and definitions of the same name.
 */
import * as tokens from '../python/tokenizer';
import { scratchArrays } from './scanSupport';
import { ScanBindings } from './scanBindings';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const { TK_AUGASSIGN, TK_COLON, TK_COMMA, TK_DOT, TK_DOUBLESTAR, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_SEMI, TK_STAR, TK_WALRUS } = tokens;

/** Function scopes, from indentation. */
export class ScanFunctions extends ScanBindings {
  /** Enclosing function of each token (index into `functions`), or -1 at module level. */
  protected functionOf: Int32Array | null = null;
  protected readonly functions: { parent: number; locals: Set<string>; globals: Set<string> }[] = [];

  /**
   * Finds function bodies (by indentation) and the names local to each: parameters, assignment
   * targets, `for`/`as`/`:=` targets, minus `global`/`nonlocal` declarations. Python makes such a
   * name local to the whole function, so it never refers to an import or a module-level `def`.
   */
  collectFunctions(): void {
    const { kind, count } = this;
    const filter = this.filter;
    const functionOf = scratchArrays.ints(count);
    const stack: { indent: number; fn: number }[] = [];
    let current = -1;
    let logicalStart = true;
    let headerDepth = -1; // bracket depth while reading a def header's parameters
    let depth = 0;
    for (let i = 0; i < count; i++) {
      const k = kind[i];
      if (k === TK_NEWLINE) {
        logicalStart = true;
        depth = 0;
        headerDepth = -1;
        functionOf[i] = current;
        continue;
      }
      if (logicalStart) {
        logicalStart = false;
        const indent = this.indentOf(i);
        while (stack.length > 0 && indent <= stack[stack.length - 1].indent) stack.pop();
        current = stack.length > 0 ? stack[stack.length - 1].fn : -1;
        if (this.isName(i, 'def') || (this.isName(i, 'async') && this.isName(i + 1, 'def'))) {
          const fn = this.functions.length;
          this.functions.push({ parent: current, locals: new Set(), globals: new Set() });
          // The def line itself (name, parameters, defaults) is attributed to the new function;
          // defaults are really evaluated outside, which only matters for pathological code.
          stack.push({ indent, fn });
          current = fn;
          headerDepth = depth + 1;
        } else if (current >= 0 && kind[i] === TK_NAME) {
          this.noteLocalTargets(i, current);
        }
      }
      functionOf[i] = current;
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth = Math.max(0, depth - 1);
      else if (k === TK_SEMI && depth === 0) logicalStart = true;
      else if (k === TK_NAME && current >= 0) {
        const fn = this.functions[current];
        const prev = i > 0 ? kind[i - 1] : TK_NEWLINE;
        const next = i + 1 < count ? kind[i + 1] : TK_NEWLINE;
        if (headerDepth === depth && (prev === TK_LPAR || prev === TK_COMMA || prev === TK_STAR || prev === TK_DOUBLESTAR)) {
          this.addName(fn.locals, i, filter); // a parameter
        } else if (next === TK_WALRUS) {
          this.addName(fn.locals, i, filter);
        } else if (prev === TK_NAME && (this.isName(i - 1, 'as') || (depth === 0 && this.isName(i - 1, 'for'))) && !this.skip[i]) {
          // (A comprehension's `for` inside brackets binds in the comprehension only: `[f(u) for u in us]`
          // leaves the module `u` visible to the rest of the function.)
          this.addName(fn.locals, i, filter); // `with … as x`, `except E as x`, `for x in`
          for (let j = i + 1; j + 1 < count && kind[j] === TK_COMMA && kind[j + 1] === TK_NAME && this.isName(i - 1, 'for'); j += 2) {
            this.visits += 2;
            this.addName(fn.locals, j + 1, filter);
          }
        } else if (this.end[i] - this.start[i] >= 6 && (this.isName(i, 'global') || this.isName(i, 'nonlocal'))) {
          for (let j = i + 1; j < count && (kind[j] === TK_NAME || kind[j] === TK_COMMA); j++) {
            this.visits++;
            if (kind[j] !== TK_NAME) continue;
            this.addName(fn.globals, j, filter);
            this.skip[j] = 1; // a declaration, not a use
          }
        }
      }
    }
    this.visits += count;
    this.functionOf = functionOf;
  }

  /** `a = …`, `a, b = …`, `a += …`, `a: T = …` at the start of a statement in function `fn`. */
  protected noteLocalTargets(first: number, fn: number): void {
    const { kind, count } = this;
    const names: number[] = [];
    let j = first;
    for (; j < count; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_NAME) {
        if (kind[j + 1] === TK_DOT || kind[j + 1] === TK_LSQB || kind[j + 1] === TK_LPAR) return; // `self.x =`, `d[k] =`, a call
        names.push(j);
      } else if (k !== TK_COMMA && k !== TK_LPAR && k !== TK_RPAR && k !== TK_LSQB && k !== TK_RSQB && k !== TK_STAR) {
        break;
      }
    }
    const k = kind[j];
    const annotated = k === TK_COLON && names.length === 1 && j === first + 1;
    if (k !== TK_EQUAL && k !== TK_AUGASSIGN && !annotated) return;
    for (const t of names) this.addName(this.functions[fn].locals, t, this.filter);
  }

  /**
   * Adds the name of token `i` to a function's `locals` or `globals`, unless the name filter says
   * it can never start a loss reference (then nobody will ask: `findReferences` rejects it first).
   */
  protected addName(set: Set<string>, i: number, filter: Uint8Array | null): void {
    if (filter !== null && !this.mayStartReference(filter, i)) return;
    set.add(this.name(i));
  }

  /** True when `name` at token `i` is a local variable of an enclosing function. */
  protected isFunctionLocal(i: number, name: string): boolean {
    const functionOf = this.functionOf;
    if (!functionOf) return false;
    for (let fn = functionOf[i]; fn >= 0; fn = this.functions[fn].parent) {
      this.visits++;
      const f = this.functions[fn];
      if (f.globals.has(name)) return false;
      if (f.locals.has(name)) return true;
    }
    return false;
  }
}
