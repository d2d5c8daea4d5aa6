/**
 * The index build may be restructured for speed, but what it answers must not change: this test
 * compares the ranked results (ids, exact scores, totals, corrections, matched terms) of a fixed set
 * of queries over a fixed corpus with answers recorded from the engine before its build was last
 * restructured (buildEquivalence/expected.json). If a ranking change is intended, regenerate the
 * file with `UPDATE_SEARCH_GOLDEN=1 node --import tsx --test test/unit/search/buildEquivalence.test.ts`
 * and say why in the commit.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSearchIndex, buildSearchIndexAsync, IndexBuilder, type SearchIndex, type SearchOptions } from '../../../src/core/search/searchIndex';
import { EQUIVALENCE_QUERIES, equivalenceCorpus } from './buildEquivalence/corpus';
import { searchConcepts } from './fixtures/concepts';

const goldenPath = path.join(__dirname, 'buildEquivalence', 'expected.json');
const papers = equivalenceCorpus(3000);

const OPTIONS: readonly SearchOptions[] = [
  { limit: 20 },
  { limit: 7, offset: 5, sort: 'newest' },
  { limit: 10, filters: { hasCode: true, yearFrom: 2016 } },
  { limit: 10, filters: { concept: 'cross-entropy', source: 'synthetic-b' } },
];

interface Answer {
  query: string;
  options: number;
  total: number;
  totalExact: boolean;
  hits: [string, number, number][];
  corrections: string[];
  terms: string[];
  concepts: string[];
}

function answers(index: SearchIndex): Answer[] {
  const out: Answer[] = [];
  for (const query of EQUIVALENCE_QUERIES) {
    OPTIONS.forEach((options, i) => {
      const r = index.search(query, options);
      out.push({
        query,
        options: i,
        total: r.total,
        totalExact: r.totalExact,
        // Scores are float32 sums: recorded exactly, so any change in a stored impact shows.
        hits: r.hits.map((h) => [h.paper.id, h.score, h.matchedWords]),
        corrections: r.corrections.map((c) => `${c.word}→${c.suggestions.join(',')}`),
        terms: r.terms,
        concepts: r.concepts,
      });
    });
  }
  return out;
}

function summary(index: SearchIndex): object {
  return { size: index.size, vocabulary: index.vocabulary.size, facets: index.facets };
}

describe('index build equivalence', () => {
  it('answers every query exactly as the recorded build did', () => {
    const index = buildSearchIndex(papers, searchConcepts);
    const actual = { summary: summary(index), answers: answers(index) };
    if (process.env.UPDATE_SEARCH_GOLDEN === '1') writeFileSync(goldenPath, `${JSON.stringify(actual)}\n`);
    // A missing record is a failure, not a fresh start: the test would otherwise pass on anything.
    assert.ok(existsSync(goldenPath), `${goldenPath} is missing; record it with UPDATE_SEARCH_GOLDEN=1 from a build known to be right`);
    const expected = JSON.parse(readFileSync(goldenPath, 'utf8')) as typeof actual;
    assert.deepEqual(actual.summary, expected.summary);
    assert.equal(actual.answers.length, expected.answers.length);
    for (let i = 0; i < expected.answers.length; i++) assert.deepEqual(actual.answers[i], expected.answers[i], `${expected.answers[i].query} (options ${expected.answers[i].options})`);
  });

  it('the async build, in tiny slices, answers the same', async () => {
    const sync = buildSearchIndex(papers, searchConcepts);
    const sliced = await buildSearchIndexAsync(papers, searchConcepts, { sliceMs: 0 });
    assert.deepEqual(answers(sliced), answers(sync));
    // Lookups by id and arXiv id (the async build prepares them in slices) find the same papers.
    for (const p of papers.slice(0, 200)) {
      assert.equal(sliced.get(p.id)?.id, sync.get(p.id)?.id);
      if (p.arxivId) assert.equal(sliced.get(p.arxivId)?.id, sync.get(p.arxivId)?.id);
    }
    assert.ok(papers.slice(0, 200).some((p) => p.arxivId), 'some papers have arXiv ids');
  });

  it('laid out and finished in steps, as the editor runs them between time slices, it answers the same', () => {
    const expected = answers(buildSearchIndex(papers, searchConcepts));
    const builder = new IndexBuilder(searchConcepts, papers.length, 700);
    let layoutSteps = 0;
    for (const p of papers) {
      builder.add(p);
      const pending = builder.takePending();
      if (pending) for (let step = pending.next(); !step.done; step = pending.next()) layoutSteps++;
    }
    const steps = builder.finishSteps();
    let finishSteps = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) finishSteps++;
    assert.deepEqual(answers(step.value), expected);
    // The work is really cut up: the host gets the event loop back inside the layout and the finish.
    assert.ok(layoutSteps > 1, `layout in ${layoutSteps} steps`);
    // (This corpus has more postings than one impact step takes, so the impact pass yields too.)
    assert.ok(finishSteps > 2, `finish in ${finishSteps} steps`);
  });

  it('a builder told the wrong corpus size, or none, or laying out its postings early, answers the same', () => {
    // The arena's regions are sized from a sample of the corpus and an expected size; whatever
    // those are (regions that fit, overflow and move, an arena that grows), the index is the same.
    const expected = answers(buildSearchIndex(papers, searchConcepts));
    const cases: [hint: number, sample: number | undefined][] = [
      [0, undefined], [10, undefined], [papers.length * 50, undefined],
      [papers.length, 1], [papers.length, 64], [papers.length, 700], [papers.length, 2999],
      [500, 100], [papers.length * 4, 300], [papers.length / 3, 50],
    ];
    for (const [hint, sample] of cases) {
      const builder = new IndexBuilder(searchConcepts, hint, sample);
      for (const p of papers) builder.add(p);
      assert.deepEqual(answers(builder.finish()), expected, `expected papers ${hint}, sample ${sample}`);
    }
  });
});
