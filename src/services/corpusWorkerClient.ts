/**
 * Parses users' corpus files off the extension host's thread, in a worker (userCorpusWorker.ts).
 * When a worker cannot be started, the same bundle is `require`d and runs here in 8 ms slices.
 * No `vscode` import and no static import of the parsers: extension.js stays free of the BibTeX
 * library, and the measurement script can use this client as the editor does.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ConceptNames } from '../core/papers/conceptInference';
import { TimeSlicer } from '../core/papers/slicer';
import type { Paper } from '../core/papers/types';
import type { CorpusLoadResult } from '../core/papers/userCorpus';
import type { PaperBatch, ParseInput, ParserState, WorkerReply, WorkerRequest } from './userCorpusWorker';

export interface ParseRequest {
  input: ParseInput;
  /** Name recorded in issues and `sources`. */
  label: string;
  keepSource?: boolean;
  /** Characters done and total, now and then. */
  onProgress?: (done: number, total: number) => void;
}

/** A parse's result, or `cancelled` when a newer parse of the same input replaced it. */
export type ParseOutcome = (CorpusLoadResult & { cancelled?: false }) | { cancelled: true };

interface Pending {
  request: ParseRequest;
  papers: Paper[];
  sourceTexts: string[];
  resolve: (outcome: ParseOutcome) => void;
  reject: (err: Error) => void;
}

/** The cache key of an input: a newer parse with the same key cancels an older one. */
function keyOf(input: ParseInput): string | undefined {
  return input.kind === 'file' ? input.file : input.kind === 'bytes' ? input.cacheKey : undefined;
}

export class CorpusWorkerClient {
  private worker: Worker | undefined;
  private workerFailed = false;
  private workerDeaths = 0;
  private inThread: ParserState | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The latest parse id per input key: an older one still running is cancelled. */
  private readonly latest = new Map<string, number>();
  private concepts: ConceptNames[] | null = null;
  /** Longest slice of in-thread parsing (the fallback), in ms. */
  longestInThreadSliceMs = 0;

  /**
   * @param workerPath the bundled worker (dist/userCorpusWorker.js).
   * @param log where to say that the fallback is in use.
   */
  constructor(private readonly workerPath: string, private readonly log: (message: string) => void = () => {}) {}

  /** Concept names for explicit tags and inference, used from the next parse on. */
  setConcepts(concepts: ConceptNames[] | null): void {
    this.concepts = concepts;
    this.worker?.postMessage({ type: 'concepts', concepts } satisfies WorkerRequest);
    this.inThread?.setConcepts(concepts);
  }

  /** True when parsing happens in the worker thread. */
  get usesWorker(): boolean {
    return this.ensureWorker() !== undefined;
  }

  /** Parses one input; a newer parse of the same file cancels an older one still running. */
  parse(request: ParseRequest): Promise<ParseOutcome> {
    const id = this.nextId++;
    const key = keyOf(request.input);
    const previous = key === undefined ? undefined : this.latest.get(key);
    if (key !== undefined) this.latest.set(key, id);
    const worker = this.ensureWorker();
    if (!worker) return this.parseInThread(request, id, key);
    if (previous !== undefined && this.pending.has(previous)) worker.postMessage({ type: 'cancel', id: previous } satisfies WorkerRequest);
    return new Promise<ParseOutcome>((resolve, reject) => {
      this.pending.set(id, { request, papers: [], sourceTexts: [], resolve, reject });
      worker.postMessage({ type: 'parse', id, input: request.input, label: request.label, keepSource: request.keepSource } satisfies WorkerRequest);
    });
  }

  /** Drops what is cached for an input key (a file that was deleted or left the settings). */
  forget(key: string): void {
    this.latest.delete(key);
    this.inThread?.forget(key);
    this.worker?.postMessage({ type: 'forget', key } satisfies WorkerRequest);
  }

