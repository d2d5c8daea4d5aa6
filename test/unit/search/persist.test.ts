/**
 * A saved search index must answer exactly as the one it was saved from, and a file that is
 * corrupt, truncated, of another format, or saved for other corpus files or other papers must never
 * be used (the caller rebuilds).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crcOfChunks, fingerprintFiles, isRejected, loadIndex, loadIndexSteps, PERSIST_FORMAT, runInSlices, saveIndex } from '../../../src/core/search/persist';
import { buildSearchIndex, IndexBuilder, type SearchIndex, type SearchOptions } from '../../../src/core/search/searchIndex';
import { EQUIVALENCE_QUERIES, equivalenceCorpus } from './buildEquivalence/corpus';
import { searchConcepts } from './fixtures/concepts';

const papers = equivalenceCorpus(1500);
const built = buildSearchIndex(papers, searchConcepts);
const fingerprint = fingerprintFiles([{ name: 'papers.json', bytes: JSON.stringify(papers) }], ['concepts v1']);
const saved = saveIndex(built, fingerprint);

const OPTIONS: readonly SearchOptions[] = [
  { limit: 20 },
  { limit: 7, offset: 5, sort: 'newest' },
  { limit: 10, filters: { hasCode: true, yearFrom: 2016 } },
  { limit: 10, filters: { concept: 'cross-entropy', source: 'synthetic-b' } },
];

function answers(index: SearchIndex): unknown[] {
  const out: unknown[] = [];
  for (const q of EQUIVALENCE_QUERIES) {
    for (const o of OPTIONS) {
      const r = index.search(q, o);
      out.push({ q, total: r.total, exact: r.totalExact, hits: r.hits.map((h) => [h.paper.id, h.score, h.matchedWords]), corrections: r.corrections, terms: r.terms, concepts: r.concepts });
    }
  }
  return out;
}

function loaded(bytes: Uint8Array, fp = fingerprint, list = papers): SearchIndex {
  const r = loadIndex(bytes, list, fp);
  if (isRejected(r)) throw new Error(`rejected: ${r.rejected}`);
  return r;
}

describe('persisted search index', () => {
  it('answers every query exactly as the index it was saved from (ids, scores, totals, corrections)', () => {
    const index = loaded(saved);
    assert.deepEqual(answers(index), answers(built));
    assert.deepEqual(index.facets, built.facets);
    assert.equal(index.get(papers[7].id)?.id, papers[7].id);
    assert.equal(index.vocabulary.size, built.vocabulary.size);
  });

  it('loads in slices on an event loop with the same answers', async () => {
    const index = await runInSlices(loadIndexSteps(saved, papers, fingerprint), 2);
    assert.ok(!isRejected(index));
    assert.deepEqual(answers(index as SearchIndex), answers(built));
  });

  it('loads from a buffer whose arrays are not aligned (copies instead of views)', () => {
    const shifted = new Uint8Array(saved.length + 1).subarray(1);
    shifted.set(saved);
    assert.deepEqual(answers(loaded(shifted)), answers(built));
  });

  it('saves the postings back to back, whatever room the build left between them', () => {
    // Laid out after 200 papers, the build leaves room in every list for the rest (and moves the
    // lists that outgrow it); the file holds the postings only, as for the exact layout.
    const early = new IndexBuilder(searchConcepts, papers.length, 200);
    for (const p of papers) early.add(p);
    const roomy = early.finish();
    assert.ok(roomy.postingBytes > built.postingBytes, 'the early layout keeps room between lists');
    const bytes = saveIndex(roomy, fingerprint);
    assert.equal(bytes.length, saved.length);
    assert.deepEqual(answers(loaded(bytes)), answers(built));
  });

  it('rejects a file with a flipped byte in the postings', () => {
    const bad = saved.slice();
    bad[bad.length - 100] ^= 0x40;
    const r = loadIndex(bad, papers, fingerprint);
    assert.ok(isRejected(r));
    assert.match(r.rejected, /corrupt/);
  });

  it('rejects a file with a flipped byte in the header, and a truncated file', () => {
    const bad = saved.slice();
    bad[40] ^= 0x01;
    assert.match((loadIndex(bad, papers, fingerprint) as { rejected: string }).rejected, /header/);
    const cut = saved.subarray(0, saved.length - 8);
    assert.ok(isRejected(loadIndex(cut, papers, fingerprint)));
    assert.ok(isRejected(loadIndex(saved.subarray(0, 10), papers, fingerprint)));
  });

  it('rejects a file of another format version', () => {
    const other = saved.slice();
    new DataView(other.buffer).setUint32(4, PERSIST_FORMAT + 1, true);
    assert.match((loadIndex(other, papers, fingerprint) as { rejected: string }).rejected, /format/);
  });

  it('rejects a file saved for other corpus files (one paper edited)', () => {
    const edited = papers.map((p, i) => (i === 3 ? { ...p, title: `${p.title} revised` } : p));
    const fp = fingerprintFiles([{ name: 'papers.json', bytes: JSON.stringify(edited) }], ['concepts v1']);
    assert.notEqual(fp, fingerprint);
    assert.match((loadIndex(saved, edited, fp) as { rejected: string }).rejected, /changed/);
    const otherConcepts = fingerprintFiles([{ name: 'papers.json', bytes: JSON.stringify(papers) }], ['concepts v2']);
    assert.ok(isRejected(loadIndex(saved, papers, otherConcepts)));
  });

  it('rejects a file whose papers are not the corpus given (another order, another count)', () => {
    const swapped = [...papers];
    [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
    assert.match((loadIndex(saved, swapped, fingerprint) as { rejected: string }).rejected, /order/);
    assert.match((loadIndex(saved, papers.slice(1), fingerprint) as { rejected: string }).rejected, /papers/);
  });

  it('rejects bytes that are not an index', () => {
    assert.match((loadIndex(new TextEncoder().encode('{"not": "an index file at all"}'), papers, fingerprint) as { rejected: string }).rejected, /not a PaperLens index/);
  });

  it('round-trips an empty corpus', () => {
    const empty = buildSearchIndex([], searchConcepts);
    const r = loadIndex(saveIndex(empty, 'x'), [], 'x');
    assert.ok(!isRejected(r));
    assert.equal((r as SearchIndex).search('loss').total, 0);
  });

  it('a corpus file checksummed as a stream of chunks has the fingerprint of its whole bytes', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(papers));
    async function* chunks() { for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536); }
    const streamed = fingerprintFiles([{ name: 'papers.json', sum: await crcOfChunks(chunks()) }], ['concepts v1']);
    assert.equal(streamed, fingerprint);
    assert.notEqual(fingerprintFiles([{ name: 'papers.json', sum: await crcOfChunks(chunks()) }], ['concepts v2']), fingerprint);
  });
});

describe('persisted index and protected words', () => {
  it('a loaded index keeps real words as typed when given the protected words, as the built one does', async () => {
    const { ProtectedWords } = await import('../../../src/core/search/protectedWords');
    const english = new Set(['gamma', 'reward']);
    const papers = equivalenceCorpus(300);
    const builtWithWords = buildSearchIndex(papers, searchConcepts, { englishWords: english });
    const bytes = saveIndex(builtWithWords, 'fp');
    const withWords = loadIndex(bytes, papers, 'fp', new ProtectedWords(searchConcepts, english));
    const without = loadIndex(bytes, papers, 'fp');
    assert.ok(!isRejected(withWords) && !isRejected(without));
    const query = 'focal loss alpha gamma reward';
    const words = (r: ReturnType<SearchIndex['search']>): string[] => r.corrections.map((c) => c.word);
    assert.deepEqual(words((withWords as SearchIndex).search(query)), words(builtWithWords.search(query)));
    assert.ok(!words((withWords as SearchIndex).search(query)).includes('gamma'), 'gamma is an English word: never corrected');
  });
});
