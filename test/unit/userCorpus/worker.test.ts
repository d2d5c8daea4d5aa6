/**
 * The corpus worker sends papers in packed batches (repeated strings once per batch): what the host
 * receives must be exactly what loading the file in-process gives (papers in order, issues, source
 * texts), and a newer parse of the same file still cancels an older one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateBib } from '../../../bench/bibtex';
import { loadCorpusFile } from '../../../src/core/papers/userCorpus';
import { CorpusWorkerClient } from '../../../src/services/corpusWorkerClient';
import { testConcepts } from './helpers';
import { ConceptMatcher } from '../../../src/core/papers/conceptInference';

/** The worker from source: a bootstrap that registers tsx in the worker thread, then loads it. */
function sourceWorker(dir: string): string {
  const bootstrap = path.join(dir, 'worker.cjs');
  const source = path.join(__dirname, '../../../src/services/userCorpusWorker.ts');
  writeFileSync(bootstrap, `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(source)});\n`);
  return bootstrap;
}

describe('corpus worker', () => {
  let dir: string;
  let file: string;
  let client: CorpusWorkerClient;
  // The client unrefs its worker (an idle worker must not keep the editor's process alive): hold the test open.
  let keepAlive: NodeJS.Timeout;
  before(() => {
    keepAlive = setInterval(() => {}, 1000);
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-worker-'));
    file = path.join(dir, 'big.bib');
    // Some 1,200 entries (several batches), with a broken one in the middle.
    const text = generateBib(1_000_000);
    const mid = text.indexOf('@', text.length / 2);
    writeFileSync(file, `${text.slice(0, mid)}@article{broken,\n  title = {Never closed\n\n${text.slice(mid)}`);
    client = new CorpusWorkerClient(sourceWorker(dir), (m) => console.error(m));
    client.setConcepts(testConcepts);
  });
  after(() => {
    clearInterval(keepAlive);
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives what an in-process load gives', async () => {
    assert.ok(client.usesWorker);
    const ids = new Set(testConcepts.map((c) => c.id));
    const expected = await loadCorpusFile(file, { matcher: new ConceptMatcher(testConcepts), knownConcept: (id) => ids.has(id), keepSource: true }, 'big.bib');
    const outcome = await client.parse({ input: { kind: 'file', file }, label: 'big.bib', keepSource: true });
    assert.ok(!outcome.cancelled);
    assert.ok(expected.papers.length > 1000);
    assert.ok(expected.issues.some((i) => i.severity === 'error' && i.message.includes('broken')));
    assert.deepEqual(outcome.issues, expected.issues);
    assert.deepEqual([outcome.entries, outcome.failed], [expected.entries, expected.failed]);
    assert.equal(outcome.papers.length, expected.papers.length);
    for (let i = 0; i < expected.papers.length; i++) assert.deepEqual(outcome.papers[i], expected.papers[i]);
    assert.deepEqual(outcome.sourceTexts, expected.sourceTexts);
  });

  it('a second parse of the same file cancels the first; the second completes', async () => {
    const first = client.parse({ input: { kind: 'file', file }, label: 'big.bib' });
    const second = client.parse({ input: { kind: 'file', file }, label: 'big.bib' });
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.cancelled);
    assert.ok(!b.cancelled && b.papers.length > 1000);
  });
});
