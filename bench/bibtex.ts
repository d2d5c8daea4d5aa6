/**
 * Measures (does not assert) loading a generated 50 MB .bib the way the editor does: parsed in the
 * worker (dist/userCorpusWorker.js, so run `npm run build` first), papers received in batches,
 * merged with the shipped corpus in 8 ms slices. Reports the total time and the longest stretch the
 * host's event loop was blocked, which is what decides whether typing and hovers stay smooth.
 *
 * Then converts two generated 1 MB files in this process (bench/bibtexRealistic.ts): one like users'
 * files, one whose every entry needs the parser library, and reports their CPU time.
 *
 *   npx tsx bench/bibtex.ts [sizeMB=50] [--json]   (part of `npm run bench`)
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Corpus } from '../src/core/papers/corpus';
import { importBibtex, type BibtexImportStats } from '../src/core/papers/bibtexImport';
import { mergePapers } from '../src/core/papers/merge';
import { generateRealisticBib } from './bibtexRealistic';
import { TimeSlicer } from '../src/core/papers/slicer';
import type { Paper } from '../src/core/papers/types';
import { CorpusWorkerClient } from '../src/services/corpusWorkerClient';

const root = path.resolve(__dirname, '..');
const asJson = process.argv.includes('--json');
/** Progress lines go to stderr under --json, so stdout holds only the result. */
const say = (line: string): void => (asJson ? console.error(line) : console.log(line));

const targetMb = Number(process.argv.slice(2).find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 50);
const workerPath = path.join(root, 'dist', 'userCorpusWorker.js');

const FIRST = ['Ada', 'Jan', 'Mei', 'Olu', 'Priya', 'Tomás', 'Zoë', 'Ivan', 'Sara', 'Kenji'];
const LAST_PLAIN = ['Smith', 'Garcia', 'Chen', 'Okafor', 'Kumar', 'Novak', 'Silva', 'Ito', 'Berg', 'Ross'];
const LAST_TEX = ['M{\\"u}ller', 'Doll{\\\'a}r', 'Sch{\\"o}lkopf', 'Nu{\\~n}ez', '{\\O}stergaard', '\\v{S}koda'];
const TOPICS = ['focal loss', 'label smoothing', 'contrastive learning', 'Dice loss', 'cross-entropy', 'knowledge distillation', 'metric learning', 'calibration'];
const WORDS = 'we study a loss for training deep networks and show that it improves accuracy robustness and calibration on standard benchmarks while remaining simple to implement'.split(' ');

/** A deterministic pseudo-random generator, so every run measures the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** The benchmark's .bib text of about `bytes` characters (deterministic; also used by the fast-path equivalence test). */
export function generateBib(bytes: number): string {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const parts: string[] = ['@string{neurips = "Advances in Neural Information Processing Systems"}\n@string{icml = {International Conference on Machine Learning}}\n\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const tex = r() < 0.3; // about a third of entries carry LaTeX (accents, math), as real files do
    const authors = Array.from({ length: 2 + Math.floor(r() * 5) }, () => `${tex && r() < 0.5 ? pick(LAST_TEX) : pick(LAST_PLAIN)}, ${pick(FIRST)}`).join(' and ');
    const title = `${tex && r() < 0.3 ? '$\\ell_1$-Regularised ' : ''}{${pick(TOPICS).replace(/^./, (c) => c.toUpperCase())}} for Task ${i}: A Study of ${pick(WORDS)} ${pick(WORDS)}`;
    const abstract = r() < 0.5 ? `,\n  abstract = {${Array.from({ length: 120 + Math.floor(r() * 80) }, () => pick(WORDS)).join(' ')}${tex ? ' with $\\mathcal{L}_{\\text{focal}}$ and M\\"uller' : ''}.}` : '';
    const venue = r() < 0.5 ? `booktitle = ${r() < 0.5 ? 'neurips' : 'icml'} # " ${2015 + (i % 10)}"` : `journal = {Journal of Machine Learning Research}`;
    const e = `@${venue.startsWith('booktitle') ? 'inproceedings' : 'article'}{key${i},\n  title = {${title}},\n  author = {${authors}},\n  ${venue},\n  year = {${2015 + (i % 10)}},\n  doi = {10.5555/gen.${i}},\n  keywords = {${pick(TOPICS)}}${abstract}\n}\n\n`;
    parts.push(e);
    size += e.length;
  }
  return parts.join('');
}

