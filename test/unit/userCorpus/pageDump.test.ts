import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCorpusFile } from '../../../src/core/papers/userCorpus';
import { brief, conceptOptions, fixture } from './helpers';

describe('a saved Hugging Face Daily Papers page as a user source', () => {
  it('loads its entries as the user’s papers, with inferred concepts and the page year for short dates', async () => {
    const r = await loadCorpusFile(fixture('pageDump', 'saved-page.txt'), { ...conceptOptions, pageYear: 2025 }, 'saved-page.txt');
    assert.deepEqual(brief(r.issues), []);
    assert.deepEqual(r.papers.map((p) => [p.title, p.date, p.upvotes, p.authorCount]), [
      ['A Polynomial Expansion Perspective of Classification Losses', '2022-04-26', 12, 3],
      ['Dice Loss Variants for Highly Unbalanced Segmentation', '2025-03-03', 7, 4],
    ]);
    for (const p of r.papers) {
      assert.deepEqual(p.sources, ['saved-page.txt'], 'a user file, not a shipped one');
      assert.ok(p.concepts.length > 0 && p.concepts.every((c) => c.inferred === true && c.relation === 'studies'));
    }
    assert.equal(r.papers[1].concepts[0].id, 'dice', 'the title’s concept comes first');
  });

  it('without a page year, the file’s modification year dates the dates shown without one', async () => {
    const r = await loadCorpusFile(fixture('pageDump', 'saved-page.txt'), { pageYear: undefined }, 'saved-page.txt');
    assert.match(r.papers[1].date ?? '', /^\d{4}-03-03$/);
  });
});
