import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Corpus } from '../../../src/core/papers/corpus';
import { mergePapers, paperKeys } from '../../../src/core/papers/merge';
import { TimeSlicer } from '../../../src/core/papers/slicer';
import { loadCorpusFile } from '../../../src/core/papers/userCorpus';
import type { Paper } from '../../../src/core/papers/types';
import { conceptOptions, fixture, root } from './helpers';

const shipped = JSON.parse(readFileSync(path.join(root, 'paper-data/papers.json'), 'utf8')) as Paper[];

async function load(rel: string) {
  const file = rel;
  const r = await loadCorpusFile(fixture(...rel.split('/')), { ...conceptOptions, pageYear: 2025 }, file);
  return { file, papers: r.papers };
}

describe('merging the shipped corpus with users’ sources', async () => {
  // Settings order: the JSON file first, then the .bib, then the page dump.
  const sources = [await load('json/team.paperlens.json'), await load('merge/duplicates.bib'), await load('pageDump/saved-page.txt')];
  const merged = await mergePapers(shipped, sources);
  const find = (pred: (p: Paper) => boolean) => {
    const hits = merged.filter(pred);
    assert.equal(hits.length, 1, `expected one paper, found ${hits.length}`);
    return hits[0];
  };

  it('collapses the same paper by normalised title across a JSON file and a .bib (no shared id)', () => {
    const focal = find((p) => p.title === 'Focal Loss for Dense Object Detection');
    assert.deepEqual(focal.sources, ['json/team.paperlens.json', 'merge/duplicates.bib']);
    // The first source's fields win; the second fills what the first lacks.
    assert.equal(focal.venue, 'ICCV 2017 (our reading group\'s notes)');
    assert.equal(focal.authors[0], 'Tsung-Yi Lin');
    assert.equal(focal.abstract, 'Our own copy of the abstract.');
    assert.equal(focal.id, '1708.02002');
    assert.equal(focal.citationKey, 'lin2017focalbib');
    // A stated tag beats an inferred one for the same concept.
    assert.deepEqual(focal.concepts, [{ id: 'focal', relation: 'proposes' }]);
  });

  it('collapses by arXiv id even when titles differ (arXiv DOI in the .bib)', () => {
    const poly = find((p) => p.arxivId === '2204.12511');
    assert.deepEqual(poly.sources, ['json/team.paperlens.json', 'merge/duplicates.bib']);
    assert.equal(poly.title, 'Poly Loss: A Polynomial Expansion Perspective of Classification Loss Functions');
    assert.equal(poly.venue, 'ICLR');
  });

  it('collapses by normalised title across a .bib and a page dump (case, hyphens)', () => {
    const dice = find((p) => /^dice loss variants/i.test(p.title));
    assert.deepEqual(dice.sources, ['merge/duplicates.bib', 'pageDump/saved-page.txt']);
    assert.equal(dice.title, 'Dice loss variants for highly-unbalanced segmentation', 'the .bib comes first in settings order');
    assert.equal(dice.abstract, 'We revisit the Dice loss and show when it beats cross-entropy on small structures.', 'the dump fills the missing abstract');
  });

  it('merges into a shipped paper: its id stays, user fields win, shipped fields fill gaps', () => {
    const original = shipped.find((p) => p.id === '2411.09009')!;
    const cut = find((p) => p.id === '2411.09009');
    assert.deepEqual(cut.sources, ['merge/duplicates.bib', ...original.sources]);
    assert.equal(cut.venue, 'The Thirteenth International Conference on Learning Representations (ICLR)');
    assert.equal(cut.abstract, original.abstract);
    assert.equal(cut.links.code, original.links.code);
    assert.ok(cut.concepts.some((c) => c.id === 'cut-cross-entropy' && !c.inferred), 'the shipped stated tag is kept');
    assert.equal(merged.indexOf(cut), shipped.findIndex((p) => p.id === '2411.09009'), 'shipped papers keep their place');
  });

  it('keeps every other paper once, with unique ids, shipped first', () => {
    assert.equal(new Set(merged.map((p) => p.id)).size, merged.length);
    assert.deepEqual(merged.slice(0, shipped.length).map((p) => p.id), shipped.map((p) => p.id));
    const userOnly = merged.slice(shipped.length).map((p) => p.title);
    assert.deepEqual(userOnly, [
      'Focal Loss for Dense Object Detection',
      'Poly Loss: A Polynomial Expansion Perspective of Classification Loss Functions',
      'Our Internal Tech Report on Calibrated Losses',
      'Dice loss variants for highly-unbalanced segmentation',
      'A Polynomial Expansion Perspective of Classification Losses',
    ]);
  });

  it('cites a merged paper with the user’s own key; generated keys never take a user key', () => {
    const corpus = new Corpus(merged);
    assert.equal(corpus.citationKey(corpus.get('2411.09009')!), 'wijmans2025cut');
    assert.equal(corpus.get('wijmans2025cut')?.id, '2411.09009');
    const keys = merged.map((p) => corpus.citationKey(p));
    assert.equal(new Set(keys).size, keys.length);
    assert.match(corpus.bibtex(corpus.get('2411.09009')!), /^@inproceedings\{wijmans2025cut,/);
  });

  it('gives the same result when it yields', async () => {
    const slicer = new TimeSlicer(0);
    assert.deepEqual(await mergePapers(shipped, sources, slicer), merged);
  });
});

describe('paper identity keys', () => {
  const base: Paper = { id: 'x', title: 'Short', abstract: '', authors: [], authorCount: null, date: null, year: null, venue: null, arxivId: null, links: {}, concepts: [], sources: [] };
  it('ignores titles too short to identify a paper, and versions of arXiv ids', () => {
    assert.deepEqual(paperKeys(base), []);
    assert.deepEqual(paperKeys({ ...base, arxivId: '1708.02002v3', doi: '10.1/ABC' }), ['arxiv:1708.02002', 'doi:10.1/abc']);
  });

  it('gives distinct ids to different papers whose title slugs collide', async () => {
    const a = { ...base, id: 'same', title: 'Alpha paper about losses' };
    const b = { ...base, id: 'same', title: 'Beta paper about losses' };
    const merged = await mergePapers([], [{ file: 'f', papers: [a, b] }]);
    assert.deepEqual(merged.map((p) => p.id), ['same', 'same-2']);
  });
});
