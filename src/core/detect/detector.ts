/**
 * The loss detector: Python source in, every place that names a known loss out.
 *
 * Design. The source is tokenized once (`tokenizer.ts`; why a tokenizer and not tree-sitter is
 * explained there), then passes run over the token arrays:
 *  1. scope: import bindings (`import torch.nn.functional as F`, `from torch import nn`,
 *     `from x import (a, b as c)`, relative and star imports), module aliases by plain assignment
 *     (`nn = torch.nn`), definitions (`def focal_loss`, `class DiceLoss`) and inline hand-written
 *     definitions (`z_loss = coef * lse.pow(2).mean()`);
 *  2. function scopes, from indentation: each function's own variables (assigned, parameters,
 *     `for`/`as`/`:=` targets, minus `global`), which shadow imports of the same name;
 *  3. references: every name that is not an attribute (`x.name`), a keyword argument, a parameter,
 *     an assignment target or a function-local variable starts a dotted chain
 *     (`tf.keras.losses.BinaryCrossentropy`); its head is resolved through the bindings and the
 *     longest prefix looked up in the `LossIndex`. A hit becomes a `LossUsage`, with the call's
 *     arguments when it is called; a keyword argument named after a concept (`label_smoothing=`)
 *     becomes a usage of that concept too.
 * Module scope is flow-insensitive (an import anywhere in the file counts, as it would by the time
 * a function body runs) and cumulative across notebook cells. A name that no import resolves never
 * lights up, except hand-written losses defined in the source (or earlier cells) or imported from
 * the user's own modules. Strings (all forms) and comments are single tokens or skipped entirely,
 * so words in them can never match; f-string replacement fields are not scanned.
 *
 * Positions: 0-based UTF-16 offsets (what VS Code and JS strings use) plus 1-based line and column
 * in UTF-16 code units; `\r\n`, `\r` and `\n` all end a line. Everything is linear in the source
 * length; argument scanning of a call stops after a bounded number of tokens so that unterminated
 * calls cannot make it quadratic.
 */
import * as tokens from '../python/tokenizer';
import { tokenize, type TokenStream } from '../python/tokenizer';
import { computeLineStarts, lineColumn, offsetAt } from '../python/lines';
import { normalizeName, readImportStatement, type ImportBinding } from '../python/imports';
import { isNonLossPackage, type IndexedIdentifier, type LossIndex } from './lossIndex';
import type { Framework } from '../concepts/types';
import { canonicalQualifiedName } from '../concepts/qualifiedName';
import { isLossHolderName } from '../concepts/lexicon';
import type { CallArgument, CallInfo, LossUsage, UsageHow, UsageKind, UsageRole } from './types';

// Token kinds copied into module constants: where modules are not bundled (tsx, node --test), an
// imported binding is a property getter, and a getter call per comparison made scans 10× slower.
const {
  TK_AUGASSIGN, TK_COLON, TK_COMMA, TK_DOT, TK_DOUBLESTAR, TK_EQUAL, TK_LBRACE,
  TK_LPAR, TK_LSQB, TK_NAME, TK_NEWLINE, TK_RBRACE, TK_RPAR, TK_RSQB, TK_SEMI, TK_STAR, TK_STRING, TK_WALRUS,
  TF_NON_ASCII,
} = tokens;


const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** A call's arguments are scanned for at most this many tokens (a call left open while typing). */
const MAX_CALL_TOKENS = 4096;

/** What a name is bound to by an import or a module alias (the import's own binding, or `nn = torch.nn`). */
type Binding = Pick<ImportBinding, 'target' | 'importedName' | 'fromImport'>;

/** A hand-written loss defined (or imported from the user's own code) in scope. */
interface HandwrittenBinding {
  conceptId: string;
  kind: 'class' | 'function';
}

/**
 * The names in scope while scanning. One per file; for a notebook, one shared by all cells in
 * order, so that imports and definitions carry forward.
 */
export class ScanScope {
  readonly bindings = new Map<string, Binding[]>();
  readonly starModules: string[] = [];
  /** Hand-written losses by name (from `def`/`class`, or imported from non-library modules). */
  readonly handwritten = new Map<string, HandwrittenBinding>();
  /** Every name defined by `def`/`class` (they shadow star imports). */
  readonly defined = new Set<string>();
  /**
   * Every name the source assigns (`mae_loss = nn.L1Loss()`, `zn, zc = sample_z(…)`, `for x in …`):
   * the file's own variables, which a star import cannot be providing.
   */
  readonly assigned = new Set<string>();

  addBinding(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (!list) this.bindings.set(name, [binding]);
    else if (!list.some((b) => b.target === binding.target)) list.push(binding);
  }
}

export interface ScanOptions {
  /** Treat IPython magics (`%…`, `!…`, `x?`) as comments, for notebook cells. */
  ipython?: boolean;
  /** Continue from an existing scope (notebook cells); it is updated in place. */
  scope?: ScanScope;
}

/** The detector's answer for one source text, with fast position lookups. */
export class SourceScan {
  /** Usages sorted by `start`. */
  readonly usages: readonly LossUsage[];
  /** Offsets at which each line starts; `lineStarts[0]` is 0. */
  readonly lineStarts: Uint32Array;
  /** Length of the scanned text in UTF-16 units. */
  readonly length: number;

  constructor(usages: LossUsage[], lineStarts: Uint32Array, length: number) {
    this.usages = usages;
    this.lineStarts = lineStarts;
    this.length = length;
  }

