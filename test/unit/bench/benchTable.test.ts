/**
 * The README's goals table comes from the bench's JSON: every goal a row with its figure, its
 * baseline, the ratio and whether it is met, written only between the markers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goalTable, replaceBetweenMarkers, type BenchGoal } from '../../../scripts/benchTable';
import { goal, interleave, median, mulberry32, percentile } from '../../../bench/lib';

const goals: BenchGoal[] = [
  goal('search.p95.vs-minisearch@10000', 2, 40, 0.2, '<=') as BenchGoal,
  goal('search.recall5.vs-fuse@100000', 0.95, 1, 1, '>=') as BenchGoal,
  goal('scan.tree.vs-ruff', 900, null, 2, '<=', 'ruff is not installed') as BenchGoal,
];

describe('bench goals table', () => {
  it('computes ratio and met from value and baseline, in the direction of the goal', () => {
    assert.equal(goals[0].ratio, 0.05);
    assert.equal(goals[0].met, true);
    assert.equal(goals[1].met, false);
    assert.equal(goals[2].ratio, null);
    assert.equal(goals[2].met, null);
  });

  it('writes one row per goal, with units, and the notes under the table', () => {
    const table = goalTable(goals, { cpus: 2, node: 'v20', loadAverage: 9 });
    assert.match(table, /\| `search\.p95\.vs-minisearch@10000` \| 2\.0 ms \| MiniSearch p95 40\.0 ms \| 0\.0500 \| <= 0\.2 \| yes \|/);
    assert.match(table, /\| `search\.recall5\.vs-fuse@100000` \| 95\.0% \| fuse\.js recall@5 100\.0% \| 0\.950 \| >= 1 \| \*\*no\*\* \|/);
    assert.match(table, /\| `scan\.tree\.vs-ruff` \| 900 ms \| ruff check n\/a \| n\/a \| <= 2 \| not measured \|/);
    assert.match(table, /- `scan\.tree\.vs-ruff`: ruff is not installed/);
  });

  it('replaces only the text between the markers, and refuses a README without them', () => {
    const readme = 'intro\n<!-- bench-goals:start -->\nold table\n<!-- bench-goals:end -->\noutro\n';
    assert.equal(replaceBetweenMarkers(readme, 'NEW'), 'intro\n<!-- bench-goals:start -->\nNEW\n<!-- bench-goals:end -->\noutro\n');
    assert.throws(() => replaceBetweenMarkers('no markers', 'NEW'), /markers/);
  });
});

describe('bench helpers', () => {
  it('percentile is nearest-rank, median averages the middle pair', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(sorted, 95), 10);
    assert.equal(percentile(sorted, 50), 5);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('mulberry32 is deterministic per seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('interleave alternates A and B, flipping who goes first each round', async () => {
    const order: string[] = [];
    const r = await interleave(4, () => { order.push('A'); return 2; }, () => { order.push('B'); return 4; });
    assert.deepEqual(order, ['A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']);
    assert.equal(r.ratio, 0.5);
  });
});
