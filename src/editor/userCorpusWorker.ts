/**
 * Worker thread that reads and parses users' corpus files, so that a 50 MB `.bib` never occupies
 * the extension host's thread. Bundled to dist/userCorpusWorker.js and spoken to by
 * corpusWorkerClient.ts. No `vscode` here: the worker only reads files and runs src/core.
 *
 * The bundle is also the only place the BibTeX library lives (it is ~550 kB with its LaTeX parser):
 * when a worker cannot be started, the client `require`s this file and calls {@link parseInThread}
 * in the extension host, in short slices, so extension.js never carries the parser.
 *
 * Papers go back in batches, so that the host never deserialises one huge message at once. Each
 * file's BibTeX conversions are cached here between loads, so that saving a file after editing
 * one entry converts only that entry.
 */
import { parentPort } from 'node:worker_threads';
import { BibtexCache } from '../core/papers/bibtexImport';
import { ConceptMatcher, type ConceptNames } from '../core/papers/conceptInference';
import type { CorpusFormat } from '../core/papers/corpusPaths';
import type { Slicer } from '../core/papers/slicer';
import type { LoadIssue, Paper } from '../core/papers/types';
import { loadCorpusBytes, loadCorpusFile, loadCorpusText, type CorpusLoadOptions, type CorpusLoadResult } from '../core/papers/userCorpus';

/** What to parse: a file on disk, bytes read by the host (virtual file systems), or text (a pasted entry). */
export type ParseInput =
  | { kind: 'file'; file: string }
  | { kind: 'bytes'; bytes: Uint8Array; cacheKey: string }
  | { kind: 'text'; text: string; format: CorpusFormat };

/** Host → worker. */
export type WorkerRequest =
  | { type: 'concepts'; concepts: ConceptNames[] | null }
  | { type: 'parse'; id: number; input: ParseInput; label: string; keepSource?: boolean }
  | { type: 'cancel'; id: number }
  | { type: 'forget'; key: string }
  /** The host took a batch of papers and is ready for the next. */
  | { type: 'ack'; id: number };

/** Worker → host. */
export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  /** The next papers, in order; `restart`: drop the papers sent so far for this parse first. */
  | { type: 'papers'; id: number; papers: Paper[]; sourceTexts?: string[]; restart?: boolean }
  | { type: 'done'; id: number; issues: LoadIssue[]; entries: number; failed: number; unreadable?: string; cancelled?: boolean }
  | { type: 'failed'; id: number; message: string };

/**
 * Papers per message: small enough that deserialising one message stays a few milliseconds on the
 * host. The next batch is sent only when the host acknowledges the last one: Node delivers queued
 * port messages in one go, so 60,000 papers sent at once would block the host for over a second.
 * Batches go out while the file is still being parsed, so the host's share of the work (receiving
 * and keeping the papers) runs alongside the parse on a second core instead of after it.
 */
export const BATCH = 250;

/** Longest stretch of parsing between two looks at the message queue (acknowledgements, cancels). */
const SLICE_MS = 10;

/** Parsing state that lives as long as the worker (or the in-thread fallback). */
export class ParserState {
  private matcher: ConceptMatcher | undefined;
  private known: ((id: string) => boolean) | undefined;
  private readonly caches = new Map<string, BibtexCache>();

  setConcepts(concepts: ConceptNames[] | null): void {
    this.matcher = concepts ? new ConceptMatcher(concepts) : undefined;
    const ids = new Set((concepts ?? []).map((c) => c.id));
    this.known = concepts ? (id) => ids.has(id) : undefined;
  }

  forget(key: string): void {
    this.caches.delete(key);
  }

  /** Parses one input; `slicer` decides when to yield (and may throw to cancel). */
  parse(input: ParseInput, label: string, extra: Pick<CorpusLoadOptions, 'slicer' | 'onProgress' | 'keepSource' | 'onPaper'>): Promise<CorpusLoadResult> {
    const options: CorpusLoadOptions = { matcher: this.matcher, knownConcept: this.known, ...extra };
    switch (input.kind) {
      case 'file':
        return loadCorpusFile(input.file, { ...options, cache: this.cacheFor(input.file) }, label);
      case 'bytes':
        return loadCorpusBytes(input.bytes, label, { ...options, cache: this.cacheFor(input.cacheKey), pageYear: new Date().getFullYear() });
      case 'text':
        return loadCorpusText(input.text, label, { ...options, format: input.format, pageYear: new Date().getFullYear() });
    }
  }

  private cacheFor(key: string): BibtexCache {
    let cache = this.caches.get(key);
    if (!cache) this.caches.set(key, (cache = new BibtexCache()));
    return cache;
  }
}

/** The in-thread fallback's entry point (see the file comment). */
export function createParserState(): ParserState {
  return new ParserState();
}

