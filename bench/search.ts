/**
 * Search benchmark: PaperLens's engine against fuse.js over whole records (the naive design) and
 * MiniSearch (a well-known inverted index), measured in the same process on the same corpora.
 *
 *   npx tsx bench/search.ts [--json] [--sizes 1000,10000,100000] [--fuse-budget-ms 30000]
 *                           [--engines paperlens,minisearch,fuse]
 *
 * Corpora are synthetic and deterministic (fixed seed): titles and ~180-word abstracts drawn from
 * the seed papers' own words (so word frequencies are real), authors, venues and concept tags drawn
 * from the seed corpus, and the 41 real papers mixed in. Per engine and size it reports index build
 * time, query latency p50/p95 over a fixed query set (typos, prefixes, phrases, field hints, an
 * identifier), the heap the index holds, and recall@5: how often the real paper is in the top five
 * for the quality set's natural and misspelled queries (test/unit/search/quality/queries.ts).
 *
 * fuse.js and MiniSearch do not understand PaperLens's hints (`year:2024`, `concept:focal`); they
 * get the query with hints removed. fuse.js is measured until its time budget per size runs out
 * (it takes seconds per query at 100,000 papers); the queries it ran are reported.
 * Prints numbers; asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { loadConceptDir } from '../src/core/concepts/load';
import type { Concept } from '../src/core/concepts/types';
import type { Paper } from '../src/core/papers/types';
import { parseEnglishWords } from '../src/core/search/englishWords';
import { parseQuery } from '../src/core/search/query';
import { buildSearchIndex, buildSearchIndexAsync } from '../src/core/search/searchIndex';
import { shippedPapers } from '../test/unit/search/fixtures/papers';
import { QUALITY_SET } from '../test/unit/search/quality/queries';
import { mulberry32, percentile } from './lib';

const root = path.resolve(__dirname, '..');

/** One engine at one corpus size, in the shape `npm run bench -- --json` reports. */
export interface SearchBenchRow {
  engine: 'paperlens' | 'fuse' | 'minisearch';
  papers: number;
  buildMs: number;
  /** CPU time of the build (this process, all threads): steadier than wall time on a busy machine. */
  buildCpuMs: number;
  p50Ms: number;
  p95Ms: number;
  heapMB: number;
  recallAt5: number;
  /** Latency samples and recall queries actually run (fuse.js stops at its budget). */
  queriesRun: number;
  recallQueries: number;
  /**
   * PaperLens only: the build as the extension runs it on its host (`buildSearchIndexAsync`, in
   * time slices), its wall time and the longest stretch it kept the event loop from running.
   */
  editorBuildMs?: number;
  editorMaxBlockMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic corpus

/** `size` papers: synthetic ones drawn from the seed papers' words, with the real papers spread through. */
export function syntheticCorpus(size: number, seed = 20260615): Paper[] {
  const real = shippedPapers();
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
  const titleWords = real.flatMap((p) => words(p.title));
  const abstractWords = real.flatMap((p) => words(p.abstract));
  const authors = [...new Set(real.flatMap((p) => p.authors))];
  const venues = [...new Set(real.map((p) => p.venue))];
  const tags = real.flatMap((p) => p.concepts);
  const out: Paper[] = [];
  const every = Math.max(1, Math.floor(size / real.length));
  let realIndex = 0;
  for (let i = 0; out.length < size; i++) {
    if (i % every === 0 && realIndex < real.length) {
      out.push(real[realIndex++]);
      continue;
    }
    const year = 2015 + Math.floor(rand() * 12);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const abstract: string[] = [];
    for (let w = 0; w < 180; w++) abstract.push(pick(abstractWords));
    const tagCount = 1 + Math.floor(rand() * 2);
    const concepts = Array.from({ length: tagCount }, () => pick(tags));
    const id = `synthetic-${i}`;
    out.push({
      id,
      title: Array.from({ length: 6 + Math.floor(rand() * 7) }, () => pick(titleWords)).join(' '),
      abstract: abstract.join(' '),
      authors: Array.from({ length: 2 + Math.floor(rand() * 5) }, () => pick(authors)),
      authorCount: null,
      date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      year,
      venue: pick(venues),
      arxivId: null,
      links: rand() < 0.4 ? { code: `https://github.com/example/${id}` } : {},
      concepts: [...new Map(concepts.map((c) => [c.id, c])).values()],
      sources: ['synthetic'],
    });
  }
  while (realIndex < real.length && out.length > 0) out[out.length - 1 - realIndex] = real[realIndex++];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Engines behind one interface

export interface Engine {
  name: SearchBenchRow['engine'];
  build(papers: readonly Paper[], concepts: readonly Concept[]): void;
  /** Ids of the first `limit` results. */
  search(query: string, limit: number): string[];
  dispose(): void;
}

/** The query's free text without PaperLens hints, for engines that do not understand them. */
function plainText(query: string): string {
  const q = parseQuery(query);
  const words = [...q.words, ...q.requiredWords].map((w) => (w.parts.length ? w.parts.join(' ') : w.term));
  return [...words, ...q.phrases.flatMap((p) => p.words)].join(' ');
}

export function paperlensEngine(): Engine {
  let index: ReturnType<typeof buildSearchIndex> | undefined;
  return {
    name: 'paperlens',
    build(papers, concepts) { index = buildSearchIndex(papers, concepts, { englishWords: benchEnglishWords() }); },
    search(query, limit) { return index!.search(query, { limit }).hits.map((h) => h.paper.id); },
    dispose() { index = undefined; },
  };
}

export function fuseEngine(): Engine {
  let fuse: Fuse<Paper> | undefined;
  return {
    name: 'fuse',
    build(papers) {
      fuse = new Fuse(papers as Paper[], {
        keys: [{ name: 'title', weight: 3 }, { name: 'abstract', weight: 1 }, { name: 'authors', weight: 2 }, { name: 'venue', weight: 1 }],
        includeScore: true,
        ignoreLocation: true,
        threshold: 0.4,
      });
    },
    search(query, limit) { return fuse!.search(plainText(query), { limit }).map((r) => r.item.id); },
    dispose() { fuse = undefined; },
  };
}

export function miniSearchEngine(): Engine {
  let mini: MiniSearch<{ id: string; title: string; abstract: string; authors: string; venue: string; concepts: string }> | undefined;
  return {
    name: 'minisearch',
    build(papers) {
      mini = new MiniSearch({ fields: ['title', 'abstract', 'authors', 'venue', 'concepts'], idField: 'id' });
      mini.addAll(papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors.join(' '), venue: p.venue ?? '', concepts: p.concepts.map((c) => c.id).join(' ') })));
    },
    search(query, limit) {
      return mini!.search(plainText(query), { prefix: true, fuzzy: 0.2, boost: { title: 3, authors: 2, concepts: 2 } }).slice(0, limit).map((r) => String(r.id));
    },
    dispose() { mini = undefined; },
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement

/** Queries a person types: words, typos, a prefix being typed, a phrase, hints, an identifier. */
export const BENCH_QUERIES: readonly string[] = [
  'focal loss', 'harmonc loss', 'focl', 'cross entropy calibration', 'knowledge distillation', 'metric lear',
  'contrastive', 'scaling laws language models', '"large language models"', 'year:2024 calibration',
  'concept:focal', 'author:mohri', 'has:code distillation', 'CrossEntropyLoss', 'label smoothing',
  'orthogonl projecton', 'robust classification', 'dice', 'sc', 'retrieval year:2020..2023',
];

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measure(engine: Engine, papers: readonly Paper[], concepts: readonly Concept[], budgetMs: number): SearchBenchRow {
  gc();
  const before = heapBytes();
  const cpu = process.cpuUsage();
  let t = performance.now();
  engine.build(papers, concepts);
  const buildMs = performance.now() - t;
  const buildCpu = process.cpuUsage(cpu);
  const buildCpuMs = (buildCpu.user + buildCpu.system) / 1000;
  gc();
  const heapMB = (heapBytes() - before) / 1e6;

  const deadline = performance.now() + budgetMs;
  const repeats = engine.name === 'fuse' ? 1 : 5;
  // Warm-up: three passes, unmeasured, so the JIT has compiled the hot loops (skipped for fuse.js,
  // whose budget would not cover them).
  if (engine.name !== 'fuse') for (let pass = 0; pass < 3; pass++) for (const q of BENCH_QUERIES) engine.search(q, 20);
  const times: number[] = [];
  outer: for (let r = 0; r < repeats; r++) {
    for (const q of BENCH_QUERIES) {
      if (performance.now() > deadline) break outer;
      t = performance.now();
      engine.search(q, 20);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);

  let hits = 0;
  let asked = 0;
  for (const c of QUALITY_SET) {
    for (const q of [c.natural, c.misspelled]) {
      if (performance.now() > deadline + budgetMs) break;
      asked++;
      if (engine.search(q, 5).includes(c.id)) hits++;
    }
  }
  engine.dispose();
  return {
    engine: engine.name, papers: papers.length, buildMs, buildCpuMs, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), heapMB,
    recallAt5: asked ? hits / asked : NaN, queriesRun: times.length, recallQueries: asked,
  };
}

/** Runs the benchmark; rows in size order, engines in a fixed order. */
export function runSearchBench(options: { sizes?: number[]; fuseBudgetMs?: number; engines?: readonly SearchBenchRow['engine'][]; log?: (line: string) => void } = {}): SearchBenchRow[] {
  const sizes = options.sizes ?? [1_000, 10_000, 100_000];
  const wanted = options.engines && options.engines.length > 0 ? new Set(options.engines) : undefined;
  const concepts = loadBenchConcepts();
  const rows: SearchBenchRow[] = [];
  for (const size of sizes) {
    const papers = syntheticCorpus(size);
    for (const engine of [paperlensEngine(), miniSearchEngine(), fuseEngine()]) {
      if (wanted && !wanted.has(engine.name)) continue;
      const budget = engine.name === 'fuse' ? options.fuseBudgetMs ?? 30_000 : Infinity;
      const row = measure(engine, papers, concepts, budget);
      options.log?.(`  ${row.engine.padEnd(10)} ${String(size).padStart(7)} papers: build ${fmt(row.buildMs)} ms (CPU ${fmt(row.buildCpuMs)} ms), p50 ${fmt(row.p50Ms)} ms, p95 ${fmt(row.p95Ms)} ms, heap ${fmt(row.heapMB)} MB, recall@5 ${fmtPct(row.recallAt5)} (${row.queriesRun} timed, ${row.recallQueries} recall queries)`);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * The time-sliced build the editor runs, with a setImmediate chain noting the longest gap between
 * two turns of the event loop (a hover or a keystroke waits at most that long).
 */
export async function measureEditorBuild(papers: readonly Paper[], concepts: readonly Concept[]): Promise<{ ms: number; maxBlockMs: number }> {
  gc();
  let last = performance.now();
  let maxBlockMs = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await buildSearchIndexAsync(papers, concepts);
  const ms = performance.now() - started;
  running = false;
  maxBlockMs = Math.max(maxBlockMs, performance.now() - last);
  return { ms, maxBlockMs };
}

/** Adds `editorBuildMs`/`editorMaxBlockMs` to the PaperLens rows. */
export async function addEditorBuilds(rows: SearchBenchRow[], log?: (line: string) => void): Promise<void> {
  const concepts = loadBenchConcepts();
  for (const row of rows) {
    if (row.engine !== 'paperlens') continue;
    const { ms, maxBlockMs } = await measureEditorBuild(syntheticCorpus(row.papers), concepts);
    row.editorBuildMs = ms;
    row.editorMaxBlockMs = maxBlockMs;
    log?.(`  paperlens  ${String(row.papers).padStart(7)} papers: editor build (time-sliced) ${fmt(ms)} ms, longest block ${fmt(maxBlockMs)} ms`);
  }
}

/** The shipped English word list (protects real words from correction), when generated. */
export function benchEnglishWords(): Set<string> | undefined {
  const file = path.join(root, 'paper-data', 'generated', 'english-words.json');
  return existsSync(file) ? parseEnglishWords(readFileSync(file, 'utf8'), file) : undefined;
}

export function loadBenchConcepts(): Concept[] {
  const conceptDir = path.join(root, 'paper-data', 'concepts');
  return existsSync(conceptDir) ? loadConceptDir(conceptDir).concepts : [];
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function fmtPct(n: number): string {
  return Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : 'n/a';
}

function ratio(ours: number, theirs: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || ours <= 0) return 'n/a';
  const r = theirs / ours;
  return r >= 1 ? `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}× faster` : `${(1 / r).toFixed(1)}× slower`;
}

/** The table printed by the command line: one line per size and engine, ratios against PaperLens. */
export function formatSearchBench(rows: readonly SearchBenchRow[]): string {
  const lines = [
    `Search benchmark — Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    '',
    'papers   engine      build ms   p50 ms   p95 ms   heap MB  recall@5   p95 vs PaperLens',
  ];
  for (const row of rows) {
    const ours = rows.find((r) => r.engine === 'paperlens' && r.papers === row.papers);
    const vs = row.engine === 'paperlens' || !ours ? '' : `PaperLens ${ratio(ours.p95Ms, row.p95Ms)}`;
    const partial = row.engine === 'fuse' && row.queriesRun < BENCH_QUERIES.length ? ` (${row.queriesRun} queries in budget)` : '';
    lines.push([
      String(row.papers).padStart(6), ' ', row.engine.padEnd(10), fmt(row.buildMs).padStart(9), fmt(row.p50Ms).padStart(8),
      fmt(row.p95Ms).padStart(8), fmt(row.heapMB).padStart(9), fmtPct(row.recallAt5).padStart(9), '   ', vs + partial,
    ].join(' '));
  }
  const editor = rows.filter((r) => r.editorBuildMs !== undefined);
  if (editor.length) {
    lines.push('', 'PaperLens build as the editor runs it (time-sliced on the extension host):');
    for (const r of editor) lines.push(`${String(r.papers).padStart(6)}   ${fmt(r.editorBuildMs!)} ms, longest event-loop block ${fmt(r.editorMaxBlockMs!)} ms`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const valueOf = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const sizes = valueOf('--sizes')?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const fuseBudgetMs = valueOf('--fuse-budget-ms') ? Number(valueOf('--fuse-budget-ms')) : undefined;
  const engineNames: readonly string[] = ['paperlens', 'minisearch', 'fuse'];
  const engines = valueOf('--engines')?.split(',').map((e) => e.trim()).filter(Boolean);
  const unknown = engines?.filter((e) => !engineNames.includes(e)) ?? [];
  if (unknown.length) throw new Error(`unknown engine(s) ${unknown.join(', ')}; expected some of ${engineNames.join(', ')}`);
  const json = args.includes('--json');
  const log = json ? undefined : (l: string) => console.error(l);
  const rows = runSearchBench({ sizes, fuseBudgetMs, engines: engines as SearchBenchRow['engine'][] | undefined, log });
  void addEditorBuilds(rows, log).then(() => {
    if (json) console.log(JSON.stringify({ search: rows }, null, 2));
    else console.log(formatSearchBench(rows));
  });
}
