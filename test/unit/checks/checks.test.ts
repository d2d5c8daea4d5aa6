import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, applyRuleSettings, checkSource, effectiveRules } from '../../../src/core/checks/analyze';
import { kerasLossNames } from '../../../src/core/checks/keras';
import { RULES } from '../../../src/core/checks/rules';
import type { Finding } from '../../../src/core/checks/types';
import { loadConcepts } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';

const root = path.join(__dirname, '../../..');
const { concepts } = loadConcepts(path.join(root, 'paper-data/generated/concepts.json'));
const index = buildLossIndex(concepts);
const kerasNames = kerasLossNames(concepts);
const fixtures = path.join(__dirname, 'fixtures');

/** All findings (every rule, including those off by default). */
function check(text: string): Finding[] {
  return checkSource(text, scanSource(text, index), { kerasNames });
}

/** `# expect: rule-a, rule-b` comments → "line:rule" keys. */
function expectations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /#\s*expect:\s*([\w, -]+)$/.exec(line);
    if (m) for (const rule of m[1].split(',').map((s) => s.trim()).filter(Boolean)) out.push(`${i + 1}:${rule}`);
  });
  return out.sort();
}

const fixtureFiles = readdirSync(fixtures).filter((f) => f.endsWith('.py')).sort();

describe('paper-aware checks on fixtures', () => {
  for (const file of fixtureFiles) {
    it(`${file}: fires exactly where expected`, () => {
      const text = readFileSync(path.join(fixtures, file), 'utf8');
      const got = check(text).map((f) => `${f.line}:${f.rule}`).sort();
      assert.deepEqual(got, expectations(text));
    });
  }

  it('covers every rule with at least one positive fixture', () => {
    const all = fixtureFiles.flatMap((f) => expectations(readFileSync(path.join(fixtures, f), 'utf8')).map((k) => k.split(':')[1]));
    for (const rule of RULES) assert.ok(all.includes(rule.id), `no fixture fires ${rule.id}`);
  });
});

describe('quick fixes', () => {
  for (const file of fixtureFiles) {
    it(`${file}: each preferred fix removes its finding and adds none`, () => {
      const text = readFileSync(path.join(fixtures, file), 'utf8');
      const before = check(text);
      for (const f of before) {
        const fix = f.fixes.find((x) => x.preferred);
        if (!fix) continue;
        const fixed = applyEdits(text, fix.edits);
        const after = check(fixed);
        const sameRuleBefore = before.filter((x) => x.rule === f.rule).length;
        const sameRuleAfter = after.filter((x) => x.rule === f.rule).length;
        assert.equal(sameRuleAfter, sameRuleBefore - 1, `${f.rule} at line ${f.line} still fires after "${fix.title}":\n${fixed}`);
        assert.ok(after.length <= before.length - 1, `"${fix.title}" introduced a finding`);
      }
    });
  }

  it('writes the expected code for each fix', () => {
    const cases: [string, string, string][] = [
      ['import torch.nn as nn\nkl = nn.KLDivLoss()\n', 'kl-div-mean', 'import torch.nn as nn\nkl = nn.KLDivLoss(reduction="batchmean")\n'],
      ["import torch.nn as nn\nkl = nn.KLDivLoss(log_target=True, reduction='mean')\n", 'kl-div-mean', "import torch.nn as nn\nkl = nn.KLDivLoss(log_target=True, reduction='batchmean')\n"],
      ['import torch.nn.functional as F\nl = F.kl_div(F.softmax(s, -1), t)\n', 'kl-div-input-not-log', 'import torch.nn.functional as F\nl = F.kl_div(F.log_softmax(s, -1), t)\n'],
      ['import torch.nn.functional as F\nl = F.cross_entropy(F.softmax(z, dim=1), y)\n', 'softmax-before-ce', 'import torch.nn.functional as F\nl = F.cross_entropy(z, y)\n'],
      ['import torch.nn.functional as F\nl = F.cross_entropy(z.softmax(-1), y)\n', 'softmax-before-ce', 'import torch.nn.functional as F\nl = F.cross_entropy(z, y)\n'],
      ['import torch\nimport torch.nn.functional as F\nl = F.binary_cross_entropy(torch.sigmoid(z), y)\n', 'sigmoid-before-bce', 'import torch\nimport torch.nn.functional as F\nl = F.binary_cross_entropy_with_logits(z, y)\n'],
      ['import torch\nfrom torch import nn\nb = nn.BCELoss()\nl = b(torch.sigmoid(z), y)\n', 'sigmoid-before-bce', 'import torch\nfrom torch import nn\nb = nn.BCEWithLogitsLoss()\nl = b(z, y)\n'],
      ['import torch.nn.functional as F\nl = F.nll_loss(F.softmax(z, 1), y)\n', 'log-softmax-nll-vs-ce', 'import torch.nn.functional as F\nl = F.nll_loss(F.log_softmax(z, 1), y)\n'],
      ['from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(3)])\nm.compile(loss=keras.losses.SparseCategoricalCrossentropy())\n', 'keras-from-logits', 'from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(3)])\nm.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'],
      ['import keras\nm = keras.Sequential([keras.layers.Dense(3)])\nm.compile(loss="sparse_categorical_crossentropy")\n', 'keras-from-logits', 'import keras\nm = keras.Sequential([keras.layers.Dense(3)])\nm.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'],
      ['import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.compile(loss="bce")\n', 'keras-from-logits', 'import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))\n'],
      ['import keras\nm = keras.Sequential([keras.layers.Dense(3, activation="softmax")])\nm.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n', 'keras-from-logits', 'import keras\nm = keras.Sequential([keras.layers.Dense(3, activation="softmax")])\nm.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=False))\n'],
      ['import torch.nn.functional as F\nkd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean")\n', 'kd-temperature-squared', 'import torch.nn.functional as F\nkd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean") * T ** 2\n'],
      ['import torch.nn.functional as F\nlogits = model(x)\nl = F.cross_entropy(logits.view(-1, V), x.view(-1))\n', 'lm-logits-unshifted', 'import torch.nn.functional as F\nlogits = model(x)\nl = F.cross_entropy(logits[..., :-1, :].reshape(-1, V), x[..., 1:].reshape(-1))\n'],
    ];
    for (const [input, rule, expected] of cases) {
      const f = check(input).find((x) => x.rule === rule);
      assert.ok(f, `${rule} did not fire on:\n${input}`);
      assert.equal(applyEdits(input, f.fixes.find((x) => x.preferred)!.edits), expected);
    }
  });

  it('offers no fix where the softmax reaches the loss through a variable', () => {
    const text = 'import torch.nn.functional as F\ndef f(z, y):\n    p = F.softmax(z, dim=1)\n    return F.cross_entropy(p, y)\n';
    const f = check(text).find((x) => x.rule === 'softmax-before-ce')!;
    assert.match(f.message, /assigned on line 3/);
    assert.deepEqual(f.fixes, []);
  });
});

