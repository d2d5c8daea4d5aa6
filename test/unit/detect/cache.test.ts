import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentScanCache } from '../../../src/core/detect/cache';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { fixtureConcepts } from './fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);
const source = 'import torch.nn.functional as F\nF.cross_entropy(a, b)\n';

test('a version is scanned once; the text callback only runs on a miss', () => {
  const cache = new DocumentScanCache(index);
  let reads = 0;
  const text = () => { reads++; return source; };
  const first = cache.get('file:///a.py', 1, text);
  const again = cache.get('file:///a.py', 1, text);
  assert.equal(first, again);
  assert.equal(reads, 1);
  assert.equal(cache.misses, 1);
  assert.equal(cache.peek('file:///a.py', 1), first);
  assert.equal(cache.peek('file:///a.py', 2), undefined);
});

test('a new version replaces the old entry', () => {
  const cache = new DocumentScanCache(index);
  cache.get('u', 1, source);
  const v2 = cache.get('u', 2, source.replace('cross_entropy', 'mse_loss'));
  assert.equal(cache.size, 1);
  assert.equal(v2.usages[0].identifier, 'mse_loss');
});

test('least recently used documents are evicted', () => {
  const cache = new DocumentScanCache(index, 2);
  cache.get('a', 1, source);
  cache.get('b', 1, source);
  cache.get('a', 1, source); // a is now the most recent
  cache.get('c', 1, source);
  assert.ok(cache.peek('a', 1));
  assert.equal(cache.peek('b', 1), undefined);
  assert.ok(cache.peek('c', 1));
  cache.delete('a');
  assert.equal(cache.size, 1);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('notebooks are cached by uri and version key; setIndex drops everything', () => {
  const cache = new DocumentScanCache(index);
  const cells = ['import torch.nn.functional as F', 'F.kl_div(a, b)'];
  const nb = cache.getNotebook('nb', 'v1', cells);
  assert.equal(cache.getNotebook('nb', 'v1', () => { throw new Error('must not rescan'); }), nb);
  assert.equal(nb.cells[1].usages[0].conceptId, 'kl-divergence');
  assert.equal(cache.peek('nb', 'v1'), undefined, 'a notebook entry is not a source scan');
  cache.setIndex(buildLossIndex([]));
  assert.equal(cache.size, 0);
  assert.equal(cache.get('x', 1, source).usages.length, 0);
});
