/**
 * Pass 2, the references: every name that starts a dotted chain is resolved through the scope (the
 * longest prefix in the `LossIndex`, a hand-written loss, a name from the project's own modules); an
 * attribute called on something unbound is named by its words; strings given as a loss
 * (`loss="mse"`, `compile(opt, "mse")`, `keras.losses.get("huber")`, `loss_type="ipo"`) are read.
 */
import * as tokens from '../python/tokenizer';
import { normalizeName } from '../python/imports';
import { canonicalQualifiedName } from '../concepts/qualifiedName';
import { isNonLossPackage } from './lossIndex';
import type { Binding } from './sourceScan';
import { NameTable, isClassLike, isLossModulePath, mentionsLossWord, stringContent, topLevelPackage, type AttributeAnswer } from './scanSupport';
import { PYTHON_KEYWORDS } from '../python/tokenizer';
import { ScanFunctions } from './scanFunctions';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const { TK_AUGASSIGN, TK_COLON, TK_COMMA, TK_DOT, TK_DOUBLESTAR, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_STAR, TK_STRING, TK_WALRUS, TF_NON_ASCII } = tokens;

/** Pass 2: the references, attribute calls and loss strings; the scanner of `scanSource`. */
export class ScanReferences extends ScanFunctions {
  findReferences(): void {
    const { kind, count, skip, flags, start, end, text } = this;
    const filter = this.filter;
    // Open bracket depth, and for `def f(` / `lambda` the bracket depth of their parameters.
    let depth = 0;
    let paramsDepth = -1; // bracket depth at which parameter names are being read
    let lambdaDepth = -1;
    for (let i = 0; i < count; i++) {
      const k = kind[i];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) {
        if (k === TK_LPAR && i >= 2 && kind[i - 1] === TK_NAME && this.isName(i - 2, 'def')) paramsDepth = depth + 1;
        depth++;
        continue;
      }
      if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
        if (depth === paramsDepth) paramsDepth = -1;
        if (depth > 0) depth--;
        continue;
      }
      if (k === TK_NEWLINE) {
        depth = 0;
        paramsDepth = lambdaDepth = -1;
        continue;
      }
      if (k === TK_COLON && depth === lambdaDepth) {
        lambdaDepth = -1;
        continue;
      }
      if (k !== TK_NAME || skip[i]) continue;
      if (i > 0 && kind[i - 1] === TK_DOT) {
        // An attribute: handled from its chain's head, unless it is called on something unbound.
        if (i + 1 < count && kind[i + 1] === TK_LPAR) {
          const len = end[i] - start[i];
          if (len === 7 || len === 3) this.methodStrings(i);
          // Only a method defined here (`self.dpo_loss(`) or a name ending in `loss`/`Loss`
          // (`trainer.kto_loss(`) can be named by its words on an unbound object.
          if (i > this.boundChainEnd && (len > 4 && text.charCodeAt(end[i] - 1) === 115 && text.charCodeAt(end[i] - 2) === 115 && text.charCodeAt(end[i] - 3) === 111 || (filter !== null && (flags[i] & TF_NON_ASCII) === 0 && len < 64 ? this.localNames[text.charCodeAt(start[i]) * 64 + len] !== 0 : true))) this.attributeCall(i);
        } else if (i >= 2 && kind[i - 2] === TK_NAME && (i < 3 || kind[i - 3] !== TK_DOT) && kind[i + 1] !== TK_EQUAL && kind[i + 1] !== TK_AUGASSIGN && kind[i + 1] !== TK_DOT &&
          (flags[i] & TF_NON_ASCII) === 0 && this.end[i] - start[i] < 64 && this.localNames[text.charCodeAt(start[i]) * 64 + this.end[i] - start[i]] !== 0) {
          // `torch.compile(self.compute_cross_entropy)`, `self.smooth_label = self.original_smooth_label`:
          // a loss method of this file's classes passed or stored as a value.
          this.methodReference(i);
        }
        continue;
      }
      if (depth > 0 && i + 1 < count && kind[i + 1] === TK_EQUAL) {
        // Only `…loss=` and `loss_type=` can carry a loss string.
        const last = text.charCodeAt(end[i] - 1);
        // A parameter's default (`def __init__(…, disc_loss="hinge")`) is an option the project reads
        // itself, unless Keras, which takes loss strings, is imported to read it.
        if ((last === 115 || last === 101) && (depth !== paramsDepth || this.importsKeras())) this.keywordStrings(i);
        continue;
      }

