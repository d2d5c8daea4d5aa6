/**
 * Scan results per document version, so that a hover is a lookup rather than a scan.
 * The editor keys entries by `TextDocument.uri.toString()` and `TextDocument.version` (for a
 * notebook, the notebook's uri and a version key that changes whenever any cell changes).
 */
import { scanNotebook, scanSource, type NotebookScan, type ScanOptions, type SourceScan } from './detector';
import type { LossIndex } from './lossIndex';

type Entry =
  | { type: 'source'; version: number | string; scan: SourceScan }
  | { type: 'notebook'; version: number | string; scan: NotebookScan };

/** An LRU of scans, one entry per uri (an older version is replaced, never kept beside). */
export class DocumentScanCache {
  private readonly entries = new Map<string, Entry>();
  private indexInUse: LossIndex;
  /** Scans performed (cache misses), for tests and benchmarks. */
  misses = 0;

  /** @param maxEntries documents kept; the least recently used is evicted beyond it. */
  constructor(index: LossIndex, private readonly maxEntries = 64) {
    this.indexInUse = index;
  }

  get index(): LossIndex {
    return this.indexInUse;
  }

  /** Replaces the registry index (e.g. after the data reloaded) and drops every cached scan. */
  setIndex(index: LossIndex): void {
    this.indexInUse = index;
    this.entries.clear();
  }

  /**
   * The scan of `uri` at `version`, computed on first request. `text` may be a function so that
   * the caller only materialises the document text on a miss.
   */
  get(uri: string, version: number | string, text: string | (() => string), options: Omit<ScanOptions, 'scope'> = {}): SourceScan {
    const hit = this.entries.get(uri);
    if (hit && hit.type === 'source' && hit.version === version) {
      this.touch(uri, hit);
      return hit.scan;
    }
    this.misses++;
    const scan = scanSource(typeof text === 'function' ? text() : text, this.indexInUse, options);
    this.store(uri, { type: 'source', version, scan });
    return scan;
  }

  /** The scan of a notebook's code cells (imports carried from earlier cells) at a version key. */
  getNotebook(uri: string, version: number | string, cells: readonly string[] | (() => readonly string[])): NotebookScan {
    const hit = this.entries.get(uri);
    if (hit && hit.type === 'notebook' && hit.version === version) {
      this.touch(uri, hit);
      return hit.scan;
    }
    this.misses++;
    const scan = scanNotebook(typeof cells === 'function' ? cells() : cells, this.indexInUse);
    this.store(uri, { type: 'notebook', version, scan });
    return scan;
  }

  /** The cached scan for exactly this version, without scanning. */
  peek(uri: string, version: number | string): SourceScan | undefined {
    const hit = this.entries.get(uri);
    return hit && hit.type === 'source' && hit.version === version ? hit.scan : undefined;
  }

  /** Forgets a document (call on close). */
  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(uri: string, entry: Entry): void {
    // Map iteration order is insertion order: re-inserting makes this the most recent.
    this.entries.delete(uri);
    this.entries.set(uri, entry);
  }

  private store(uri: string, entry: Entry): void {
    this.entries.delete(uri);
    this.entries.set(uri, entry);
    while (this.entries.size > Math.max(1, this.maxEntries)) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
