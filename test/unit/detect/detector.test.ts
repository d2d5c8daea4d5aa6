import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { canonicalQualifiedName } from '../../../src/core/concepts/qualifiedName';
import type { Concept } from '../../../src/core/concepts/types';
import { fixtureConcepts } from './fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);
const scan = (text: string) => scanSource(text, index);

describe('a usage carries everything the hover needs', () => {
  test('F.cross_entropy with keyword arguments', () => {
    const text = 'import torch.nn.functional as F\nloss = F.cross_entropy(logits, y, label_smoothing=0.1)\n';
    const [u, param, ...rest] = scan(text).usages;
    assert.equal(rest.length, 0);
    // The keyword names a concept of its own (label-smoothing): a usage with kind 'parameter'.
    assert.deepEqual(
      [param.identifier, param.conceptId, param.kind, param.role, param.qualifiedName, param.line, param.column, text.slice(param.start, param.end)],
      ['label_smoothing', 'label-smoothing', 'parameter', 'reference', 'torch.nn.functional.cross_entropy(label_smoothing=…)', 2, 35, 'label_smoothing'],
    );
    assert.deepEqual(
      { ...u, call: undefined },
      {
        start: text.indexOf('cross_entropy'),
        end: text.indexOf('cross_entropy') + 'cross_entropy'.length,
        line: 2,
        column: 10,
        endColumn: 23,
        identifier: 'cross_entropy',
        expression: 'F.cross_entropy',
        expressionStart: text.indexOf('F.cross'),
        resolvedName: 'torch.nn.functional.cross_entropy',
        qualifiedName: 'torch.nn.functional.cross_entropy',
        conceptId: 'cross-entropy',
        framework: 'pytorch',
        kind: 'function',
        role: 'call',
        how: 'library',
        call: undefined,
      },
    );
    assert.ok(u.call);
    assert.equal(u.call.positionalCount, 2);
    assert.deepEqual(u.call.keywords, { label_smoothing: '0.1' });
    assert.equal(u.call.closed, true);
    assert.equal(text.slice(u.call.openParen, u.call.end), '(logits, y, label_smoothing=0.1)');
    assert.deepEqual(u.call.arguments.map((a) => [a.kind, a.name, a.value, text.slice(a.start, a.end)]), [
      ['positional', undefined, 'logits', 'logits'],
      ['positional', undefined, 'y', 'y'],
      ['keyword', 'label_smoothing', '0.1', 'label_smoothing=0.1'],
    ]);
  });

  test('multi-line calls keep values as written, with nested brackets and trailing commas', () => {
    const text = [
      'from torch import nn',
      'crit = nn.CrossEntropyLoss(',
      '    weight=torch.tensor([1.0, 2.0]),  # class weights',
      '    ignore_index=-100,',
      '    reduction="mean",',
      '    label_smoothing=cfg.get("ls", 0.1),',
      ')',
    ].join('\n');
    const [u] = scan(text).usages;
    assert.equal(u.role, 'call');
    assert.deepEqual(u.call?.keywords, { weight: 'torch.tensor([1.0, 2.0])', ignore_index: '-100', reduction: '"mean"', label_smoothing: 'cfg.get("ls", 0.1)' });
    assert.equal(u.call?.positionalCount, 0);
  });

  test('starred arguments, generator arguments and unterminated calls', () => {
    const text = 'import torch.nn.functional as F\nF.mse_loss(*pair, **opts)\nF.mse_loss(x for x in y)\nF.kl_div(a, reduction="batchmean"';
    const [a, b, c] = scan(text).usages;
    assert.deepEqual(a.call?.arguments.map((x) => [x.kind, x.value]), [['star', 'pair'], ['doubleStar', 'opts']]);
    assert.equal(a.call?.positionalCount, 0);
    assert.equal(b.call?.positionalCount, 1);
    assert.equal(c.call?.closed, false);
    assert.deepEqual(c.call?.keywords, { reduction: '"batchmean"' });
    assert.equal(c.call?.end, text.length);
  });

  test('hand-written usages are framework "handwritten" and keep the name as qualified name', () => {
    const [def, use] = scan('def focal_loss(p, y, gamma=2):\n    pass\nfocal_loss(p, y, gamma=3)\n').usages;
    assert.deepEqual([def.role, def.framework, def.kind, def.qualifiedName, def.conceptId], ['definition', 'handwritten', 'function', 'focal_loss', 'focal']);
    assert.deepEqual([use.role, use.call?.keywords], ['call', { gamma: '3' }]);
  });
});