      const s = start[i];
      const len = end[i] - s;
      if (filter !== null && (flags[i] & TF_NON_ASCII) === 0 && len < 64 && filter[text.charCodeAt(s) * 64 + len] === 0) {
        // Not a name in scope; only `lambda` matters among such names.
        if (len === 6 && text.startsWith('lambda', s)) lambdaDepth = depth;
        continue;
      }
      const raw = text.slice(s, s + len);
      if (raw.length <= 8 && PYTHON_KEYWORDS.has(raw)) {
        if (raw === 'lambda') lambdaDepth = depth;
        continue;
      }

      const prev = i > 0 ? kind[i - 1] : TK_NEWLINE;
      const next = i + 1 < count ? kind[i + 1] : TK_NEWLINE;
      const afterSeparator = prev === TK_LPAR || prev === TK_COMMA || prev === TK_STAR || prev === TK_DOUBLESTAR;
      // Parameters of `def f(a, b=…)` and `lambda a, b:`; their defaults and annotations are code.
      if (paramsDepth === depth && afterSeparator) continue;
      if (lambdaDepth === depth && (afterSeparator || (i > 0 && this.isName(i - 1, 'lambda')))) continue;
      // Keyword argument names, `x = …` targets, `x += …`, `x := …`.
      if (next === TK_EQUAL || next === TK_AUGASSIGN || next === TK_WALRUS) continue;
      // Annotated assignment target `x: T = …` at the start of a statement.
      if (next === TK_COLON && depth === 0 && this.isStatementStart(i)) continue;

