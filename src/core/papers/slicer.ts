/**
 * Cooperative time slicing for long loops (parsing a large corpus file, merging sources). The loop
 * calls `await slicer.tick()` between units of work; the slicer yields to the event loop once the
 * current slice has used its budget, so that other work (hovers, keystroke handling in the
 * extension host) runs in between. It also records the longest slice it saw, for measurements.
 */

/** What a long loop needs: a point where it may yield, and a way to report progress. */
export interface Slicer {
  /** Yields to the event loop when the current slice is over budget; cheap otherwise. */
  tick(): Promise<void>;
}

/** Never yields: for the CLI and for small inputs where a yield costs more than it saves. */
export const NO_YIELD: Slicer = { tick: () => Promise.resolve() };

export class TimeSlicer implements Slicer {
  private sliceStart = performance.now();
  /** Longest stretch between two yields, in milliseconds (the work of one slice). */
  longestSliceMs = 0;
  /** Number of times the slicer yielded. */
  yields = 0;

  /** @param budgetMs the work one slice may do before yielding. */
  constructor(private readonly budgetMs = 8) {}

  async tick(): Promise<void> {
    // Callers tick once per unit of work (an entry, a record), so reading the clock each time is cheap.
    const now = performance.now();
    if (now - this.sliceStart < this.budgetMs) return;
    this.longestSliceMs = Math.max(this.longestSliceMs, now - this.sliceStart);
    this.yields++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }

  /** Closes the current slice (call when the loop ends) so that its length is counted too. */
  finish(): void {
    this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - this.sliceStart);
  }
}
