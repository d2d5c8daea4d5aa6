/**
 * Name inference with the shipped registry: which hand-written names of trainers and of a method's
 * other parts name a loss. Fixture: name_inference/trainers_and_parts.py (written for this test).
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