  /**
   * The usage whose identifier contains `offset` (0-based), or ends exactly at it (the cursor just
   * after a word still hovers it). Binary search: O(log n).
   */
  usageAt(offset: number): LossUsage | undefined {
    const usages = this.usages;
    let lo = 0;
    let hi = usages.length - 1;
    // Find the last usage with start <= offset.
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (usages[mid].start <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return undefined;
    const u = usages[found];
    return offset <= u.end ? u : undefined;
  }

  /** Converts a 0-based (line, character) position, as VS Code gives it, to an offset. */
  offsetAt(line: number, character: number): number {
    return offsetAt(this.lineStarts, this.length, line, character);
  }

  /** The usage at a 0-based (line, character) position. */
  usageAtPosition(line: number, character: number): LossUsage | undefined {
    return this.usageAt(this.offsetAt(line, character));
  }

  /** 1-based line and column of a 0-based offset. */
  positionOf(offset: number): { line: number; column: number } {
    return lineColumn(this.lineStarts, offset);
  }
}


function topLevelPackage(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot === -1 ? dotted : dotted.slice(0, dot);
}

function isClassLike(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/**
 * The contents of a plain string literal token `[s, e)` when it is a name (`"mse"`, `'huber'`): its
 * text and offsets between the quotes. Undefined for f-strings, byte strings, escapes and other text.
 */
function stringContent(text: string, s: number, e: number): { text: string; start: number; end: number } | undefined {
  let p = s;
  while (p < e && /[rRuU]/.test(text[p])) p++;
  const q = text[p];
  if (q !== '"' && q !== "'") return undefined;
  const triple = text.startsWith(q.repeat(3), p);
  const open = p + (triple ? 3 : 1);
  const close = e - (triple ? 3 : 1);
  if (close <= open) return undefined;
  const value = text.slice(open, close);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return undefined;
  return { text: value, start: open, end: close };
}

/**
 * True when a module path is a losses module (`keras_cv.src.losses.focal`, `timm.loss`,
 * `transformers.loss.loss_utils`) and no metrics module (`keras.metrics`, `torchmetrics.functional`).
 */
function mentionsLossWord(text: string): boolean {
  return text.indexOf('oss') !== -1 || text.indexOf('riterion') !== -1;
}

function isLossModulePath(module: string): boolean {
  if (!mentionsLossWord(module)) return false;
  let known = lossModulePaths.get(module);
  if (known === undefined) {
    known = /(?:^|\.)[A-Za-z_]*(?:loss|criterion)[A-Za-z_]*(?:\.|$)/i.test(module) && !/metric/i.test(module);
    if (lossModulePaths.size >= 5_000) lossModulePaths.clear();
    lossModulePaths.set(module, known);
  }
  return known;
}

/** Answers of `isLossModulePath` for the module paths that mention a loss. */
const lossModulePaths = new Map<string, boolean>();

/** What an attribute's name says (`attributeCall`). */
interface AttributeAnswer {
  conceptId: string;
  kind: 'class' | 'function';
  how: UsageHow;
  /** The name ends a library identifier (`cross_entropy`): only a method on `self` is named by it. */
  libraryName: boolean;
}

/**
 * An open-addressing table keyed by names, probed by the caller with a hash of the name's
 * characters in the source, so that a hit needs no string (see `Scanner.attributeCall`).
 */
class NameTable<V> {
  keys: (string | undefined)[] = new Array(256);
  values: V[] = new Array(256);
  mask = 255;
  private size = 0;

  insert(slot: number, key: string, value: V): void {
    this.keys[slot] = key;
    this.values[slot] = value;
    if (++this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.mask = this.mask * 2 + 1;
    this.keys = new Array(this.mask + 1);
    this.values = new Array(this.mask + 1);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key === undefined) continue;
      let h = 2166136261;
      for (let p = 0; p < key.length; p++) h = Math.imul(h ^ key.charCodeAt(p), 16777619);
      let slot = (h >>> 0) & this.mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.values[slot] = values[k];
    }
  }
}

/** Internal state of one scan. */
class Scanner {
  private readonly kind: Uint8Array;
  private readonly start: Uint32Array;
  private readonly end: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly count: number;
  /** 1 for tokens that belong to an import statement (not references). */
  private readonly skip: Uint8Array;
  readonly usages: LossUsage[] = [];
  private readonly lineStarts: Uint32Array;

  constructor(
    private readonly text: string,
    private readonly tokens: TokenStream,
    private readonly index: LossIndex,
    private readonly scope: ScanScope,
    lineStarts: Uint32Array,
  ) {
    this.kind = tokens.kind;
    this.start = tokens.start;
    this.end = tokens.end;
    this.flags = tokens.flags;
    this.count = tokens.count;
    this.skip = scratchArrays.bytes(tokens.count);
    this.lineStarts = lineStarts;
    this.callTokens = new CallTokens(text);
  }

  private name(i: number): string {
    return normalizeName(this.text.slice(this.start[i], this.end[i]));
  }

  private isName(i: number, value: string): boolean {
    return i < this.count && this.kind[i] === TK_NAME && this.end[i] - this.start[i] === value.length &&
      this.text.startsWith(value, this.start[i]);
  }

  private isStatementStart(i: number): boolean {
    if (i === 0) return true;
    const k = this.kind[i - 1];
    return k === TK_NEWLINE || k === TK_SEMI;
  }

  // ---------------------------------------------------------------- pass 1: scope

