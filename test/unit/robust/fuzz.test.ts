/**
 * The seeded fuzz suite (seconds): every parser PaperLens owns for users' files and paper text,
 * fed random bytes, truncated and mutated real inputs, deep nesting, long single lines and
 * unicode. None may throw or report a line outside its input; a target that hangs fails its test
 * by timeout. `npm run fuzz` runs the same targets and kinds for much longer and reports the
 * slowest input of each kind and every input over a second (times are its to report, not a test's).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FUZZ_TARGETS, INPUT_KINDS, inputArbitrary, outOfRange } from '../../fuzz/targets';

/** A hang guard: a quadratic parser on these sizes takes minutes. */
const HANG = { timeout: 120_000 };

describe('fuzz (seeded)', () => {
  for (const target of FUZZ_TARGETS) {
    for (const kind of INPUT_KINDS) {
      it(`${target.name}: ${kind}`, HANG, async () => {
        const big = kind === 'long-line' || kind === 'nesting';
        await fc.assert(
          fc.asyncProperty(inputArbitrary(target, kind, 0.1), async (text) => {
            const lines = await target.run(text);
            assert.deepEqual(outOfRange(text, lines), [], 'reported lines lie within the input');
          }),
          { seed: 23, numRuns: big ? 8 : 40, endOnFailure: true },
        );
      });
    }
  }
});
