/**
 * The editor's saved search index: the first window builds and saves it, the next one on the same
 * corpus loads it without building, and a corrupt or stale file is rebuilt and replaced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSearchIndex } from '../../../src/core/search/searchIndex';
import { PersistedIndexStore, papersFingerprint } from '../../../src/services/persistedIndex';
import { equivalenceCorpus } from '../search/buildEquivalence/corpus';
import { searchConcepts } from '../search/fixtures/concepts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const papers = equivalenceCorpus(400);
const messages: string[] = [];
const log = { info: (m: string) => messages.push(`info ${m}`), warn: (m: string) => messages.push(`warn ${m}`) };

async function open(store: PersistedIndexStore, list = papers, fp = 'corpus-a'): Promise<{ builds: number; ids: string[] }> {
  let builds = 0;
  const index = await store.loadOrBuild(list, async () => fp, async () => {
    builds++;
    return buildSearchIndex(list, searchConcepts);
  });
  await store.saving;
  return { builds, ids: index.search('focal loss calibration', { limit: 10 }).hits.map((h) => h.paper.id) };
}

const indexFiles = () => readdirSync(dir).filter((n) => n.endsWith('.plix'));

describe('persisted search index in global storage', () => {
  it('builds and saves on the first window, loads without building on the next', async () => {
    const first = await open(new PersistedIndexStore(dir, log));
    assert.equal(first.builds, 1);
    assert.equal(indexFiles().length, 1);
    const second = await open(new PersistedIndexStore(dir, log));
    assert.equal(second.builds, 0);
    assert.deepEqual(second.ids, first.ids);
    assert.ok(messages.some((m) => m.startsWith('info Loaded the saved search index')));
  });

  it('rebuilds (and logs why) when the saved file is corrupt, then saves a sound one', async () => {
    const file = path.join(dir, indexFiles()[0]);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    const again = await open(new PersistedIndexStore(dir, log));
    assert.equal(again.builds, 1);
    assert.ok(messages.some((m) => m.startsWith('warn') && m.includes('corrupt')));
    assert.equal((await open(new PersistedIndexStore(dir, log))).builds, 0);
  });

  it('rebuilds for a changed corpus and keeps a bounded number of files', async () => {
    for (const fp of ['corpus-b', 'corpus-c', 'corpus-d', 'corpus-e']) assert.equal((await open(new PersistedIndexStore(dir, log), papers, fp)).builds, 1);
    assert.ok(indexFiles().length <= 4);
    assert.equal((await open(new PersistedIndexStore(dir, log), papers, 'corpus-e')).builds, 0);
  });

  it('a fingerprint of the papers changes when one paper does', async () => {
    const edited = papers.map((p, i) => (i === 10 ? { ...p, abstract: `${p.abstract}.` } : p));
    assert.notEqual(await papersFingerprint(papers), await papersFingerprint(edited));
    assert.equal(await papersFingerprint(papers), await papersFingerprint([...papers]));
  });

  it('without a storage folder, always builds', async () => {
    assert.equal((await open(new PersistedIndexStore(undefined, log))).builds, 1);
  });
});
