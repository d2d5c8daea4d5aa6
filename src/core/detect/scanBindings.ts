/**
 * Pass 1, the scope: imports (relative, star, `as`), module aliases (`nn = torch.nn`, `Dice = DiceLoss`),
 * definitions named like losses (`def focal_loss`, `class DiceLoss(_Loss)`, methods of loss classes,
 * subclasses named after their base), assigned names, `__all__` and lazy-import tables; then the
 * filter of names that can start a loss reference.
 */
import * as tokens from '../python/tokenizer';
import { readImportStatement } from '../python/imports';
import { LOSS_WORDS, isLossHolderName, isNamedLoss, splitIdentifier } from '../concepts/lexicon';
import { isNonLossPackage } from './lossIndex';
import { isClassLike, isLossModulePath, stringContent, topLevelPackage } from './scanSupport';
import { ScanUsages } from './scanUsages';
import type { LossUsage, ProjectImports } from './types';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const { TK_AUGASSIGN, TK_COLON, TK_COMMA, TK_DOT, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_SEMI, TK_STRING, TF_NON_ASCII } = tokens;

/** Pass 1: what the names of the source are bound to. */
export class ScanBindings extends ScanUsages {
  /** The project's other files, for names imported from its modules (`ScanOptions.project`). */
  project: ProjectImports | undefined;

  collectScope(): void {
    const { kind, count } = this;
    const pendingAliases: { name: number; head: number; last: number }[] = [];
    const assignments: number[] = [];
    let allList = -1;
    for (let i = 0; i < count; i++) {
      if (kind[i] !== TK_NAME) continue;
      // Everything below starts a statement: after a line end, `;`, the `:` of a one-line compound
      // statement (`try: import x`), or `async` (`async def`). Other names are skipped unread.
      const prev = i === 0 ? TK_NEWLINE : kind[i - 1];
      if (prev !== TK_NEWLINE && prev !== TK_SEMI && prev !== TK_COLON && !(prev === TK_NAME && this.isName(i - 1, 'async'))) continue;
      const next = kind[i + 1];
      // Assignment targets matter only against a star import: kept as token positions, read below.
      if ((next === TK_EQUAL || next === TK_AUGASSIGN || next === TK_COMMA || next === TK_COLON) && this.isStatementStart(i)) assignments.push(i);
      else if (next === TK_NAME && this.isName(i, 'for')) assignments.push(i + 1);
      if (this.isName(i, 'import') || this.isName(i, 'from')) {
        i = this.parseImport(i);
      } else if (this.isName(i, 'def') || this.isName(i, 'class')) {
        if (kind[i + 1] === TK_NAME) this.recordDefinition(i + 1, this.isName(i, 'class') ? 'class' : 'function');
      } else if (this.isStatementStart(i) && kind[i + 1] === TK_EQUAL) {
        if (this.isName(i, '__all__')) allList = i + 2;
        // `_import_structure = {"dpo_trainer": ["DPOTrainer"], …}`: a lazily imported package's exports.
        else if (this.isName(i, '_import_structure')) this.recordLazyExports(i + 2);
        // `loss = "mse"`, `loss = {"out": "bce"}`: the loss given to `compile(loss=loss)` later.
        else if (this.isName(i, 'loss')) this.lossStrings.push(i + 2);
        if (kind[i + 2] !== TK_NAME) continue;
        // `nn = torch.nn` (a module alias), `Dice = DiceLoss`, `CE = nn.CrossEntropyLoss`: the right
        // side is a bare dotted name.
        let j = i + 2;
        while (kind[j + 1] === TK_DOT && kind[j + 2] === TK_NAME) j += 2;
        const after = kind[j + 1];
        if (j + 1 >= count || after === TK_NEWLINE || after === TK_SEMI) {
          pendingAliases.push({ name: i, head: i + 2, last: j });
          if (j === i + 2) this.noteHeldName(i, j);
        }
      } else if (this.isStatementStart(i) && kind[i + 1] === TK_DOT) {
        // `self.kl_loss = nn.KLDivLoss()`: an attribute that holds an instance or a value. Its
        // calls (`self.kl_loss(x, y)`) are calls of that object, not of a loss named by its words.
        let j = i;
        while (kind[j + 1] === TK_DOT && kind[j + 2] === TK_NAME) j += 2;
        if (j > i && (kind[j + 1] === TK_EQUAL || kind[j + 1] === TK_AUGASSIGN || kind[j + 1] === TK_COLON) && !this.rebindsItself(i, j)) this.attributeTargets.add(this.name(j));
        if (j > i && kind[j + 1] === TK_EQUAL && kind[j + 2] === TK_NAME && (j + 3 >= count || kind[j + 3] === TK_NEWLINE || kind[j + 3] === TK_SEMI)) this.noteHeldName(j, j + 2);
      } else if (this.isStatementStart(i) && kind[i + 1] === TK_AUGASSIGN && this.isName(i, '__all__')) {
        allList = i + 2;
      }
    }
    this.visits += count;
    if (this.scope.starModules.length > 0) for (const first of assignments) this.noteAssigned(first);
    this.dropImportedModules();
    for (const alias of pendingAliases) this.resolveAlias(alias.name, alias.head, alias.last);
    if (allList >= 0) this.recordAllList(allList);
    this.settleHeldDefinitions();
    this.filter = this.nameFilter();
  }