describe('positions', () => {
  const robustness = readFileSync(path.join(__dirname, 'fixtures', 'rules', 'robustness.py'), 'utf8');

  test('\\r\\n and \\r line endings give the same lines and columns as \\n', () => {
    const lf = scan(robustness).usages.map((u) => [u.line, u.column, u.endColumn, u.identifier, u.conceptId]);
    for (const eol of ['\r\n', '\r']) {
      const text = robustness.replace(/\n/g, eol);
      const usages = scan(text).usages;
      assert.deepEqual(usages.map((u) => [u.line, u.column, u.endColumn, u.identifier, u.conceptId]), lf);
      for (const u of usages) assert.equal(text.slice(u.start, u.end), u.identifier);
    }
  });

  test('a tab counts as one column; non-ASCII text counts in UTF-16 units', () => {
    const text = 'import torch.nn.functional as F\n\tλ = F.cross_entropy(a, b)\n𝑥 = F.mse_loss(a, b)\n';
    const [ce, mse] = scan(text).usages;
    assert.deepEqual([ce.line, ce.column], [2, 8]);
    assert.deepEqual([mse.line, mse.column], [3, 8]); // 𝑥 is two UTF-16 units
    assert.equal(text.slice(mse.start, mse.end), 'mse_loss');
  });

  test('identifiers are compared after NFKC normalisation, as Python does', () => {
    const text = 'def ｆｏｃａｌ_loss(p, y):\n    pass\n';
    const [u] = scan(text).usages;
    assert.equal(u.identifier, 'ｆｏｃａｌ_loss');
    assert.equal(u.conceptId, 'focal');
  });

  test('usageAt finds the identifier under an offset, including its end; nothing elsewhere', () => {
    const text = 'import torch.nn.functional as F\nx = F.cross_entropy(a, b) + F.mse_loss(a, b)\n';
    const result = scan(text);
    const ce = text.indexOf('cross_entropy');
    assert.equal(result.usageAt(ce)?.identifier, 'cross_entropy');
    assert.equal(result.usageAt(ce + 5)?.identifier, 'cross_entropy');
    assert.equal(result.usageAt(ce + 'cross_entropy'.length)?.identifier, 'cross_entropy');
    assert.equal(result.usageAt(ce - 2), undefined); // on `F`
    assert.equal(result.usageAt(text.indexOf('mse_loss') + 1)?.identifier, 'mse_loss');
    assert.equal(result.usageAt(0), undefined);
    assert.equal(result.usageAt(-5), undefined);
    assert.equal(result.usageAt(text.length + 10), undefined);
    assert.equal(result.usageAtPosition(1, 6)?.identifier, 'cross_entropy');
    assert.equal(result.usageAtPosition(1, 2), undefined);
    assert.equal(result.offsetAt(99, 0), text.length);
    assert.deepEqual(result.positionOf(ce), { line: 2, column: 7 });
  });

  test('very long lines are scanned completely', () => {
    const text = `import torch.nn.functional as F\nx = ${Array.from({ length: 20000 }, (_, i) => `F.cross_entropy(a${i}, b)`).join(' + ')}\n`;
    const result = scan(text);
    assert.equal(result.usages.length, 20000);
    assert.equal(result.usages[19999].line, 2);
    assert.equal(text.slice(result.usages[19999].start, result.usages[19999].end), 'cross_entropy');
  });
});

