/**
 * Search against its peers, interleaved: PaperLens's engine, MiniSearch and fuse.js over the same
 * synthetic corpora (bench/search.ts), query latency and recall@5.
 *
 *   npx tsx bench/vsSearch.ts [--json] [--sizes 1000,10000,100000] [--rounds 5] [--fuse-budget-ms 240000]
 *
 * Latency: for each query set — the synthetic one (BENCH_QUERIES: typos, prefixes, phrases, hints)
 * and the judged one (the quality set's natural and misspelled queries, each with the paper that
 * must be found) — every round runs each query on PaperLens and on MiniSearch back to back (which
 * one first alternates), and takes each engine's p95 over the round; the figures are the medians of
 * the rounds' p95s. The goal is met only if it holds on both sets: the goal entry carries the set
 * with the higher ratio.
 *
 * Recall@5 is deterministic (not timed): the share of judged queries whose paper is in the top
 * five. fuse.js takes seconds per query at 100,000 papers: it runs the judged queries until its
 * budget is spent, and the comparison with it counts the same queries for both engines.
 */
import os from 'node:os';
import type { Paper } from '../src/core/papers/types';
import { QUALITY_SET } from '../test/unit/search/quality/queries';
import { BENCH_QUERIES, fuseEngine, loadBenchConcepts, miniSearchEngine, paperlensEngine, syntheticCorpus, type Engine } from './search';
import { argValue, gc, goal, median, ms, percentile, round, sortedCopy, type Goal } from './lib';

const JUDGED: readonly { query: string; id: string }[] = QUALITY_SET.flatMap((c) => [{ query: c.natural, id: c.id }, { query: c.misspelled, id: c.id }]);

interface LatencyFigure {
  set: 'synthetic' | 'judged';
  queries: number;
  rounds: number;
  p95Ms: number;
  miniSearchP95Ms: number;
  p50Ms: number;
  miniSearchP50Ms: number;
  ratio: number;
}

function latency(set: LatencyFigure['set'], queries: readonly string[], a: Engine, b: Engine, rounds: number): LatencyFigure {
  const p95a: number[] = [];
  const p95b: number[] = [];
  const p50a: number[] = [];
  const p50b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ta: number[] = [];
    const tb: number[] = [];
    queries.forEach((q, i) => {
      const first = (r + i) % 2 === 0;
      for (const [engine, out] of first ? [[a, ta], [b, tb]] as const : [[b, tb], [a, ta]] as const) {
        const t = performance.now();
        engine.search(q, 20);
        out.push(performance.now() - t);
      }
    });
    const sa = sortedCopy(ta);
    const sb = sortedCopy(tb);
    p95a.push(percentile(sa, 95));
    p95b.push(percentile(sb, 95));
    p50a.push(percentile(sa, 50));
    p50b.push(percentile(sb, 50));
  }
  const p95 = median(p95a);
  const mini = median(p95b);
  return { set, queries: queries.length, rounds, p95Ms: p95, miniSearchP95Ms: mini, p50Ms: median(p50a), miniSearchP50Ms: median(p50b), ratio: p95 / mini };
}

function recall(engine: Engine, judged: readonly { query: string; id: string }[], budgetMs = Infinity): { hits: boolean[]; asked: number } {
  const deadline = performance.now() + budgetMs;
  const hits: boolean[] = [];
  for (const j of judged) {
    if (performance.now() > deadline) break;
    hits.push(engine.search(j.query, 5).includes(j.id));
  }
  return { hits, asked: hits.length };
}

const share = (hits: readonly boolean[]) => (hits.length ? hits.filter(Boolean).length / hits.length : NaN);