  /** `a = …`, `a, b = …`, `a: T = …`, `a += …`, or the targets of `for a, b in`, from token `first`. */
  protected noteAssigned(first: number): void {
    const { kind, count } = this;
    const names: number[] = [];
    let j = first;
    for (; j < count && (kind[j] === TK_NAME || kind[j] === TK_COMMA) && !this.isName(j, 'in'); j++) if (kind[j] === TK_NAME) names.push(j);
    this.visits += j - first + 1;
    const k = kind[j];
    const target = k === TK_EQUAL || k === TK_AUGASSIGN || (k === TK_COLON && names.length === 1) || (k === TK_NAME && names.length > 0);
    if (!target) return;
    for (const t of names) this.scope.assigned.add(this.name(t));
  }

  /** Names imported from the project's own modules and recognised by their words, with their import usage. */
  protected readonly importedByWords = new Map<string, LossUsage>();

  /**
   * `from .kernels import cross_entropy_loss` then `cross_entropy_loss._forward_impl(…)`: a name
   * whose attributes are read is a module, not a loss. Its import usage is withdrawn and its name
   * forgotten (call before `findReferences`).
   */
  protected dropImportedModules(): void {
    const { kind, count } = this;
    const imported = this.importedByWords;
    if (imported.size === 0) return;
    const modules = new Set<LossUsage>();
    const lengths = new Uint8Array(65);
    for (const name of imported.keys()) lengths[Math.min(64, name.length)] = 1;
    this.visits += count;
    for (let i = 0; i + 1 < count; i++) {
      if (kind[i] !== TK_NAME || kind[i + 1] !== TK_DOT || (i > 0 && kind[i - 1] === TK_DOT) || this.skip[i]) continue;
      if (lengths[Math.min(64, this.end[i] - this.start[i])] === 0) continue;
      // `PPOTrainer.remote(…)`, `FocalLoss.from_config(…)`: a class's attributes, not a module's.
      if (isClassLike(this.text[this.start[i]])) continue;
      const usage = imported.get(this.name(i));
      if (!usage) continue;
      modules.add(usage);
      this.scope.handwritten.delete(this.name(i));
    }
    if (modules.size > 0) this.usages.splice(0, this.usages.length, ...this.usages.filter((u) => !modules.has(u)));
  }

  /** Right sides of `loss = …` assignments, read for Keras strings by `findStrings`. */
  protected readonly lossStrings: number[] = [];

  /** Names assigned as attributes anywhere in the source (`self.ce_loss = …`). */
  protected readonly attributeTargets = new Set<string>();

  /**
   * `name = a.b.c` (a bare dotted name): a module alias (`nn = torch.nn`), an alias of a library
   * loss (`CE = nn.CrossEntropyLoss`) or of a loss defined or imported here (`Dice = DiceLoss`,
   * whose two names are both uses). Only at module level for the last two: inside a function the
   * name is a local variable.
   */
  protected resolveAlias(nameToken: number, head: number, last: number): void {
    const parts: string[] = [];
    for (let j = head; j <= last; j += 2) parts.push(this.name(j));
    this.visits += last - head + 1;
    const alias = this.name(nameToken);
    const bindings = this.scope.bindings.get(parts[0]) ?? [];
    for (const binding of bindings) {
      const target = [binding.target, ...parts.slice(1)].join('.');
      if (this.index.isKnownModule(target)) {
        this.scope.addBinding(alias, { target, importedName: parts[parts.length - 1], fromImport: false });
        return;
      }
    }
    // `loss_fn = keras.losses.mse`, `criterion = DiceLoss`: a variable that holds the loss (followed
    // like an instance, by the checks), not another name for it.
    if (this.indentOf(nameToken) !== 0 || isLossHolderName(alias)) return;
    for (const binding of bindings) {
      const target = [binding.target, ...parts.slice(1)].join('.');
      if (this.index.lookup(target)) {
        this.scope.addBinding(alias, { target, importedName: parts[parts.length - 1], fromImport: true });
        return;
      }
    }
    const handwritten = parts.length === 1 ? this.scope.handwritten.get(parts[0]) : undefined;
    if (handwritten) {
      this.scope.handwritten.set(alias, handwritten);
      this.scope.defined.add(alias);
      this.addHandwrittenUsage(nameToken, nameToken, alias, handwritten.conceptId, handwritten.kind, 'reference', 'local');
    }
  }

