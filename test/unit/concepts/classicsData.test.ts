/**
 * The classics collection (`paper-data/classics/*.json`) against the shipped concept registry:
 * each file is one valid Paper named after its id, tags only concepts that exist, and every concept
 * whose `origin` names an arXiv id found in the collection is tagged `introduces-classic` by that
 * paper. Invariants rather than a list, so the collection can grow without touching this test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { parsePapersJson } from '../../../src/core/papers/validate';
import type { Paper } from '../../../src/core/papers/types';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(root, 'paper-data', 'classics');
const generated = path.join(root, 'paper-data', 'generated', 'concepts.json');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
const concepts = existsSync(generated) ? loadConcepts(generated).concepts : [];

describe('the classics collection', { skip: files.length === 0 ? 'no classics files yet' : false }, () => {
  const papers: Paper[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const { papers: parsed, issues } = parsePapersJson(`[${readFileSync(path.join(dir, f), 'utf8')}]`, f);
    problems.push(...issues.map((i) => `${f}: ${i.message}`));
    papers.push(...parsed);
    for (const p of parsed) if (`${p.id}.json` !== f) problems.push(`${f}: id "${p.id}" does not match the file name`);
  }

  test('every file is one valid paper named after its id', () => {
    assert.deepEqual(problems, []);
    assert.equal(papers.length, files.length);
  });

  test('abstracts are present, or their absence is explained in provenance.abstract', () => {
    const unexplained = papers.filter((p) => p.abstract.trim() === '' && !p.provenance?.abstract).map((p) => p.id);
    assert.deepEqual(unexplained, []);
  });

  test('papers tag only concepts of the registry, and come from the classics collection', () => {
    const known = new Set(concepts.map((c) => c.id));
    const unknown = papers.flatMap((p) => p.concepts.filter((c) => !known.has(c.id)).map((c) => `${p.id} → ${c.id}`));
    assert.deepEqual(unknown, []);
    assert.deepEqual(papers.filter((p) => !p.sources.includes('shipped:classics')).map((p) => p.id), []);
  });

  test('a concept whose origin is in the collection is introduced by that paper', () => {
    const byArxiv = new Map(papers.filter((p) => p.arxivId).map((p) => [p.arxivId!, p]));
    const missing: string[] = [];
    for (const c of concepts) {
      const paper = c.origin?.arxivId ? byArxiv.get(c.origin.arxivId) : undefined;
      if (paper && !paper.concepts.some((t) => t.id === c.id && t.relation === 'introduces-classic')) missing.push(`${c.id} (${paper.id})`);
    }
    assert.deepEqual(missing, []);
  });
});
