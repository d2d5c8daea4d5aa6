import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildSearchIndex, buildSearchIndexAsync, type SearchResult } from '../../../src/core/search/searchIndex';
import { searchConcepts } from './fixtures/concepts';
import { paper, shippedPapers } from './fixtures/papers';

const shipped = shippedPapers();
const index = buildSearchIndex(shipped, searchConcepts);
const ids = (r: SearchResult): string[] => r.hits.map((h) => h.paper.id);
const top = (q: string, limit = 5): string[] => ids(index.search(q, { limit }));

const HARMONIC = '2603.10225';
const FOCAL_ICU = '2512.20520';
const CUT = '2411.09009';
const MOHRI = '2304.07288';

describe('ranking', () => {
  it('puts the paper whose title holds the words first', () => {
    assert.equal(top('harmonic loss')[0], HARMONIC);
    assert.equal(top('cut your losses')[0], CUT);
    assert.equal(top('dice loss')[0], '1911.02855');
  });

  it('ranks a title match above an abstract-only match, and all words above some', () => {
    const small = buildSearchIndex([
      paper({ id: 'abstract-only', title: 'A study of training', abstract: 'We use the focal loss to train detectors.' }),
      paper({ id: 'title', title: 'Focal loss for dense detection', abstract: 'We propose a new loss.' }),
      paper({ id: 'one-word', title: 'Focal points', abstract: 'Nothing about it.' }),
    ]);
    assert.deepEqual(ids(small.search('focal loss')), ['title', 'abstract-only', 'one-word']);
  });

  it('ranks papers that propose a concept above papers that study it when the concept is searched', () => {
    const small = buildSearchIndex([
      paper({ id: 'studies', title: 'On detectors', concepts: [{ id: 'focal', relation: 'studies' }] }),
      paper({ id: 'proposes', title: 'On detectors', concepts: [{ id: 'focal', relation: 'proposes' }] }),
    ], searchConcepts);
    assert.deepEqual(ids(small.search('focal')), ['proposes', 'studies']);
    assert.deepEqual(ids(small.search('concept:focal')), ['proposes', 'studies']);
  });

  it('finds papers by a library identifier of their concept', () => {
    const ce = new Set(shipped.filter((p) => p.concepts.some((c) => c.id === 'cross-entropy')).map((p) => p.id));
    const r = index.search('CrossEntropyLoss', { limit: 100 });
    assert.ok(r.total > 0);
    assert.equal(r.total, ce.size, 'every and only the CE-tagged papers');
    for (const id of ids(r)) assert.ok(ce.has(id), `${id} is not tagged cross-entropy`);
    assert.deepEqual(new Set(top('torch.nn.CrossEntropyLoss', 100)), ce);
    assert.equal(top('MultiSimilarityLoss')[0], '1904.06627');
    assert.equal(top('sigmoid_focal_loss')[0], FOCAL_ICU);
    assert.equal(top('FocalLoss')[0], FOCAL_ICU);
  });

  it('boosts papers tagged with a concept the query names exactly, proposers most', () => {
    const small = buildSearchIndex([
      paper({ id: 'mentions', title: 'Label smoothing and calibration', abstract: 'Label smoothing, label smoothing.' }),
      paper({ id: 'studies', title: 'Label smoothing and calibration', abstract: 'Label smoothing.', concepts: [{ id: 'label-smoothing', relation: 'studies' }] }),
      paper({ id: 'proposes', title: 'Label smoothing and calibration', abstract: 'Label smoothing.', concepts: [{ id: 'label-smoothing', relation: 'proposes' }] }),
    ], searchConcepts);
    assert.deepEqual(ids(small.search('label smoothing ')), ['proposes', 'studies', 'mentions']);
  });

  it('never ranks a completion above the word itself (no IDF bonus for a rarer completion)', () => {
    const papers = [paper({ id: 'exact', title: 'Harmonic loss' }), paper({ id: 'completion', title: 'Harmonic loss-based' })];
    for (let i = 0; i < 30; i++) papers.push(paper({ id: `filler${i}`, title: `Another loss ${i}` }));
    const small = buildSearchIndex(papers);
    assert.equal(ids(small.search('harmonic loss'))[0], 'exact');
  });

  it('breaks ties by date, newest first, deterministically', () => {
    const small = buildSearchIndex([
      paper({ id: 'old', title: 'Focal loss', date: '2017-08-07', year: 2017 }),
      paper({ id: 'new', title: 'Focal loss', date: '2024-01-02', year: 2024 }),
    ]);
    assert.deepEqual(ids(small.search('focal loss')), ['new', 'old']);
    assert.deepEqual(ids(small.search('focal loss')), ids(small.search('focal loss')));
  });
});

