/**
 * Relevance on the judged query set (bench/judged.ts): PaperLens against fuse.js and MiniSearch
 * over the same corpus — the shipped one, seed papers and classics collection — and the same queries.
 *
 *   npx tsx bench/relevance.ts [--json] [--misses]
 *
 * - MRR: mean over answerable queries of 1 / rank of the first relevant paper (0 beyond 10);
 * - recall@5: share of answerable queries with a relevant paper in the top five;
 * - no-answer accuracy: share of ALL queries whose no-answer verdict is right — PaperLens says "no
 *   paper is about …" exactly for the queries judged to have none (no strong match); fuse.js and
 *   MiniSearch have no such notion, so theirs is "returned nothing".
 * Prints numbers; asserts nothing (the unit tests hold the goals).
 */
import path from 'node:path';
import type { Concept } from '../src/core/concepts/types';
import { loadShippedCorpus } from '../src/core/dataFiles';
import type { Paper } from '../src/core/papers/types';
import { buildSearchIndex, type SearchIndex } from '../src/core/search/searchIndex';
import { JUDGED_QUERIES, type JudgedQuery } from './judged';
import { benchEnglishWords, fuseEngine, loadBenchConcepts, miniSearchEngine, type Engine } from './search';

const root = path.resolve(__dirname, '..');

/** The corpus the extension ships: the seed papers and the classics collection (dataFiles.ts). */
export function judgedCorpus(): Paper[] {
  const { corpus } = loadShippedCorpus(path.join(root, 'paper-data'));
  return [...corpus.papers];
}

/** The papers that answer `q` in `papers`: its classic (first) and its expected ones. */
export function relevantFor(q: JudgedQuery, papers: readonly Paper[]): string[] {
  const of = new Set(typeof q.classicOf === 'string' ? [q.classicOf] : q.classicOf ?? []);
  const classics = papers.filter((p) => p.concepts.some((c) => of.has(c.id) && c.relation === 'introduces-classic')).map((p) => p.id);
  return [...new Set([...classics, ...q.expect])];
}

export interface RelevanceRow {
  engine: 'paperlens' | 'fuse' | 'minisearch';
  queries: number;
  answerable: number;
  mrr: number;
  recallAt5: number;
  noAnswerAccuracy: number;
  /** Per kind of query: MRR (answerable kinds) or no-answer accuracy (`none`). */
  byKind: Record<string, number>;
  misses: string[];
}

interface Answer { ids: string[]; noAnswer: boolean }

function evaluate(name: RelevanceRow['engine'], answer: (q: string) => Answer, papers: readonly Paper[]): RelevanceRow {
  let rr = 0;
  let at5 = 0;
  let answerable = 0;
  let verdicts = 0;
  const kinds = new Map<string, { sum: number; n: number }>();
  const misses: string[] = [];
  for (const q of JUDGED_QUERIES) {
    const relevant = new Set(relevantFor(q, papers));
    const a = answer(q.query);
    const none = relevant.size === 0;
    if (a.noAnswer === none) verdicts++;
    else misses.push(`${none ? 'should say no answer' : 'says no answer'}: "${q.query}"`);
    const kind = kinds.get(none ? 'none' : q.kind) ?? { sum: 0, n: 0 };
    kinds.set(none ? 'none' : q.kind, kind);
    kind.n++;
    if (none) {
      kind.sum += a.noAnswer ? 1 : 0;
      continue;
    }
    answerable++;
    const rank = a.ids.slice(0, 10).findIndex((id) => relevant.has(id));
    const r = rank < 0 ? 0 : 1 / (rank + 1);
    rr += r;
    kind.sum += r;
    if (rank >= 0 && rank < 5) at5++;
    if (rank !== 0) misses.push(`rank ${rank < 0 ? '>10' : rank + 1}: "${q.query}" → ${a.ids.slice(0, 3).join(', ')}`);
  }
  return {
    engine: name, queries: JUDGED_QUERIES.length, answerable,
    mrr: answerable ? rr / answerable : NaN,
    recallAt5: answerable ? at5 / answerable : NaN,
    noAnswerAccuracy: verdicts / JUDGED_QUERIES.length,
    byKind: Object.fromEntries([...kinds].map(([k, v]) => [k, v.sum / v.n])),
    misses,
  };
}

/** PaperLens as the extension runs it: registry concepts and the English word list. */
export function paperlensIndex(papers: readonly Paper[], concepts: readonly Concept[]): SearchIndex {
  return buildSearchIndex(papers, concepts, { englishWords: benchEnglishWords() });
}

export function runRelevance(): RelevanceRow[] {
  const papers = judgedCorpus();
  const concepts = loadBenchConcepts();
  const index = paperlensIndex(papers, concepts);
  const rows = [evaluate('paperlens', (q) => {
    const r = index.search(q, { limit: 10 });
    return { ids: r.hits.map((h) => h.paper.id), noAnswer: r.strongTotal === 0 };
  }, papers)];
  for (const engine of [fuseEngine(), miniSearchEngine()] as Engine[]) {
    engine.build(papers, concepts);
    rows.push(evaluate(engine.name, (q) => {
      const ids = engine.search(q, 10);
      return { ids, noAnswer: ids.length === 0 };
    }, papers));
    engine.dispose();
  }
  return rows;
}

const pct = (n: number): string => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : 'n/a');

export function formatRelevance(rows: readonly RelevanceRow[]): string {
  const lines = [`Relevance on the judged query set (${rows[0]?.queries ?? 0} queries, ${rows[0]?.answerable ?? 0} answerable)`, '', 'engine        MRR   recall@5  no-answer accuracy'];
  for (const r of rows) lines.push(`${r.engine.padEnd(10)} ${r.mrr.toFixed(3).padStart(6)} ${pct(r.recallAt5).padStart(10)} ${pct(r.noAnswerAccuracy).padStart(19)}`);
  return lines.join('\n');
}

if (require.main === module) {
  const rows = runRelevance();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ relevance: rows }, null, 2));
  else {
    console.log(formatRelevance(rows));
    if (process.argv.includes('--misses')) for (const r of rows.slice(0, 1)) for (const m of r.misses) console.log(`  ${r.engine}: ${m}`);
    for (const r of rows.slice(0, 1)) console.log(`  by kind: ${Object.entries(r.byKind).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
  }
}
