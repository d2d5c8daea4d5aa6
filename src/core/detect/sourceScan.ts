/**
 * What a scan returns (`SourceScan`, with its position lookups) and the names in scope while
 * scanning (`ScanScope`, shared by the cells of a notebook). See `detector.ts` for the design.
 */
import { lineColumn, offsetAt } from '../text/lineIndex';
import type { ImportBinding } from '../python/imports';
import type { TokenStream } from '../python/tokenizer';
import type { LossUsage, ProjectImports } from './types';

/** What a name is bound to by an import or a module alias (the import's own binding, or `nn = torch.nn`). */
export type Binding = Pick<ImportBinding, 'target' | 'importedName' | 'fromImport'>;

/** A hand-written loss defined (or imported from the user's own code) in scope. */
export interface HandwrittenBinding {
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
  /**
   * Counts the scan's work, added to what it holds: `tokens` scanned, and `visits`, the token steps
   * of every pass and of every walk from one token to others (a chain, a call's arguments, a class's
   * bases, an assignment's targets…). A linear scan keeps `visits` within a constant of `tokens`,
   * so tests can assert it without timing anything.
   */
  work?: ScanWork;
  /**
   * The project's other files: a name imported from the project's own modules that the detector's
   * rules leave unknown is looked up where it is defined (`project.ts`).
   */
  project?: ProjectImports;
  /**
   * The text's tokens, when the caller has them (made with the same `ipython`): a caller that runs
   * the checks and the syntax check too tokenizes the text once for all three (issue 23).
   */
  tokens?: TokenStream;
  /** The text's line starts (`computeLineStarts`), when the caller has them. */
  lineStarts?: Uint32Array;
}

/** The work of one or more scans (`ScanOptions.work`). */
export interface ScanWork {
  tokens: number;
  visits: number;
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