describe('typos and prefixes', () => {
  it('corrects "harmonc loss" to the harmonic loss paper and says so', () => {
    const r = index.search('harmonc loss');
    assert.equal(r.hits[0].paper.id, HARMONIC);
    assert.deepEqual(r.corrections, [{ word: 'harmonc', suggestions: ['harmonic'] }]);
  });

  it('corrects "focl" to focal', () => {
    const r = index.search('focl');
    assert.equal(r.hits[0].paper.id, FOCAL_ICU);
    assert.ok(r.corrections.some((c) => c.suggestions.includes('focal')));
  });

  it('handles transpositions and two typos in long words', () => {
    assert.equal(top('hramonic loss')[0], HARMONIC);
    assert.equal(top('orthogonl projecton')[0], '2103.14021');
  });

  it('does not "correct" a word that is in the vocabulary', () => {
    const r = index.search('focal ');
    assert.deepEqual(r.corrections, []);
    assert.ok(!r.terms.includes('local'));
  });

  it('completes the word being typed, and only that word', () => {
    assert.equal(top('harmo')[0], HARMONIC);
    assert.equal(top('orthogonal proj')[0], '2103.14021');
    // With a space after it the word is finished: "harmo" is then corrected or not found, never completed.
    assert.ok(!index.search('harmo ').terms.includes('harmonic'));
  });

  it('leaves short words alone (no typo tolerance under four letters)', () => {
    assert.equal(index.search('xq').total, 0);
    assert.deepEqual(index.search('emo ').corrections, []);
  });

  it('finds rare spellings and their common neighbour together', () => {
    const papers = [paper({ id: 'typo', title: 'Calibraton matters' })];
    for (let i = 0; i < 40; i++) papers.push(paper({ id: `c${i}`, title: `Calibration study ${i}` }));
    const small = buildSearchIndex(papers);
    const r = small.search('calibraton', { limit: 50 });
    assert.equal(r.hits[0].paper.id, 'typo', 'the exact spelling still ranks first');
    assert.equal(r.total, 41, 'and the correctly spelled papers are found too');
  });

  it('weighs a misspelled word as its most common correction, not its rarest', () => {
    // "lerning" is one edit from "learning" (every paper) and from "leaning" (one paper): the
    // typist meant "learning", so the one paper with "leaning" must not outrank the papers whose
    // title holds both words of the query on the strength of that rare word.
    const papers = [paper({ id: 'leaning', title: 'Metric leaning towers', abstract: 'Metric learning in passing.' })];
    for (let i = 0; i < 30; i++) papers.push(paper({ id: `m${i}`, title: `Metric learning study ${i}`, abstract: `Metric learning, part ${i}.` }));
    for (let i = 0; i < 30; i++) papers.push(paper({ id: `l${i}`, title: `Representation learning ${i}`, abstract: `Learning representations, part ${i}.` }));
    const r = buildSearchIndex(papers).search('metric lerning', { limit: 5 });
    assert.deepEqual(r.corrections, [{ word: 'lerning', suggestions: ['learning', 'leaning'] }]);
    assert.ok(r.hits.every((h) => h.paper.id.startsWith('m')), r.hits.map((h) => h.paper.id).join(', '));
  });
});

