/**
 * `paperlens scan` over a whole repository on every core: files are read and scanned by the
 * calling thread and worker threads (each sets up its own detector and checks once,
 * src/services/treeScan.ts; `threads` counts the calling thread), handed out in small batches
 * as threads finish (a thread that drew large files does not hold the others
 * up), and the results come back in the files' order — streamed to `onResult` as soon as every
 * earlier file is done, so output can start before the scan ends. A file that cannot be read is
 * an `error` result, never the end of the scan; a worker that dies fails the scan with its error.
 *
 * A small tree (fewer than {@link MIN_FILES_PER_THREAD} files per thread) or one thread is
 * scanned on the calling thread, since starting a worker (loading the bundle and the concepts)
 * costs more than it saves. Either way each file's result is the same: every thread scans with
 * the same function and follows imports into the same files.
 *
 * esbuild.config.mjs bundles the worker as dist/scanWorker.js, next to dist/cli.js.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileScanResult } from '../../services/fileScan';
import { createTreeScanner, readAndScan, type TreeScanner, type TreeScanSetup } from '../../services/treeScan';

/**
 * Below this many files per thread, threads cost more than they save: a worker's start (its
 * bundle, concepts.json, the loss index, a cold JIT) costs about as much CPU as scanning 100
 * typical files (bench/vsTree.ts's tree: ~1.4 ms a file, ~0.15 s a worker start).
 */
export const MIN_FILES_PER_THREAD = 128;
/** At most this many worker threads: each holds its own concepts and index, and disks saturate. */
export const MAX_THREADS = 8;
/** Files handed to a worker at a time. */
const BATCH = 8;

export interface ParallelScanOptions {
  setup: TreeScanSetup;
  /** Threads to use, exactly (at most one per file); default: {@link threadsFor} the files. */
  threads?: number;
  /** The worker script; default: scanWorker.js beside this module (the bundle), else scanWorker.ts. */
  workerPath?: string;
  /** The calling thread's scanner, when it already has the data loaded (it scans on every path). */
  scanner?: TreeScanner;
  /**
   * With more than one thread, whether the calling thread scans batches too (default: yes, it is
   * one of the `threads`); false leaves every file to `threads - 1` workers (the tests use it to
   * prove the workers' results equal the calling thread's).
   */
  callerScans?: boolean;
  /** Each file's result, in the files' order, as soon as it and every earlier one are done. */
  onResult?: (index: number, result: FileScanResult) => void;
  /** Files finished so far (in any order). */
  onProgress?: (done: number, total: number) => void;
  /** Stops handing out files; the promise rejects with `AbortError`. */
  signal?: AbortSignal;
}

/** Messages between the pool and its workers. */
export type ToWorker = { batch: { index: number; file: string }[] } | { stop: true };
export type FromWorker = { ready: true } | { results: { index: number; result: FileScanResult }[] } | { failed: string };

function defaultWorkerPath(): string {
  const bundled = path.join(__dirname, 'scanWorker.js');
  if (existsSync(bundled)) return bundled;
  return path.join(__dirname, 'scanWorker.ts');
}

/** The cores this process may use. */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * The cores that are idle: the cores less the one-minute load average (as `make -l` and
 * `ninja -l` judge it), at least 1. On a machine already running more than it has cores, more
 * threads get no more CPU and each pays its start-up (measured: 2 threads took 8.0–8.4 s and
 * 3.6–3.9 s of CPU where 1 took 6.1–6.7 s and 2.7–3.1 s, at load average 13 on 2 cores).
 * `os.loadavg()` is 0 on Windows: every core counts there.
 */
export function idleCores(cores = availableCores(), load = os.loadavg()[0]): number {
  return Math.max(1, Math.min(cores, cores - Math.floor(load)));
}

/**
 * Threads for `total` files (the calling thread counts as one): the threads asked for (default:
 * the idle cores, at most {@link MAX_THREADS}), but no more than one per
 * {@link MIN_FILES_PER_THREAD} files; 1 means the calling thread scans alone.
 */
