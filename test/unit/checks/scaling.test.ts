/**
 * The checks on files whose shape made them superlinear (issue 23), held to a count of the work
 * done rather than to a clock: `checkSource(…, { work })` adds every token read and every index
 * entry visited, and each case asserts it stays under a small constant times the token count. A
 * pass over the file per loss instance, per parameter, per layer or per distillation term — what
 * made these inputs take seconds to minutes — exceeds that bound by orders of magnitude, on any
 * machine and under any load.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkSource, type CheckWork } from '../../../src/core/checks/analyze';
import { kerasLossNames } from '../../../src/core/checks/keras';
import type { Finding } from '../../../src/core/checks/types';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { tokenize } from '../../../src/core/python/tokenizer';
import { realShapedPython } from './scaling/realShape';

const root = path.resolve(__dirname, '..', '..', '..');
const concepts = parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json').concepts;
const index = buildLossIndex(concepts);
const kerasNames = kerasLossNames(concepts);

/** Work per token allowed: the real-shaped file needs about 13 (a few reads per token per rule). */
const PER_TOKEN = 40;

function checked(text: string): { findings: Finding[]; steps: number; tokens: number } {
  const work: CheckWork = { steps: 0 };
  const findings = checkSource(text, scanSource(text, index), { kerasNames, work });
  return { findings, steps: work.steps, tokens: tokenize(text).count };
}

function countByRule(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.rule] = (out[f.rule] ?? 0) + 1;
  return out;
}

describe('checks: work linear in the input', () => {
  it('follows 16,000 loss instances to their calls in one pass over the calls', () => {
    const lines = ['import torch.nn as nn', 'import torch.nn.functional as F'];
    for (let i = 0; i < 16_000; i++) lines.push(`l${i} = nn.KLDivLoss(reduction="batchmean")`);
    lines.push('out = l7(F.softmax(inp, dim=1), target)');
    const { findings, steps, tokens } = checked(`${lines.join('\n')}\n`);
    // The one instance that is called is followed to its call.
    assert.deepEqual(findings.map((f) => `${f.line}:${f.rule}`), ['16003:kl-div-input-not-log']);
    assert.ok(steps <= PER_TOKEN * tokens, `${steps} steps for ${tokens} tokens`);
  });

  it('follows parameters to their callers in a file of 5,000 functions without a pass per parameter', () => {
    const parts = ['import torch.nn.functional as F'];
    for (let i = 0; i < 5_000; i++) parts.push(`def f${i}(x, y):\n    return F.cross_entropy(x, y)`);
    parts.push('def head(z):\n    return z.softmax(dim=-1)', 'def step(z, y):\n    return f7(head(z), y)');
    const { findings, steps, tokens } = checked(`${parts.join('\n')}\n`);
    // The softmax reaches F.cross_entropy in f7 through its caller: still reported, once.
    assert.deepEqual(findings.map((f) => f.rule), ['softmax-before-ce']);
    assert.ok(steps <= PER_TOKEN * tokens, `${steps} steps for ${tokens} tokens`);
  });

  it('resolves 5,000 vocabulary sizes named by constants without a pass per layer', () => {
    const lines = ['import torch.nn as nn', 'import torch.nn.functional as F', 'VOCAB = 50257'];
    for (let i = 0; i < 5_000; i++) lines.push(`head${i} = nn.Linear(768, VOCAB)`);
    lines.push('loss = F.cross_entropy(logits, labels)');
    const { findings, steps, tokens } = checked(`${lines.join('\n')}\n`);
    assert.deepEqual(findings.map((f) => f.rule), ['large-vocab-ce']);
    assert.match(findings[0].message, /nn\.Linear\(…, 50,257\)/);
    assert.ok(steps <= PER_TOKEN * tokens, `${steps} steps for ${tokens} tokens`);
  });

  it('looks for T² after 3,000 distillation terms that feed one running total, within a bounded window each', () => {
    const lines = ['import torch.nn.functional as F', 'loss = 0'];
    for (let i = 0; i < 3_000; i++) {
      lines.push(`kd${i} = F.kl_div(F.log_softmax(s${i} / T, dim=-1), F.softmax(t${i} / T, dim=-1), reduction="batchmean")`, `loss = loss + kd${i}`);
    }
    lines.push('total = loss * T ** 2');
    const { findings, steps, tokens } = checked(`${lines.join('\n')}\n`);
    // The last terms reach the `* T ** 2` through the running total; the earliest are too far to follow.
    const kd = findings.filter((f) => f.rule === 'kd-temperature-squared');
    assert.ok(kd.length > 0 && kd.length < 3_000, `${kd.length} findings`);
    assert.ok(!kd.some((f) => f.line > 3 + 2 * 2_990), 'terms near the scaling are seen as scaled');
    assert.ok(steps <= PER_TOKEN * tokens, `${steps} steps for ${tokens} tokens`);
  });

  it('checks a 50,000-line file shaped like real training code with the same work per token as a 5,000-line one', () => {
    const small = checked(realShapedPython(5_000));
    const large = checked(realShapedPython(50_000));
    const blocks = (text: string) => (text.match(/^class Net\d+/gm) ?? []).length;
    const n = blocks(realShapedPython(50_000));
    assert.ok(n >= 800, `${n} blocks`);
    // Every block's findings, and no others: each rule fires where the block has its bug.
    assert.deepEqual(countByRule(large.findings), {
      'keras-from-logits': 2 * n,
      'kd-temperature-squared': n,
      'label-smoothing-convention': n,
      'lm-logits-unshifted': n,
      'log-softmax-nll-vs-ce': n,
      'sigmoid-before-bce': n,
      'softmax-before-ce': 2 * n,
    });
    const perToken = (r: { steps: number; tokens: number }) => r.steps / r.tokens;
    assert.ok(perToken(large) <= PER_TOKEN, `${perToken(large).toFixed(1)} steps per token`);
    // Ten times the input, about the same work per token (binary searches add a little).
    assert.ok(perToken(large) <= 1.25 * perToken(small), `${perToken(small).toFixed(2)} → ${perToken(large).toFixed(2)} steps per token`);
  });
});