describe('field hints and filters', () => {
  it('year:2025 and year:2020..2023', () => {
    for (const h of index.search('year:2025', { limit: 100 }).hits) assert.equal(h.paper.year, 2025);
    const range = index.search('year:2020..2023 scaling', { limit: 100 });
    assert.ok(range.total > 0);
    for (const h of range.hits) assert.ok(h.paper.year! >= 2020 && h.paper.year! <= 2023);
    assert.deepEqual(index.search('year:>=2026').hits.map((h) => h.paper.year).filter((y) => y! < 2026), []);
  });

  it('concept: by id, name, alias and identifier', () => {
    assert.deepEqual(top('concept:focal'), [FOCAL_ICU]);
    assert.deepEqual(top('concept:"focal loss"'), [FOCAL_ICU]);
    assert.deepEqual(top('concept:FL'), [FOCAL_ICU]);
    assert.deepEqual(top('concept:sigmoid_focal_loss'), [FOCAL_ICU]);
    assert.deepEqual(index.search('concept:focl').concepts, ['focal']);
    assert.equal(index.search('concept:nothing-like-this').total, 0);
    // Words and a concept together: both apply.
    assert.equal(top('concept:cross-entropy harmonic')[0], HARMONIC);
    // Two concept hints: papers tagged with both; one hint naming several concepts: any of them.
    const both = shipped.filter((p) => ['cross-entropy', 'mse'].every((c) => p.concepts.some((t) => t.id === c))).map((p) => p.id).sort();
    assert.deepEqual(top('concept:cross-entropy concept:mse', 100).sort(), both);
    const small = buildSearchIndex([
      paper({ id: 'a', concepts: [{ id: 'focal', relation: 'studies' }] }),
      paper({ id: 'b', concepts: [{ id: 'focal-tversky', relation: 'studies' }] }),
      paper({ id: 'both', concepts: [{ id: 'focal', relation: 'studies' }, { id: 'focal-tversky', relation: 'proposes' }] }),
      paper({ id: 'neither', concepts: [{ id: 'dice', relation: 'studies' }] }),
    ], searchConcepts);
    const prefix = small.search('concept:foca', { limit: 10 });
    assert.deepEqual(prefix.concepts.sort(), ['focal', 'focal-tversky']);
    assert.deepEqual(ids(prefix).sort(), ['a', 'b', 'both'], 'each paper once');
  });

  it('author:, venue:, title:, has:code, -has:code', () => {
    assert.deepEqual(top('author:mohri'), [MOHRI]);
    assert.deepEqual(top('author:"Mehryar Mohri"'), [MOHRI]);
    assert.ok(index.search('venue:iclr', { limit: 100 }).hits.every((h) => /ICLR/.test(h.paper.venue ?? '')));
    assert.ok(index.search('venue:iclr').total >= 5);
    assert.deepEqual(top('title:harmonic'), [HARMONIC]);
    const code = index.search('has:code', { limit: 100 });
    assert.ok(code.total > 0 && code.hits.every((h) => h.paper.links.code));
    const noCode = index.search('-has:code', { limit: 100 });
    assert.equal(code.total + noCode.total, shipped.length);
    assert.ok(noCode.hits.every((h) => !h.paper.links.code));
  });

  it('quoted phrases match word for word, and -words exclude', () => {
    assert.deepEqual(top('"cut your losses"'), [CUT]);
    assert.equal(index.search('"losses your cut"').total, 0);
    const scaling = index.search('scaling laws', { limit: 100 });
    const withoutTranslation = index.search('scaling laws -translation', { limit: 100 });
    assert.equal(withoutTranslation.total, scaling.total - 1);
    assert.ok(!ids(withoutTranslation).includes('2109.07740'));
    assert.ok(!ids(index.search('scaling -"machine translation"', { limit: 100 })).includes('2109.07740'));
  });

  it('checks a phrase of common words lazily in a large result set, and says the total is an estimate', () => {
    const papers = Array.from({ length: 3000 }, (_, i) => paper({
      id: `p${i}`,
      title: i % 3 === 0 ? `Large language models ${i}` : `Models of language that are large ${i}`,
    }));
    const big = buildSearchIndex(papers);
    const r = big.search('"large language models"', { limit: 10 });
    assert.equal(r.hits.length, 10);
    for (const h of r.hits) assert.match(h.paper.title, /^Large language models/);
    assert.equal(r.totalExact, false);
    assert.ok(Math.abs(r.total - 1000) < 1000, `estimate ${r.total}`);
    const all = big.search('"large language models"', { limit: 1000 });
    assert.ok(all.hits.every((h) => /^Large language models/.test(h.paper.title)));
    assert.equal(big.search('"large language models" year:2020').total, 0);
    assert.equal(index.search('"cut your losses"').totalExact, true);
  });

  it('never loses a paper that holds a quoted phrase (position signatures have no false negatives)', () => {
    const vocabulary = ['loss', 'the', 'of', 'a', 'x', 'focal', 'cross-entropy', 'label', 'smoothing', 'z-loss', 'model', 'in', 'is', 'deep', 'B'];
    const text = fc.array(fc.constantFrom(...vocabulary), { minLength: 3, maxLength: 60 }).map((w) => w.join(' '));
    fc.assert(fc.property(fc.array(fc.record({ title: text, abstract: text }), { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), fc.integer({ min: 2, max: 4 }), fc.boolean(), (docs, pick, at, length, inTitle) => {
      const papers = docs.map((d, i) => paper({ id: `p${i}`, title: d.title, abstract: d.abstract }));
      const target = papers[pick % papers.length];
      const words = (inTitle ? target.title : target.abstract).split(' ');
      const start = at % Math.max(1, words.length - length + 1);
      const phrase = words.slice(start, start + length).join(' ');
      const small = buildSearchIndex(papers);
      const found = ids(small.search(`"${phrase}"`, { limit: 100 }));
      const words2 = phrase.split(' ').filter((w) => w.length > 1);
      if (words2.length === 0) return; // nothing searchable in the phrase
      assert.ok(found.includes(target.id), `"${phrase}" not found in ${target.id}: ${JSON.stringify(inTitle ? target.title : target.abstract)}`);
    }), { numRuns: 300 });
  });

  it('an arXiv id, bare or with id:, finds that paper', () => {
    assert.deepEqual(top('2411.09009'), [CUT]);
    assert.deepEqual(top('id:2411.09009v2'), [CUT]);
    assert.deepEqual(top('arxiv:2411.09009'), [CUT]);
  });

  it('UI filters combine with the query', () => {
    const r = index.search('loss', { limit: 100, filters: { concept: 'cross-entropy', yearFrom: 2024, yearTo: 2025, hasCode: true } });
    assert.ok(r.total > 0);
    for (const h of r.hits) {
      assert.ok(h.paper.concepts.some((c) => c.id === 'cross-entropy'));
      assert.ok(h.paper.year! >= 2024 && h.paper.year! <= 2025);
      assert.ok(h.paper.links.code);
    }
    assert.equal(index.search('', { filters: { concept: 'unknown-concept' } }).total, 0);
    const sources = buildSearchIndex([paper({ id: 'a', title: 'x loss', sources: ['shipped:a'] }), paper({ id: 'b', title: 'x loss', sources: ['/home/me/refs.bib'] })]);
    assert.deepEqual(ids(sources.search('loss', { filters: { source: '/home/me/refs.bib' } })), ['b']);
    assert.deepEqual(ids(sources.search('loss source:refs.bib')), ['b']);
  });

  it('sort newest orders by date, in options or as a hint', () => {
    const r = index.search('scaling', { limit: 100, sort: 'newest' });
    const dates = r.hits.map((h) => h.paper.date ?? `${h.paper.year}`);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal(index.search('scaling sort:newest').sort, 'newest');
  });
});

describe('empty and pathological queries', () => {
  it('an empty query lists every paper, newest first', () => {
    const r = index.search('', { limit: 100 });
    assert.equal(r.total, shipped.length);
    const keys = r.hits.map((h) => h.paper.date ?? `${h.paper.year}-00-00`);
    assert.deepEqual(keys, [...keys].sort().reverse());
  });

  it('only punctuation, only stopwords, control characters: the same as empty, no error', () => {
    for (const q of ['!!!', '"', '""', '-', ':', '...---...', 'the of and', '\u0000\u0001\t\n', '(((', '\\', '*?[]{}']) {
      const r = index.search(q);
      assert.equal(r.total, shipped.length, JSON.stringify(q));
    }
  });

  it('10,000 characters, a 10,000-character word, 500 words: answered, and cut with a note', () => {
    const long = 'harmonic loss '.repeat(715).slice(0, 10_000);
    const r = index.search(long);
    assert.equal(r.hits[0].paper.id, HARMONIC);
    assert.ok(r.query.problems.length > 0);
    assert.equal(index.search('x'.repeat(10_000)).total, 0);
    const many = Array.from({ length: 500 }, (_, i) => `w${i}`).join(' ');
    assert.doesNotThrow(() => index.search(many));
  });

  it('never throws and keeps its invariants on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.nat(60), fc.integer({ min: 0, max: 30 }), (q, offset, limit) => {
      const r = index.search(q, { offset, limit });
      assert.ok(r.hits.length <= limit);
      assert.ok(r.hits.length <= Math.max(0, r.total - offset));
      assert.equal(new Set(ids(r)).size, r.hits.length);
    }), { numRuns: 300 });
  });

  it('accents fold: Brébisson and Brebisson are the same author', () => {
    assert.deepEqual(top('author:brebisson'), ['1604.08859']);
    assert.deepEqual(top('author:brébisson'), ['1604.08859']);
  });
});