describe('scope rules', () => {
  const ids = (text: string) => scan(text).usages.map((u) => `${u.identifier}:${u.role}`);

  test('imports count anywhere in the file (an import inside a function, or below the use)', () => {
    assert.deepEqual(ids('def f(x, y):\n    return F.cross_entropy(x, y)\nimport torch.nn.functional as F\n'), ['cross_entropy:call']);
    assert.deepEqual(ids('try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\ntf.keras.losses.Huber\ntf.keras.losses.MeanSquaredError\n'), ['Huber:reference', 'MeanSquaredError:reference']);
  });

  test('a local definition shadows a star import', () => {
    // Since issue 15 the definition names a loss by its words: its call is the local one, not the library's.
    assert.deepEqual(ids('from torch.nn.functional import *\ndef cross_entropy(a, b):\n    return a\ncross_entropy(x, y)\nmse_loss(x, y)\n'), ['cross_entropy:definition', 'cross_entropy:call', 'mse_loss:call']);
    assert.deepEqual(scan('from torch.nn.functional import *\ndef cross_entropy(a, b):\n    return a\ncross_entropy(x, y)\n').usages.map((u) => `${u.framework}:${u.how}`), ['handwritten:definition', 'handwritten:local']);
  });

  test('a hand-written definition wins over an import of the same name', () => {
    const u = scan('from monai.losses import DiceLoss\nclass DiceLoss:\n    pass\nDiceLoss()\n').usages;
    assert.deepEqual(u.map((x) => [x.role, x.framework]), [['import', 'monai'], ['definition', 'handwritten'], ['call', 'handwritten']]);
  });

  test('names from metric libraries never count as hand-written losses', () => {
    assert.deepEqual(ids('from torchmetrics import FocalLoss\nfrom sklearn.metrics import dice_loss\nFocalLoss()\ndice_loss(a, b)\n'), []);
  });

  test('yield from / raise from are not imports', () => {
    assert.deepEqual(ids('import torch.nn.functional as F\ndef g():\n    yield from F.cross_entropy(a, b)\n    raise E from F.mse_loss\n'), ['cross_entropy:call', 'mse_loss:reference']);
  });

  test('parameters, keyword names and assignment targets are not uses; defaults and annotations are', () => {
    const text = 'import torch.nn.functional as F\nfrom torch.nn.functional import cross_entropy\n' +
      'def f(cross_entropy, *, loss=F.mse_loss, **kw) -> F.kl_div:\n    cross_entropy = 1\n    g(cross_entropy=2)\n' +
      'h = lambda cross_entropy, mse_loss=F.mse_loss: cross_entropy\nx: F.kl_div = None\n';
    assert.deepEqual(ids(text), ['cross_entropy:import', 'mse_loss:reference', 'kl_div:reference', 'mse_loss:reference', 'cross_entropy:reference', 'kl_div:reference']);
  });

  test('an alias by assignment carries what its right side names: a module, or (issue 15) a loss', () => {
    assert.deepEqual(ids('import torch\nnn = torch.nn\nother = torch.nn.CrossEntropyLoss\nnn.MSELoss()\nother()\nx = torch.zeros\nx()\n'), ['CrossEntropyLoss:reference', 'MSELoss:call', 'other:call']);
    // Inside a function the name is a local variable, not an alias.
    assert.deepEqual(ids('import torch\ndef f():\n    other = torch.nn.CrossEntropyLoss\n    return other()\n'), ['CrossEntropyLoss:reference']);
  });

  test('a variable of the enclosing function shadows the import or definition of the same name', () => {
    const text = [
      'from torch.nn.functional import cross_entropy',
      'def focal_loss(p, y):',
      '    return p',
      'def f(x, y):',
      '    cross_entropy = x + y',
      '    for focal_loss in range(3):',
      '        pass',
      '    return cross_entropy + focal_loss',
      'def g(cross_entropy, *, focal_loss=None):',
      '    return cross_entropy(1) + focal_loss(2)',
      'def h():',
      '    global cross_entropy',
      '    cross_entropy = cross_entropy',
      '    return cross_entropy(a, b)',
      'def k():',
      '    import torch.nn.functional as F',
      '    with open(p) as focal_loss:',
      '        return F.mse_loss(a, b) + focal_loss',
      'def outer():',
      '    focal_loss = 0.5',
      '    def inner():',
      '        return focal_loss',
      '    return inner',
      'def m(x):',
      '    return cross_entropy(x, y) + focal_loss(x, y)',
      'print(cross_entropy, focal_loss)',
    ].join('\n');
    assert.deepEqual(scan(text).usages.map((u) => `${u.line}:${u.identifier}:${u.role}`), [
      '1:cross_entropy:import', '2:focal_loss:definition',
      '13:cross_entropy:reference', '14:cross_entropy:call',
      '18:mse_loss:call',
      '25:cross_entropy:call', '25:focal_loss:call', '26:cross_entropy:reference', '26:focal_loss:reference',
    ]);
  });

  // Issue 15: a variable holding a computed value is not a usage (it was a `value` definition before).
  test('a variable of a loss name assigned a computation is not a usage, nor are its reads', () => {
    const text = 'def f(lse, x, y):\n    z_loss = 1e-4 * lse.pow(2).mean()\n    return x + z_loss\nz_loss = None\ndice_loss = 1 - dice\n' +
      // keyword arguments on the right side are not a chained assignment (found by the held-out corpus)
      'router_z_loss = jnp.mean(logsumexp(x, axis=-1) ** 2)\nkl_loss = triplet_loss = 0 * x\nrouter_z_loss = router_z_loss.mean()\n';
    assert.deepEqual(scan(text).usages.map((u) => `${u.line}:${u.identifier}:${u.role}:${u.kind}:${u.conceptId}`), []);
  });

  test('recovery: an unclosed call does not hide the definitions that follow', () => {
    assert.deepEqual(ids('import torch.nn.functional as F\nx = F.cross_entropy(a,\ndef focal_loss(p, y):\n    return F.mse_loss(p, y)\n'), ['cross_entropy:call', 'focal_loss:definition', 'mse_loss:call']);
  });
});

