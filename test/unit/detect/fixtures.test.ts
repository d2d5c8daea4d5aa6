/**
 * Runs the detector over every fixture (rules/ and realistic/) and compares with the inline
 * `# expect:` markers. Each line must report exactly its markers (identifier, concept and, where
 * given, role); unmarked lines must report nothing. Also reports precision and recall over the
 * realistic corpus as a test diagnostic.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { scanNotebook, scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { parseIpynb } from '../../../src/core/detect/notebook';
import type { LossUsage } from '../../../src/core/detect/types';
import { fixtureConcepts } from './fixtures/concepts';
import { compare, parseExpectations, readText, type Comparison, type ExpectedUsage } from './expectations';

const index = buildLossIndex(fixtureConcepts);
const fixturesDir = path.join(__dirname, 'fixtures');

/** Detector output and expectations for one fixture file, cells flattened with a prefix. */
export function evaluateFixture(file: string): { comparison: Comparison; roleMismatches: string[] } {
  const text = readText(file);
  const pairs: { expected: ExpectedUsage[]; actual: LossUsage[]; prefix: string }[] = [];
  if (file.endsWith('.ipynb')) {
    const notebook = parseIpynb(text);
    assert.equal(notebook.error, undefined);
    const scan = scanNotebook(notebook.cells.map((c) => c.source), index);
    notebook.cells.forEach((cell, i) => pairs.push({ expected: parseExpectations(cell.source), actual: [...scan.cells[i].usages], prefix: `cell${cell.index}:` }));
  } else {
    pairs.push({ expected: parseExpectations(text), actual: [...scanSource(text, index).usages], prefix: '' });
  }
  const comparison: Comparison = { truePositives: [], falsePositives: [], falseNegatives: [] };
  const roleMismatches: string[] = [];
  for (const { expected, actual, prefix } of pairs) {
    const c = compare(expected, actual, prefix);
    comparison.truePositives.push(...c.truePositives);
    comparison.falsePositives.push(...c.falsePositives);
    comparison.falseNegatives.push(...c.falseNegatives);
    for (const e of expected) {
      if (!e.role) continue;
      const hits = actual.filter((u) => u.line === e.line && u.identifier === e.identifier && u.conceptId === e.concept);
      if (hits.length && !hits.some((u) => u.role === e.role)) roleMismatches.push(`${prefix}${e.line}:${e.identifier} expected ${e.role}, got ${hits.map((u) => u.role).join('/')}`);
    }
  }
  return { comparison, roleMismatches };
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.py') || f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
}

for (const group of ['rules', 'realistic', 'heldout']) {
  describe(`fixtures/${group}`, () => {
    for (const file of fixtureFiles(path.join(fixturesDir, group))) {
      test(path.basename(file), () => {
        const { comparison, roleMismatches } = evaluateFixture(file);
        assert.deepEqual({ falsePositives: comparison.falsePositives, falseNegatives: comparison.falseNegatives, roleMismatches }, { falsePositives: [], falseNegatives: [], roleMismatches: [] });
        assert.ok(comparison.truePositives.length > 0 || file.includes('negatives'), 'a fixture should expect something');
      });
    }
  });
}

/**
 * realistic/ was written before the detector; heldout/ was written and annotated later, in other
 * styles (Lightning, HF Trainer, Keras custom losses, flax, timm), before the detector first ran on it.
 * Its first run found 22 of 23 with no false positive; the miss (a keyword argument's `=` taken for a
 * chained assignment) is fixed and covered in detector.test.ts.
 */
test('precision and recall on the real-shaped corpora', (t) => {
  let tp = 0, fp = 0, fn = 0;
  for (const file of [...fixtureFiles(path.join(fixturesDir, 'realistic')), ...fixtureFiles(path.join(fixturesDir, 'heldout'))]) {
    const { comparison } = evaluateFixture(file);
    tp += comparison.truePositives.length;
    fp += comparison.falsePositives.length;
    fn += comparison.falseNegatives.length;
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  t.diagnostic(`realistic + heldout corpora: ${tp} true positives, ${fp} false positives, ${fn} false negatives; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
  assert.ok(tp >= 75, 'the corpora should hold at least 75 expected usages');
  assert.equal(precision, 1);
  assert.equal(recall, 1);
});

test('the rules fixtures cover every kind of role', () => {
  const roles = new Set<string>();
  for (const file of fixtureFiles(path.join(fixturesDir, 'rules'))) {
    if (file.endsWith('.py')) for (const e of parseExpectations(readText(file))) if (e.role) roles.add(e.role);
  }
  assert.deepEqual([...roles].sort(), ['call', 'definition', 'import', 'reference']);
});
