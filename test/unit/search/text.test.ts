import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compactKey, foldText, phraseMatcher, phraseWords, splitIdentifier, terms } from '../../../src/core/search/text';
import { TermTable } from '../../../src/core/search/termTable';
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

  it('phrase matcher: words in order across punctuation and single letters, on word boundaries', () => {
    const m = phraseMatcher(['large', 'vocabulary']);
    assert.equal(m(foldText('Cut Your Losses in Large-Vocabulary Models')), true);
    assert.equal(m('a large, a vocabulary'), true);
    assert.equal(m('largevocabulary'), false);
    assert.equal(m('xlarge vocabulary'), false);
    assert.equal(m('xlarge vocabulary and then large vocabulary'), true);
    assert.equal(m('large vocabularyx'), false);
    assert.equal(m('vocabulary large'), false);
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

describe('term table', () => {
  it('tokenises exactly like terms() (the query tokeniser), without a string per word', () => {
    const table = new TermTable();
    const check = (text: string): void => {
      const folded = foldText(text);
      const count = table.collect(folded);
      assert.deepEqual([...table.out.subarray(0, count)].map((id) => table.terms[id]), terms(text), JSON.stringify(text));
    };
    for (const t of ['Cross-Entropy loss: the z-loss, GPT-4 and focal_loss', 'a-b-c word- -x_y_z the-of', 'Brébisson 损失函数 αβ', '', '---', `${'y'.repeat(40)} ${'z'.repeat(41)} a-${'q'.repeat(40)}`]) check(t);
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'h', 't', '-', '_', ' ', '1', 'é', '.', 'T') , maxLength: 60 }), (s) => check(s)), { numRuns: 500 });
  });

  it('collectText reads raw text exactly as collect reads it folded: ids, positions, new terms in order', () => {
    const folding = new TermTable();
    const raw = new TermTable();
    const check = (text: string): void => {
      const expected = folding.collect(foldText(text));
      const actual = raw.collectText(text);
      assert.deepEqual([...raw.out.subarray(0, actual)], [...folding.out.subarray(0, expected)], JSON.stringify(text));
      assert.deepEqual([...raw.positions.subarray(0, actual)], [...folding.positions.subarray(0, expected)], JSON.stringify(text));
      assert.deepEqual(raw.terms, folding.terms, JSON.stringify(text));
    };
    for (const t of [
      'Cross-Entropy loss: the z-loss, GPT-4 and focal_loss', 'Brébisson and BRÉBISSON', 'abé-cd ab-cdé ab-é é-ab', 'ΣΑΣ ΟΔΟΣ. A.Σ x', 'A.Σ-b x:Σ_y',
      'KELVIN-\u212Aelvin \u212A', 'İstanbul İ', 'ＡＢＣ－ＤＥＦ a－b', 'ﬁne ﬃ', 'x\u0301y', '\ud800 lone', 'tab\tsep\nline\r\nend',
      'Straße Łódź Søren', '损失函数 αβ-γ', '', '---', '\u00a0nbsp\u00a0word', `${'Y'.repeat(40)} ${'Z'.repeat(41)} a-${'Q'.repeat(40)}é`,
    ]) check(t);
    const unit = fc.constantFrom('a', 'B', 'e', 'É', 'é', 'h', 'T', '-', '_', ' ', '\n', '1', '.', 'Σ', 'ß', '\u212A', 'İ', 'ﬁ', '\u0301', '’', 'Ａ', '－');
    fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), (s) => check(s)), { numRuns: 2000 });
  });

  it('gives one id per distinct term across calls and grows past its initial size', () => {
    const table = new TermTable();
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(...table.out.subarray(0, table.collect(`term${i} shared`)));
    assert.equal(new Set(ids).size, 5001);
    assert.equal(table.idOf('shared'), ids[1]);
    assert.equal(table.idOf('term4999'), ids[ids.length - 2]);
  });
});