export type { Slicer };

class Cancelled extends Error {}

if (parentPort) {
  const port = parentPort;
  const state = new ParserState();
  const cancelled = new Set<number>();
  /** What an acknowledgement (or a cancel) of a parse's batch does. */
  const acks = new Map<number, () => void>();
  let queue: Promise<void> = Promise.resolve();

  const parse = async (msg: Extract<WorkerRequest, { type: 'parse' }>): Promise<void> => {
    const { id } = msg;
    if (cancelled.delete(id)) {
      port.postMessage({ type: 'done', id, issues: [], entries: 0, failed: 0, cancelled: true } satisfies WorkerReply);
      return;
    }
    // Papers waiting to be sent, and whether a batch is out without its acknowledgement.
    const outbox: Paper[] = [];
    const outTexts: string[] = [];
    let inFlight = false;
    let sent: Paper | undefined;
    let sentCount = 0;
    const sendBatch = (restart = false): void => {
      inFlight = true;
      const papers = outbox.splice(0, BATCH);
      const sourceTexts = msg.keepSource ? outTexts.splice(0, BATCH) : undefined;
      sentCount = restart ? papers.length : sentCount + papers.length;
      sent = papers[papers.length - 1] ?? sent;
      port.postMessage({ type: 'papers', id, papers, ...(sourceTexts ? { sourceTexts } : {}), ...(restart ? { restart } : {}) } satisfies WorkerReply);
    };
    let finishing = false;
    let waiter: (() => void) | undefined;
    acks.set(id, () => {
      inFlight = false;
      if (!finishing && outbox.length >= BATCH) sendBatch();
      const w = waiter;
      waiter = undefined;
      w?.();
    });
    /** Resolves once no batch is waiting for its acknowledgement (or the parse was cancelled). */
    const idle = async (): Promise<void> => {
      if (inFlight) await new Promise<void>((resolve) => (waiter = resolve));
      if (cancelled.has(id)) throw new Cancelled();
    };
    // Yield now and then, so that acknowledgements and a "cancel" for this parse can arrive.
    let sliceStart = performance.now();
    const slicer: Slicer = {
      tick: async () => {
        if (performance.now() - sliceStart < SLICE_MS) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
        if (cancelled.has(id)) throw new Cancelled();
      },
    };
    let lastProgress = 0;
    try {
      const result = await state.parse(msg.input, msg.label, {
        slicer,
        keepSource: msg.keepSource,
        onProgress: (done, total) => {
          // About every 2% of the file: enough for a progress bar, few messages.
          if (done - lastProgress >= total / 50 || done === total) {
            lastProgress = done;
            port.postMessage({ type: 'progress', id, done, total } satisfies WorkerReply);
          }
        },
        onPaper: (paper, sourceText) => {
          outbox.push(paper);
          if (msg.keepSource) outTexts.push(sourceText ?? '');
          if (!inFlight && outbox.length >= BATCH) sendBatch();
        },
      });
      // The papers streamed so far are normally the result's first ones; if the load failed late
      // (the result is then empty), the host starts over with the result.
      const streamed = sentCount + outbox.length;
      const prefix = streamed <= result.papers.length && (streamed === 0 || result.papers[streamed - 1] === (outbox[outbox.length - 1] ?? sent));
      let restart = !prefix && sentCount > 0;
      if (!prefix) {
        outbox.length = 0;
        outTexts.length = 0;
      }
      for (let i = prefix ? streamed : 0; i < result.papers.length; i++) {
        outbox.push(result.papers[i]);
        if (msg.keepSource) outTexts.push(result.sourceTexts?.[i] ?? '');
      }
      finishing = true;
      while (outbox.length > 0 || restart) {
        await idle();
        sendBatch(restart);
        restart = false;
      }
      await idle();
      port.postMessage({ type: 'done', id, issues: result.issues, entries: result.entries, failed: result.failed, unreadable: result.unreadable } satisfies WorkerReply);
    } catch (err) {
      if (err instanceof Cancelled) port.postMessage({ type: 'done', id, issues: [], entries: 0, failed: 0, cancelled: true } satisfies WorkerReply);
      else port.postMessage({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    } finally {
      cancelled.delete(id);
      acks.delete(id);
    }
  };

  port.on('message', (msg: WorkerRequest) => {
    switch (msg.type) {
      case 'concepts':
        state.setConcepts(msg.concepts);
        break;
      case 'cancel':
        cancelled.add(msg.id);
        acks.get(msg.id)?.();
        break;
      case 'ack':
        acks.get(msg.id)?.();
        break;
      case 'forget':
        state.forget(msg.key);
        break;
      case 'parse':
        // One input at a time: inputs share the worker's CPU anyway, and order keeps results stable.
        queue = queue.then(() => parse(msg));
        break;
    }
  });
}
