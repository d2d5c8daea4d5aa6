// Every loss in the registry that is a classic or a modern one has the paper that introduced it in
// the shipped corpus (tagged `introduces-classic`), unless paper-data/classics-unverified.json says
// why not. The concept list is read from the registry's source files, so concepts added later are
// covered without touching this test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../src/core/concepts/load';
import { ConceptRegistry } from '../../../src/core/concepts/registry';
import { loadShippedCorpus } from '../../../src/core/dataFiles';

const dataDir = path.join(__dirname, '../../../paper-data');
const { concepts, issues: conceptIssues } = loadConceptDir(path.join(dataDir, 'concepts'));
const registry = new ConceptRegistry(concepts);
const { corpus } = loadShippedCorpus(dataDir);
const allowlist = JSON.parse(readFileSync(path.join(dataDir, 'classics-unverified.json'), 'utf8')) as { concepts: { id: string; reason: string }[] };
const unverified = new Map(allowlist.concepts.map((e) => [e.id, e.reason]));

/** Concepts whose origin must be in the corpus: the classic losses and the modern ones. */
const needsClassic = concepts.filter((c) => c.category === 'classic' || c.category === 'modern');

function introducedBy(conceptId: string) {
  return registry.papersFor(conceptId, corpus.papers).filter((l) => l.relation === 'introduces-classic');
}

describe('every classic and modern loss has its paper', () => {
  it('reads a sound registry', () => {
    assert.deepEqual(conceptIssues.filter((i) => i.severity === 'error'), []);
    assert.ok(needsClassic.length > 0);
  });

  it('has a paper tagged introduces-classic in the shipped corpus, or an entry in classics-unverified.json', () => {
    const missing = needsClassic.filter((c) => introducedBy(c.id).length === 0 && !unverified.has(c.id)).map((c) => c.id);
    assert.deepEqual(missing, [], `no classic paper for ${missing.join(', ')}: add paper-data/classics/<id>.json (and run \`npm run corpus\`), or list the concept with a reason in paper-data/classics-unverified.json`);
  });

  it('lists the classic paper first among the concept\'s papers (what the hover card shows first)', () => {
    for (const c of needsClassic) {
      const links = registry.papersFor(c.id, corpus.papers);
      if (introducedBy(c.id).length) assert.equal(links[0].relation, 'introduces-classic', c.id);
    }
  });

  it('agrees with the concept\'s origin where both name an arXiv id', () => {
    for (const c of needsClassic) {
      const arxivId = c.origin?.arxivId;
      const papers = introducedBy(c.id);
      if (!arxivId || papers.length === 0) continue;
      assert.ok(papers.some((l) => l.paper.arxivId === arxivId), `${c.id}: origin ${arxivId}, classic paper(s) ${papers.map((l) => l.paper.id).join(', ')}`);
    }
  });

  it('keeps the allowlist honest: known concepts only, each once with a reason, none that has since gained a paper', () => {
    const ids = allowlist.concepts.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'an id is listed twice');
    for (const { id, reason } of allowlist.concepts) {
      const concept = registry.get(id);
      assert.ok(concept, `${id} is not in the registry`);
      assert.ok(concept.category === 'classic' || concept.category === 'modern', `${id} is a ${concept.category} concept; only classic and modern ones need a classic paper`);
      assert.ok(reason.trim().length >= 20, `${id}: give a reason`);
      assert.deepEqual(introducedBy(id).map((l) => l.paper.id), [], `${id} now has its paper: remove it from classics-unverified.json`);
    }
  });

  it('tags only known concepts on shipped papers', () => {
    const unknown = corpus.papers.flatMap((p) => p.concepts.filter((t) => !registry.get(t.id)).map((t) => `${p.id}→${t.id}`));
    assert.deepEqual(unknown, []);
  });
});