      const headName = normalizeName(raw);
      // A variable of the enclosing function (assigned, a parameter, a loop target) is not the
      // module-level import or definition of the same name.
      if (this.isFunctionLocal(i, headName)) continue;
      this.resolveChain(i, headName);
    }
    this.visits += count;
  }

  /** Names of the current chain's components, filled on demand (reused between chains). */
  protected readonly parts: string[] = [];
  protected chainHead = 0;

  /** Component `k` of the current chain (token `chainHead + 2k`), normalised. */
  protected part(k: number): string {
    let p = this.parts[k];
    if (p === undefined) {
      p = this.name(this.chainHead + 2 * k);
      this.parts[k] = p;
    }
    return p;
  }

  /** Resolves the dotted chain whose head is token `head`, adding a usage on a hit. */
  protected resolveChain(head: number, headName: string): void {
    const { kind, count } = this;
    const scope = this.scope;
    const bindings = scope.bindings.get(headName);
    const handwritten = scope.handwritten.get(headName);
    if (!bindings && !handwritten && scope.starModules.length === 0) return;

    // The chain is contiguous: head, DOT, NAME, DOT, NAME… so component k is token head + 2k.
    let length = 1;
    for (let j = head; j + 2 < count && kind[j + 1] === TK_DOT && kind[j + 2] === TK_NAME; j += 2) length++;
    this.visits += 2 * length;
    this.parts.length = 0;
    this.parts[0] = headName;
    this.chainHead = head;
    // The chain's attributes are resolved here, from its bound head: `attributeCall` skips them.
    this.boundChainEnd = head + 2 * (length - 1);

    // Hand-written losses defined in this source (or earlier cells) win over imports.
    if (handwritten && scope.defined.has(headName)) {
      this.addHandwrittenUsage(head, head, headName, handwritten.conceptId, handwritten.kind, null, 'local');
      return;
    }
    if (bindings) {
      for (const binding of bindings) {
        if (this.resolveAgainst(binding.target, length)) return;
      }
      // A library re-exported by another package (`from keras_cv.backend import keras`): the name
      // is the library's.
      for (const binding of bindings) {
        if (binding.fromImport && this.index.libraryPackages.has(binding.importedName) && binding.importedName !== binding.target && this.resolveAgainst(binding.importedName, length)) return;
      }
      // A loss imported from the project's own modules, used by its name, or a class's attribute
      // read through it (`PPOTrainer.remote(…)`, `FocalLoss.from_config(…)`).
      if (handwritten && (length === 1 || isClassLike(headName))) {
        this.addHandwrittenUsage(head, head, headName, handwritten.conceptId, handwritten.kind, null, 'local');
        return;
      }
      for (const binding of bindings) {
        if (this.resolveForeign(binding, length)) return;
      }
      return;
    }
    if (handwritten) {
      this.addHandwrittenUsage(head, head, headName, handwritten.conceptId, handwritten.kind, null, 'local');
      return;
    }
    if (scope.defined.has(headName) || scope.assigned.has(headName)) return;
    for (const module of scope.starModules) {
      if (this.resolveAgainst(`${module}.${headName}`, length)) return;
    }
    for (const module of scope.starModules) {
      if (this.resolveForeign({ target: `${module}.${headName}`, importedName: headName, fromImport: true }, length)) return;
    }
  }

  /** Tries the longest prefix of the current chain, with its head replaced by `target`. */
  protected resolveAgainst(target: string, length: number): boolean {
    const index = this.index;
    if (!index.mayContain(target)) return false;
    for (let k = length - 1; k >= 0; k--) {
      this.visits++;
      // Most chains (`torch.cat`, `F.relu`) name no loss: skip the string building unless the
      // component at `k` ends some indexed name.
      const last = k === 0 ? target.slice(target.lastIndexOf('.') + 1) : this.part(k);
      if (!index.mayEndWith(last)) continue;
      let full = target;
      for (let m = 1; m <= k; m++) full += `.${this.part(m)}`;
      const hit = index.lookup(full);
      if (hit) {
        this.addUsage(this.chainHead, this.chainHead + 2 * k, full, hit, null);
        return true;
      }
    }
    return false;
  }

  /**
   * A name from the user's own modules: `from losses import *` then `focal_loss(…)` (`local`), or
   * the attribute of such a module, `import utils as u` then `u.softmax_xent(…)` (`name`). Only the
   * last component of a chain can be the loss: the others are module path components
   * (`kernels.cross_entropy_loss._forward_impl` names no loss at `cross_entropy_loss`).
   */
  protected resolveForeign(binding: Binding, length: number): boolean {
    const k = length - 1;
    if (k === 0 && !binding.fromImport) return false;
    const target = binding.target;
    if (target.charCodeAt(0) !== 46 && isNonLossPackage(topLevelPackage(target), this.index)) {
      // A library's losses module that the registry does not list (`keras_cv.losses.FocalLoss`);
      // checked before the name, as most chains on a library (`torch.cat`) end here. Else a
      // library's backend or re-exporting module the registry does not list, called by the name of
      // a library loss (`ops.categorical_crossentropy` on `from keras_cv.src.backend import ops`,
      // `keras.backend.binary_crossentropy`).
      if (k === 0) return false;
      if (!this.throughLossModule(target, k) && !this.libraryLossName(target, k)) return false;
    }
    return this.foreignName(binding, k);
  }

  /**
   * True when component `k` of the chain on the library module `target` names a library loss
   * (`namesLibraryLoss`) through module components only: not a metrics module (`keras.metrics.Hinge`)
   * nor a class's attribute (`nn.Module.cross_entropy`).
   */
  protected libraryLossName(target: string, k: number): boolean {
    let path = target;
    for (let m = 1; m < k; m++) {
      if (isClassLike(this.part(m))) return false;
      path += `.${this.part(m)}`;
    }
    return this.namesLibraryLoss(this.part(k), path);
  }

  /** True when `target` and the chain's components before `k` form a losses module path. */
  protected throughLossModule(target: string, k: number): boolean {
    let mentionsLoss = mentionsLossWord(target);
    for (let m = 1; m < k && !mentionsLoss; m++) mentionsLoss = mentionsLossWord(this.part(m));
    if (!mentionsLoss) return false;
    let module = target;
    for (let m = 1; m < k; m++) module += `.${this.part(m)}`;
    return isLossModulePath(module);
  }

  /** The usage for component `k` of the current chain on `binding`, when its name names a loss. */
  protected foreignName(binding: Binding, k: number): boolean {
    // Names from a metrics module are metrics (`from keras_cv.metrics import MeanSquaredError`,
    // `keras.metrics.Hinge` on a project's re-export of keras).
    if (binding.target.indexOf('etric') !== -1 && /metric/i.test(binding.target)) return false;
    for (let m = 1; m < k; m++) if (/metric/i.test(this.part(m))) return false;
    const name = k === 0 ? binding.importedName : this.part(k);
    const conceptId = this.index.handwritten(name)?.conceptId ?? this.index.lexicon.conceptOf(name, k === 0 ? 'import' : 'attribute');
    if (!conceptId) return false;
    const kind = isClassLike(name) ? 'class' : 'function';
    let resolved = binding.target;
    for (let m = 1; m <= k; m++) resolved += `.${this.part(m)}`;
    this.addHandwrittenUsage(this.chainHead, this.chainHead + 2 * k, resolved, conceptId, kind, null, k === 0 ? 'local' : 'name');
    return true;
  }

  /**
   * `obj.name(…)` where `obj` is nothing the file binds (`self`, a parameter, a call's result): a
   * method of a class defined here (`self.dpo_loss(` → `local`), else a loss named by its words
   * (`trainer.dpo_loss(` → `name`) unless the file assigns that attribute (`self.kl_loss = …`:
   * then the call is a call of whatever was assigned).
   */
  protected attributeCall(i: number): void {
    if (i <= this.boundChainEnd) return;
    const { kind, text } = this;
    // What the attribute's name alone says, once per name and scan (most are `mean`, `view`, `cat`),
    // looked up without slicing the name out of the text.
    let known: AttributeAnswer | null;
    if ((this.flags[i] & TF_NON_ASCII) !== 0) {
      known = this.attributeName(normalizeName(text.slice(this.start[i], this.end[i])));
    } else {
      const names = this.attributeNames;
      const s = this.start[i];
      const e = this.end[i];
      let h = 2166136261;
      for (let p = s; p < e; p++) h = Math.imul(h ^ text.charCodeAt(p), 16777619);
      let slot = (h >>> 0) & names.mask;
      for (;;) {
        const key = names.keys[slot];
        if (key === undefined) {
          const name = text.slice(s, e);
          known = this.attributeName(name);
          names.insert(slot, name, known);
          break;
        }
        if (key.length === e - s && text.startsWith(key, s)) {
          known = names.values[slot];
          break;
        }
        slot = (slot + 1) & names.mask;
      }
    }
    if (known === null) return;
    let head = i;
    while (head >= 2 && kind[head - 1] === TK_DOT && kind[head - 2] === TK_NAME) head -= 2;
    this.visits += i - head + 1;
    const onSelf = head !== i && (this.isName(head, 'self') || this.isName(head, 'cls') || this.isName(head, 'super'));
    if (head !== i && !onSelf && !(head > 0 && kind[head - 1] === TK_DOT)) {
      // A bound head is resolved from the head (`resolveChain`).
      const filter = this.filter;
      if (filter === null || this.mayStartReference(filter, head)) {
        const headName = this.name(head);
        const scope = this.scope;
        if ((scope.bindings.has(headName) || scope.handwritten.has(headName) || scope.starModules.length > 0) && !this.isFunctionLocal(head, headName)) return;
      }
    }
    // A library's own name on an unresolved head (`F.cross_entropy` before `F` is imported, in a
    // notebook cell run out of order) is found through the imports or not at all: its words
    // cannot tell which library, nor whether the import will come. A method on `self` is the class's.
    if (known.libraryName && !onSelf) return;
    this.addHandwrittenUsage(head, i, this.rawChain(head, i), known.conceptId, known.kind, null, known.how);
  }

  /** `self.name` at attribute token `i`, not called: a usage when `name` is a loss method defined here. */
  protected methodReference(i: number): void {
    if (!this.isName(i - 2, 'self') && !this.isName(i - 2, 'cls')) return;
    const name = this.name(i);
    if (this.attributeTargets.has(name) || !this.scope.defined.has(name)) return;
    const local = this.scope.handwritten.get(name);
    if (!local || local.kind !== 'function') return;
    this.addHandwrittenUsage(i - 2, i, this.rawChain(i - 2, i), local.conceptId, local.kind, null, 'local');
  }

  /** Last token of the latest chain whose head `resolveChain` found bound. */
  protected boundChainEnd = -1;

  /** Per-name answers of `attributeCall` in this scan. */
  protected readonly attributeNames = new NameTable<AttributeAnswer | null>();

  protected attributeName(name: string): AttributeAnswer | null {
    if (this.attributeTargets.has(name)) return null;
    const local = this.scope.handwritten.get(name);
    if (local && this.scope.defined.has(name)) return { conceptId: local.conceptId, kind: local.kind, how: 'local', libraryName: false };
    const conceptId = this.index.handwritten(name)?.conceptId ?? this.index.lexicon.conceptOf(name, 'attribute');
    if (!conceptId) return null;
    return { conceptId, kind: isClassLike(name) ? 'class' : 'function', how: 'name', libraryName: this.index.mayEndWith(name) };
  }

  /**
   * Losses named by strings: `loss="mse"`, `loss=["mse", "mae"]`, `loss={"out": "binary_crossentropy"}`
   * (any call's `loss=` keyword, Keras's `compile` and its layers and trainers), the loss of
   * `model.compile("adam", "mse")` given by position, `keras.losses.get("huber")`, and a trainer's
   * `loss_type="ipo"` when the string is a concept id.
   */
  findStrings(): void {
    for (const at of this.lossStrings) this.stringValues(at, false);
  }

  /** Keyword argument `name=` at token `i` (inside a call): `loss="mse"`, `box_loss="Huber"`, `loss_type="ipo"`. */
  protected keywordStrings(i: number): void {
    const prev = this.kind[i - 1];
    if (prev !== TK_LPAR && prev !== TK_COMMA) return;
    const len = this.end[i] - this.start[i];
    if (len < 4) return;
    if (len === 9 && this.isName(i, 'loss_type')) this.stringValues(i + 2, true);
    else if (this.isLossKeyword(i)) this.stringValues(i + 2, false);
  }

  /** Answer of `importsKeras` for this scan (the scope only grows while a file is scanned). */
  private kerasImported: boolean | undefined;

  /** True when an import binds Keras (`keras`, `tf_keras`, `tensorflow`, which carries `tf.keras`). */
  protected importsKeras(): boolean {
    if (this.kerasImported === undefined) {
      this.kerasImported = false;
      for (const list of this.scope.bindings.values()) {
        this.visits++;
        if (list.some((b) => /^(?:keras|tf_keras|tensorflow)(?:\.|$)/.test(b.target))) this.kerasImported = true;
      }
    }
    return this.kerasImported;
  }

  /** `x.compile(optimizer, "mse")` (the loss by position) and `keras.losses.get("huber")`; `i` is the method's token. */
  protected methodStrings(i: number): void {
    const { kind, count } = this;
    const len = this.end[i] - this.start[i];
    if (len === 7 && this.isName(i, 'compile')) {
      let j = i + 2;
      let depth = 0;
      for (; j < count && kind[j] !== TK_NEWLINE; j++) {
        this.visits++;
        const kj = kind[j];
        if (kj === TK_LPAR || kj === TK_LSQB || kj === TK_LBRACE) depth++;
        else if (kj === TK_RPAR || kj === TK_RSQB || kj === TK_RBRACE) {
          if (depth-- === 0) break;
        } else if (kj === TK_COMMA && depth === 0) break;
        else if (kj === TK_EQUAL && depth === 0) break;
      }
      if (kind[j] === TK_COMMA && kind[j + 2] !== TK_EQUAL) this.stringValues(j + 1, false);
    } else if (len === 3 && this.isName(i, 'get') && i >= 2 && kind[i - 2] === TK_NAME && this.isName(i - 2, 'losses') && this.resolvesTo(i, 'keras.losses.get')) {
      this.stringValues(i + 2, false);
    }
  }

  /** `loss=`, or a keyword for one loss of several (`box_loss=`, `rpn_classification_loss=`). */
  protected isLossKeyword(t: number): boolean {
    const s = this.start[t];
    const e = this.end[t];
    return (e - s === 4 && this.text.startsWith('loss', s)) || (e - s > 5 && this.text.startsWith('_loss', e - 5));
  }

  /** True when the dotted chain ending at token `last` resolves through the imports to `qualified`. */
  protected resolvesTo(last: number, qualified: string): boolean {
    let head = last;
    while (head >= 2 && this.kind[head - 1] === TK_DOT && this.kind[head - 2] === TK_NAME) head -= 2;
    this.visits += last - head + 1;
    const parts: string[] = [];
    for (let j = head; j <= last; j += 2) parts.push(this.name(j));
    for (const binding of this.scope.bindings.get(parts[0]) ?? []) {
      if (canonicalQualifiedName([binding.target, ...parts.slice(1)].join('.')) === qualified) return true;
    }
    return false;
  }

  /**
   * The string at token `at`, or each string among the values of the list, tuple or dict starting
   * there, nested ones included (`[["mse"], {"out": "mae"}]`); dict keys are names, not losses.
   */
  protected stringValues(at: number, conceptIds: boolean): void {
    const { kind, count } = this;
    if (at >= count) return;
    if (kind[at] === TK_STRING) {
      if (at + 1 >= count || kind[at + 1] !== TK_STRING) this.stringUsage(at, conceptIds);
      return;
    }
    if (kind[at] !== TK_LSQB && kind[at] !== TK_LPAR && kind[at] !== TK_LBRACE) return;
    const open: number[] = [];
    for (let j = at; j < count && kind[j] !== TK_NEWLINE; j++) {
      this.visits++;
      const k = kind[j];
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) open.push(k);
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) {
        open.pop();
        if (open.length === 0) return;
      } else if (k === TK_STRING) {
        const prev = kind[j - 1];
        const next = kind[j + 1];
        const whole = next === TK_COMMA || next === TK_RSQB || next === TK_RPAR || next === TK_RBRACE;
        const inDict = open[open.length - 1] === TK_LBRACE;
        const value = inDict ? prev === TK_COLON : prev === TK_LSQB || prev === TK_LPAR || prev === TK_COMMA;
        if (whole && value) this.stringUsage(j, conceptIds);
      }
    }
  }

  protected stringUsage(token: number, conceptIds: boolean): void {
    const value = stringContent(this.text, this.start[token], this.end[token]);
    if (!value) return;
    if (conceptIds) {
      const id = value.text.replace(/_/g, '-');
      if (!this.index.conceptIds.has(id)) return;
      this.pushAt(value.start, value.end, value.text, value.text, value.text, id, 'handwritten', 'function', 'reference', 'string');
      return;
    }
    const hit = this.index.kerasString(value.text);
    if (!hit) return;
    this.pushAt(value.start, value.end, value.text, value.text, hit.qualifiedName, hit.conceptId, hit.framework, hit.kind, 'reference', 'string');
  }
}
