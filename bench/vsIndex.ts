/**
 * Building the search index against the floor for building any index over the same text, and
 * loading the saved index against building it, interleaved, with the longest host-thread slice.
 *
 *   npx tsx bench/vsIndex.ts [--json] [--papers 100000] [--rounds 3]
 *
 *  - build vs tokenise: `buildSearchIndex` over the synthetic corpus (bench/search.ts) against a
 *    bare pass that only tokenises the same texts — every field of every paper through the same
 *    tokeniser the build uses (TermTable.collectText: folded words to term ids, no postings, no
 *    ranking, nothing kept) — alternating, medians.
 *  - load vs build, as the editor runs them on its host thread: the time-sliced build
 *    (`buildSearchIndexAsync`) against opening the saved index as a new window does — the corpus
 *    file's fingerprint (CRC-32 of its bytes, read asynchronously in the editor's 1 MB chunks), the
 *    index file read, every check of persist.ts and the index made searchable, in slices —
 *    alternating, medians. A setImmediate
 *    chain records the longest slice of each (host.maxSliceMs: the worse of the two).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { plainFieldTexts } from '../src/core/search/documents';
import { crcOfChunks, FINGERPRINT_CHUNK_BYTES, fingerprintFilesSteps, isRejected, loadIndexSteps, runInSlices, saveIndex } from '../src/core/search/persist';
import { buildSearchIndex, buildSearchIndexAsync } from '../src/core/search/searchIndex';
import { TermTable } from '../src/core/search/termTable';
import { loadBenchConcepts, syntheticCorpus } from './search';
import { argValue, gc, goal, interleave, ms, round, sliceMonitor, type Goal } from './lib';
import type { Paper } from '../src/core/papers/types';

/** The floor: tokenise every field of every paper, keep nothing. Returns the words seen. */
function tokenizeOnly(papers: readonly Paper[]): number {
  const table = new TermTable();
  let words = 0;
  for (const p of papers) for (const text of plainFieldTexts(p)) words += table.collectText(text);
  return words;
}