  /**
   * The lazy-import table of a package (`_import_structure`, the convention of the Hugging Face
   * libraries): each exported name in its lists is a re-export, as `from .m import Name` would be,
   * and names a loss by the same rules (`local`).
   */
  protected recordLazyExports(from: number): void {
    const { kind, count } = this;
    if (kind[from] !== TK_LBRACE) return;
    const open: number[] = [];
    for (let j = from; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) open.push(k);
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
        open.pop();
        if (open.length === 0) return;
      } else if (k === TK_STRING && open[open.length - 1] === TK_LSQB && (kind[j - 1] === TK_LSQB || kind[j - 1] === TK_COMMA) && (kind[j + 1] === TK_COMMA || kind[j + 1] === TK_RSQB)) {
        const value = stringContent(this.text, this.start[j], this.end[j]);
        if (!value) continue;
        const conceptId = this.index.handwritten(value.text)?.conceptId ?? this.index.lexicon.conceptOf(value.text, 'import');
        if (conceptId) this.pushAt(value.start, value.end, value.text, value.text, value.text, conceptId, 'handwritten', isClassLike(value.text) ? 'class' : 'function', 'reference', 'local');
      }
    }
  }

  /** `__all__ = ["DiceLoss", …]`: each entry naming a loss defined or imported here is a use. */
  protected recordAllList(from: number): void {
    const { kind, count } = this;
    for (let j = from; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      if (kind[j] !== TK_STRING) continue;
      const value = stringContent(this.text, this.start[j], this.end[j]);
      if (!value) continue;
      const handwritten = this.scope.handwritten.get(value.text);
      if (!handwritten) continue;
      this.pushAt(value.start, value.end, value.text, value.text, value.text, handwritten.conceptId, 'handwritten', handwritten.kind, 'reference', 'local');
    }
  }

  /**
   * `import a.b.c [as x], d [as y]` or `from [.]*a.b import (x [as y], …)` / `… import *`, read by
   * `core/python/imports`. Returns the index of the statement's last token, or `i` when this
   * `import`/`from` starts no import (`yield from`, `raise … from …`).
   */
  protected parseImport(i: number): number {
    const statement = readImportStatement(this.text, this.tokens, i);
    if (!statement) return i;
    for (let k = statement.firstToken; k <= statement.lastToken; k++) this.skip[k] = 1;
    this.visits += statement.lastToken - i + 1;
    if (statement.star && !this.scope.starModules.includes(statement.module)) this.scope.starModules.push(statement.module);
    for (const binding of statement.bindings) {
      this.scope.addBinding(binding.name, binding);
      if (binding.fromImport) this.recordImportUsage(binding.nameToken, binding.target, binding.importedName, binding.name, statement.module, binding.relative);
    }
    return statement.lastToken;
  }

  /**
   * `from M import name`: a library loss (`library`), or a loss of the project's own code — a
   * relative import, or an absolute one from a package that is neither a library the registry
   * knows nor a metrics/utility package — named by a hand-written name or by its words (`local`).
   */
  protected recordImportUsage(nameIndex: number, target: string, importedName: string, bound: string, module: string, relative: boolean): void {
    const hit = this.index.lookup(target);
    if (hit) {
      this.addUsage(nameIndex, nameIndex, target, hit, 'import');
      return;
    }
    // A library's or metrics package's name counts only from its losses module
    // (`from keras_cv.losses import FocalLoss`, `from transformers.loss.loss_utils import …`).
    const libraryLosses = !relative && isNonLossPackage(topLevelPackage(module), this.index);
    // A losses module: a `loss`/`criterion` component, or a last component named after a loss
    // (`liger_kernel.transformers.kl_div`, `from .cross_entropy import …`).
    const lastComponent = module.slice(module.lastIndexOf('.') + 1);
    const moduleConcept = lastComponent !== '' ? this.index.lexicon.conceptOf(lastComponent, 'definition') : undefined;
    const lossModule = isLossModulePath(module) || moduleConcept !== undefined;
    // From a library's other modules, only what `namesLibraryLoss` accepts (`from fvcore.nn import giou_loss`).
    if (libraryLosses ? !lossModule && !this.namesLibraryLoss(importedName, module) : /metric/i.test(module)) return;
    // From a losses module (`from .giou_loss import giou`, `from keras.src.losses.losses import circle`)
    // an ambiguous word names that module's loss, as a loss base does for a class.
    const site = lossModule ? 'loss-module' : 'import';
    let conceptId = this.index.handwritten(importedName)?.conceptId ?? this.index.libraryClass(importedName) ?? this.index.lexicon.conceptOf(importedName, site);
    if (!conceptId && bound !== importedName) {
      // `import PPOTrainerAsync as PPOTrainer`: the name the file gives it says what it is used as
      // (the usage is on that name, two tokens on).
      conceptId = this.index.handwritten(bound)?.conceptId ?? this.index.lexicon.conceptOf(bound, site);
      nameIndex += 2;
    }
    // `from lightly.loss.vicreg_loss import variance_loss`: a function named as a loss by words of its
    // own, from the module of one loss, is a term of that loss (a class, `from .dpo import RSOLoss`,
    // is a loss of its own).
    if (!conceptId && moduleConcept !== undefined && !isClassLike(importedName) && isNamedLoss(importedName)) conceptId = moduleConcept;
    let kind: 'class' | 'function' = isClassLike(importedName) ? 'class' : 'function';
    // `from openrlhf.models import PolicyLoss`: what the project's module defines or re-exports.
    if (!conceptId && !libraryLosses && this.project) {
      const exported = this.project.exportOf(module, importedName);
      if (exported) ({ conceptId, kind } = exported);
    }
    if (!conceptId) return;
    this.scope.handwritten.set(bound, { conceptId, kind });
    this.addHandwrittenUsage(nameIndex, nameIndex, target, conceptId, kind, 'import', libraryLosses ? 'name' : 'local');
    this.importedByWords.set(bound, this.usages[this.usages.length - 1]);
  }

  /** `def name(` / `class Name(`: a loss defined here when its name is hand-written or names one by its words. */
  protected recordDefinition(nameIndex: number, kind: 'class' | 'function'): void {
    const name = this.name(nameIndex);
    this.scope.defined.add(name);
    this.skip[nameIndex] = 1;
    // The classes this definition is nested in, by indentation: a method of a loss class is named
    // like a loss term (`def ce(self, …)` in `class DiceCELoss(_Loss)`).
    const indent = this.indentOf(nameIndex - 1);
    const classes = this.classStack;
    while (classes.length > 0 && classes[classes.length - 1].indent >= indent) classes.pop();
    const inLossClass = kind === 'function' && classes.length > 0 && classes[classes.length - 1].site === 'loss-class';
    const classSite = kind === 'class' ? this.classSite(nameIndex + 1) : null;
    if (kind === 'class') classes.push({ indent, site: classSite });
    let conceptId = this.index.handwritten(name)?.conceptId;
    if (!conceptId) {
      const site = kind === 'class' ? classSite : this.hasLossSignature(nameIndex + 1) ? 'loss-class' : inLossClass ? 'loss-method' : 'definition';
      if (site === null) return;
      conceptId = (kind === 'class' ? this.index.libraryClass(name) : undefined) ?? this.index.lexicon.conceptOf(name, site);
    }
    // `class CustomDPOTrainer(DPOTrainer)`, `class MyFocalLoss(FocalLoss)`: a subclass named after
    // its base (the base's name ends its own) is that base's loss.
    if (!conceptId && kind === 'class' && classSite !== null) conceptId = this.namedAfterBase(name, nameIndex + 1);
    // `class PolicyLoss(nn.Module): """Policy Loss for PPO"""`, `def invariance_loss(x, y):
    // """Returns VICReg invariance loss."""`: a loss named by words the lexicon does not know takes
    // the concept its docstring's summary names. Not a method: a loss class's methods are its steps
    // (`loss_labels`, `_calculate_axis_loss`), whose docstrings name the terms they compute.
    const method = classes.length > 0 && classes[classes.length - 1].indent < indent;
    if (!conceptId && (kind === 'class' ? classSite !== null : !method) && isNamedLoss(name)) {
      const doc = this.docstringOf(nameIndex + 1);
      conceptId = doc === undefined ? undefined : this.index.lexicon.conceptMentioned(doc);
    }
    if (kind === 'class' && conceptId) classes[classes.length - 1].conceptId = conceptId;
    if (!conceptId) {
      // `def l1(x, y)`: an everyday word that names a loss only if the file holds it as one (below).
      const held = kind === 'function' && !inLossClass ? this.index.lexicon.conceptOf(name, 'loss-module') : undefined;
      if (held) this.ambiguousDefinitions.set(name, { nameIndex, conceptId: held });
      return;
    }
    this.scope.handwritten.set(name, { conceptId, kind });
    this.addHandwrittenUsage(nameIndex, nameIndex, name, conceptId, kind, 'definition', 'definition');
  }

  /** Functions defined here whose name is an everyday word of a loss (`l1`, `l2`, `kl`), by name. */
  protected readonly ambiguousDefinitions = new Map<string, { nameIndex: number; conceptId: string }>();

  /** Names stored in a variable or attribute named as a loss (`self.pixel_loss = l1`, `criterion = l2`). */
  protected readonly heldAsLoss = new Set<string>();

  /** `target = value` (tokens): notes `value` when `target`'s words include a loss word. */
  protected noteHeldName(target: number, value: number): void {
    if (this.end[target] - this.start[target] < 4) return;
    const targetName = this.name(target);
    if (targetName.indexOf('oss') === -1 && targetName.indexOf('riterion') === -1) return;
    if (splitIdentifier(targetName).some((w) => LOSS_WORDS.has(w))) this.heldAsLoss.add(this.name(value));
  }

  /**
   * `def l1(x, y)` then `self.pixel_loss = l1`: a function named by an everyday word of a loss that
   * the file stores as its loss is that loss (defined and used here). Call after the scope pass.
   */
  protected settleHeldDefinitions(): void {
    for (const [name, { nameIndex, conceptId }] of this.ambiguousDefinitions) {
      if (!this.heldAsLoss.has(name) || this.scope.handwritten.has(name)) continue;
      this.scope.handwritten.set(name, { conceptId, kind: 'function' });
      this.addHandwrittenUsage(nameIndex, nameIndex, name, conceptId, 'function', 'definition', 'definition');
    }
  }

  /** The concept of a base (from the class's `(` token `open`) whose name ends `name`, if any. */
  protected namedAfterBase(name: string, open: number): string | undefined {
    const { kind, count } = this;
    if (kind[open] !== TK_LPAR) return undefined;
    let depth = 0;
    for (let j = open; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
        if (--depth === 0) break;
      } else if (k === TK_NAME && depth === 1 && kind[j + 1] !== TK_DOT && kind[j + 1] !== TK_EQUAL) {
        const base = this.name(j);
        if (base.length >= name.length || !name.endsWith(base)) continue;
        const conceptId = this.scope.handwritten.get(base)?.conceptId ?? this.index.handwritten(base)?.conceptId ?? this.index.lexicon.conceptOf(base, 'import');
        if (conceptId) return conceptId;
      }
    }
    return undefined;
  }

  /** Classes enclosing the definition being read (`recordDefinition`), innermost last, with the loss each names. */
  protected readonly classStack: { indent: number; site: 'class' | 'module-class' | 'loss-class' | null; conceptId?: string }[] = [];

  /**
   * The docstring of the `def`/`class` whose parameters or bases start at token `from`: the lone
   * string that begins its body (`def f(): "doc"` too), without quotes or prefix; else undefined.
   */
  protected docstringOf(from: number): string | undefined {
    const { kind, count } = this;
    let depth = 0;
    let j = from;
    for (; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
      else if (k === TK_COLON && depth === 0) break;
    }
    if (kind[j] !== TK_COLON) return undefined;
    const at = kind[j + 1] === TK_STRING ? j + 1 : kind[j + 1] === TK_NEWLINE && kind[j + 2] === TK_STRING ? j + 2 : -1;
    if (at < 0 || (at + 1 < count && kind[at + 1] !== TK_NEWLINE)) return undefined;
    const literal = this.text.slice(this.start[at], this.end[at]);
    const m = /^[rRuUbBfF]*("""|\'\'\'|"|')/.exec(literal);
    if (!m) return undefined;
    const quote = m[1];
    return literal.slice(m[0].length, literal.endsWith(quote) && literal.length >= m[0].length + quote.length ? literal.length - quote.length : literal.length);
  }

  /**
   * True when the parameters from the `(` token `open` begin with Keras's loss signature
   * `(y_true, y_pred`: such a function is a loss, so an ambiguous name (`def dice(y_true, y_pred)`)
   * names one, as a loss base does for a class.
   */
  protected hasLossSignature(open: number): boolean {
    const { kind } = this;
    return open + 3 < this.count && kind[open] === TK_LPAR && kind[open + 1] === TK_NAME && kind[open + 2] === TK_COMMA && kind[open + 3] === TK_NAME &&
      this.isName(open + 1, 'y_true') && this.isName(open + 3, 'y_pred');
  }

  /**
   * How a class's bases (from its `(` token) bear on its name: `loss-class` for a loss base
   * (`_Loss`, `keras.losses.Loss`, `LossFunctionWrapper`, `FairseqCriterion`: its name may be an
   * ambiguous word, `class Dice(LossFunctionWrapper)`), null for a metric or a test case
   * (`class KLDivergence(Metric)`, `class RootMeanSquaredError(reduction_metrics.Mean)`: never a
   * loss), `module-class` for a module (`class DeepLabCE(nn.Module)`), else `class`.
   */
  protected classSite(open: number): 'class' | 'module-class' | 'loss-class' | null {
    const { kind, count } = this;
    if (kind[open] !== TK_LPAR) return 'class';
    let site: 'class' | 'module-class' | null = 'class';
    let depth = 0;
    for (let j = open; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
        if (--depth === 0) break;
      } else if (k === TK_NAME && depth === 1) {
        const base = this.name(j);
        if (/Loss|Criterion|Objective/.test(base)) return 'loss-class';
        if (/metric|TestCase|^Test|Test$/i.test(base)) site = null;
        else if (site !== null && /(?:Module|Layer)$/.test(base)) site = 'module-class';
      }
    }
    return site;
  }

  /** The name filter of this scan, computed once the module scope is known (after `collectScope`). */
  protected filter: Uint8Array | null = null;

  /**
   * `self.ce = torch.compile(self.ce, …)`, `self.f = functools.partial(self.f, …)`: an attribute
   * assigned a wrapper of itself keeps what it was (a method stays that method). `head` and `last`
   * are the target chain's first and last tokens; the right side is read to the end of the line.
   */
  protected rebindsItself(head: number, last: number): boolean {
    const { kind, count } = this;
    if (last !== head + 2) return false;
    const len = this.end[last] - this.start[last];
    for (let j = last + 2; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      if (kind[j] === TK_NAME && kind[j - 1] === TK_DOT && j >= 2 && this.end[j] - this.start[j] === len && kind[j - 2] === TK_NAME &&
        (j < 3 || kind[j - 3] !== TK_DOT) && this.name(j) === this.name(last) && this.name(j - 2) === this.name(head)) return true;
    }
    return false;
  }

  /**
   * (first character, length) of the losses defined or imported here, the only names besides
   * `…loss` that `attributeCall` looks at (filled by `nameFilter`).
   */
  protected localNames = new Uint8Array(0);

  /**
   * A bitmap over (first character, length) of every name that can start a loss reference in this
   * scope, so that the other names (most of them) are rejected without slicing a string.
   * Null when anything could match (star imports, unusual names).
   */
  protected nameFilter(): Uint8Array | null {
    const scope = this.scope;
    this.localNames = new Uint8Array(128 * 64);
    for (const name of scope.handwritten.keys()) {
      const c = name.charCodeAt(0);
      if (c < 128 && name.length < 64) this.localNames[c * 64 + name.length] = 1;
    }
    if (scope.starModules.length > 0) return null;
    const filter = new Uint8Array(128 * 64);
    for (const names of [scope.bindings.keys(), scope.handwritten.keys()]) {
      for (const name of names) {
        const c = name.charCodeAt(0);
        if (c >= 128 || name.length >= 64) return null;
        filter[c * 64 + name.length] = 1;
      }
    }
    return filter;
  }

  /** False when the name at token `i` cannot be in scope (see `nameFilter`); no string is made. */
  protected mayStartReference(filter: Uint8Array, i: number): boolean {
    const s = this.start[i];
    const len = this.end[i] - s;
    return (this.flags[i] & TF_NON_ASCII) !== 0 || len >= 64 || filter[this.text.charCodeAt(s) * 64 + len] !== 0;
  }
}
