/**
 * The seeded fuzz suite (seconds): every parser PaperLens owns for users' files and paper text,
 * fed random bytes, truncated and mutated real inputs, deep nesting, long single lines and
 * unicode. None may throw, report a line outside its input, or take over a second on one input.
 * `npm run fuzz` runs the same targets and kinds for much longer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FUZZ_TARGETS, INPUT_KINDS, inputArbitrary, outOfRange } from '../../fuzz/targets';

/** Generous against a loaded CI machine; a quadratic parser on these sizes takes far longer. */
const BUDGET_MS = 2_000;

describe('fuzz (seeded)', () => {
  for (const target of FUZZ_TARGETS) {
    for (const kind of INPUT_KINDS) {
      it(`${target.name}: ${kind}`, async () => {
        await target.run(target.seeds[0] ?? ''); // loads the target's modules (the BibTeX library) untimed
        const big = kind === 'long-line' || kind === 'nesting';
        await fc.assert(
          fc.asyncProperty(inputArbitrary(target, kind, 0.1), async (text) => {
            const start = performance.now();
            const lines = await target.run(text);
            const ms = performance.now() - start;
            assert.deepEqual(outOfRange(text, lines), [], 'reported lines lie within the input');
            assert.ok(ms < BUDGET_MS, `took ${ms.toFixed(0)} ms on ${text.length} characters`);
          }),
          { seed: 23, numRuns: big ? 8 : 40, endOnFailure: true },
        );
      });
    }
  }
});
