/**
 * Completion asks where the cursor is on every keystroke. PositionContexts answers from checkpoints
 * kept across calls; these tests hold it to the plain answer for the same text, whatever was typed
 * before, and show that typing in a large file reuses what was read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { importsMayDiffer, positionContext, PositionContexts } from '../../../src/core/python/module';
import { frameworksInSources } from '../../../src/core/snippets/framework';

const LINES = [
  'import torch.nn.functional as F',
  'def f(x):',
  '    return F.cross_entropy(x, y)',
  '"""a docstring',
  'that spans lines',
  '"""',
  "s = '''open",
  "'''",
  'call(a,',
  '     b)',
  '# comment with "quote',
  'x = "str # not a comment"',
  '',
  'class A:',
  '    pass',
  'loss = foc',
  'y = [1,',
  '%%time',
  'z = 1 \\',
  '  + 2',
];

describe('position contexts while typing', () => {
  it('answers as positionContext does after any sequence of edits', () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: fc.constantFrom('', 'a', '"', "'''", '(', ')', '\n', '#', 'loss', '\\\n', '\r\n', 'def g():\n') });
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 120 }),
      fc.array(fc.tuple(edit, fc.nat()), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (lines, edits, ipython) => {
        let text = lines.join('\n');
        const contexts = new PositionContexts();
        for (const [e, cursor] of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ins + text.slice(at + e.del);
          const offset = cursor % (text.length + 1);
          const wordStart = Math.max(0, offset - (cursor % 3));
          assert.deepEqual(contexts.at(text, offset, { ipython, wordStart }), positionContext(text, offset, { ipython, wordStart }));
        }
      },
    ), { numRuns: 300, seed: 20261203 });
  });

  it('restarts from a checkpoint near the cursor when typing in a 20,000-line file', () => {
    const block = ['def step(batch):', '    """Docstring."""', '    logits = model(batch)', '    return F.cross_entropy(logits, batch.y)', ''];
    const lines: string[] = ['import torch.nn.functional as F'];
    while (lines.length < 20_000) lines.push(...block);
    let text = lines.join('\n') + '\n';
    const contexts = new PositionContexts();
    const at = text.lastIndexOf('    return F.cross_entropy');
    // First request reads the file once and keeps checkpoints.
    contexts.at(text, at);
    // Then the user types `loss = foc` on a new line there, one character at a time.
    const typed = '    loss = foc';
    text = text.slice(0, at) + '\n' + text.slice(at);
    let mostRead = 0;
    for (let i = 1; i <= typed.length; i++) {
      text = text.slice(0, at) + typed.slice(0, i) + text.slice(at + i - 1);
      const offset = at + i;
      const wordStart = offset - Math.min(i, 3);
      // The same answer as reading from the start…
      assert.deepEqual(contexts.at(text, offset, { wordStart }), positionContext(text, offset, { wordStart }));
      // …reached by reading from a checkpoint a few lines up, not from the top of the file.
      mostRead = Math.max(mostRead, contexts.lastRead);
    }
    assert.ok(mostRead < 5_000, `a keystroke re-read ${mostRead} of ${text.length} characters`);
  });
});

describe('whether an edit can change the imports', () => {
  const base = 'import torch\nimport torch.nn.functional as F\n\n\ndef step(x):\n    loss = foc\n    return loss\n';
  const edit = (text: string, at: string, insert: string, remove = 0) => {
    const i = text.indexOf(at) + at.length;
    return text.slice(0, i) + insert + text.slice(i + remove);
  };

  it('says no for a name typed or deleted in a function body', () => {
    assert.equal(importsMayDiffer(base, edit(base, 'loss = foc', 'al')), false);
    assert.equal(importsMayDiffer(base, edit(base, 'loss = fo', '', 1)), false);
    assert.equal(importsMayDiffer(base, base), false);
  });

  it('says yes when the edit is on an import line, just after one, or may open a string, bracket or comment', () => {
    assert.equal(importsMayDiffer(base, edit(base, 'import torch', 'vision')), true);
    assert.equal(importsMayDiffer(base, edit(base, 'as F\n', 'x')), true);
    for (const typed of ['"', "'", '(', '#', '\n', '\\']) assert.equal(importsMayDiffer(base, edit(base, 'loss = foc', typed)), true, JSON.stringify(typed));
    assert.equal(importsMayDiffer('imp\n', 'impo\n'), false, 'no import word yet');
    assert.equal(importsMayDiffer('impor x\n', 'import x\n'), true);
  });

  it('never says no when the frameworks the imports name did change (property)', () => {
    const modules = (text: string) => JSON.stringify(frameworksInSources([text]));
    fc.assert(fc.property(
      fc.array(fc.constantFrom('import torch', 'from jax import numpy as jnp', 'x = 1', 'def f():', '    return g', 's = """', '"""', "t = '''", "'''", 'u = "a\\"', 'import keras', '# c', 'y = (1,', ')', 'import optax, \\', '  flax', 'from torch import (nn,', '  jax)', ''), { maxLength: 12 }),
      fc.nat(), fc.nat({ max: 4 }), fc.constantFrom('', 'a', 'import ', 'x', ' ', 'o', 'rt', 'from', 'r', 'b', 'f', 'n'),
      (lines, at, del, ins) => {
        const before = lines.join('\n');
        const i = at % (before.length + 1);
        const after = before.slice(0, i) + ins + before.slice(i + del);
        if (!importsMayDiffer(before, after)) assert.equal(modules(after), modules(before));
      },
    ), { numRuns: 3000, seed: 7 });
  });
});