/** The host's used heap in MB after a full GC (needs --expose-gc; undefined without it). */
function usedHeapMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return +(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1);
}

async function main(): Promise<void> {
  // The worker does not hold the process open (the editor's process lives on anyway); this does.
  const keepAlive = setInterval(() => {}, 1000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-50mb-'));
  const file = path.join(dir, 'big.bib');
  try {
    // Generated, written, and dropped: the host never holds the file's text, only the papers.
    let generated: string | undefined = generateBib(targetMb * 1024 * 1024);
    writeFileSync(file, generated);
    const entries = (generated.match(/^@(article|inproceedings)\{/gm) ?? []).length;
    generated = undefined;
    say(`generated ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${entries} entries`);
    const shipped = JSON.parse(readFileSync(path.join(root, 'paper-data', 'papers.json'), 'utf8')) as Paper[];
    const concepts = JSON.parse(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8')) as { concepts: { id: string; name: string; aliases: string[] }[] };

    const client = new CorpusWorkerClient(workerPath, (m) => say(m));
    client.setConcepts(concepts.concepts.map((c) => ({ id: c.id, name: c.name, aliases: c.aliases })));
    if (!client.usesWorker) throw new Error(`no worker at ${workerPath}: run npm run build first`);

    // The host side: how long the event loop is ever blocked while the worker parses and replies.
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let maxGap = 0;
    let maxGapAt = 0;
    let phase = 'parse';
    let maxGapPhase = phase;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      if (now - last > maxGap) {
        maxGap = now - last;
        maxGapAt = now;
        maxGapPhase = phase;
      }
      last = now;
    }, 1);
    histogram.enable();
    // The host's garbage collections during the load (young-generation scavenges are what blocked it).
    const gcs = { scavenges: 0, longestScavengeMs: 0, scavengeMs: 0, fullGcs: 0, longestFullGcMs: 0 };
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
          gcs.scavenges++;
          gcs.scavengeMs += e.duration;
          gcs.longestScavengeMs = Math.max(gcs.longestScavengeMs, e.duration);
        } else if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
          gcs.fullGcs++;
          gcs.longestFullGcMs = Math.max(gcs.longestFullGcMs, e.duration);
        }
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const heapBefore = usedHeapMb();
    let progressReports = 0;
    let lastProgressMs = 0;
    const started = performance.now();
    const outcome = await client.parse({ input: { kind: 'file', file }, label: 'big.bib', onProgress: () => {
      progressReports++;
      lastProgressMs = performance.now() - started;
    } });
    const loadMs = performance.now() - started;
    if (outcome.cancelled) throw new Error('cancelled');
    phase = 'merge';
    const slicer = new TimeSlicer(8);
    const mergeStart = performance.now();
    const merged = await mergePapers(shipped, [{ file: 'big.bib', papers: outcome.papers }], slicer);
    slicer.finish();
    phase = 'corpus';
    const buildStart = performance.now();
    const corpus = new Corpus(merged);
    const buildMs = performance.now() - buildStart;
    const mergeMs = performance.now() - mergeStart;
    await new Promise((r) => setTimeout(r, 20));
    clearInterval(probe);
    histogram.disable();
    gcObserver.disconnect();
    const heapAfter = usedHeapMb();

    const errors = outcome.issues.filter((i) => i.severity === 'error').length;
    say(`cold load in the worker: ${(loadMs / 1000).toFixed(1)} s for ${outcome.papers.length} papers (${errors} errors), ${progressReports} progress reports, the last at ${(lastProgressMs / 1000).toFixed(1)} s (then papers are received)`);
    say(`merge with the shipped corpus: ${mergeMs.toFixed(0)} ms; longest merge slice ${slicer.longestSliceMs.toFixed(1)} ms; Corpus build ${buildMs.toFixed(1)} ms; corpus size ${corpus.size}`);
    say(`host event loop: longest block ${maxGap.toFixed(1)} ms (probe; during ${maxGapPhase}, ${((maxGapAt - started) / 1000).toFixed(1)} s in), p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms (histogram)`);
    say(`host GC during the load: ${gcs.scavenges} scavenges (longest ${gcs.longestScavengeMs.toFixed(1)} ms, ${gcs.scavengeMs.toFixed(0)} ms in all), ${gcs.fullGcs} full GCs (longest ${gcs.longestFullGcMs.toFixed(1)} ms pause); heap ${heapBefore ?? '?'} → ${heapAfter ?? '?'} MB${heapAfter === undefined ? ' (run with --expose-gc to measure)' : ' (after a forced GC, the corpus held)'}`);

    // Saving after editing one entry: only that entry is converted again (per-entry cache in the worker).
    writeFileSync(file, readFileSync(file, 'utf8').replace('Task 7:', 'Task 7 (edited):'));
    const again = performance.now();
    const second = await client.parse({ input: { kind: 'file', file }, label: 'big.bib' });
    const reloadMs = performance.now() - again;
    const remerge = performance.now();
    if (!second.cancelled) new Corpus(await mergePapers(shipped, [{ file: 'big.bib', papers: second.papers }], new TimeSlicer(8)));
    say(`reload after editing one entry: parse ${(reloadMs / 1000).toFixed(1)} s + merge ${((performance.now() - remerge) / 1000).toFixed(1)} s (${second.cancelled ? 'cancelled' : `${second.papers.length} papers`})`);
    client.dispose();
    // 1 MB files like users' (bench/bibtexRealistic.ts), converted in this process: CPU time, and
    // what went to the library (`paperlens check` adds about 0.3 s of start-up to these).
    const small = async (hard: boolean) => {
      const text = generateRealisticBib(1 << 20, { hard });
      const stats: BibtexImportStats = { libraryEntries: 0, libraryCalls: 0, libraryFields: 0, libraryPieces: 0 };
      const cpu = process.cpuUsage();
      const r = await importBibtex(text, hard ? 'hard.bib' : 'realistic.bib', { stats });
      const used = process.cpuUsage(cpu);
      const cpuMs = Math.round((used.user + used.system) / 1000);
      say(`1 MB ${hard ? 'hard' : 'realistic'} .bib (${r.entries} entries): ${cpuMs} ms CPU; library: ${stats.libraryEntries} entries, ${stats.libraryFields} fields, ${stats.libraryPieces} pieces in ${stats.libraryCalls} calls`);
      return { cpuMs, entries: r.entries, ...stats };
    };
    await importBibtex(generateRealisticBib(20_000), 'warm-up.bib'); // loads the library and its tables
    const realistic1Mb = await small(false);
    const hard1Mb = await small(true);
    if (asJson) {
      console.log(JSON.stringify({ bibtex: {
        mb: +(statSync(file).size / 1024 / 1024).toFixed(1), entries, papers: outcome.papers.length,
        parseMs: Math.round(loadMs), lastProgressMs: Math.round(lastProgressMs), mergeMs: Math.round(mergeMs), maxBlockMs: +maxGap.toFixed(1),
        eventLoopP99Ms: +(histogram.percentile(99) / 1e6).toFixed(1), reloadAfterOneEditMs: Math.round(reloadMs),
        corpusBuildMs: +buildMs.toFixed(1), longestMergeSliceMs: +slicer.longestSliceMs.toFixed(1),
        scavenges: gcs.scavenges, longestScavengeMs: +gcs.longestScavengeMs.toFixed(1), longestFullGcMs: +gcs.longestFullGcMs.toFixed(1),
        heapBeforeMb: heapBefore, heapAfterMb: heapAfter,
        realistic1MbCpuMs: realistic1Mb.cpuMs, hard1MbCpuMs: hard1Mb.cpuMs,
      } }, null, 2));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    clearInterval(keepAlive);
  }
}

// Run only as a script: the equivalence test imports the generator.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) void main();