describe('paging, facets and builds', () => {
  it('pages concatenate to the full ranking', () => {
    const all = ids(index.search('loss', { limit: 1000 }));
    const paged: string[] = [];
    for (let offset = 0; offset < all.length; offset += 7) paged.push(...ids(index.search('loss', { offset, limit: 7 })));
    assert.deepEqual(paged, all);
    assert.equal(index.search('loss', { offset: 10_000 }).hits.length, 0);
  });

  it('facets list concepts, years, sources and papers with code', () => {
    const f = index.facets;
    assert.equal(f.papers, shipped.length);
    const ce = f.concepts.find((c) => c.id === 'cross-entropy');
    assert.equal(ce?.count, shipped.filter((p) => p.concepts.some((c) => c.id === 'cross-entropy')).length);
    assert.equal(ce?.name, 'Cross-entropy loss');
    assert.equal(f.concepts[0].id, 'cross-entropy', 'most used first');
    assert.deepEqual(f.years, { min: 2016, max: 2026 });
    assert.equal(f.sources.length, 1);
    assert.equal(f.withCode, shipped.filter((p) => p.links.code).length);
  });

  it('the async build gives the same answers as the synchronous one', async () => {
    const asyncIndex = await buildSearchIndexAsync(shipped, searchConcepts, { sliceMs: 0 });
    for (const q of ['harmonc loss', 'focal', 'concept:cross-entropy year:2024', '', 'CrossEntropyLoss']) {
      assert.deepEqual(ids(asyncIndex.search(q, { limit: 50 })), ids(index.search(q, { limit: 50 })), q);
    }
  });

  it('indexes papers with missing fields and an empty corpus', () => {
    const empty = buildSearchIndex([]);
    assert.equal(empty.search('anything').total, 0);
    assert.equal(empty.search('').total, 0);
    assert.deepEqual(empty.facets.years, null);
    const sparse = buildSearchIndex([{ id: 'bare' } as never]);
    assert.equal(sparse.search('').total, 1);
    assert.equal(sparse.search('bare').total, 0);
  });
});