  collectScope(): void {
    const { kind, count } = this;
    const pendingAliases: { name: number; head: number; last: number }[] = [];
    let allList = -1;
    for (let i = 0; i < count; i++) {
      if (kind[i] !== TK_NAME) continue;
      // Everything below starts a statement: after a line end, `;`, the `:` of a one-line compound
      // statement (`try: import x`), or `async` (`async def`). Other names are skipped unread.
      const prev = i === 0 ? TK_NEWLINE : kind[i - 1];
      if (prev !== TK_NEWLINE && prev !== TK_SEMI && prev !== TK_COLON && !(prev === TK_NAME && this.isName(i - 1, 'async'))) continue;
      const next = kind[i + 1];
      if ((next === TK_EQUAL || next === TK_AUGASSIGN || next === TK_COMMA || next === TK_COLON) && this.isStatementStart(i)) this.noteAssigned(i);
      else if (next === TK_NAME && this.isName(i, 'for')) this.noteAssigned(i + 1);
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
        if (j + 1 >= count || after === TK_NEWLINE || after === TK_SEMI) pendingAliases.push({ name: i, head: i + 2, last: j });
      } else if (this.isStatementStart(i) && kind[i + 1] === TK_DOT) {
        // `self.kl_loss = nn.KLDivLoss()`: an attribute that holds an instance or a value. Its
        // calls (`self.kl_loss(x, y)`) are calls of that object, not of a loss named by its words.
        let j = i;
        while (kind[j + 1] === TK_DOT && kind[j + 2] === TK_NAME) j += 2;
        if (j > i && (kind[j + 1] === TK_EQUAL || kind[j + 1] === TK_AUGASSIGN || kind[j + 1] === TK_COLON)) this.attributeTargets.add(this.name(j));
      } else if (this.isStatementStart(i) && kind[i + 1] === TK_AUGASSIGN && this.isName(i, '__all__')) {
        allList = i + 2;
      }
    }
    this.dropImportedModules();
    for (const alias of pendingAliases) this.resolveAlias(alias.name, alias.head, alias.last);
    if (allList >= 0) this.recordAllList(allList);
    this.filter = this.nameFilter();
  }

  /** `a = …`, `a, b = …`, `a: T = …`, `a += …`, or the targets of `for a, b in`, from token `first`. */
  private noteAssigned(first: number): void {
    const { kind, count } = this;
    const names: number[] = [];
    let j = first;
    for (; j < count && (kind[j] === TK_NAME || kind[j] === TK_COMMA) && !this.isName(j, 'in'); j++) if (kind[j] === TK_NAME) names.push(j);
    const k = kind[j];
    const target = k === TK_EQUAL || k === TK_AUGASSIGN || (k === TK_COLON && names.length === 1) || (k === TK_NAME && names.length > 0);
    if (!target) return;
    for (const t of names) this.scope.assigned.add(this.name(t));
  }

  /** Names imported from the project's own modules and recognised by their words, with their import usage. */
  private readonly importedByWords = new Map<string, LossUsage>();

