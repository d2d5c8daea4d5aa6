/**
 * The checks on files whose shape made them superlinear (issue 23; the detector's cases are in
 * test/unit/detect/workBound.test.ts, measured by its work counter): 16,000
 * `x = nn.SomeLoss()` lines (the checks scanned every token for each instance), and thousands of
 * functions whose loss arguments are parameters (the flow scanned the file for each parameter's
 * callers). Budgets are generous multiples of a plain pass, so a slow shared machine passes and a
 * quadratic algorithm (minutes on these inputs) does not.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkSource } from '../../../src/core/checks/analyze';
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

describe('detector and checks on files of an unusual shape', () => {
  it('checks 16,000 loss instances, each followed to its calls, in one pass over the calls', () => {
    const lines = ['import torch.nn as nn'];
    for (let i = 0; i < 16_000; i++) lines.push(`l${i} = nn.KLDivLoss()`);
    lines.push('out = l7(inp, target)');
    const text = `${lines.join('\n')}\n`;
    const scan = scanSource(text, index);
    const { value, ms } = timed(() => checkSource(text, scan));
    assert.ok(value.some((f) => f.rule === 'kl-div-mean'), 'the one instance that is called is still checked');
    assert.ok(ms < 10_000, `checks took ${ms.toFixed(0)} ms`);
  });

  it('follows parameters to their callers in a file of 10,000 functions without rescanning it per parameter', () => {
    const parts = ['import torch.nn.functional as F'];
    for (let i = 0; i < 5_000; i++) parts.push(`def f${i}(x, y):\n    return F.cross_entropy(x, y)`);
    parts.push('def head(z):\n    return z.softmax(dim=-1)', 'def step(z, y):\n    return f7(head(z), y)');
    const text = `${parts.join('\n')}\n`;
    const scan = scanSource(text, index);
    const { value, ms } = timed(() => checkSource(text, scan));
    assert.ok(ms < 15_000, `checks took ${ms.toFixed(0)} ms`);
    // The softmax reaches F.cross_entropy in f7 through its caller: still reported.
    assert.ok(value.some((f) => f.rule === 'softmax-before-ce'), JSON.stringify(value.map((f) => f.rule)));
  });
});