export async function runIndexGoals(options: { papers?: number; rounds?: number; log?: (l: string) => void } = {}): Promise<{ detail: Record<string, unknown>; goals: Goal[] }> {
  const log = options.log ?? (() => undefined);
  const size = options.papers ?? 100_000;
  const rounds = options.rounds ?? 3;
  const concepts = loadBenchConcepts();
  const papers = syntheticCorpus(size);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-vsindex-'));
  try {
    // The corpus file a window would have loaded the papers from, and the concepts it depends on.
    const corpusFile = path.join(dir, 'papers.json');
    writeFileSync(corpusFile, JSON.stringify(papers));
    const conceptsText = JSON.stringify(concepts);
    // As the editor does it (persistedIndex.ts): the corpus file streamed through CRC-32.
    const fingerprintOf = async () => runInSlices(fingerprintFilesSteps([{ name: 'papers.json', sum: await crcOfChunks(createReadStream(corpusFile, { highWaterMark: FINGERPRINT_CHUNK_BYTES })) }], [conceptsText]));

    // 1. Build vs the bare tokenising pass (both synchronous, as a CLI or worker would run them).
    tokenizeOnly(papers.slice(0, 2000));
    buildSearchIndex(papers.slice(0, 2000), concepts);
    gc();
    const build = await interleave(rounds, () => { buildSearchIndex(papers, concepts); gc(); }, () => { tokenizeOnly(papers); gc(); });
    log(`  build ${ms(build.medianA)} ms vs tokenise ${ms(build.medianB)} ms → ${build.ratio.toFixed(2)}× (${size.toLocaleString('en-US')} papers)`);

    // 2. Save once, then load vs build as the editor runs them, each with its longest slice.
    const index = buildSearchIndex(papers, concepts);
    const fingerprint = await fingerprintOf();
    const indexFile = path.join(dir, 'index.plix');
    const bytes = saveIndex(index, fingerprint);
    writeFileSync(indexFile, bytes);
    const fileMB = bytes.length / 1e6;
    const probe = 'focal loss calibration';
    const expected = JSON.stringify(index.search(probe, { limit: 10 }).hits.map((h) => [h.paper.id, h.score]));
    const buildSlices: { wallMs: number; cpuMs: number }[] = [];
    const loadSlices: { wallMs: number; cpuMs: number }[] = [];
    let answersMatch = true;
    gc();
    const load = await interleave(rounds, async () => {
      const monitor = sliceMonitor();
      const started = performance.now();
      const fp = await fingerprintOf();
      const loaded = await runInSlices(loadIndexSteps(await readFile(indexFile), papers, fp));
      const elapsed = performance.now() - started;
      loadSlices.push(monitor.stop());
      if (isRejected(loaded)) throw new Error(`the saved index was rejected: ${loaded.rejected}`);
      answersMatch &&= JSON.stringify(loaded.search(probe, { limit: 10 }).hits.map((h) => [h.paper.id, h.score])) === expected;
      gc();
      return elapsed;
    }, async () => {
      const monitor = sliceMonitor();
      const started = performance.now();
      await buildSearchIndexAsync(papers, concepts);
      const elapsed = performance.now() - started;
      buildSlices.push(monitor.stop());
      gc();
      return elapsed;
    });
    const worst = (list: { wallMs: number; cpuMs: number }[], key: 'wallMs' | 'cpuMs') => Math.max(...list.map((x) => x[key]));
    const maxSlice = Math.max(worst(buildSlices, 'cpuMs'), worst(loadSlices, 'cpuMs'));
    log(`  load ${ms(load.medianA)} ms vs time-sliced build ${ms(load.medianB)} ms → ${load.ratio.toFixed(3)}× (file ${fileMB.toFixed(0)} MB); longest slice (thread CPU / wall): build ${ms(worst(buildSlices, 'cpuMs'))} / ${ms(worst(buildSlices, 'wallMs'))} ms, load ${ms(worst(loadSlices, 'cpuMs'))} / ${ms(worst(loadSlices, 'wallMs'))} ms`);
    return {
      detail: {
        papers: size, rounds,
        buildMs: round(build.medianA), tokenizeMs: round(build.medianB),
        loadMs: round(load.medianA), editorBuildMs: round(load.medianB), indexFileMB: round(fileMB, 1), loadedAnswersMatch: answersMatch,
        maxSliceBuildCpuMs: round(worst(buildSlices, 'cpuMs')), maxSliceLoadCpuMs: round(worst(loadSlices, 'cpuMs')),
        maxSliceBuildWallMs: round(worst(buildSlices, 'wallMs')), maxSliceLoadWallMs: round(worst(loadSlices, 'wallMs')),
        samples: { build: build.a.map((x) => round(x)), tokenize: build.b.map((x) => round(x)), load: load.a.map((x) => round(x)), editorBuild: load.b.map((x) => round(x)) },
      },
      goals: [
        goal(`index.build.vs-tokenize@${size}`, build.medianA, build.medianB, 2.5, '<=', 'buildSearchIndex vs a bare pass of the same tokeniser over the same texts; medians of alternating runs'),
        goal(`index.load.vs-build@${size}`, load.medianA, load.medianB, 0.1, '<=', `opening the saved index (${fileMB.toFixed(0)} MB: corpus file streamed through CRC-32, index file read, CRC-32 and consistency checks, made searchable; time-sliced) vs the time-sliced build; medians of alternating runs`),
        goal('host.maxSliceMs', maxSlice, 50, 1, '<=', `longest event-loop block, in this thread's CPU time, while building (${ms(worst(buildSlices, 'cpuMs'))} ms) or loading (${ms(worst(loadSlices, 'cpuMs'))} ms) the index at ${size.toLocaleString('en-US')} papers; wall time, which adds the waits a loaded machine imposes: ${ms(worst(buildSlices, 'wallMs'))} / ${ms(worst(loadSlices, 'wallMs'))} ms`),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  void runIndexGoals({
    papers: argValue(args, '--papers') ? Number(argValue(args, '--papers')) : undefined,
    rounds: argValue(args, '--rounds') ? Number(argValue(args, '--rounds')) : undefined,
    log: (l) => console.error(l),
  }).then((r) => {
    if (json) console.log(JSON.stringify({ index: r.detail, goals: r.goals }, null, 2));
    else for (const g of r.goals) console.log(`${g.name}: ${g.value} vs ${g.baseline} → ${g.ratio} (goal ${g.direction} ${g.goal})`);
  });
}
