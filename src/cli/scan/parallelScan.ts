/**
 * `paperlens scan` over a whole repository on every core: files are read and scanned by worker
 * threads (each sets up its own detector and checks once, see fileScanner.ts), handed out in small
 * batches as workers finish (a thread that drew large files does not hold the others up), and the
 * results come back in the files' order — streamed to `onResult` as soon as every earlier file is
 * done, so output can start before the scan ends. A file that cannot be read is an `error` result,
 * never the end of the scan; a worker that dies fails the scan with its error.
 *
 * Few files (fewer than {@link MIN_FILES_PER_THREAD} per thread) or one thread: scanned on the
 * calling thread, since starting a worker (loading the bundle and the concepts) costs more.
 *
 * To use it in src/cli/commands/scan.ts (after the h-checks merge), replace the batch loop over
 * `files` with:
 *
 *   const results = await scanFilesInParallel(files.map((f) => f.abs), { setup: { dataDir: io.dataDir, rules },
 *     onProgress: showProgress ? (done, total) => { if (done % PROGRESS_EVERY === 0 || done === total) io.err(`paperlens scan: ${done}/${total} files`); } : undefined });
 *   results.forEach((r, i) => 'error' in r ? output.errors.push({ path: files[i].shown, message: r.error })
 *     : output.files.push({ path: files[i].shown, usages: r.usages, findings: r.findings }));
 *
 * and have fileScanner.ts call scan.ts's `scanFile`/`loadData` (exported) rather than mirror them.
 * esbuild.config.mjs bundles the worker as dist/scanWorker.js, next to dist/cli.js.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createFileScanner, type FileScannerSetup, type FileScanResult } from './fileScanner';

/** Below this many files per thread, threads cost more than they save. */
export const MIN_FILES_PER_THREAD = 32;
/** Files handed to a worker at a time. */
const BATCH = 8;

export interface ParallelScanOptions {
  setup: FileScannerSetup;
  /** Worker threads; default: the cores available (os.availableParallelism). */
  threads?: number;
  /** The worker script; default: scanWorker.js beside this module (the bundle), else scanWorker.ts. */
  workerPath?: string;
  /** Each file's result, in the files' order, as soon as it and every earlier one are done. */
  onResult?: (index: number, result: FileScanResult) => void;
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

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = String((err as { code: unknown }).code);
    const known: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory' };
    if (known[code]) return known[code];
  }
  return err instanceof Error ? err.message : String(err);
}

/** Reads and scans one file (the worker's job, and the single-thread path's). */
export async function readAndScan(scan: (file: string, text: string) => FileScanResult, file: string): Promise<FileScanResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { error: errorMessage(err) };
  }
  return scan(file, text);
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

  const available = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const threads = Math.max(1, Math.min(options.threads ?? available, Math.floor(total / MIN_FILES_PER_THREAD)));
  if (threads <= 1) {
    const scan = createFileScanner(options.setup);
    for (let i = 0; i < total; i++) {
      if (options.signal?.aborted) throw abortError();
      deliver(i, await readAndScan(scan, files[i]));
    }
    return results as FileScanResult[];
  }

  const workerPath = options.workerPath ?? defaultWorkerPath();
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      let busy = 0;
      const fail = (err: Error) => {
        if (finished) return;
        finished = true;
        reject(err);
      };
      const handOut = (worker: Worker): boolean => {
        if (options.signal?.aborted) {
          fail(abortError());
          return false;
        }
        if (next >= total) return false;
        const batch: { index: number; file: string }[] = [];
        // Smaller batches at the end, so that threads finish together.
        const size = Math.max(1, Math.min(BATCH, Math.ceil((total - next) / (threads * 2))));
        for (; batch.length < size && next < total; next++) batch.push({ index: next, file: files[next] });
        worker.postMessage({ batch } satisfies ToWorker);
        busy++;
        return true;
      };
      options.signal?.addEventListener('abort', () => fail(abortError()), { once: true });
      for (let t = 0; t < threads; t++) {
        const worker = workerPath.endsWith('.ts')
          // From sources (tests, the bench): the worker registers tsx itself, as a loader given on
          // the parent's command line does not reach worker threads.
          ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerPath)});`, { eval: true, workerData: options.setup })
          : new Worker(workerPath, { workerData: options.setup });
        workers.push(worker);
        worker.on('message', (message: FromWorker) => {
          if (finished) return;
          if ('failed' in message) {
            fail(new Error(`scan worker: ${message.failed}`));
            return;
          }
          if ('results' in message) {
            busy--;
            for (const r of message.results) deliver(r.index, r.result);
          }
          if (!handOut(worker) && busy === 0 && done === total) {
            finished = true;
            resolve();
          }
        });
        worker.on('error', (err) => fail(err));
        worker.on('exit', (code) => {
          if (!finished && code !== 0) fail(new Error(`scan worker exited with code ${code}`));
        });
      }
      if (total === 0) {
        finished = true;
        resolve();
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results as FileScanResult[];
}
