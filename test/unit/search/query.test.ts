import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEmptyQuery, MAX_QUERY_WORDS, parseQuery, parseYearRange } from '../../../src/core/search/query';

const terms = (q: string): string[] => parseQuery(q).words.map((w) => w.term);

describe('parseQuery', () => {
  it('splits free words, folds case and accents, drops stopwords', () => {
    assert.deepEqual(terms('The Focal Loss of Brébisson'), ['focal', 'loss', 'brebisson']);
  });

  it('marks only the last word as a prefix, and only without a trailing space', () => {
    assert.deepEqual(parseQuery('focal lo').words.map((w) => w.prefix), [false, true]);
    assert.deepEqual(parseQuery('focal lo ').words.map((w) => w.prefix), [false, false]);
  });

  it('reads joined words and identifiers as one term with a fallback split', () => {
    assert.deepEqual(parseQuery('cross-entropy').words, [{ term: 'crossentropy', parts: ['cross', 'entropy'], field: undefined, prefix: true }]);
    assert.deepEqual(parseQuery('FocalLoss ').words, [{ term: 'focalloss', parts: ['focal', 'loss'], field: undefined, prefix: false }]);
    assert.deepEqual(terms('torch.nn.CrossEntropyLoss'), ['crossentropyloss']);
    assert.deepEqual(terms('F.cross_entropy'), ['crossentropy']);
  });

  it('reads hints: year, concept, author, venue, has, source, id, sort', () => {
    const q = parseQuery('loss year:2020..2023 concept:"label smoothing" author:mohri venue:iclr has:code -has:pdf source:refs.bib id:2411.09009 sort:newest');
    assert.deepEqual(q.words.map((w) => w.term), ['loss']);
    assert.deepEqual(q.years, { from: 2020, to: 2023 });
    assert.deepEqual(q.concepts, ['label smoothing']);
    assert.deepEqual(q.requiredWords.map((w) => [w.term, w.field]), [['mohri', 'authors'], ['iclr', 'venue']]);
    assert.deepEqual(q.has, ['code']);
    assert.deepEqual(q.hasNot, ['pdf']);
    assert.deepEqual(q.sources, ['refs.bib']);
    assert.deepEqual(q.ids, ['2411.09009']);
    assert.equal(q.sort, 'newest');
    assert.equal(q.hints.length, 9);
    assert.ok(q.hints.every((h) => h.valid));
  });

  it('reads phrases and exclusions, including an unterminated quote', () => {
    const q = parseQuery('"cut your losses" -scaling -"machine translation" "focal lo');
    assert.deepEqual(q.phrases.map((p) => p.words), [['cut', 'your', 'losses'], ['focal', 'lo']]);
    assert.deepEqual(q.excludedWords.map((w) => w.term), ['scaling']);
    assert.deepEqual(q.excludedPhrases.map((p) => p.words), [['machine', 'translation']]);
  });

  it('keeps unknown keys and URLs as text, and reports hints it cannot use', () => {
    assert.deepEqual(terms('foo:bar'), ['foo', 'bar']);
    const q = parseQuery('year:soon has:wings concept: focal');
    assert.equal(q.years, undefined);
    assert.deepEqual(q.has, []);
    assert.equal(q.problems.length, 2);
    assert.deepEqual(q.words.map((w) => w.term), ['concept', 'focal']);
  });

  it('treats a bare arXiv id as an id, and a hyphen inside a word as a joiner', () => {
    assert.deepEqual(parseQuery('2411.09009v2').ids, ['2411.09009']);
    assert.deepEqual(parseQuery('self-adjusting').excludedWords, []);
  });

  it('bounds pathological input', () => {
    const q = parseQuery('word '.repeat(5000));
    assert.ok(q.words.length <= MAX_QUERY_WORDS);
    assert.ok(q.problems.length >= 1);
    assert.ok(isEmptyQuery(parseQuery('!!! ,,, ...')));
    assert.ok(isEmptyQuery(parseQuery('')));
    assert.ok(!isEmptyQuery(parseQuery('has:code')));
    assert.doesNotThrow(() => parseQuery(undefined as unknown as string));
  });
});

describe('parseYearRange', () => {
  it('reads single years, ranges, open ranges and comparisons', () => {
    assert.deepEqual(parseYearRange('2025'), { from: 2025, to: 2025 });
    assert.deepEqual(parseYearRange('2020..2023'), { from: 2020, to: 2023 });
    assert.deepEqual(parseYearRange('2023-2020'), { from: 2020, to: 2023 });
    assert.deepEqual(parseYearRange('2020..'), { from: 2020, to: undefined });
    assert.deepEqual(parseYearRange('..2019'), { from: undefined, to: 2019 });
    assert.deepEqual(parseYearRange('>=2021'), { from: 2021 });
    assert.deepEqual(parseYearRange('>2021'), { from: 2022 });
    assert.deepEqual(parseYearRange('<2021'), { to: 2020 });
    assert.equal(parseYearRange('..'), undefined);
    assert.equal(parseYearRange('20'), undefined);
  });
});
