import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildCorpusText } from '../../../scripts/buildCorpus';
import type { EnrichmentFile } from '../../../src/core/papers/seedCorpus';
import type { Paper } from '../../../src/core/papers/types';
import { parsePapersJson } from '../../../src/core/papers/validate';

const dataDir = path.join(__dirname, '../../../paper-data');
const committed = readFileSync(path.join(dataDir, 'papers.json'), 'utf8');
const papers = JSON.parse(committed) as Paper[];
const enrichment = JSON.parse(readFileSync(path.join(dataDir, 'enrichment.json'), 'utf8')) as EnrichmentFile;

describe('shipped corpus (paper-data/papers.json)', () => {
  it('is reproduced byte for byte from the sources and the enrichment file', () => {
    const { text, issues } = buildCorpusText(dataDir);
    assert.deepEqual(issues, []);
    assert.ok(text === committed, 'paper-data/papers.json is stale: run `npm run corpus`');
  });

  it('holds 41 valid papers with unique ids', () => {
    const { papers: valid, issues } = parsePapersJson(committed, 'papers.json');
    assert.deepEqual(issues, []);
    assert.equal(valid.length, 41);
    assert.equal(new Set(valid.map((p) => p.id)).size, 41);
  });

  it('applies every enrichment row', () => {
    for (const row of enrichment.papers) {
      const p = papers.find((x) => x.title === row.title);
      assert.ok(p, `no paper for enrichment row "${row.title}"`);
      assert.equal(p.arxivId, row.arxivId);
      assert.deepEqual(p.authors, row.authors);
      assert.equal(p.venue, row.venue);
      assert.equal(p.year, row.year);
      assert.equal(p.links.code, row.codeUrl ?? undefined);
      assert.deepEqual(p.concepts, row.concepts);
      assert.equal(p.provenance?.enrichment, row.source, 'each enriched paper names its source');
    }
  });

  it('uses arXiv ids as ids, and a title slug where the arXiv id is unverified', () => {
    const cce = papers.find((p) => p.id === '2411.09009')!;
    assert.equal(cce.title, 'Cut Your Losses in Large-Vocabulary Language Models');
    assert.deepEqual(cce.links, {
      arxiv: 'https://arxiv.org/abs/2411.09009',
      pdf: 'https://arxiv.org/pdf/2411.09009',
      huggingFace: 'https://huggingface.co/papers/2411.09009',
      code: 'https://github.com/apple/ml-cross-entropy',
    });
    const dr = papers.find((p) => p.title === 'Doubly Robust Instance-Reweighted Adversarial Training')!;
    assert.equal(dr.id, 'doubly-robust-instance-reweighted-adversarial-training');
    assert.equal(dr.arxivId, null);
    assert.equal(dr.links.arxiv, undefined);
  });

  it('keeps the page facts: dates, author counts, organisation, upvotes', () => {
    const harmonic = papers.find((p) => p.id === '2603.10225')!;
    assert.equal(harmonic.date, '2026-03-10');
    assert.equal(harmonic.authorCount, 7);
    const mw = papers.find((p) => p.id === '2510.00137')!;
    assert.equal(mw.organization, 'ServiceNow-AI');
    assert.equal(mw.upvotes, 2);
    assert.equal(mw.authors.length, 5);
    assert.equal(mw.authorCount, 5, 'author count falls back to the full author list');
  });

  it('tags the papers that propose a loss', () => {
    const proposes = papers.flatMap((p) => p.concepts.filter((c) => c.relation === 'proposes').map((c) => c.id));
    for (const id of ['cut-cross-entropy', 'harmonic', 'gem', 'decoupled-softmax', 'orthogonal-projection', 'multi-similarity']) {
      assert.ok(proposes.includes(id), `no paper proposes ${id}`);
    }
  });
});