export function threadsFor(total: number, requested?: number): number {
  const wanted = requested ?? Math.min(idleCores(), MAX_THREADS);
  return Math.max(1, Math.min(wanted, Math.floor(total / MIN_FILES_PER_THREAD)));
}

function abortError(): Error {
  const err = new Error('scan cancelled');
  err.name = 'AbortError';
  return err;
}

/** Scans `files` (absolute paths); results in the same order. */
export async function scanFilesInParallel(files: readonly string[], options: ParallelScanOptions): Promise<FileScanResult[]> {
  const total = files.length;
  const results: (FileScanResult | undefined)[] = new Array(total);
  let emitted = 0;
  let done = 0;
  const deliver = (index: number, result: FileScanResult) => {
    results[index] = result;
    done++;
    while (emitted < total && results[emitted] !== undefined) {
      options.onResult?.(emitted, results[emitted]!);
      emitted++;
    }
    options.onProgress?.(done, total);
  };

  const threads = Math.max(1, Math.min(options.threads ?? threadsFor(total), total));
  const scan = options.scanner ?? createTreeScanner(options.setup);
  if (threads <= 1) {
    for (let i = 0; i < total; i++) {
      if (options.signal?.aborted) throw abortError();
      deliver(i, readAndScan(scan, files[i]));
      // Let an abort (or a progress consumer's I/O) through now and then.
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    return results as FileScanResult[];
  }

  // The calling thread is one of the `threads`: it scans batches too, between handing them out.
  const workerPath = options.workerPath ?? defaultWorkerPath();
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const fail = (err: Error) => {
        if (finished) return;
        finished = true;
        reject(err);
      };
      const finishIfDone = () => {
        if (!finished && done === total) {
          finished = true;
          resolve();
        }
      };
      const takeBatch = (): { index: number; file: string }[] => {
        const batch: { index: number; file: string }[] = [];
        // Smaller batches at the end, so that threads finish together.
        const size = Math.max(1, Math.min(BATCH, Math.ceil((total - next) / (threads * 2))));
        for (; batch.length < size && next < total; next++) batch.push({ index: next, file: files[next] });
        return batch;
      };
      const handOut = (worker: Worker): void => {
        if (options.signal?.aborted) return fail(abortError());
        const batch = takeBatch();
        if (batch.length) worker.postMessage({ batch } satisfies ToWorker);
      };
      options.signal?.addEventListener('abort', () => fail(abortError()), { once: true });
      for (let t = 1; t < threads; t++) {
        const worker = workerPath.endsWith('.ts')
          // From sources (tests, the bench): the worker registers tsx itself, as a loader given on
          // the parent's command line does not reach worker threads.
          ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerPath)});`, { eval: true, workerData: options.setup })
          : new Worker(workerPath, { workerData: options.setup });
        workers.push(worker);
        worker.on('message', (message: FromWorker) => {
          if (finished) return;
          if ('failed' in message) return fail(new Error(message.failed));
          if ('ready' in message) {
            // Two batches in flight: the next one waits in the worker's queue while the main
            // thread is busy scanning its own.
            handOut(worker);
            handOut(worker);
            return;
          }
          for (const r of message.results) deliver(r.index, r.result);
          handOut(worker);
          finishIfDone();
        });
        worker.on('error', (err) => fail(err));
        worker.on('exit', (code) => {
          if (!finished && code !== 0) fail(new Error(`scan worker exited with code ${code}`));
        });
      }
      const scanOnThisThread = async () => {
        // While workers start (loading their bundle and the concepts), this thread already scans.
        while (!finished && next < total) {
          if (options.signal?.aborted) return fail(abortError());
          for (const { index, file } of takeBatch()) deliver(index, readAndScan(scan, file));
          finishIfDone();
          // Let the workers' results and requests for more in.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      if (options.callerScans !== false) scanOnThisThread().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results as FileScanResult[];
}

