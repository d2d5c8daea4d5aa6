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
import type { LoadIssue, Paper, PaperConcept } from '../core/papers/types';
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
  | { type: 'papers'; id: number; batch: PaperBatch; sourceTexts?: string[] }
  | { type: 'done'; id: number; issues: LoadIssue[]; entries: number; failed: number; unreadable?: string; cancelled?: boolean }
  | { type: 'failed'; id: number; message: string };

/**
 * Papers per message: small enough that deserialising one message stays a few milliseconds on the
 * host. The next batch is sent only when the host acknowledges the last one: Node delivers queued
 * port messages in one go, so 60,000 papers sent at once would block the host for over a second.
 */
export const BATCH = 250;

/**
 * Papers as sent to the host: the strings that repeat from paper to paper (author names, venues,
 * file names, concept ids and relations) once per batch, referred to by index. The host restores
 * them in place (corpusWorkerClient.ts), and the papers it keeps then share those strings: fewer
 * objects to deserialise, and fewer for the host's garbage collector to copy while it keeps them.
 */
export interface PaperBatch {
  strings: string[];
  papers: PackedPaper[];
}

export type PackedPaper = Omit<Paper, 'authors' | 'sources' | 'venue' | 'concepts'> & {
  authors: number[];
  sources: number[];
  venue: number | null;
  concepts: (Omit<PaperConcept, 'id' | 'relation'> & { id: number; relation: number })[];
};

/** Packs papers for the host (see {@link PaperBatch}); key order and every other field stay as they are. */
export function packPapers(papers: readonly Paper[]): PaperBatch {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string): number => {
    let k = index.get(s);
    if (k === undefined) {
      k = strings.length;
      strings.push(s);
      index.set(s, k);
    }
    return k;
  };
  return {
    strings,
    papers: papers.map((p) => ({
      ...p,
      authors: p.authors.map(ref),
      sources: p.sources.map(ref),
      venue: typeof p.venue === 'string' ? ref(p.venue) : p.venue,
      concepts: p.concepts.map((c) => ({ ...c, id: ref(c.id), relation: ref(c.relation) })),
    })),
  };
}

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
  parse(input: ParseInput, label: string, extra: Pick<CorpusLoadOptions, 'slicer' | 'onProgress' | 'keepSource'>): Promise<CorpusLoadResult> {
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
  const acks = new Map<number, () => void>();
  let queue: Promise<void> = Promise.resolve();
  const acknowledged = (id: number) => new Promise<void>((resolve) => acks.set(id, resolve));

  const parse = async (msg: Extract<WorkerRequest, { type: 'parse' }>): Promise<void> => {
    const { id } = msg;
    if (cancelled.delete(id)) {
      port.postMessage({ type: 'done', id, issues: [], entries: 0, failed: 0, cancelled: true } satisfies WorkerReply);
      return;
    }
    // Yield now and then, only so that a "cancel" for this parse can arrive.
    let sliceStart = performance.now();
    const slicer: Slicer = {
      tick: async () => {
        if (performance.now() - sliceStart < 50) return;
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
      });
      // A cancel thrown from the slicer inside the importer is caught by the loader (which turns
      // any exception into an issue about the file), so look again here.
      if (cancelled.has(id)) throw new Cancelled();
      for (let i = 0; i < result.papers.length; i += BATCH) {
        const ack = acknowledged(id);
        port.postMessage({
          type: 'papers', id, batch: packPapers(result.papers.slice(i, i + BATCH)),
          ...(result.sourceTexts ? { sourceTexts: result.sourceTexts.slice(i, i + BATCH) } : {}),
        } satisfies WorkerReply);
        await ack;
        if (cancelled.has(id)) throw new Cancelled();
      }
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
