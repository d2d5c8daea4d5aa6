/**
 * Detection benchmark: how long a hover waits for the detector.
 *
 *   npx tsx bench/detect.ts [--json] [--lines N]
 *
 * Builds a real-shaped Python file of N lines (default 20,000) from the detector's realistic
 * fixtures and the sample workspace (imports, aliases, multi-line calls, docstrings, plus a few
 * very long lines), then measures, in the same process and with the detector as shipped (an esbuild
 * bundle, see `loadShippedDetector`):
 *  - the first full scan (cold: the code has not run before, so V8 starts it in its interpreter and
 *    baseline tiers) and the median of later full scans, wall and this thread's CPU time;
 *  - a hover after the first scan: DocumentScanCache hit + (line, character) → offset + usageAt,
 *    p50/p99 over random positions, against two baselines measured in the same run — rescanning
 *    the document on every hover (no cache), and a linear search over the usages (no binary search);
 *  - throughput over many small files (in memory, no disk I/O) and over one 1 MB single line.
 * Prints numbers; asserts nothing (run it, read it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LossUsage } from '../src/core/detect/types';
import { buildDocument, loadRegistry, loadShippedDetector, pyFiles } from './detectorShared';
import { median, mulberry32, percentile } from './lib';

const root = process.env.PAPERLENS_ROOT ?? path.resolve(__dirname, '..');

const { DocumentScanCache, scanSource, buildLossIndex } = loadShippedDetector();

/**
 * CPU time of this thread only (Linux), in ms: unlike process.cpuUsage(), it leaves out V8's
 * background compiler threads and is not inflated by other processes on a busy machine.
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const linesArg = args.indexOf('--lines');
const targetLines = linesArg >= 0 ? Number(args[linesArg + 1]) : 20_000;

function linearUsageAt(usages: readonly LossUsage[], offset: number): LossUsage | undefined {
  for (const u of usages) if (u.start <= offset && offset <= u.end) return u;
  return undefined;
}

const { concepts, source: registrySource } = loadRegistry();
const index = buildLossIndex(concepts);
const text = buildDocument(Number.isFinite(targetLines) && targetLines > 0 ? targetLines : 20_000);
const lineCount = text.split('\n').length;

// 1. First scan (cold: the detector's code has never run in this process) and warm full scans.
// Wall time, and this thread's CPU time (without the JIT's background threads or other processes).
let t0 = performance.now();
let c0 = threadCpuMs();
const first = scanSource(text, index);
const firstScanMs = performance.now() - t0;
const firstScanCpuMs = threadCpuMs() - c0;
const warmScans: number[] = [];
const warmCpu: number[] = [];
for (let i = 0; i < 40; i++) {
  t0 = performance.now();
  c0 = threadCpuMs();
  scanSource(text, index);
  warmScans.push(performance.now() - t0);
  warmCpu.push(threadCpuMs() - c0);
}

// 2. Hover lookups after the first scan, through the cache as the editor does it.
const cache = new DocumentScanCache(index);
cache.get('file:///bench.py', 1, text);
const rand = mulberry32(42);
const positions: [number, number][] = [];
const lineStarts = first.lineStarts;
for (let i = 0; i < 200_000; i++) {
  // Half of the hovers on a usage (what users hover), half anywhere.
  if (i % 2 === 0 && first.usages.length) {
    const u = first.usages[Math.floor(rand() * first.usages.length)];
    positions.push([u.line - 1, u.column - 1 + Math.floor(rand() * (u.end - u.start))]);
  } else {
    const line = Math.floor(rand() * lineStarts.length);
    positions.push([line, Math.floor(rand() * 80)]);
  }
}
const lookupTimes: number[] = [];
let hits = 0;
for (const [line, character] of positions) {
  const s = performance.now();
  const scan = cache.get('file:///bench.py', 1, text);
  const u = scan.usageAtPosition(line, character);
  lookupTimes.push(performance.now() - s);
  if (u) hits++;
}
lookupTimes.sort((a, b) => a - b);
// Batched timing gives the true mean below the timer's resolution.
t0 = performance.now();
for (const [line, character] of positions) cache.get('file:///bench.py', 1, text).usageAtPosition(line, character);
const lookupMeanMs = (performance.now() - t0) / positions.length;

// Baselines in the same run.
const linearTimes: number[] = [];
for (const [line, character] of positions.slice(0, 20_000)) {
  const s = performance.now();
  linearUsageAt(first.usages, first.offsetAt(line, character));
  linearTimes.push(performance.now() - s);
}
linearTimes.sort((a, b) => a - b);
const rescanTimes: number[] = [];
for (const [line, character] of positions.slice(0, 10)) {
  const s = performance.now();
  scanSource(text, index).usageAtPosition(line, character);
  rescanTimes.push(performance.now() - s);
}

// 3. Throughput: many small files (in memory), and one 1 MB line.
const small = [...pyFiles(path.join(root, 'test', 'unit', 'detect', 'fixtures')), ...pyFiles(path.join(root, 'samples'))].map((f) => readFileSync(f, 'utf8'));
const smallBytes = small.reduce((n, s) => n + Buffer.byteLength(s), 0);
let files = 0;
let bytes = 0;
t0 = performance.now();
while (performance.now() - t0 < 1000) {
  for (const s of small) scanSource(s, index);
  files += small.length;
  bytes += smallBytes;
}
const elapsedS = (performance.now() - t0) / 1000;

// The same, as a user runs it: `paperlens scan --json <folder>` (dist/cli.js, so `npm run build`
// first) over a folder of 2,000 files on disk, checks included, start-up included.
function folderScan(): { files: number; mb: number; ms: number; usages: number } | null {
  const cli = path.join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-scan-'));
  try {
    let written = 0;
    let total = 0;
    for (let i = 0; written < 2000; i++) {
      const sub = path.join(dir, `pkg${Math.floor(written / 100)}`);
      mkdirSync(sub, { recursive: true });
      const source = small[i % small.length];
      writeFileSync(path.join(sub, `module_${written}.py`), source);
      total += Buffer.byteLength(source);
      written++;
    }
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, 'scan', '--json', '--no-progress', dir], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const ms = performance.now() - started;
    if (run.status !== 0 && run.status !== 1) throw new Error(`paperlens scan exited ${run.status}: ${run.stderr.slice(0, 500)}`);
    const out = JSON.parse(run.stdout) as { files: { usages: unknown[] }[] };
    return { files: out.files.length, mb: total / 1e6, ms, usages: out.files.reduce((n, f) => n + f.usages.length, 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const folder = folderScan();

const oneLine = `import torch.nn.functional as F\nx = ${'F.cross_entropy(a, b) + '.repeat(Math.ceil(1_000_000 / 24))}0\n`;
t0 = performance.now();
const oneLineScan = scanSource(oneLine, index);
const oneLineMs = performance.now() - t0;

const result = {
  machine: { cpus: os.cpus().length, loadAverage: +os.loadavg()[0].toFixed(2), node: process.version, registry: registrySource, concepts: concepts.length },
  detection: {
    lines: lineCount,
    chars: text.length,
    usages: first.usages.length,
    firstScanMs: +firstScanMs.toFixed(2),
    firstScanCpuMs: +firstScanCpuMs.toFixed(2),
    warmScanMedianMs: +median(warmScans).toFixed(2),
    warmScanMedianCpuMs: +median(warmCpu).toFixed(2),
    warmScanBestCpuMs: +Math.min(...warmCpu).toFixed(2),
    lookupP50Ms: +percentile(lookupTimes, 50).toFixed(5),
    lookupP99Ms: +percentile(lookupTimes, 99).toFixed(5),
    lookupMeanMs: +lookupMeanMs.toFixed(6),
    lookupHitRate: +(hits / positions.length).toFixed(3),
    baselineLinearSearchP50Ms: +percentile(linearTimes, 50).toFixed(5),
    baselineLinearSearchP99Ms: +percentile(linearTimes, 99).toFixed(5),
    baselineRescanPerHoverMedianMs: +median(rescanTimes).toFixed(2),
    scanFilesPerSec: folder ? Math.round(folder.files / (folder.ms / 1000)) : null,
    scanMBPerSec: folder ? +(folder.mb / (folder.ms / 1000)).toFixed(1) : null,
    folderScan: folder && { files: folder.files, mb: +folder.mb.toFixed(2), ms: +folder.ms.toFixed(0), usages: folder.usages },
    inMemoryFilesPerSec: Math.round(files / elapsedS),
    inMemoryMBPerSec: +(bytes / 1e6 / elapsedS).toFixed(1),
    oneMegabyteLineMs: +oneLineMs.toFixed(2),
    oneMegabyteLineUsages: oneLineScan.usages.length,
  },
};

if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const d = result.detection;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(0)}×` : 'n/a');
  console.log(`PaperLens detector benchmark — ${result.machine.cpus} CPUs (load ${result.machine.loadAverage}), Node ${result.machine.node}, registry: ${registrySource} (${concepts.length} concepts)`);
  console.log('The detector as shipped (esbuild bundle, minified). Wall time, and this thread\'s CPU time where a scan is timed.');
  console.log(`document: ${d.lines.toLocaleString()} lines, ${(d.chars / 1e6).toFixed(2)} M chars, ${d.usages.toLocaleString()} loss usages`);
  console.log('');
  console.log(`first scan (cold)            ${d.firstScanMs.toFixed(2)} ms wall, ${d.firstScanCpuMs.toFixed(2)} ms CPU`);
  console.log(`full scan (warm, 40 runs)    median ${d.warmScanMedianMs.toFixed(2)} ms wall, ${d.warmScanMedianCpuMs.toFixed(2)} ms CPU; best ${d.warmScanBestCpuMs.toFixed(2)} ms CPU`);
  console.log(`hover lookup p50 / p99       ${(d.lookupP50Ms * 1000).toFixed(2)} µs / ${(d.lookupP99Ms * 1000).toFixed(2)} µs   (mean ${(d.lookupMeanMs * 1000).toFixed(3)} µs, ${positions.length.toLocaleString()} positions, ${(d.lookupHitRate * 100).toFixed(0)}% on a loss)`);
  console.log(`  vs linear search p50 / p99 ${(d.baselineLinearSearchP50Ms * 1000).toFixed(2)} µs / ${(d.baselineLinearSearchP99Ms * 1000).toFixed(2)} µs   → binary search ${ratio(d.baselineLinearSearchP99Ms, d.lookupP99Ms)} faster at p99`);
  console.log(`  vs rescan on every hover   ${d.baselineRescanPerHoverMedianMs.toFixed(2)} ms   → cache ${ratio(d.baselineRescanPerHoverMedianMs, d.lookupP50Ms)} faster at p50`);
  console.log(`throughput (small files)     ${d.inMemoryFilesPerSec.toLocaleString()} files/s, ${d.inMemoryMBPerSec} MB/s (in memory, detector only)`);
  if (d.folderScan) console.log(`paperlens scan <folder>      ${d.scanFilesPerSec?.toLocaleString()} files/s, ${d.scanMBPerSec} MB/s (${d.folderScan.files.toLocaleString()} files, ${d.folderScan.mb} MB on disk, checks and start-up included: ${d.folderScan.ms} ms)`);
  else console.log('paperlens scan <folder>      skipped: dist/cli.js is missing (npm run build)');
  console.log(`one 1 MB line                ${d.oneMegabyteLineMs.toFixed(2)} ms, ${d.oneMegabyteLineUsages.toLocaleString()} usages`);
}
