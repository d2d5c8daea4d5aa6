/**
 * A call's argument list is parsed on first access, from copies of its tokens taken at the end of
 * the scan (the scan's own token arrays are lent to the next scan). These tests read arguments
 * after other scans have reused those arrays, for nested and unterminated calls, and check that a
 * usage serialises with its arguments.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import type { CallInfo, LossUsage } from '../../../src/core/detect/types';
import { fixtureConcepts } from './fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);

const plain = (call: CallInfo | undefined) =>
  call && { openParen: call.openParen, end: call.end, closed: call.closed, positionalCount: call.positionalCount, keywords: call.keywords, arguments: call.arguments };

function calls(usages: readonly LossUsage[]) {
  return usages.filter((u) => u.call).map((u) => [u.identifier, plain(u.call)]);
}

describe('call arguments are read on demand', () => {
  test('arguments read after later scans are still those of their own source', () => {
    const a = 'import torch.nn.functional as F\nloss = F.cross_entropy(logits, y, label_smoothing=0.1)\n';
    const b = `import torch.nn as nn\n${'crit = nn.MSELoss(reduction="sum")\n'.repeat(500)}`;
    const first = scanSource(a, index);
    scanSource(b, index); // reuses (and overwrites) the scratch token arrays
    const u = first.usages[0];
    assert.equal(u.identifier, 'cross_entropy');
    assert.deepEqual(u.call?.arguments.map((x) => [x.kind, x.name, x.value]), [
      ['positional', undefined, 'logits'],
      ['positional', undefined, 'y'],
      ['keyword', 'label_smoothing', '0.1'],
    ]);
    assert.deepEqual(u.call?.keywords, { label_smoothing: '0.1' });
    assert.equal(u.call?.positionalCount, 2);
  });

  test('a loss call inside a loss call: both argument lists, from one copy of the tokens', () => {
    const text = [
      'import torch.nn.functional as F',
      'x = F.mse_loss(F.cross_entropy(a, b, reduction="none"), c, reduction="sum")',
      'y = F.kl_div(p, q, reduction="batchmean")',
      '',
    ].join('\n');
    const scan = scanSource(text, index);
    scanSource('import torch.nn as nn\nnn.MSELoss()(u, v)\n', index);
    assert.deepEqual(calls(scan.usages).map(([name, call]) => [name, (call as CallInfo).keywords, (call as CallInfo).arguments.map((x) => x.value)]), [
      ['mse_loss', { reduction: '"sum"' }, ['F.cross_entropy(a, b, reduction="none")', 'c', '"sum"']],
      ['cross_entropy', { reduction: '"none"' }, ['a', 'b', '"none"']],
      ['kl_div', { reduction: '"batchmean"' }, ['p', 'q', '"batchmean"']],
    ]);
  });

  test('an unterminated call keeps the arguments typed so far', () => {
    const text = 'import torch.nn.functional as F\nloss = F.cross_entropy(logits, y, weight=w\ndef after():\n    pass\n';
    const scan = scanSource(text, index);
    scanSource('import torch.nn.functional as F\nF.mse_loss(a, b)\n', index);
    const call = scan.usages[0].call;
    assert.equal(call?.closed, false);
    assert.deepEqual(call?.arguments.map((x) => [x.kind, x.value]), [['positional', 'logits'], ['positional', 'y'], ['keyword', 'w']]);
    assert.deepEqual(call?.keywords, { weight: 'w' });
  });

  test('a usage serialises with its arguments (JSON.stringify, as the CLI and tests print it)', () => {
    const text = 'import torch.nn as nn\ncrit = nn.CrossEntropyLoss(weight=w, label_smoothing=0.05)\n';
    const u = scanSource(text, index).usages[0];
    const json = JSON.parse(JSON.stringify(u)) as LossUsage;
    assert.deepEqual(json.call, plain(u.call));
    assert.deepEqual(json.call?.keywords, { weight: 'w', label_smoothing: '0.05' });
  });

  test('for every fixture, arguments read late equal arguments read right after the scan', () => {
    const dir = path.join(__dirname, 'fixtures');
    const sources = ['rules', 'realistic', 'heldout'].flatMap((group) =>
      readdirSync(path.join(dir, group)).filter((f) => f.endsWith('.py')).map((f) => readFileSync(path.join(dir, group, f), 'utf8')));
    assert.ok(sources.length > 10);
    const early = sources.map((s) => JSON.stringify(calls(scanSource(s, index).usages)));
    const scans = sources.map((s) => scanSource(s, index));
    const late = scans.map((s) => JSON.stringify(calls(s.usages)));
    assert.deepEqual(late, early);
    assert.ok(early.some((e) => e.includes('"keyword"')), 'the fixtures have keyword arguments');
  });
});
