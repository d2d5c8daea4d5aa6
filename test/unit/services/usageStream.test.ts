import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageHit } from '../../../src/protocol';
import { UsageStream } from '../../../src/services/usageStream';

const hit = (n: number): UsageHit => ({ ref: `u${n}`, path: `f${n}.py`, line: 1, column: 1, conceptId: 'focal', expression: 'focal_loss', preview: 'focal_loss(x)' });

describe('streaming find-usages hits to the sidebar', () => {
  it('sends at most one message per interval while the scan runs, and the rest when it ends', () => {
    let clock = 0;
    const sent: { refs: string[]; done: number; total: number }[] = [];
    const stream = new UsageStream((hits, done, total) => sent.push({ refs: hits.map((h) => h.ref), done, total }), 100, () => clock);
    stream.progress(1, 50);
    stream.add([hit(0)]);
    clock = 10;
    stream.progress(2, 50);
    stream.add([hit(1), hit(2)]);
    clock = 50;
    stream.progress(3, 50);
    assert.equal(sent.length, 1, 'a burst inside one interval is one message');
    clock = 120;
    stream.progress(4, 50);
    clock = 130;
    stream.add([hit(3)]);
    stream.progress(50, 50);
    stream.flush();
    assert.deepEqual(sent, [
      { refs: [], done: 1, total: 50 },
      { refs: ['u0', 'u1', 'u2'], done: 4, total: 50 },
      { refs: ['u3'], done: 50, total: 50 },
    ]);
    // Every hit went out exactly once, in order.
    assert.deepEqual(sent.flatMap((s) => s.refs), ['u0', 'u1', 'u2', 'u3']);
  });

  it('sends nothing on flush when nothing changed since the last message', () => {
    let clock = 0;
    const sent: number[] = [];
    const stream = new UsageStream((_h, done) => sent.push(done), 100, () => clock);
    stream.progress(5, 5);
    stream.flush();
    assert.deepEqual(sent, [5]);
  });
});
