/**
 * The detector stays linear on files whose shape once made it superlinear (issue 23), measured by
 * the scan's own work counter (`ScanOptions.work`: token steps of every pass and of every walk from
 * one token to others), not by a clock: deterministic on any machine. Each shape is scanned at two
 * sizes; the work per token must stay under a fixed bound and must not grow with the size (a
 * quadratic walk, such as going back to the line start for every statement, doubles it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { scanSource, type ScanWork } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';

const root = path.resolve(__dirname, '..', '..', '..');
const concepts = parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json').concepts;
const index = buildLossIndex(concepts);

/** Token steps per token allowed for any input (the passes are three; walks add a few per token). */
const MAX_VISITS_PER_TOKEN = 12;

function workOf(text: string): ScanWork & { usages: number; perToken: number } {
  const work: ScanWork = { tokens: 0, visits: 0 };
  const scan = scanSource(text, index, { work });
  return { ...work, usages: scan.usages.length, perToken: work.visits / Math.max(1, work.tokens) };
}

/**
 * A call left open reads at most this many tokens of arguments (`MAX_CALL_TOKENS` in
 * scanSupport.ts): a line of unterminated calls costs that much per call, a constant, not the rest
 * of the file.
 */
const CALL_READ_LIMIT = 4096;

/** Generators of one pathological shape at size `n`. */
const SHAPES: Record<string, (n: number) => string> = {
  'a 1 MB single line of statements (generated or minified Python)': (n) =>
    `import torch.nn.functional as F; ${'x = 1; '.repeat(n)}loss = F.cross_entropy(a, b)\n`,
  'many loss instances, each assigned and called': (n) => {
    const lines = ['import torch.nn as nn'];
    for (let i = 0; i < n; i++) lines.push(`l${i} = nn.KLDivLoss()`, `out${i} = l${i}(inp, target)`);
    return `${lines.join('\n')}\n`;
  },
  'thousands of functions calling a loss on their parameters': (n) => {
    const parts = ['import torch.nn.functional as F'];
    for (let i = 0; i < n; i++) parts.push(`def f${i}(x, y, *args, **kwargs):\n    global G\n    a, b = x, y\n    return F.cross_entropy(a, b)`);
    return `${parts.join('\n')}\n`;
  },
  'long dotted chains on an imported module': (n) =>
    `import tensorflow as tf\n${`y = tf${'.a'.repeat(50)}.keras.losses.Huber()(p, q)\n`.repeat(Math.max(1, n >> 4))}`,
  'classes with many bases and methods, in a losses package': (n) => {
    const parts = ['from torch.nn.modules.loss import _Loss', 'from .dice_loss import dice, DiceLoss'];
    for (let i = 0; i < n; i++) parts.push(`class DiceCE${i}(_Loss, A, B, C, D):\n    def ce(self, x):\n        return self.ce(x)\n    def get_cosine(self, a):\n        return a`);
    return `${parts.join('\n')}\n`;
  },
  'a star import and many assigned names': (n) => {
    const lines = ['from my_losses import *'];
    for (let i = 0; i < n; i++) lines.push(`v${i}, w${i} = focal_loss(a, b), 1`, `for k${i}, j${i} in pairs: total += v${i}`);
    return `${lines.join('\n')}\n`;
  },
  'Keras compile calls with nested loss specs': (n) =>
    `import keras\n${'model.compile("adam", loss={"a": ["mse", {"b": "mae"}], "c": "huber"}, metrics=["mae"])\n'.repeat(Math.max(1, n >> 3))}`,
};

describe('detector work grows linearly with the source', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(shape, () => {
      const small = workOf(make(2_000));
      const large = workOf(make(16_000));
      assert.ok(small.usages > 0 && large.usages >= small.usages, `the shape has usages (${small.usages}, ${large.usages})`);
      assert.ok(large.tokens > 6 * small.tokens, 'the large input is much larger');
      assert.ok(large.perToken <= MAX_VISITS_PER_TOKEN, `${large.visits} visits for ${large.tokens} tokens (${large.perToken.toFixed(2)} per token)`);
      // Linear: the work per token at 8× the size is about the same (a quadratic walk multiplies it by 8).
      assert.ok(large.perToken <= small.perToken * 1.25 + 0.5, `work per token grew from ${small.perToken.toFixed(2)} to ${large.perToken.toFixed(2)}`);
    });
  }

  it('calls left open while typing: each reads a bounded number of tokens, not the rest of the file', () => {
    const make = (n: number): string => `import torch.nn.functional as F\n${'F.cross_entropy(a, '.repeat(n)}\n`;
    for (const n of [2_000, 16_000]) {
      const work = workOf(make(n));
      assert.equal(work.usages, n);
      assert.ok(work.visits <= MAX_VISITS_PER_TOKEN * work.tokens + CALL_READ_LIMIT * n, `${work.visits} visits for ${n} open calls`);
    }
    // Beyond the limit the reads stop growing with the file: 8× the calls, about 8× the work.
    const small = workOf(make(4_000));
    const large = workOf(make(32_000));
    assert.ok(large.visits <= 8 * small.visits * 1.5, `${small.visits} → ${large.visits}`);
  });

  it('the counter sees a walk: a scan of the same tokens with a long call reads counts more', () => {
    // The same number of tokens, but in one call whose arguments are read: the counter must notice
    // the extra walk, or it could not catch a quadratic one.
    const flat = workOf(`import torch.nn.functional as F\nF.relu(x)\n${'a = b\n'.repeat(2_000)}`);
    const call = workOf(`import torch.nn.functional as F\nF.cross_entropy(x)\n${'a = b\n'.repeat(2_000)}`);
    assert.equal(flat.tokens, call.tokens);
    assert.ok(call.visits > flat.visits, `${call.visits} > ${flat.visits}`);
  });

  it('adds up across scans and leaves the result unchanged', () => {
    const text = 'import torch.nn as nn\ncriterion = nn.CrossEntropyLoss()\n';
    const work: ScanWork = { tokens: 0, visits: 0 };
    const a = scanSource(text, index, { work });
    const once = { ...work };
    const b = scanSource(text, index, { work });
    assert.deepEqual(work, { tokens: 2 * once.tokens, visits: 2 * once.visits });
    assert.deepEqual(a.usages.map((u) => u.identifier), b.usages.map((u) => u.identifier));
    assert.deepEqual(scanSource(text, index).usages.map((u) => u.identifier), ['CrossEntropyLoss']);
  });
});
