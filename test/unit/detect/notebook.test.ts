import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isForeignCellMagic, scanNotebook } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { isPythonNotebook, parseIpynb } from '../../../src/core/detect/notebook';
import { fixtureConcepts } from './fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);

describe('parseIpynb', () => {
  test('reads code cells with their position among all cells; source as string or lines', () => {
    const nb = parseIpynb(JSON.stringify({
      metadata: { kernelspec: { language: 'python' } },
      nbformat: 4,
      cells: [
        { cell_type: 'markdown', source: '# title' },
        { cell_type: 'code', source: ['import torch\n', 'x = 1'] },
        { cell_type: 'raw', source: 'raw' },
        { cell_type: 'code', source: 'y = 2' },
        { cell_type: 'code' },
        'junk',
      ],
    }));
    assert.equal(nb.error, undefined);
    assert.equal(nb.language, 'python');
    assert.deepEqual(nb.cells, [{ index: 1, source: 'import torch\nx = 1' }, { index: 3, source: 'y = 2' }, { index: 4, source: '' }]);
    assert.ok(isPythonNotebook(nb));
  });

  test('nbformat 3 worksheets and a BOM', () => {
    const nb = parseIpynb('\uFEFF' + JSON.stringify({ metadata: { language: 'python' }, worksheets: [{ cells: [{ cell_type: 'code', input: ['a = 1'] }] }] }));
    assert.deepEqual(nb.cells, [{ index: 0, source: 'a = 1' }]);
  });

  test('malformed input gives an error, never an exception', () => {
    for (const text of ['', '{', 'null', '[]', '"x"', '{"cells": 3}', '{"cells": [', '\u0000', '{"worksheets": [null, {"cells": 1}]}']) {
      const nb = parseIpynb(text);
      assert.ok(nb.error || nb.cells.length === 0, text);
      assert.deepEqual(nb.cells, []);
    }
    assert.match(parseIpynb('{').error ?? '', /not valid JSON/);
    assert.match(parseIpynb('{"metadata": {}}').error ?? '', /no "cells"/);
    assert.equal(parseIpynb(undefined as unknown as string).cells.length, 0);
  });

  test('kernel language other than Python is recognised', () => {
    const nb = parseIpynb(JSON.stringify({ metadata: { kernelspec: { language: 'R' } }, cells: [] }));
    assert.equal(nb.language, 'r');
    assert.ok(!isPythonNotebook(nb));
    assert.ok(isPythonNotebook(parseIpynb('{"cells": []}')));
  });
});

describe('scanNotebook', () => {
  test('imports and definitions carry forward, never backward; positions are per cell', () => {
    const scan = scanNotebook([
      'F.cross_entropy(a, b)',
      'import torch.nn.functional as F',
      'def focal_loss(p, y):\n    return F.binary_cross_entropy(p, y)',
      'x = 1\ny = F.kl_div(a, b) + focal_loss(a, b)',
    ], index);
    assert.deepEqual(scan.cells.map((c) => c.usages.map((u) => `${u.line}:${u.column}:${u.identifier}`)), [
      [],
      [],
      ['1:5:focal_loss', '2:14:binary_cross_entropy'],
      ['2:7:kl_div', '2:22:focal_loss'],
    ]);
  });

  test('magics and foreign cell magics', () => {
    assert.ok(isForeignCellMagic('%%bash\nls'));
    assert.ok(isForeignCellMagic('\n%%writefile x.py\nimport torch'));
    assert.ok(!isForeignCellMagic('%%time\nx = 1'));
    assert.ok(!isForeignCellMagic('%time x = 1'));
    const scan = scanNotebook(['import torch.nn.functional as F', '%%bash\nF.cross_entropy', '%%timeit\nF.cross_entropy(a, b)', '!echo F.mse_loss\n%env X=1\nF.mse_loss?'], index);
    assert.deepEqual(scan.cells.map((c) => c.usages.length), [0, 0, 1, 0]);
  });

  // Issue 15: a cell magic of an extension or a backend switch does not hide the cell's Python.
  test('cell magics that keep a Python body are scanned; other languages are not', () => {
    for (const magic of ['%%backend torch', '%%capture out', '%%time', '%%autoreload', '%%memit']) assert.ok(!isForeignCellMagic(`${magic}\nx = 1`), magic);
    for (const magic of ['%%html', '%%bash', '%%sh', '%%javascript', '%%latex', '%%sql', '%%R']) assert.ok(isForeignCellMagic(`${magic}\nx`), magic);
    const scan = scanNotebook([
      'import keras',
      '%%backend torch\nloss_fn = keras.losses.Huber()',
      '%%capture\nmodel.compile(loss="mse")',
      '%%html\n<b>keras.losses.Huber()</b>',
    ], index);
    assert.deepEqual(scan.cells.map((c) => c.usages.map((u) => `${u.line}:${u.identifier}:${u.how}`)), [[], ['2:Huber:library'], ['2:mse:string'], []]);
  });

  test('tolerates non-string cells', () => {
    const scan = scanNotebook([null, 3, 'import torch'] as unknown as string[], index);
    assert.equal(scan.cells.length, 3);
    assert.deepEqual(scanNotebook(undefined as unknown as string[], index).cells, []);
  });
});