describe('the loss index', () => {
  test('spellings of the same name meet on one key', () => {
    const pairs: [string, string][] = [
      ['tensorflow.keras.losses.Huber', 'keras.losses.Huber'],
      ['tf_keras.losses.Huber', 'keras.losses.Huber'],
      ['keras.src.losses.Huber', 'keras.losses.Huber'],
      ['tensorflow.losses.Huber', 'keras.losses.Huber'],
      ['tensorflow.compat.v1.nn.softmax_cross_entropy_with_logits', 'tensorflow.nn.softmax_cross_entropy_with_logits'],
      ['optax.losses.l2_loss', 'optax.l2_loss'],
      ['torch.nn.modules.loss.MSELoss', 'torch.nn.MSELoss'],
    ];
    for (const [a, b] of pairs) assert.equal(canonicalQualifiedName(a), canonicalQualifiedName(b), a);
  });

  test('lookups accept either optax spelling, and the defining submodule', () => {
    assert.equal(index.lookup('optax.softmax_cross_entropy_with_integer_labels')?.qualifiedName, 'optax.losses.softmax_cross_entropy_with_integer_labels');
    assert.equal(index.lookup('optax.losses.l2_loss')?.qualifiedName, 'optax.l2_loss');
    assert.equal(index.lookup('torchvision.ops.focal_loss.sigmoid_focal_loss')?.conceptId, 'focal');
    assert.equal(index.lookup('monai.losses.dice.DiceLoss')?.conceptId, 'dice');
    assert.equal(index.lookup('keras.metrics.KLDivergence'), undefined);
    assert.equal(index.lookup('torchmetrics.KLDivergence'), undefined);
    assert.equal(index.lookup('torch.nn.Module'), undefined);
    assert.ok(index.isKnownModule('torch.nn'));
    assert.ok(!index.isKnownModule('torch.nn.CrossEntropyLoss'));
  });

  test('malformed registry entries are skipped and reported, never thrown', () => {
    const bad = [
      null,
      { id: '' },
      { id: 'a', identifiers: [{ framework: 'pytorch', qualifiedName: 'torch.nn.L1Loss', kind: 'class' }, { qualifiedName: 3 }, null], handwrittenNames: ['l1', 5] },
      { id: 'b', identifiers: [{ framework: 'pytorch', qualifiedName: 'torch.nn.L1Loss', kind: 'class' }], handwrittenNames: ['l1'] },
      { id: 'c', identifiers: 'nope', handwrittenNames: null },
    ] as unknown as Concept[];
    const idx = buildLossIndex(bad);
    assert.equal(idx.lookup('torch.nn.L1Loss')?.conceptId, 'a');
    assert.equal(idx.handwritten('l1')?.conceptId, 'a');
    assert.ok(idx.problems.length >= 4, idx.problems.join('\n'));
    assert.deepEqual(buildLossIndex(undefined as unknown as Concept[]).problems, []);
  });

  test('the data can grow without code changes', () => {
    const grown = buildLossIndex([
      ...fixtureConcepts,
      { ...fixtureConcepts[0], id: 'label-smoothing', identifiers: [{ framework: 'transformers', qualifiedName: 'timm.loss.LabelSmoothingCrossEntropy', kind: 'class', source: 'x' }], handwrittenNames: ['LabelSmoothingCrossEntropy'] },
    ]);
    const [u] = scanSource('from timm.loss import LabelSmoothingCrossEntropy as LSCE\nLSCE(smoothing=0.1)\n', grown).usages.filter((x) => x.role === 'call');
    assert.equal(u.conceptId, 'label-smoothing');
  });
});
