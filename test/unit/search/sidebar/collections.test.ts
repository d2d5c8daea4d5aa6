// The classics collection in the sidebar: the "Classic" badge on rows and details, the Source filter
// that doubles as the collection filter (src/services/papersData.ts, src/webview/collections.ts), and
// the classics indexed and filterable like every other paper.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../../src/core/concepts/load';
import { loadShippedCorpus } from '../../../../src/core/dataFiles';
import { buildSearchIndex } from '../../../../src/core/search/searchIndex';
import { facets, paperDetail, paperSummary, sourceLabel } from '../../../../src/services/papersData';
import { collectionBadge, sourceGroups } from '../../../../src/webview/collections';
import type { Collection } from '../../../../src/protocol';
import { paper } from '../fixtures/papers';

const dataDir = path.resolve(__dirname, '..', '..', '..', '..', 'paper-data');
const { concepts } = loadConceptDir(path.join(dataDir, 'concepts'));
const { corpus } = loadShippedCorpus(dataDir);
const index = buildSearchIndex(corpus.papers, concepts);
const name = (id: string) => concepts.find((c) => c.id === id)?.name ?? id;

describe('collection on result rows and details', () => {
  it('carries the collection of each paper: classics, seed, and the user\'s own (no collection field)', () => {
    assert.equal(paperSummary(corpus.get('1708.02002')!, name).collection, 'classics');
    assert.equal(paperSummary(corpus.get('2512.20520')!, name).collection, 'seed');
    assert.equal(paperSummary(paper({ id: 'mine', sources: ['/home/me/refs.bib'] }), name).collection, 'user');
    const detail = paperDetail(corpus.get('1503.03832')!, { citationKey: 'schroff2015facenet', concept: (id) => concepts.find((c) => c.id === id), hasSnippet: () => false });
    assert.equal(detail.collection, 'classics');
    assert.deepEqual(detail.concepts.map((c) => [c.id, c.relation]), [['triplet-margin', 'introduces-classic'], ['triplet-margin-with-distance', 'introduces-classic']]);
    assert.ok(detail.concepts[0].formula, 'the detail renders the concept\'s formula');
  });

  it('badges classics only, with fixed text and class (never taken from the message)', () => {
    assert.deepEqual(collectionBadge('classics', 'row'), { text: 'Classic', className: 'badge collection classics', title: 'Classics collection: the paper that introduced a loss in the registry' });
    assert.equal(collectionBadge('classics', 'detail')?.text, 'Classic paper');
    assert.equal(collectionBadge('seed', 'row'), null);
    assert.equal(collectionBadge('user', 'detail'), null);
    assert.equal(collectionBadge('"><img src=x>' as Collection, 'row'), null);
    assert.equal(collectionBadge(undefined, 'row'), null);
  });
});

describe('the Source filter as the collection filter', () => {
  it('labels the shipped collections by name and lists them first, then the user\'s files', () => {
    assert.equal(sourceLabel('shipped:classics'), 'Classic papers');
    assert.equal(sourceLabel('shipped:hf-daily-papers-loss-functions.txt'), 'Seed papers');
    const mine = Array.from({ length: 80 }, (_, i) => paper({ id: `mine-${i}`, title: `My paper ${i}`, sources: ['/home/me/refs.bib'] }));
    const f = facets(buildSearchIndex([...corpus.papers, ...mine], concepts).facets);
    assert.deepEqual(f.sources.map((s) => [s.label, s.collection]), [['Classic papers', 'classics'], ['Seed papers', 'seed'], ['refs.bib', 'user']]);
    assert.equal(f.sources[0].count, corpus.papers.filter((p) => p.collection === 'classics').length);
  });

  it('groups the options: Collections, then Your files (a group without options is left out)', () => {
    const f = facets(index.facets);
    assert.deepEqual(sourceGroups(f.sources).map((g) => [g.label, g.options.map((o) => o.text)]), [
      ['Collections', [`Classic papers (${f.sources[0].count})`, `Seed papers (${f.sources[1].count})`]],
    ]);
    const withFile = sourceGroups([...f.sources, { source: '/home/me/refs.bib', label: 'refs.bib', count: 3, collection: 'user' }]);
    assert.deepEqual(withFile.map((g) => g.label), ['Collections', 'Your files']);
    assert.deepEqual(withFile[1].options, [{ value: '/home/me/refs.bib', text: 'refs.bib (3)', title: '/home/me/refs.bib' }]);
  });

  it('filters a search to the classics, or to the seed papers, through the source the option carries', () => {
    const classics = index.search('', { limit: 1000, filters: { source: 'shipped:classics' } });
    assert.equal(classics.total, corpus.papers.filter((p) => p.collection === 'classics').length);
    assert.ok(classics.hits.every((h) => corpus.get(h.paper.id)?.collection === 'classics'));
    const focalSeed = index.search('focal', { limit: 50, filters: { source: 'shipped:hf-daily-papers-loss-functions.txt' } });
    assert.ok(focalSeed.hits.length > 0);
    assert.ok(!focalSeed.hits.some((h) => h.paper.id === '1708.02002'));
    const typed = index.search('source:classics focal', { limit: 50 });
    assert.ok(typed.hits.length > 0 && typed.hits.every((h) => h.paper.collection === 'classics'), 'the source: query syntax reaches the collection too');
    assert.ok(typed.hits.some((h) => h.paper.id === '1708.02002'));
  });

  it('indexes the classics like any paper: the focal loss paper is found for "focal loss"', () => {
    const ids = index.search('focal loss', { limit: 10 }).hits.map((h) => h.paper.id);
    assert.ok(ids.includes('1708.02002'), ids.join(', '));
    assert.equal(index.search('"Rethinking the Inception Architecture"', { limit: 5 }).hits[0]?.paper.id, '1512.00567');
  });
});
