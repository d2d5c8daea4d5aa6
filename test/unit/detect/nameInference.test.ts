/**
 * Name inference with the shipped registry: which hand-written names of trainers and of a method's
 * other parts name a loss, and the shapes of real code in name_inference/*.py (all written for these tests).
 * The markers are the whole truth: a usage on an unmarked line fails the test.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { parseExpectations, readText } from './expectations';

const root = path.resolve(__dirname, '..', '..', '..');
const { concepts } = loadConcepts(path.join(root, 'paper-data', 'generated', 'concepts.json'));
const index = buildLossIndex(concepts);

test('trainers named after a method, and a method\'s other parts, by their words', () => {
  const text = readText(path.join(__dirname, 'name_inference', 'trainers_and_parts.py'));
  const expected = parseExpectations(text).map((e) => `${e.line}:${e.identifier}:${e.concept}`).sort();
  const found = scanSource(text, index).usages.map((u) => `${u.line}:${u.identifier}:${u.conceptId}`).sort();
  assert.deepEqual(found, expected);
});

/**
 * What real code taught (issue 15, the real-code dev and held-out sets), each in a fixture written
 * for this test with positives and near-miss negatives: star imports against the file's own
 * variables, hyperparameters and metrics named like losses, loss holders, methods of loss classes,
 * a package's re-exports and lazy-import table, concepts buried in a name (glued words, capital
 * runs, compute verbs, forward kernels; the second held-out set), loss strings as parameter defaults,
 * loss methods used as values and rebound to a compiled wrapper of themselves, functions named by
 * an everyday word of a loss that the file holds as its loss.
 */
for (const file of ['star_imports_and_values.py', 'weights_metrics_and_holders.py', 'package_exports.py', 'buried_concepts.py', 'keras_option_strings.py', 'method_values.py', 'held_as_loss.py', 'docstrings_and_terms.py', 'library_backends.py', 'spelled_with_loss_word.py']) {
  test(`name inference on real-code shapes: ${file}`, () => {
    const text = readText(path.join(__dirname, 'name_inference', file));
    const expected = parseExpectations(text).map((e) => `${e.line}:${e.identifier}:${e.concept}`).sort();
    assert.ok(expected.length >= 4, 'the fixture expects usages');
    const found = scanSource(text, index).usages.map((u) => `${u.line}:${u.identifier}:${u.conceptId}`).sort();
    assert.deepEqual(found, expected);
  });
}
