/**
 * Helpers every bench section shares: a seeded random sequence, percentiles and medians, the
 * interleaved A/B measurement that survives a loaded machine, the goal entries of
 * `npm run bench -- --json`, and a monitor of the longest host-thread slice.
 *
 * Why interleaved. On a shared machine another job can halve this one's speed for seconds at a
 * time; two figures measured minutes apart then compare the load, not the code. Measuring A, B, A,
 * B… in rounds, each round's A next to its B, and taking medians, makes the ratio A/B hold while
 * absolute times swing (both sides see the same load, within a round).
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32), so runs are comparable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Median of any list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** One goal of the issue, as `npm run bench -- --json` lists it. */
export interface Goal {
  name: string;
  /** The measured figure (ms, a recall, …). */
  value: number | null;
  /** What it is compared with, measured in the same run (null: the baseline could not run). */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  goal: number;
  direction: '<=' | '>=';
  /** Whether ratio meets the goal (null when not measured). */
  met?: boolean | null;
  /** How it was measured, or why it was not. */
  note?: string;
}

export function goal(name: string, value: number | null, baseline: number | null, target: number, direction: '<=' | '>=', note?: string): Goal {
  const ratio = value !== null && baseline !== null && Number.isFinite(value) && Number.isFinite(baseline) && baseline !== 0 ? value / baseline : null;
  const met = ratio === null ? null : direction === '<=' ? ratio <= target : ratio >= target;
  return { name, value: round(value), baseline: round(baseline), ratio: round(ratio, 4), goal: target, direction, met, ...(note ? { note } : {}) };
}

export function round(n: number | null, digits = 3): number | null {
  if (n === null || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Result of {@link interleave}: every sample of A and of B, and their medians. */
export interface Interleaved {
  a: number[];
  b: number[];
  medianA: number;
  medianB: number;
  /** median(A) / median(B). */
  ratio: number;
}

/**
 * Runs `a` and `b` alternately for `rounds` rounds (A, B, A, B…; the order flips every round so
 * that neither always runs second, on a warmer cache) and returns their timings (ms, or whatever
 * the functions return when they return a number).
 */
export async function interleave(rounds: number, a: () => unknown, b: () => unknown): Promise<Interleaved> {
  const as: number[] = [];
  const bs: number[] = [];
  const time = async (f: () => unknown): Promise<number> => {
    const started = performance.now();
    const r = await f();
    return typeof r === 'number' ? r : performance.now() - started;
  };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      as.push(await time(a));
      bs.push(await time(b));
    } else {
      bs.push(await time(b));
      as.push(await time(a));
    }
  }
  const medianA = median(as);
  const medianB = median(bs);
  return { a: as, b: bs, medianA, medianB, ratio: medianA / medianB };
}

/** Times `f` in ms (its own figure when it returns a number). */
export async function timed(f: () => unknown): Promise<number> {
  const started = performance.now();
  const r = await f();
  return typeof r === 'number' ? r : performance.now() - started;
}

let gcFn: (() => void) | undefined;
/** A full garbage collection (twice, so that finalised objects go too). */
export function gc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

/** CPU time of this process's main thread in ms (Linux; NaN elsewhere). */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * Watches the event loop: a setImmediate chain notes the longest gap between two of its turns —
 * the longest a keystroke or a hover would have waited on this thread — as wall time, and as the
 * CPU time this thread spent in that gap (wall time also counts the time a loaded machine gave
 * the thread to other processes; CPU time is the work the code did without yielding).
 */
export function sliceMonitor(): { stop(): { wallMs: number; cpuMs: number } } {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let wallMs = 0;
  let cpuMs = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    const cpu = threadCpuMs();
    if (now - last > wallMs) wallMs = now - last;
    if (cpu - lastCpu > cpuMs) cpuMs = cpu - lastCpu;
    last = now;
    lastCpu = cpu;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      return { wallMs: Math.max(wallMs, performance.now() - last), cpuMs: Math.max(cpuMs, threadCpuMs() - lastCpu) };
    },
  };
}

/** Formats ms for tables. */
export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(3);
}

/** Parses `--name value` from argv. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
