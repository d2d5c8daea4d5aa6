import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImportStatement } from '../../../src/core/python/imports';
import { computeLineStarts, lineColumn, lineIndex, offsetAt } from '../../../src/core/text/lineIndex';
import { outlineModule } from '../../../src/core/python/module';
import { tokenize } from '../../../src/core/python/tokenizer';

function imports(src: string) {
  const tokens = tokenize(src);
  const out = [];
  for (let t = 0; t < tokens.count; t++) {
    const s = readImportStatement(src, tokens, t);
    if (s) {
      out.push(s);
      t = s.lastToken;
    }
  }
  return out;
}

describe('readImportStatement', () => {
  it('binds relative imports with their dots and tells them from installed packages', () => {
    const [a, b, c] = imports('from .cross_entropy import SoftTargetCrossEntropy\nfrom .. import utils as u\nfrom ._classification import (\n    kl_divergence,\n)\n');
    assert.deepEqual(a.bindings.map((x) => [x.name, x.target, x.relative, x.fromImport]), [['SoftTargetCrossEntropy', '.cross_entropy.SoftTargetCrossEntropy', true, true]]);
    assert.deepEqual(b.bindings.map((x) => [x.name, x.target, x.importedName]), [['u', '..utils', 'utils']]);
    assert.equal(c.module, '._classification');
    assert.deepEqual(c.bindings.map((x) => x.target), ['._classification.kl_divergence']);
  });

  it('reads star imports, `;`-separated statements, and rejects `yield from`', () => {
    const all = imports('from losses import *; import torch.nn as nn\nx = yield from gen()\n');
    assert.equal(all.length, 2);
    assert.equal(all[0].star, true);
    assert.equal(all[0].module, 'losses');
    assert.deepEqual(all[1].bindings.map((x) => [x.name, x.target, x.fromImport]), [['nn', 'torch.nn', false]]);
  });
});

describe('lines', () => {
  it('treats \\r\\n, \\r and \\n alike and converts both ways', () => {
    const text = 'a\r\nbc\rd\ne';
    const starts = computeLineStarts(text);
    assert.deepEqual([...starts], [0, 3, 6, 8]);
    assert.equal(lineIndex(starts, 4), 1);
    assert.deepEqual(lineColumn(starts, 4), { line: 2, column: 2 });
    assert.equal(offsetAt(starts, text.length, 1, 1), 4);
    assert.equal(offsetAt(starts, text.length, 1, 99), 6);
    assert.equal(offsetAt(starts, text.length, 9, 0), text.length);
  });
});

describe('outlineModule', () => {
  it('lists classes with their bases and top-level assignments', () => {
    const o = outlineModule('import torch.nn as nn\nclass DiceLoss(nn.Module, metaclass=M):\n    pass\nDice = DiceLoss\nclass Plain:\n    pass\n');
    assert.deepEqual(o.classes.map((c) => [c.name, c.bases]), [['DiceLoss', ['nn.Module']], ['Plain', []]]);
    assert.deepEqual(o.assignments.map((a) => [a.name, a.value]), [['Dice', 'DiceLoss']]);
  });
});