  dispose(): void {
    for (const p of this.pending.values()) p.resolve({ cancelled: true });
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private async parseInThread(request: ParseRequest, id: number, key: string | undefined): Promise<ParseOutcome> {
    if (!this.inThread) {
      if (!existsSync(this.workerPath)) throw new Error(`PaperLens is not built: ${this.workerPath} is missing (run \`npm run build\`)`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(this.workerPath) as typeof import('./userCorpusWorker');
      this.inThread = mod.createParserState();
      this.inThread.setConcepts(this.concepts);
    }
    const slicer = new TimeSlicer(8);
    const cancellable = {
      tick: async () => {
        await slicer.tick();
        if (key !== undefined && this.latest.get(key) !== id) throw new CancelledParse();
      },
    };
    try {
      return await this.inThread.parse(request.input, request.label, { slicer: cancellable, onProgress: request.onProgress, keepSource: request.keepSource });
    } catch (err) {
      if (err instanceof CancelledParse) return { cancelled: true };
      throw err;
    } finally {
      slicer.finish();
      this.longestInThreadSliceMs = Math.max(this.longestInThreadSliceMs, slicer.longestSliceMs);
    }
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerFailed) return this.worker;
    if (!existsSync(this.workerPath)) {
      this.workerFailed = true;
      this.log(`Corpus worker not found at ${this.workerPath}; parsing in the extension host in short slices.`);
      return undefined;
    }
    try {
      const worker = new Worker(this.workerPath);
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (err) => this.onWorkerDeath(worker, err));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.onWorkerDeath(worker, new Error(`corpus worker exited with code ${code}`));
      });
      // Do not keep a process (the CLI, a test) alive for an idle worker.
      worker.unref();
      this.worker = worker;
      worker.postMessage({ type: 'concepts', concepts: this.concepts } satisfies WorkerRequest);
      return worker;
    } catch (err) {
      this.workerFailed = true;
      this.log(`Corpus worker did not start (${err instanceof Error ? err.message : String(err)}); parsing in the extension host in short slices.`);
      return undefined;
    }
  }

  private onReply(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    switch (reply.type) {
      case 'progress':
        p.request.onProgress?.(reply.done, reply.total);
        break;
      case 'papers': {
        for (const paper of unpackPapers(reply.batch)) p.papers.push(paper);
        if (reply.sourceTexts) for (const t of reply.sourceTexts) p.sourceTexts.push(t);
        // Ask for the next batch only after yielding, so other work runs between batches.
        const worker = this.worker;
        setImmediate(() => worker?.postMessage({ type: 'ack', id: reply.id } satisfies WorkerRequest));
        break;
      }
      case 'done':
        this.pending.delete(reply.id);
        if (reply.cancelled) p.resolve({ cancelled: true });
        else {
          p.resolve({
            papers: p.papers, issues: reply.issues, entries: reply.entries, failed: reply.failed,
            ...(reply.unreadable ? { unreadable: reply.unreadable } : {}),
            ...(p.request.keepSource ? { sourceTexts: p.sourceTexts } : {}),
          });
        }
        break;
      case 'failed':
        this.pending.delete(reply.id);
        p.reject(new Error(reply.message));
        break;
    }
  }

  /** A crashed worker fails its parses; the next parse starts a new one (after 3 crashes: in-thread). */
  private onWorkerDeath(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.log(`Corpus worker stopped: ${err.message}`);
    this.worker = undefined;
    if (++this.workerDeaths >= 3) this.workerFailed = true;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(err);
    }
  }
}

class CancelledParse extends Error {}

/** The papers of a batch, their shared strings restored in place (see `PaperBatch`). */
export function unpackPapers({ strings, papers }: PaperBatch): Paper[] {
  for (const p of papers) {
    const paper = p as unknown as { authors: (number | string)[]; sources: (number | string)[]; venue: number | string | null; concepts: { id: number | string; relation: number | string }[] };
    for (let i = 0; i < paper.authors.length; i++) paper.authors[i] = strings[paper.authors[i] as number];
    for (let i = 0; i < paper.sources.length; i++) paper.sources[i] = strings[paper.sources[i] as number];
    if (typeof paper.venue === 'number') paper.venue = strings[paper.venue];
    for (const c of paper.concepts) {
      c.id = strings[c.id as number];
      c.relation = strings[c.relation as number];
    }
  }
  return papers as unknown as Paper[];
}
