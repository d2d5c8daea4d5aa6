// The goals of issue 19 on the judged query set (bench/judged.ts), over the shipped corpus and the
// classics collection: MRR ≥ 0.9 and no-answer accuracy ≥ 0.95, better than fuse.js and MiniSearch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JUDGED_QUERIES } from '../../../bench/judged';
import { runRelevance } from '../../../bench/relevance';

describe('relevance on the judged query set', () => {
  const rows = runRelevance();
  const ours = rows.find((r) => r.engine === 'paperlens')!;

  it('has at least 120 queries of every kind, no-answer ones included', () => {
    assert.ok(JUDGED_QUERIES.length >= 120);
    for (const kind of ['title', 'paraphrase', 'author', 'identifier', 'parameter', 'typo', 'concept', 'none']) {
      assert.ok(JUDGED_QUERIES.filter((q) => q.kind === kind).length >= 5, kind);
    }
  });

  it('reaches MRR ≥ 0.9 and no-answer accuracy ≥ 0.95', () => {
    assert.ok(ours.mrr >= 0.9, `MRR ${ours.mrr.toFixed(3)}: ${ours.misses.join('; ')}`);
    assert.ok(ours.noAnswerAccuracy >= 0.95, `no-answer accuracy ${ours.noAnswerAccuracy.toFixed(3)}: ${ours.misses.join('; ')}`);
  });

  it('does better than fuse.js and MiniSearch on the same queries', () => {
    for (const other of rows.filter((r) => r.engine !== 'paperlens')) {
      assert.ok(ours.mrr >= other.mrr, `${other.engine} MRR ${other.mrr}`);
      assert.ok(ours.recallAt5 >= other.recallAt5, `${other.engine} recall@5 ${other.recallAt5}`);
      assert.ok(ours.noAnswerAccuracy > other.noAnswerAccuracy, `${other.engine} no-answer ${other.noAnswerAccuracy}`);
    }
  });
});