describe('check messages and settings', () => {
  it('cites a source in every finding', () => {
    for (const file of fixtureFiles) {
      for (const f of check(readFileSync(path.join(fixtures, file), 'utf8'))) {
        assert.match(f.source, /^https:\/\//);
        assert.match(f.message, /(PyTorch docs|Keras docs|arXiv:\d{4}\.\d{5}|Hugging Face transformers, ForCausalLMLoss)/, f.message);
      }
    }
  });

  it('keeps label-smoothing-convention off unless enabled, and honours overrides', () => {
    assert.equal(effectiveRules().has('label-smoothing-convention'), false);
    assert.equal(effectiveRules({ severity: { 'label-smoothing-convention': 'hint' } }).get('label-smoothing-convention'), 'hint');
    const text = readFileSync(path.join(fixtures, 'kl_div.py'), 'utf8');
    const all = check(text);
    assert.ok(applyRuleSettings(all, { disabled: ['kl-div-mean'] }).every((f) => f.rule !== 'kl-div-mean'));
    assert.ok(applyRuleSettings(all, { severity: { 'kl-div-mean': 'error' } }).filter((f) => f.rule === 'kl-div-mean').every((f) => f.severity === 'error'));
    assert.ok(applyRuleSettings(all, { severity: { 'kl-div-mean': 'off' } }).every((f) => f.rule !== 'kl-div-mean'));
  });

  it('explains the label-smoothing arithmetic with the value written', () => {
    const f = check('import torch.nn as nn\nc = nn.CrossEntropyLoss(label_smoothing=0.2)\n').find((x) => x.rule === 'label-smoothing-convention')!;
    assert.match(f.message, /target class gets 0\.8 \+ 0\.2\/K and every other class 0\.2\/K/);
  });

  it('ignores comments and strings', () => {
    const text = 'import torch.nn as nn\n# kl = nn.KLDivLoss()\ns = "nn.KLDivLoss()"\n';
    assert.deepEqual(check(text), []);
  });

  it('never throws and keeps ranges inside the text on truncated input', () => {
    const text = readFileSync(path.join(fixtures, 'softmax_ce.py'), 'utf8');
    for (let n = 0; n <= text.length; n += 13) {
      const part = text.slice(0, n);
      for (const f of check(part)) assert.ok(f.start >= 0 && f.end <= part.length && f.start <= f.end);
    }
  });
});

describe('fixed fixtures for the PyTorch run', () => {
  for (const keras of [false, true]) {
    it(`${keras ? 'test/python/keras_jax/check_fixes' : 'test/python/check_fixes'} matches what the quick fixes produce`, async () => {
      const { buildFixedFixtures, OUT, KERAS_OUT } = await import('../../../scripts/buildCheckFixes');
      const dir = keras ? KERAS_OUT : OUT;
      const fixed = buildFixedFixtures(keras);
      assert.deepEqual([...fixed.keys()].sort(), readdirSync(dir).filter((f) => f.endsWith('_fixed.py')).sort());
      for (const [name, text] of fixed) {
        assert.ok(readFileSync(path.join(dir, name), 'utf8') === text, `${name} is stale: run \`npx tsx scripts/buildCheckFixes.ts\``);
        assert.deepEqual(check(text).filter((f) => f.fixes.some((x) => x.preferred)), [], `${name} still has fixable findings`);
      }
    });
  }
});

describe('Keras string loss names', () => {
  it('come from the registry: keras.losses class and function names and kerasNames aliases', () => {
    assert.equal(kerasNames.get('sparse_categorical_crossentropy')?.conceptId, 'cross-entropy');
    assert.equal(kerasNames.get('SparseCategoricalCrossentropy')?.fromLogitsClass, 'SparseCategoricalCrossentropy');
    assert.deepEqual(kerasNames.get('bce'), { conceptId: 'binary-cross-entropy', qualifiedName: 'keras.losses.binary_crossentropy', fromLogitsClass: 'BinaryCrossentropy' });
    assert.equal(kerasNames.get('mse')?.conceptId, 'mse');
    assert.equal(kerasNames.get('mse')?.fromLogitsClass, undefined);
    assert.equal(kerasNames.has('CategoricalGeneralizedCrossEntropy'), false, 'Keras does not accept it as a string');
  });

  it('pairs each compile with its own model, not the last Dense of the file', () => {
    const text = [
      'import keras',
      'probs = keras.Sequential([keras.layers.Dense(3, activation="softmax")])',
      'logits = keras.Sequential([keras.layers.Dense(3)])',
      'probs.compile(loss="sparse_categorical_crossentropy")',
      'logits.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))',
      'logits2 = keras.Sequential([keras.layers.Dense(3)])',
      'probs2 = keras.Sequential([keras.layers.Dense(3), keras.layers.Softmax()])',
      'probs2.compile(loss="categorical_crossentropy")',
      '',
    ].join('\n');
    assert.deepEqual(check(text), []);
  });

  it('ignores string losses without the registry names', () => {
    const text = 'import keras\nm = keras.Sequential([keras.layers.Dense(3)])\nm.compile(loss="sparse_categorical_crossentropy")\n';
    assert.equal(checkSource(text, scanSource(text, index)).length, 0);
    assert.equal(check(text).length, 1);
  });
});

describe('following values', () => {
  it('names the chain from the loss back to the layer', () => {
    const text = readFileSync(path.join(fixtures, 'flow_gan.py'), 'utf8');
    const f = check(text).find((x) => x.rule === 'softmax-before-ce')!;
    assert.match(f.message, /`real_pred, real_aux = discriminator\(imgs\)` on line 48: `real_aux` is the output of `nn\.Softmax\(dim=1\)` at line 14/);
    const viaArg = check(readFileSync(path.join(fixtures, 'flow_functions.py'), 'utf8')).find((x) => x.rule === 'log-softmax-nll-vs-ce')!;
    assert.match(viaArg.message, /`scores` is passed by `nll_of\(F\.softmax\(head\(x\), dim=1\), y\)` on line \d+/);
  });

  it('stays quiet when the model ends in a layer that is not an activation, or the output is unknown', () => {
    const text = [
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.net = nn.Sequential(nn.Softmax(dim=1), nn.Linear(3, 3))',
      '    def forward(self, x):',
      '        return self.net(x)',
      'm = M()',
      'def step(x, y, model):',
      '    return F.cross_entropy(m(x), y) + F.cross_entropy(model(x), y)',
      '',
    ].join('\n');
    assert.deepEqual(check(text), []);
  });

  it('does not loop on recursive functions or self-referencing assignments', () => {
    const text = 'import torch.nn.functional as F\ndef f(x):\n    return f(x)\nx = x\nl = F.cross_entropy(f(x), x)\nm = F.cross_entropy(x, x)\n';
    assert.deepEqual(check(text), []);
  });
});

describe('rule settings in package.json', () => {
  it('lists every rule in paperlens.checks.disabledRules and paperlens.checks.severity', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { items?: { enum: string[] }; properties?: Record<string, unknown> }> } | { properties: Record<string, { items?: { enum: string[] }; properties?: Record<string, unknown> }> }[] } };
    const conf = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
    const props = Object.assign({}, ...conf.map((c) => c.properties)) as Record<string, { items?: { enum: string[] }; properties?: Record<string, unknown> }>;
    const ids = RULES.map((r) => r.id).sort();
    assert.deepEqual([...props['paperlens.checks.disabledRules'].items!.enum].sort(), ids);
    assert.deepEqual(Object.keys(props['paperlens.checks.severity'].properties!).sort(), ids);
  });
});