export async function runSearchGoals(options: { sizes?: number[]; rounds?: number; fuseBudgetMs?: number; log?: (l: string) => void } = {}): Promise<{ detail: Record<string, unknown>[]; goals: Goal[] }> {
  const log = options.log ?? (() => undefined);
  const sizes = options.sizes ?? [1_000, 10_000, 100_000];
  const rounds = options.rounds ?? 5;
  const concepts = loadBenchConcepts();
  const detail: Record<string, unknown>[] = [];
  const goals: Goal[] = [];
  for (const size of sizes) {
    const papers: Paper[] = syntheticCorpus(size);
    gc();
    const engines = { paperlens: paperlensEngine(), minisearch: miniSearchEngine(), fuse: fuseEngine() };
    for (const e of Object.values(engines)) e.build(papers, concepts);
    const { paperlens, minisearch, fuse } = engines;
    // Warm-up: both engines' hot paths compiled before anything is timed.
    for (let pass = 0; pass < 3; pass++) for (const q of [...BENCH_QUERIES, ...JUDGED.map((j) => j.query)]) { paperlens.search(q, 20); minisearch.search(q, 20); }
    const synthetic = latency('synthetic', BENCH_QUERIES, paperlens, minisearch, rounds);
    const judged = latency('judged', JUDGED.map((j) => j.query), paperlens, minisearch, rounds);
    const ours = recall(paperlens, JUDGED);
    const mini = recall(minisearch, JUDGED);
    const fuseBudget = options.fuseBudgetMs ?? (size >= 100_000 ? 240_000 : 60_000);
    const theirs = recall(fuse, JUDGED, fuseBudget);
    const oursOnFuseSet = ours.hits.slice(0, theirs.asked);
    const row = {
      papers: size,
      latency: [synthetic, judged].map((f) => ({ ...f, p95Ms: round(f.p95Ms), miniSearchP95Ms: round(f.miniSearchP95Ms), p50Ms: round(f.p50Ms), miniSearchP50Ms: round(f.miniSearchP50Ms), ratio: round(f.ratio, 4) })),
      recallAt5: { paperlens: round(share(ours.hits)), minisearch: round(share(mini.hits)), queries: JUDGED.length },
      fuseRecallAt5: { fuse: round(share(theirs.hits)), paperlensSameQueries: round(share(oursOnFuseSet)), queries: theirs.asked, of: JUDGED.length },
    };
    detail.push(row);
    log(`  ${String(size).padStart(7)} papers: p95 synthetic ${ms(synthetic.p95Ms)} ms vs MiniSearch ${ms(synthetic.miniSearchP95Ms)} ms (${synthetic.ratio.toFixed(3)}×), judged ${ms(judged.p95Ms)} vs ${ms(judged.miniSearchP95Ms)} ms (${judged.ratio.toFixed(3)}×); recall@5 ${row.recallAt5.paperlens} vs MiniSearch ${row.recallAt5.minisearch}, vs fuse.js ${row.fuseRecallAt5.paperlensSameQueries} vs ${row.fuseRecallAt5.fuse} on ${theirs.asked}/${JUDGED.length} queries`);
    if (size === 10_000 || size === 100_000) {
      const worse = synthetic.ratio >= judged.ratio ? synthetic : judged;
      goals.push(goal(`search.p95.vs-minisearch@${size}`, worse.p95Ms, worse.miniSearchP95Ms, 0.2, '<=',
        `p95 ms, medians of ${rounds} interleaved rounds; the ${worse.set} query set (${worse.queries} queries), the worse of synthetic ${synthetic.ratio.toFixed(3)}× and judged ${judged.ratio.toFixed(3)}×`));
    }
    if (size === 100_000) {
      goals.push(goal('search.recall5.vs-fuse@100000', share(oursOnFuseSet), share(theirs.hits), 1, '>=', `recall@5 on the ${theirs.asked} of ${JUDGED.length} judged queries fuse.js answered within its ${Math.round(fuseBudget / 1000)} s budget`));
      goals.push(goal('search.recall5.vs-minisearch@100000', share(ours.hits), share(mini.hits), 1, '>=', `recall@5 on all ${JUDGED.length} judged queries`));
    }
    for (const e of Object.values(engines)) e.dispose();
  }
  return { detail, goals };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const sizes = argValue(args, '--sizes')?.split(',').map(Number).filter((n) => n > 0);
  void runSearchGoals({
    sizes,
    rounds: argValue(args, '--rounds') ? Number(argValue(args, '--rounds')) : undefined,
    fuseBudgetMs: argValue(args, '--fuse-budget-ms') ? Number(argValue(args, '--fuse-budget-ms')) : undefined,
    log: (l) => console.error(l),
  }).then((r) => {
    if (json) console.log(JSON.stringify({ machine: { cpus: os.cpus().length, loadAverage: os.loadavg()[0] }, search: r.detail, goals: r.goals }, null, 2));
    else for (const g of r.goals) console.log(`${g.name}: ${g.value} vs ${g.baseline} → ${g.ratio} (goal ${g.direction} ${g.goal})`);
  });
}
