/**
 * The search index saved in the extension's global storage, so that a window opening on an
 * unchanged corpus loads it instead of indexing every paper again (see src/core/search/persist.ts
 * for the file, its checks and why nothing in it is trusted).
 *
 * The file is tied to a fingerprint of what the index was built from: the extension's version, the
 * concepts file, and the corpus — the shipped data files (CRC-32 of each file's bytes) or, for a
 * corpus merged with users' files, the CRC-32 of every paper as parsed from them. One file per
 * fingerprint's CRC, at most {@link KEEP_FILES} kept (the oldest removed), written to a temporary
 * name and renamed, so that a crash never leaves half a file under the real name. Every step runs
 * in slices on the host thread (reads and writes are asynchronous); a file that is missing,
 * corrupt, stale or of another format is logged, rebuilt and saved again.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Paper } from '../core/papers/types';
import type { ProtectedWords } from '../core/search/protectedWords';
import { crcOfChunks, FINGERPRINT_CHUNK_BYTES, fingerprintFilesSteps, isRejected, loadIndexSteps, PERSIST_FORMAT, runInSlices, saveIndexSteps } from '../core/search/persist';
import type { SearchIndex } from '../core/search/searchIndex';

const KEEP_FILES = 4;
const PREFIX = 'search-index.';
const SUFFIX = '.plix';

export interface PersistLog {
  info(message: string): void;
  warn(message: string): void;
}

/** The CRC-32 of every paper's JSON, in order, in slices: the fingerprint of a merged corpus. */
export async function papersFingerprint(papers: readonly Paper[]): Promise<string> {
  function* steps(): Generator<void, string> {
    let crc = 0;
    for (let d = 0; d < papers.length; d++) {
      if ((d & 1023) === 1023) yield;
      crc = crc32(JSON.stringify(papers[d]), crc);
    }
    return `papers:${papers.length}:${crc.toString(16)}`;
  }
  return runInSlices(steps());
}

/** The fingerprint of data files (their bytes), with `extra` inputs (the version, the concepts). */
export async function filesFingerprint(files: readonly string[], extra: readonly string[]): Promise<string> {
  // Streamed: a large corpus file is checksummed in chunks, never held whole.
  const sums = await Promise.all(files.map(async (file) => ({
    name: path.basename(file),
    sum: await crcOfChunks(createReadStream(file, { highWaterMark: FINGERPRINT_CHUNK_BYTES })).catch(() => ({ length: -1, crc: 0 })),
  })));
  return runInSlices(fingerprintFilesSteps(sums, extra));
}

export class PersistedIndexStore {
  constructor(
    /** The extension's global storage folder (`context.globalStorageUri.fsPath`); undefined: never persist. */
    private readonly dir: string | undefined,
    private readonly log: PersistLog,
  ) {}

  /** The save started by the last rebuild (never rejects: failures are logged). */
  saving: Promise<void> | undefined;

  private fileFor(fingerprint: string): string {
    return path.join(this.dir!, `${PREFIX}${PERSIST_FORMAT}.${crc32(fingerprint).toString(16).padStart(8, '0')}${SUFFIX}`);
  }

  /**
   * The saved index for `papers` if there is a sound one for `fingerprint`, else `build()`'s, which
   * is then saved (in the background: the index is returned first).
   */
  async loadOrBuild(papers: readonly Paper[], fingerprint: () => Promise<string>, build: () => Promise<SearchIndex>, protectedWords?: () => ProtectedWords): Promise<SearchIndex> {
    if (!this.dir) return build();
    const started = performance.now();
    let fp: string;
    try {
      fp = await fingerprint();
    } catch (err) {
      this.log.warn(`Search index not persisted: ${err instanceof Error ? err.message : String(err)}`);
      return build();
    }
    const file = this.fileFor(fp);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readFile(file);
    } catch {
      // No saved index yet.
    }
    if (bytes) {
      const loaded = await runInSlices(loadIndexSteps(bytes, papers, fp, protectedWords?.()));
      if (!isRejected(loaded)) {
        this.log.info(`Loaded the saved search index (${loaded.size} papers) in ${(performance.now() - started).toFixed(1)} ms`);
        return loaded;
      }
      this.log.warn(`Saved search index ${file} not used (${loaded.rejected}): rebuilding it`);
    }
    const index = await build();
    this.saving = this.save(index, fp, file);
    return index;
  }

  private async save(index: SearchIndex, fingerprint: string, file: string): Promise<void> {
    try {
      const bytes = await runInSlices(saveIndexSteps(index, fingerprint));
      await mkdir(this.dir!, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
      await this.prune(file);
    } catch (err) {
      this.log.warn(`Could not save the search index to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Keeps the newest {@link KEEP_FILES} index files (the one just written among them). */
  private async prune(keep: string): Promise<void> {
    const names = (await readdir(this.dir!)).filter((n) => n.startsWith(PREFIX) && (n.endsWith(SUFFIX) || n.endsWith('.tmp')));
    const files = await Promise.all(names.map(async (n) => {
      const full = path.join(this.dir!, n);
      return { full, mtime: (await stat(full).catch(() => undefined))?.mtimeMs ?? 0 };
    }));
    files.sort((a, b) => b.mtime - a.mtime);
    let kept = 1; // `keep` itself
    for (const f of files) {
      if (f.full === keep) continue;
      if (f.full.endsWith('.tmp')) {
        // Another window may be writing it; one left by a crash is removed once it is old.
        if (Date.now() - f.mtime > 60_000) await unlink(f.full).catch(() => undefined);
      } else if (kept < KEEP_FILES) kept++;
      else await unlink(f.full).catch(() => undefined);
    }
  }
}
