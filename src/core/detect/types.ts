/** Result types of the loss detector. Plain data: they cross into the CLI's JSON and the editor. */
import type { Framework } from '../concepts/types';

/**
 * How the loss is named at this place:
 * - `call`: the identifier is called, `F.cross_entropy(x, y)`, `nn.CrossEntropyLoss()`;
 * - `reference`: named without a call, `loss_fn = F.cross_entropy`, `isinstance(m, nn.MSELoss)`,
 *   and a keyword argument of a loss call that is itself a concept (`kind: 'parameter'`):
 *   `nn.CrossEntropyLoss(label_smoothing=0.1)` → label-smoothing;
 * - `import`: named in an import statement, `from torch.nn import CrossEntropyLoss`;
 * - `definition`: a hand-written loss defined here, `def focal_loss(`, `class DiceLoss(nn.Module)`.
 * A variable holding a computed value (`kl_loss = self.zero`, `z_loss = coef * lse.pow(2).mean()`)
 * is never a usage: the hover belongs to the callee on its right side.
 */
export type UsageRole = 'call' | 'reference' | 'import' | 'definition';

/** What the named thing is: a library or hand-written `class` or `function`, or a keyword `parameter` of a loss call. */
export type UsageKind = 'class' | 'function' | 'parameter';

/**
 * How the detector recognised the usage:
 * - `library`: the name resolves through the file's imports to a registry identifier
 *   (`F.cross_entropy`, `from torch.nn import MSELoss`), or is a concept keyword of such a call;
 * - `definition`: a `def`/`class` whose name names a loss (`def softmax_xent(`, `class DiceLoss`);
 * - `local`: a use of a loss defined or imported from the project's own modules in this file (or an
 *   earlier cell): calls, references, relative and absolute imports, aliases (`Dice = DiceLoss`),
 *   `__all__` entries, methods of this file's classes (`self.dpo_loss(`);
 * - `name`: inferred from the words of an attribute the detector cannot resolve (`u.softmax_xent(`
 *   with `u` the project's utils, `trainer.dpo_loss(`);
 * - `string`: a string a library turns into the loss (`compile(loss="mse")`, `keras.losses.get("huber")`).
 */
export type UsageHow = 'library' | 'definition' | 'local' | 'name' | 'string';

/** One argument of a call, as written. Offsets are 0-based UTF-16 offsets into the source. */
export interface CallArgument {
  kind: 'positional' | 'keyword' | 'star' | 'doubleStar';
  /** The keyword, for `kind: 'keyword'`. */
  name?: string;
  /** Source text of the value (after `=` for keywords, after `*`/`**` for starred). */
  value: string;
  /** Offsets of the whole argument (`label_smoothing=0.1`). */
  start: number;
  end: number;
  /** Offset where `value` starts. */
  valueStart: number;
}

/** The argument list of a call to a loss. */
export interface CallInfo {
  /** Offset of `(`. */
  openParen: number;
  /** Offset just after `)`, or where the scan of an unterminated call stopped. */
  end: number;
  /** False when the closing parenthesis is missing (the user is typing). */
  closed: boolean;
  positionalCount: number;
  /** Keyword arguments, name → value source text (`{ label_smoothing: '0.1' }`). */
  keywords: Record<string, string>;
  /** Every argument in order, with ranges. */
  arguments: CallArgument[];
}

/** A place in Python source that names a known loss. */
export interface LossUsage {
  /** 0-based UTF-16 offset of the first character of the identifier as written. */
  start: number;
  /** 0-based UTF-16 offset just after the identifier. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`, in UTF-16 code units (a tab counts as one column). */
  column: number;
  /** `column + (end - start)`: the 1-based column just after the identifier. */
  endColumn: number;
  /** The last name component as written: `cross_entropy` in `F.cross_entropy`, `CE` for an alias. */
  identifier: string;
  /** The dotted expression as written, whitespace removed: `F.cross_entropy`. */
  expression: string;
  /** 0-based offset where `expression` starts (the head name). */
  expressionStart: number;
  /** What the expression resolved to through the imports: `torch.nn.functional.cross_entropy`. */
  resolvedName: string;
  /**
   * The registry's qualified name for the match (its canonical spelling); for hand-written losses,
   * the name; for a keyword parameter, the call's name and the keyword: `torch.nn.CrossEntropyLoss(label_smoothing=…)`.
   */
  qualifiedName: string;
  conceptId: string;
  framework: Framework;
  kind: UsageKind;
  role: UsageRole;
  how: UsageHow;
  /** Present when `role` is `call`. */
  call?: CallInfo;
}

/** What an imported name is, when the project's module defines or re-exports it as a loss (`project.ts`). */
export interface ProjectExport {
  conceptId: string;
  kind: 'class' | 'function';
}

/** The detector's view of one file's project: what `from <module> import <name>` brings in. */
export interface ProjectImports {
  exportOf(module: string, name: string): ProjectExport | undefined;
}
