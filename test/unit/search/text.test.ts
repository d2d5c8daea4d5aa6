import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactKey, foldText, phraseWords, splitIdentifier, terms } from '../../../src/core/search/text';
import { boundedEditDistance, Vocabulary } from '../../../src/core/search/vocabulary';

describe('terms', () => {
  it('indexes joined words by their parts and their compact form', () => {
    assert.deepEqual(terms('Cross-Entropy and focal_loss'), ['cross', 'entropy', 'crossentropy', 'focal', 'loss', 'focalloss']);
    assert.deepEqual(terms('the z-loss'), ['loss', 'zloss']);
    assert.deepEqual(terms('GPT-4'), ['gpt', 'gpt4']);
  });

  it('folds accents and case, drops single letters, stopwords and over-long runs', () => {
    assert.deepEqual(terms('Brébisson a B Straße Łukasz'), ['brebisson', 'strasse', 'lukasz']);
    assert.deepEqual(terms(`ok ${'x'.repeat(41)}`), ['ok']);
    assert.equal(foldText('ÉCOLE'), 'ecole');
  });

  it('keeps non-Latin letters as words', () => {
    assert.deepEqual(terms('损失函数 αβ'), ['损失函数', 'αβ']);
  });

  it('phrase words keep stopwords and leave compact forms out', () => {
    assert.deepEqual(phraseWords('Cut Your Losses in Large-Vocabulary'), ['cut', 'your', 'losses', 'in', 'large', 'vocabulary']);
  });

  it('splits identifiers and compacts names', () => {
    assert.equal(splitIdentifier('BCEWithLogitsLoss'), 'BCE With Logits Loss');
    assert.equal(splitIdentifier('sigmoid_focal_loss'), 'sigmoid focal loss');
    assert.equal(compactKey('Cross-Entropy Loss'), 'crossentropyloss');
  });
});

describe('vocabulary', () => {
  const words = ['focal', 'local', 'vocal', 'harmonic', 'harmonics', 'harmony', 'loss', 'losses', 'lossless'];
  const vocab = new Vocabulary(words, new Map(words.map((w, i) => [w, i])));
  const names = (c: { termId: number }[]): string[] => c.map((x) => words[x.termId]).sort();

  it('bounded edit distance counts transpositions as one edit and stops early', () => {
    assert.equal(boundedEditDistance('harmonc', 'harmonic', 2), 1);
    assert.equal(boundedEditDistance('hramonic', 'harmonic', 2), 1);
    assert.equal(boundedEditDistance('focl', 'focal', 1), 1);
    assert.equal(boundedEditDistance('abc', 'xyz', 1), 2);
    assert.equal(boundedEditDistance('same', 'same', 0), 0);
  });

  it('corrections are the words within the distance, closest first', () => {
    assert.deepEqual(names(vocab.corrections('focl', 1)), ['focal']);
    assert.deepEqual(names(vocab.corrections('harmonc', 2)), ['harmonic', 'harmonics', 'harmony']);
    assert.equal(vocab.corrections('harmonc', 2)[0].distance, 1);
    assert.deepEqual(vocab.corrections('zzzz', 1), []);
    assert.deepEqual(names(vocab.corrections('focal', 1)), ['local', 'vocal'], 'the word itself is not a correction');
  });

  it('completions extend a prefix, limited by rank', () => {
    assert.deepEqual(names(vocab.completions('loss', 10, () => 0)), ['losses', 'lossless']);
    assert.deepEqual(names(vocab.completions('harmon', 1, (t) => (words[t] === 'harmony' ? 9 : 0))), ['harmony']);
    assert.deepEqual(vocab.completions('zz', 10, () => 0), []);
  });
});
