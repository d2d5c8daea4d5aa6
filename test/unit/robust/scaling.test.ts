/**
 * The detector on files whose shape made it superlinear (issue 23): a 1 MB single-line file (the
 * detector walked back to the line start for every statement). The checks' cases are in
 * test/unit/checks/scaling.test.ts, held to a count of work rather than to a clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';

const root = path.resolve(__dirname, '..', '..', '..');
const concepts = parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json').concepts;
const index = buildLossIndex(concepts);

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('detector on files of an unusual shape', () => {
  it('scans a 1 MB single-line file (generated or minified Python) without walking back per statement', () => {
    const text = `import torch.nn.functional as F; ${'x = 1; '.repeat(150_000)}loss = F.cross_entropy(a, b)\n`;
    const { value, ms } = timed(() => scanSource(text, index));
    assert.deepEqual(value.usages.map((u) => u.conceptId), ['cross-entropy']);
    // About 0.1 s; the walk back to the line start for each statement took minutes.
    assert.ok(ms < 10_000, `scan took ${ms.toFixed(0)} ms`);
  });
});