  /**
   * `from .kernels import cross_entropy_loss` then `cross_entropy_loss._forward_impl(…)`: a name
   * whose attributes are read is a module, not a loss. Its import usage is withdrawn and its name
   * forgotten (call before `findReferences`).
   */
  private dropImportedModules(): void {
    const { kind, count } = this;
    const imported = this.importedByWords;
    if (imported.size === 0) return;
    const modules = new Set<LossUsage>();
    const lengths = new Uint8Array(65);
    for (const name of imported.keys()) lengths[Math.min(64, name.length)] = 1;
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
  private readonly lossStrings: number[] = [];

  /** Names assigned as attributes anywhere in the source (`self.ce_loss = …`). */
  private readonly attributeTargets = new Set<string>();

  /**
   * `name = a.b.c` (a bare dotted name): a module alias (`nn = torch.nn`), an alias of a library
   * loss (`CE = nn.CrossEntropyLoss`) or of a loss defined or imported here (`Dice = DiceLoss`,
   * whose two names are both uses). Only at module level for the last two: inside a function the
   * name is a local variable.
   */
  private resolveAlias(nameToken: number, head: number, last: number): void {
    const parts: string[] = [];
    for (let j = head; j <= last; j += 2) parts.push(this.name(j));
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
  private recordLazyExports(from: number): void {
    const { kind, count } = this;
    if (kind[from] !== TK_LBRACE) return;
    const open: number[] = [];
    for (let j = from; j < count && kind[j] !== TK_NEWLINE; j++) {
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
  private recordAllList(from: number): void {
    const { kind, count } = this;
    for (let j = from; j < count && kind[j] !== TK_NEWLINE; j++) {
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
  private parseImport(i: number): number {
    const statement = readImportStatement(this.text, this.tokens, i);
    if (!statement) return i;
    for (let k = statement.firstToken; k <= statement.lastToken; k++) this.skip[k] = 1;
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
  private recordImportUsage(nameIndex: number, target: string, importedName: string, bound: string, module: string, relative: boolean): void {
    const hit = this.index.lookup(target);
    if (hit) {
      this.addUsage(nameIndex, nameIndex, target, hit, 'import');
      return;
    }
    // A library's or metrics package's name counts only from its losses module
    // (`from keras_cv.losses import FocalLoss`, `from transformers.loss.loss_utils import …`).
    const libraryLosses = !relative && isNonLossPackage(topLevelPackage(module), this.index);
    if (libraryLosses ? !isLossModulePath(module) : module.indexOf('etric') !== -1 && /metric/i.test(module)) return;
    // From a losses module (`from .giou_loss import giou`, `from keras.src.losses.losses import circle`)
    // an ambiguous word names that module's loss, as a loss base does for a class.
    const site = isLossModulePath(module) ? 'loss-module' : 'import';
    let conceptId = this.index.handwritten(importedName)?.conceptId ?? this.index.lexicon.conceptOf(importedName, site);
    if (!conceptId && bound !== importedName) {
      // `import PPOTrainerAsync as PPOTrainer`: the name the file gives it says what it is used as
      // (the usage is on that name, two tokens on).
      conceptId = this.index.handwritten(bound)?.conceptId ?? this.index.lexicon.conceptOf(bound, site);
      nameIndex += 2;
    }
    if (!conceptId) return;
    const kind = isClassLike(importedName) ? 'class' : 'function';
    this.scope.handwritten.set(bound, { conceptId, kind });
    this.addHandwrittenUsage(nameIndex, nameIndex, target, conceptId, kind, 'import', libraryLosses ? 'name' : 'local');
    this.importedByWords.set(bound, this.usages[this.usages.length - 1]);
  }

  /** `def name(` / `class Name(`: a loss defined here when its name is hand-written or names one by its words. */
  private recordDefinition(nameIndex: number, kind: 'class' | 'function'): void {
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
      conceptId = this.index.lexicon.conceptOf(name, site);
    }
    // `class CustomDPOTrainer(DPOTrainer)`, `class MyFocalLoss(FocalLoss)`: a subclass named after
    // its base (the base's name ends its own) is that base's loss.
    if (!conceptId && kind === 'class' && classSite !== null) conceptId = this.namedAfterBase(name, nameIndex + 1);
    if (!conceptId) return;
    this.scope.handwritten.set(name, { conceptId, kind });
    this.addHandwrittenUsage(nameIndex, nameIndex, name, conceptId, kind, 'definition', 'definition');
  }

  /** The concept of a base (from the class's `(` token `open`) whose name ends `name`, if any. */
  private namedAfterBase(name: string, open: number): string | undefined {
    const { kind, count } = this;
    if (kind[open] !== TK_LPAR) return undefined;
    let depth = 0;
    for (let j = open; j < count && kind[j] !== TK_NEWLINE; j++) {
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

  /** Classes enclosing the definition being read (`recordDefinition`), innermost last. */
  private readonly classStack: { indent: number; site: 'class' | 'module-class' | 'loss-class' | null }[] = [];

  /**
   * True when the parameters from the `(` token `open` begin with Keras's loss signature
   * `(y_true, y_pred`: such a function is a loss, so an ambiguous name (`def dice(y_true, y_pred)`)
   * names one, as a loss base does for a class.
   */
  private hasLossSignature(open: number): boolean {
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
  private classSite(open: number): 'class' | 'module-class' | 'loss-class' | null {
    const { kind, count } = this;
    if (kind[open] !== TK_LPAR) return 'class';
    let site: 'class' | 'module-class' | null = 'class';
    let depth = 0;
    for (let j = open; j < count && kind[j] !== TK_NEWLINE; j++) {
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

  // ---------------------------------------------------------------- function scopes

  /** Enclosing function of each token (index into `functions`), or -1 at module level. */
  private functionOf: Int32Array | null = null;
  private readonly functions: { parent: number; locals: Set<string>; globals: Set<string> }[] = [];

  /**
   * Characters between the start of the line holding token `i` and the token: the indentation when
   * the token starts its line. A binary search of the line starts, not a walk back to the line
   * start, which made a long single-line file (minified or generated Python) quadratic.
   */
  private indentOf(i: number): number {
    return lineColumn(this.lineStarts, this.start[i]).column - 1;
  }

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
          for (let j = i + 1; j + 1 < count && kind[j] === TK_COMMA && kind[j + 1] === TK_NAME && this.isName(i - 1, 'for'); j += 2) this.addName(fn.locals, j + 1, filter);
        } else if (this.end[i] - this.start[i] >= 6 && (this.isName(i, 'global') || this.isName(i, 'nonlocal'))) {
          for (let j = i + 1; j < count && (kind[j] === TK_NAME || kind[j] === TK_COMMA); j++) {
            if (kind[j] !== TK_NAME) continue;
            this.addName(fn.globals, j, filter);
            this.skip[j] = 1; // a declaration, not a use
          }
        }
      }
    }
    this.functionOf = functionOf;
  }

  /** `a = …`, `a, b = …`, `a += …`, `a: T = …` at the start of a statement in function `fn`. */
  private noteLocalTargets(first: number, fn: number): void {
    const { kind, count } = this;
    const names: number[] = [];
    let j = first;
    for (; j < count; j++) {
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
  private addName(set: Set<string>, i: number, filter: Uint8Array | null): void {
    if (filter !== null && !this.mayStartReference(filter, i)) return;
    set.add(this.name(i));
  }

  /** False when the name at token `i` cannot be in scope (see `nameFilter`); no string is made. */
  private mayStartReference(filter: Uint8Array, i: number): boolean {
    const s = this.start[i];
    const len = this.end[i] - s;
    return (this.flags[i] & TF_NON_ASCII) !== 0 || len >= 64 || filter[this.text.charCodeAt(s) * 64 + len] !== 0;
  }

  /** The name filter of this scan, computed once the module scope is known (after `collectScope`). */
  private filter: Uint8Array | null = null;

  /** True when `name` at token `i` is a local variable of an enclosing function. */
  private isFunctionLocal(i: number, name: string): boolean {
    const functionOf = this.functionOf;
    if (!functionOf) return false;
    for (let fn = functionOf[i]; fn >= 0; fn = this.functions[fn].parent) {
      const f = this.functions[fn];
      if (f.globals.has(name)) return false;
      if (f.locals.has(name)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- pass 2: references

  /**
   * A bitmap over (first character, length) of every name that can start a loss reference in this
   * scope, so that the other names (most of them) are rejected without slicing a string.
   * Null when anything could match (star imports, unusual names).
   */
  private nameFilter(): Uint8Array | null {
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
        }
        continue;
      }
      if (depth > 0 && i + 1 < count && kind[i + 1] === TK_EQUAL) {
        // Only `…loss=` and `loss_type=` can carry a loss string.
        const last = text.charCodeAt(end[i] - 1);
        if (last === 115 || last === 101) this.keywordStrings(i);
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
  }

  /** Names of the current chain's components, filled on demand (reused between chains). */
  private readonly parts: string[] = [];
  private chainHead = 0;

  /** Component `k` of the current chain (token `chainHead + 2k`), normalised. */
  private part(k: number): string {
    let p = this.parts[k];
    if (p === undefined) {
      p = this.name(this.chainHead + 2 * k);
      this.parts[k] = p;
    }
    return p;
  }

  /** Resolves the dotted chain whose head is token `head`, adding a usage on a hit. */
  private resolveChain(head: number, headName: string): void {
    const { kind, count } = this;
    const scope = this.scope;
    const bindings = scope.bindings.get(headName);
    const handwritten = scope.handwritten.get(headName);
    if (!bindings && !handwritten && scope.starModules.length === 0) return;

    // The chain is contiguous: head, DOT, NAME, DOT, NAME… so component k is token head + 2k.
    let length = 1;
    for (let j = head; j + 2 < count && kind[j + 1] === TK_DOT && kind[j + 2] === TK_NAME; j += 2) length++;
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
  private resolveAgainst(target: string, length: number): boolean {
    const index = this.index;
    if (!index.mayContain(target)) return false;
    for (let k = length - 1; k >= 0; k--) {
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
  private resolveForeign(binding: Binding, length: number): boolean {
    const k = length - 1;
    if (k === 0 && !binding.fromImport) return false;
    const target = binding.target;
    if (target.charCodeAt(0) !== 46 && isNonLossPackage(topLevelPackage(target), this.index)) {
      // A library's losses module that the registry does not list (`keras_cv.losses.FocalLoss`);
      // checked before the name, as most chains on a library (`torch.cat`) end here.
      if (k === 0 || !this.throughLossModule(target, k)) return false;
    }
    return this.foreignName(binding, k);
  }

  /** True when `target` and the chain's components before `k` form a losses module path. */
  private throughLossModule(target: string, k: number): boolean {
    let mentionsLoss = mentionsLossWord(target);
    for (let m = 1; m < k && !mentionsLoss; m++) mentionsLoss = mentionsLossWord(this.part(m));
    if (!mentionsLoss) return false;
    let module = target;
    for (let m = 1; m < k; m++) module += `.${this.part(m)}`;
    return isLossModulePath(module);
  }

  /** The usage for component `k` of the current chain on `binding`, when its name names a loss. */
  private foreignName(binding: Binding, k: number): boolean {
    // Names from a metrics module are metrics (`from keras_cv.metrics import MeanSquaredError`).
    if (binding.target.indexOf('etric') !== -1 && /metric/i.test(binding.target)) return false;
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
  private attributeCall(i: number): void {
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

  /**
   * (first character, length) of the losses defined or imported here, the only names besides
   * `…loss` that `attributeCall` looks at (filled by `nameFilter`).
   */
  private localNames = new Uint8Array(0);

  /** Last token of the latest chain whose head `resolveChain` found bound. */
  private boundChainEnd = -1;

  /** Per-name answers of `attributeCall` in this scan. */
  private readonly attributeNames = new NameTable<AttributeAnswer | null>();

  private attributeName(name: string): AttributeAnswer | null {
    if (this.attributeTargets.has(name)) return null;
    const local = this.scope.handwritten.get(name);
    if (local && this.scope.defined.has(name)) return { conceptId: local.conceptId, kind: local.kind, how: 'local', libraryName: false };
    const conceptId = this.index.handwritten(name)?.conceptId ?? this.index.lexicon.conceptOf(name, 'attribute');
    if (!conceptId) return null;
    return { conceptId, kind: isClassLike(name) ? 'class' : 'function', how: 'name', libraryName: this.index.mayEndWith(name) };
  }

  // ---------------------------------------------------------------- strings

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
  private keywordStrings(i: number): void {
    const prev = this.kind[i - 1];
    if (prev !== TK_LPAR && prev !== TK_COMMA) return;
    const len = this.end[i] - this.start[i];
    if (len < 4) return;
    if (len === 9 && this.isName(i, 'loss_type')) this.stringValues(i + 2, true);
    else if (this.isLossKeyword(i)) this.stringValues(i + 2, false);
  }

  /** `x.compile(optimizer, "mse")` (the loss by position) and `keras.losses.get("huber")`; `i` is the method's token. */
  private methodStrings(i: number): void {
    const { kind, count } = this;
    const len = this.end[i] - this.start[i];
    if (len === 7 && this.isName(i, 'compile')) {
      let j = i + 2;
      let depth = 0;
      for (; j < count && kind[j] !== TK_NEWLINE; j++) {
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
  private isLossKeyword(t: number): boolean {
    const s = this.start[t];
    const e = this.end[t];
    return (e - s === 4 && this.text.startsWith('loss', s)) || (e - s > 5 && this.text.startsWith('_loss', e - 5));
  }

  /** True when the dotted chain ending at token `last` resolves through the imports to `qualified`. */
  private resolvesTo(last: number, qualified: string): boolean {
    let head = last;
    while (head >= 2 && this.kind[head - 1] === TK_DOT && this.kind[head - 2] === TK_NAME) head -= 2;
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
  private stringValues(at: number, conceptIds: boolean): void {
    const { kind, count } = this;
    if (at >= count) return;
    if (kind[at] === TK_STRING) {
      if (at + 1 >= count || kind[at + 1] !== TK_STRING) this.stringUsage(at, conceptIds);
      return;
    }
    if (kind[at] !== TK_LSQB && kind[at] !== TK_LPAR && kind[at] !== TK_LBRACE) return;
    const open: number[] = [];
    for (let j = at; j < count && kind[j] !== TK_NEWLINE; j++) {
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

  private stringUsage(token: number, conceptIds: boolean): void {
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

  // ---------------------------------------------------------------- usages

  private addUsage(headToken: number, identifierToken: number, resolvedName: string, hit: IndexedIdentifier, role: UsageRole | null): void {
    this.push(headToken, identifierToken, resolvedName, hit.qualifiedName, hit.conceptId, hit.framework, hit.kind, role, 'library');
  }

  private addHandwrittenUsage(headToken: number, identifierToken: number, resolvedName: string, conceptId: string, kind: 'class' | 'function', role: UsageRole | null, how: UsageHow): void {
    this.push(headToken, identifierToken, resolvedName, this.name(identifierToken), conceptId, 'handwritten', kind, role, how);
  }

  /** A usage that is not a name token (a string's contents): a reference. */
  private pushAt(start: number, end: number, identifier: string, resolvedName: string, qualifiedName: string, conceptId: string, framework: Framework, kind: UsageKind, role: UsageRole, how: UsageHow): void {
    const { line, column } = lineColumn(this.lineStarts, start);
    this.usages.push({ start, end, line, column, endColumn: column + (end - start), identifier, expression: identifier, expressionStart: start, resolvedName, qualifiedName, conceptId, framework, kind, role, how });
  }

  /** Records a usage; with `role` null, it is a call when `(` follows the identifier, else a reference. */
  private push(
    headToken: number,
    identifierToken: number,
    resolvedName: string,
    qualifiedName: string,
    conceptId: string,
    framework: Framework,
    kind: UsageKind,
    role: UsageRole | null,
    how: UsageHow,
  ): void {
    const start = this.start[identifierToken];
    const end = this.end[identifierToken];
    const { line, column } = lineColumn(this.lineStarts, start);
    const identifier = this.text.slice(start, end);
    const isCall = role === null && identifierToken + 1 < this.count && this.kind[identifierToken + 1] === TK_LPAR;
    const expression = headToken === identifierToken ? identifier : this.rawChain(headToken, identifierToken);
    const expressionStart = this.start[headToken];
    if (!isCall) {
      const usageRole = role ?? 'reference';
      this.usages.push({ start, end, line, column, endColumn: column + (end - start), identifier, expression, expressionStart, resolvedName, qualifiedName, conceptId, framework, kind, role: usageRole, how });
      // `{"bce": binary_crossentropy, …}`: an alias table's key that is the loss's own string alias
      // names the same loss as its value, in Keras code (a Keras or hand-written value). Beside
      // another library's class (`{"mse": nn.MSELoss}`) the key is an option's value.
      const kinds = this.kind;
      if ((framework === 'keras' || framework === 'tensorflow' || framework === 'handwritten') && headToken >= 3 && kinds[headToken - 1] === TK_COLON && kinds[headToken - 2] === TK_STRING && (kinds[headToken - 3] === TK_LBRACE || kinds[headToken - 3] === TK_COMMA)) {
        const key = stringContent(this.text, this.start[headToken - 2], this.end[headToken - 2]);
        const hit = key ? this.index.kerasString(key.text) : undefined;
        if (key && hit && hit.conceptId === conceptId) this.pushAt(key.start, key.end, key.text, key.text, hit.qualifiedName, hit.conceptId, hit.framework, hit.kind, 'reference', 'string');
      }
      return;
    }
    // The call is read first so that the usage is created whole (adding `call` afterwards cost
    // every call usage a second allocation for its property store).
    const call = this.readCallAt(identifierToken + 1);
    const usage: LossUsage = { start, end, line, column, endColumn: column + (end - start), identifier, expression, expressionStart, resolvedName, qualifiedName, conceptId, framework, kind, role: 'call', how, call };
    this.usages.push(usage);
    for (const a of this.keywordTokens) this.addParameterUsage(usage, this.text.slice(this.start[a], this.end[a]), this.start[a]);
  }

  /** Keyword-argument tokens of the call being read (reused between calls). */
  private readonly keywordTokens: number[] = [];
  /** Calls of this scan whose arguments are read on demand, in the order they were found. */
  private readonly lazyCalls: LazyCall[] = [];

  /**
   * Reads the call whose `(` is token `open` without building its argument list: where it ends,
   * whether it is closed, and its keyword names (left in `keywordTokens` for the parameter usages). The arguments
   * are parsed from a copy of the call's tokens when something asks for them (`LazyCall`): only a
   * hover and tests do, and building them for every call was half of a large file's scan time.
   */
  private readCallAt(open: number): LazyCall {
    const { count, text } = this;
    const limit = Math.min(count, open + MAX_CALL_TOKENS);
    const keywordTokens = this.keywordTokens;
    keywordTokens.length = 0;
    const j = readCall(this.kind, this.start, this.end, text, open, limit, null, keywordTokens);
    const closed = callReadFinished && this.kind[j] === TK_RPAR;
    const endOffset = closed ? this.end[j] : j < count ? this.start[j] : text.length;
    const call = new LazyCall(this.callTokens, this.start[open], endOffset, closed, open, Math.min(j + 1, limit) - open);
    this.lazyCalls.push(call);
    return call;
  }

  /** Token copies shared by this scan's calls; filled by `finishCalls`. */
  private readonly callTokens: CallTokens;

  /**
   * Copies the tokens of every call into `callTokens` (overlapping ranges — a loss call inside a
   * loss call — once), so that the arguments can be parsed after the scratch token arrays have
   * been lent to the next scan.
   */
  finishCalls(): void {
    const calls = this.lazyCalls;
    if (calls.length === 0) return;
    // Found in token order already, except in unusual nestings; sort only then.
    let sorted = true;
    for (let c = 1; c < calls.length && sorted; c++) sorted = calls[c - 1].tokenOpen <= calls[c].tokenOpen;
    if (!sorted) calls.sort((a, b) => a.tokenOpen - b.tokenOpen);
    // Merge the ranges into segments, then copy each segment once.
    const segments = new Int32Array(2 * calls.length); // [start, end) pairs of token indices
    let segmentCount = 0;
    let segStart = calls[0].tokenOpen;
    let segEnd = segStart + calls[0].tokenLength;
    for (let c = 1; c < calls.length; c++) {
      const { tokenOpen, tokenLength } = calls[c];
      if (tokenOpen >= segEnd) {
        segments[segmentCount++] = segStart;
        segments[segmentCount++] = segEnd;
        segStart = tokenOpen;
      }
      segEnd = Math.max(segEnd, tokenOpen + tokenLength);
    }
    segments[segmentCount++] = segStart;
    segments[segmentCount++] = segEnd;
    let total = 0;
    for (let s = 0; s < segmentCount; s += 2) total += segments[s + 1] - segments[s];
    const store = this.callTokens;
    store.kind = new Uint8Array(total);
    store.start = new Uint32Array(total);
    store.end = new Uint32Array(total);
    let base = 0;
    let c = 0;
    for (let s = 0; s < segmentCount; s += 2) {
      const from = segments[s];
      const to = segments[s + 1];
      // A plain loop: segments are a few tokens long, and subarray() allocates three views per segment.
      for (let t = from, b = base; t < to; t++, b++) {
        store.kind[b] = this.kind[t];
        store.start[b] = this.start[t];
        store.end[b] = this.end[t];
      }
      for (; c < calls.length && calls[c].tokenOpen < to; c++) calls[c].tokenOpen = base + (calls[c].tokenOpen - from);
      base += to - from;
    }
  }

  /**
   * `label_smoothing=0.1` in a library loss call names the label-smoothing concept too. Only for a
   * library's loss, whose parameters the registry knows: the keywords of the project's own losses
   * are its switches (`DiceLoss(jaccard=True)`).
   */
  private addParameterUsage(parent: LossUsage, name: string, start: number): void {
    if (parent.how !== 'library') return;
    const conceptId = this.index.parameterConcept(name);
    if (!conceptId || conceptId === parent.conceptId) return;
    const { line, column } = lineColumn(this.lineStarts, start);
    this.usages.push({
      start,
      end: start + name.length,
      line,
      column,
      endColumn: column + name.length,
      identifier: name,
      expression: name,
      expressionStart: start,
      resolvedName: `${parent.resolvedName}(${name}=…)`,
      qualifiedName: `${parent.qualifiedName}(${name}=…)`,
      conceptId,
      framework: parent.framework,
      kind: 'parameter',
      role: 'reference',
      how: 'library',
    });
  }

  /** The chain from `head` to `last` as written, without whitespace: `tf.keras.losses.Huber`. */
  private rawChain(head: number, last: number): string {
    // Usually written without spaces (`tf.keras.losses.Huber`): then it is one slice.
    let length = last - head >> 1; // the dots
    for (let j = head; j <= last; j += 2) length += this.end[j] - this.start[j];
    if (this.end[last] - this.start[head] === length) return this.text.slice(this.start[head], this.end[last]);
    const out: string[] = [];
    for (let j = head; j <= last; j += 2) out.push(this.text.slice(this.start[j], this.end[j]));
    return out.join('.');
  }
}

/** Set by `readCall`: the read stopped at the call's closing bracket (not at a line end or the limit). */
let callReadFinished = false;

/**
 * Reads the argument list of a call whose `(` is token `open`, up to token `limit` (exclusive).
 * Returns the index where the read stopped (the closing bracket when `callReadFinished`). With
 * `args`, every argument is appended to it; with `keywordTokens`, the name token of every keyword
 * argument is. One loop for both, so that the eager read during the scan and the lazy parse of
 * `LazyCall` cannot disagree.
 */
function readCall(
  kind: Uint8Array, start: Uint32Array, end: Uint32Array, text: string, open: number, limit: number,
  args: CallArgument[] | null, keywordTokens: number[] | null,
): number {
  let depth = 0;
  let argFirst = -1;
  let j = open + 1;
  let finished = false;
  for (; j < limit; j++) {
    const k = kind[j];
    if (k === TK_NEWLINE) break; // only after error recovery: the call was never closed
    if (depth === 0 && (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE)) {
      finishArgument(kind, start, end, text, argFirst, j - 1, args, keywordTokens);
      finished = true;
      break;
    }
    if (depth === 0 && k === TK_COMMA) {
      finishArgument(kind, start, end, text, argFirst, j - 1, args, keywordTokens);
      argFirst = -1;
      continue;
    }
    if (argFirst < 0) argFirst = j;
    if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
    else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
  }
  if (!finished && argFirst >= 0) finishArgument(kind, start, end, text, argFirst, Math.min(j, limit) - 1, args, keywordTokens);
  callReadFinished = finished;
  return j;
}

/** One argument, tokens `first`..`last`: appended to `args` and/or its keyword token to `keywordTokens`. */
function finishArgument(
  kind: Uint8Array, start: Uint32Array, end: Uint32Array, text: string, first: number, last: number,
  args: CallArgument[] | null, keywordTokens: number[] | null,
): void {
  if (first < 0 || last < first) return;
  const argStart = start[first];
  const argEnd = end[last];
  if (kind[first] === TK_NAME && kind[first + 1] === TK_EQUAL && first + 1 < last) {
    if (keywordTokens) keywordTokens.push(first);
    if (args) {
      const valueStart = start[first + 2];
      args.push({ kind: 'keyword', name: text.slice(argStart, end[first]), value: text.slice(valueStart, argEnd), start: argStart, end: argEnd, valueStart });
    }
  } else if (!args) {
    // Nothing else to note without an argument list.
  } else if ((kind[first] === TK_STAR || kind[first] === TK_DOUBLESTAR) && first < last) {
    const valueStart = start[first + 1];
    args.push({ kind: kind[first] === TK_STAR ? 'star' : 'doubleStar', value: text.slice(valueStart, argEnd), start: argStart, end: argEnd, valueStart });
  } else {
    args.push({ kind: 'positional', value: text.slice(argStart, argEnd), start: argStart, end: argEnd, valueStart: argStart });
  }
}

/** Copies of the tokens of one scan's calls (see `Scanner.finishCalls`). */
class CallTokens {
  kind = new Uint8Array(0);
  start = new Uint32Array(0);
  end = new Uint32Array(0);
  constructor(readonly text: string) {}
}

/**
 * A loss call whose argument list is parsed on first access, from copies of its tokens. Reads the
 * same as a plain `CallInfo` (and serialises as one).
 */
class LazyCall implements CallInfo {
  // Fields are declared (type-only) and assigned in the constructor: emitted as class fields they
  // were defined one by one on every instance, a measurable cost at 40,000 calls in a file.
  declare private readonly tokens: CallTokens;
  declare readonly openParen: number;
  declare readonly end: number;
  declare readonly closed: boolean;
  /** Index of `(` in the scan's tokens, then (after `finishCalls`) in `tokens`. */
  declare tokenOpen: number;
  /** Tokens of the call from `(` that its parse reads. */
  declare readonly tokenLength: number;
  declare private parsed: CallArgument[] | undefined;

  constructor(tokens: CallTokens, openParen: number, end: number, closed: boolean, tokenOpen: number, tokenLength: number) {
    this.tokens = tokens;
    this.openParen = openParen;
    this.end = end;
    this.closed = closed;
    this.tokenOpen = tokenOpen;
    this.tokenLength = tokenLength;
    this.parsed = undefined;
  }

  get arguments(): CallArgument[] {
    if (this.parsed === undefined) {
      const { kind, start, end, text } = this.tokens;
      this.parsed = [];
      readCall(kind, start, end, text, this.tokenOpen, this.tokenOpen + this.tokenLength, this.parsed, null);
    }
    return this.parsed;
  }

  get positionalCount(): number {
    let n = 0;
    for (const a of this.arguments) if (a.kind === 'positional') n++;
    return n;
  }

  get keywords(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of this.arguments) if (a.kind === 'keyword' && a.name !== undefined && a.name !== '__proto__') out[a.name] = a.value;
    return out;
  }

  toJSON(): CallInfo {
    return { openParen: this.openParen, end: this.end, closed: this.closed, positionalCount: this.positionalCount, keywords: this.keywords, arguments: this.arguments };
  }
}

/** Token arrays kept between scans (scans are synchronous, so one set is enough). */
let scratchTokens: TokenStream | undefined;

/**
 * Per-token working arrays lent from one scan to the next: at a megabyte each for a large file,
 * allocating them per scan fed the old-generation GC.
 */
const scratchArrays = {
  byteBuffer: new Uint8Array(0),
  intBuffer: new Int32Array(0),
  /** `n` zeroed bytes. */
  bytes(n: number): Uint8Array {
    if (this.byteBuffer.length < n) this.byteBuffer = new Uint8Array(Math.max(n, this.byteBuffer.length * 2));
    const view = this.byteBuffer.subarray(0, n);
    view.fill(0);
    return view;
  },
  /** `n` ints set to -1. */
  ints(n: number): Int32Array {
    if (this.intBuffer.length < n) this.intBuffer = new Int32Array(Math.max(n, this.intBuffer.length * 2));
    const view = this.intBuffer.subarray(0, n);
    view.fill(-1);
    return view;
  },
};

/**
 * Finds every loss named in `text` (a Python file or one notebook cell). Never throws for any
 * input; the result's `usageAt` answers hover queries by binary search.
 */
export function scanSource(text: string, index: LossIndex, options: ScanOptions = {}): SourceScan {
  const source = typeof text === 'string' ? text : '';
  const scope = options.scope ?? new ScanScope();
  // The token arrays are only needed during the scan: lend them to the next scan.
  const tokens = tokenize(source, { ipython: options.ipython === true }, scratchTokens);
  scratchTokens = tokens;
  const lineStarts = computeLineStarts(source);
  const scanner = new Scanner(source, tokens, index, scope, lineStarts);
  scanner.collectScope();
  scanner.collectFunctions();
  scanner.findReferences();
  scanner.findStrings();
  scanner.finishCalls();
  const usages = scanner.usages.sort((a, b) => a.start - b.start);
  return new SourceScan(dedupe(usages), lineStarts, source.length);
}

/** Two resolutions can land on the same identifier (e.g. an alias bound twice); keep the first. */
function dedupe(sorted: LossUsage[]): LossUsage[] {
  const out: LossUsage[] = [];
  for (const u of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === u.start) continue;
    out.push(u);
  }
  return out;
}

/**
 * Cell magics whose body is another language (IPython's own and the common extensions'): such a
 * cell is not scanned. Any other cell magic (`%%time`, `%%capture`, `%%backend torch`,
 *) leaves a Python body, which is scanned with the magic line skipped.
 */
const FOREIGN_CELL_MAGICS = new Set([
  'bash', 'sh', 'script', 'system', 'html', 'HTML', 'javascript', 'js', 'latex', 'markdown', 'svg', 'perl',
  'ruby', 'pypy', 'sql', 'R', 'julia', 'octave', 'matlab', 'cmd', 'powershell', 'mermaid', 'dot', 'sx', 'file',
  // The body is a file's text, written to disk and not run by the kernel.
  'writefile',
]);

/** True when a notebook cell's body is not Python (`%%bash`, `%%html`, `%%sql`…). */
export function isForeignCellMagic(cell: string): boolean {
  const m = /^\s*%%([A-Za-z_][\w]*)/.exec(cell);
  return m !== null && FOREIGN_CELL_MAGICS.has(m[1]);
}

/** Per-cell results of a notebook scan; positions are relative to each cell. */
export interface NotebookScan {
  cells: SourceScan[];
}

/**
 * Scans notebook cells in order, carrying imports and definitions from earlier cells into later
 * ones. IPython magics are ignored; cells with a non-Python cell magic yield no usages.
 */
export function scanNotebook(cells: readonly string[], index: LossIndex): NotebookScan {
  const scope = new ScanScope();
  const out: SourceScan[] = [];
  for (const cell of Array.isArray(cells) ? cells : []) {
    const source = typeof cell === 'string' ? cell : '';
    if (isForeignCellMagic(source)) {
      out.push(new SourceScan([], computeLineStarts(source), source.length));
      continue;
    }
    out.push(scanSource(source, index, { ipython: true, scope }));
  }
  return { cells: out };
}
