// Search quality over the shipped data (papers.json and the concept registry's source files):
// every paper findable by a natural query, by the same query misspelled, and under its concept.
// Failures name the query and the rank it fell to.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../src/core/concepts/load';
import { buildSearchIndex } from '../../../src/core/search/searchIndex';
import { shippedPapers } from './fixtures/papers';
import { QUALITY_SET } from './quality/queries';

const papers = shippedPapers();
const { concepts } = loadConceptDir(path.resolve(__dirname, '..', '..', '..', 'paper-data', 'concepts'));
const index = buildSearchIndex(papers, concepts);

function rankOf(query: string, id: string): number {
  return index.search(query, { limit: papers.length }).hits.findIndex((h) => h.paper.id === id);
}

describe('search quality over the shipped corpus', () => {
  it('covers every shipped paper exactly once', () => {
    assert.deepEqual(QUALITY_SET.map((c) => c.id).sort(), papers.map((p) => p.id).sort());
  });

  it('finds every paper first by a natural query', () => {
    const misses = QUALITY_SET.map((c) => ({ c, rank: rankOf(c.natural, c.id) })).filter((r) => r.rank !== 0);
    assert.deepEqual(misses.map((m) => `${m.c.id} "${m.c.natural}" at ${m.rank}`), []);
  });

  it('finds every paper in the top 3 by a misspelled query (first for all but a few)', () => {
    const ranks = QUALITY_SET.map((c) => ({ c, rank: rankOf(c.misspelled, c.id) }));
    assert.deepEqual(ranks.filter((r) => r.rank < 0 || r.rank > 2).map((r) => `${r.c.id} "${r.c.misspelled}" at ${r.rank}`), []);
    const first = ranks.filter((r) => r.rank === 0).length;
    assert.ok(first >= QUALITY_SET.length - 3, `only ${first}/${QUALITY_SET.length} first`);
  });

  it('finds every paper under its concept, first when the paper proposes it', () => {
    for (const c of QUALITY_SET) {
      const paper = papers.find((p) => p.id === c.id)!;
      if (c.concept === null) {
        assert.deepEqual(paper.concepts, [], `${c.id} has concept tags now: give it a concept query`);
        continue;
      }
      const tagged = papers.filter((p) => p.concepts.some((t) => t.id === c.concept)).length;
      const rank = rankOf(`concept:${c.concept}`, c.id);
      assert.ok(rank >= 0 && rank < Math.max(5, tagged), `${c.id} at ${rank} for concept:${c.concept}`);
      if (paper.concepts.some((t) => t.id === c.concept && t.relation === 'proposes')) assert.equal(rank, 0, `${c.id} proposes ${c.concept}`);
    }
  });

  it('finds the papers that propose a loss by the loss\'s name typed as words', () => {
    const cases: [string, string][] = [
      ['harmonic loss', '2603.10225'], ['multi-similarity loss', '1904.06627'], ['orthogonal projection loss', '2103.14021'],
      ['z-loss', '1604.08859'], ['dice loss', '1911.02855'], ['cut cross-entropy', '2411.09009'], ['anyloss', '2405.14745'],
      ['ensloss', '2409.00908'], ['focal loss', '2512.20520'],
    ];
    for (const [q, id] of cases) assert.equal(rankOf(q, id), 0, q);
  });

  it('finds the papers behind a library identifier', () => {
    const tagged = (id: string): Set<string> => new Set(papers.filter((p) => p.concepts.some((c) => c.id === id)).map((p) => p.id));
    const found = (q: string): Set<string> => new Set(index.search(q, { limit: papers.length }).hits.map((h) => h.paper.id));
    assert.ok(concepts.length > 0, 'the registry loaded');
    assert.deepEqual(found('CrossEntropyLoss'), tagged('cross-entropy'));
    assert.deepEqual(found('nn.KLDivLoss'), tagged('kl-divergence'));
    assert.deepEqual(found('BCEWithLogitsLoss'), tagged('binary-cross-entropy'));
    assert.equal(rankOf('MultiSimilarityLoss', '1904.06627'), 0);
  });
});
