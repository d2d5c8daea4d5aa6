/**
 * A built {@link SearchIndex} saved as one binary file and loaded back without rebuilding, so that
 * a window opening on an unchanged corpus is searchable at once. Pure: bytes in, bytes out (the
 * editor reads and writes the file, see src/editor/services.ts).
 *
 * Layout (little-endian):
 *
 *   bytes 0–3   magic "PLIX"
 *   4–7         format version ({@link PERSIST_FORMAT})
 *   8–11        header length H (bytes of UTF-8 JSON)
 *   12–15       CRC-32 of the header
 *   16–16+H     header: corpus fingerprint, paper count, CRC-32 of the paper ids in order, CRC-32
 *               and length of the body, the sections' names/types/offsets/lengths, and the small
 *               tables as JSON (concept search info, concept ids, source names, facets)
 *   body        the typed arrays, each at a multiple of 8 bytes from the body's start (so that a
 *               load makes views over the file's own buffer instead of copying it)
 *
 * Nothing in a file is trusted: a wrong magic or version, a header or body whose CRC-32 does not
 * match, another corpus fingerprint, another paper count or other paper ids, a section that does
 * not fit, or a term list of the wrong length, each make {@link loadIndexSteps} return the reason
 * instead of an index; the caller rebuilds. CRC-32 detects corruption (truncation, flipped bytes),
 * not tampering: the file lives in the extension's own storage.
 *
 * The postings are saved list after list, without the room the build kept between them (7% of the
 * arena at 100,000 papers; files that kept it, written before, read the same way): a load is then
 * reading, checking and making views, with no pass that rewrites them. Work is split into steps of a few milliseconds (the body's CRC in 4 MB chunks, the term
 * map in 16,384-term runs), so that a host loading a large index keeps answering.
 */
import type { ProtectedWords } from './protectedWords';
import { crc32 } from 'node:zlib';
import type { Paper } from '../papers/types';
import type { ConceptSearchInfo } from './documents';
import { SearchIndex, type IndexParts, type PaperMetadata, type SearchFacets } from './searchIndex';
import { Vocabulary } from './vocabulary';

/** Bumped whenever the layout or the meaning of a saved array changes: older files are rebuilt. */
export const PERSIST_FORMAT = 1;
const MAGIC = 0x58494c50; // "PLIX" read as a little-endian uint32
const PREFIX = 16;
/** Bytes checksummed per step. */
const CRC_STEP = 4 << 20;
/** Terms put into the id map per step; paper ids checksummed per step. */
const MAP_STEP = 16384;
/** Separates terms in the saved term list (never part of a term: terms are folded words). */
const TERM_SEPARATOR = '\n';

type ArrayType = 'i32' | 'u32' | 'f32' | 'f64' | 'i16' | 'u16' | 'u8';
type TypedArray = Int32Array | Uint32Array | Float32Array | Float64Array | Int16Array | Uint16Array | Uint8Array;

const CONSTRUCTORS: Record<ArrayType, { new(buffer: ArrayBufferLike, offset: number, length: number): TypedArray; new(length: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  i32: Int32Array, u32: Uint32Array, f32: Float32Array, f64: Float64Array, i16: Int16Array, u16: Uint16Array, u8: Uint8Array,
};

function typeOf(a: TypedArray): ArrayType {
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  return 'u8';
}

interface SectionEntry {
  name: string;
  type: ArrayType;
  /** Byte offset from the body's start. */
  offset: number;
  /** Elements. */
  length: number;
}

interface Header {
  corpus: string;
  papers: number;
  paperIds: number;
  terms: number;
  bodyBytes: number;
  bodyCrc: number;
  sections: SectionEntry[];
  conceptInfo: ConceptSearchInfo[];
  conceptIds: string[];
  sourceNames: string[];
  facets: SearchFacets;
}

/** Why a saved index was not used (the caller logs it and rebuilds). */
export interface Rejected {
  rejected: string;
}

/** CRC-32 of the papers' ids in index order, a step per {@link MAP_STEP} papers. */
function* paperIdsCrcSteps(papers: readonly Paper[]): Generator<void, number> {
  let crc = 0;
  for (let from = 0; from < papers.length; from += MAP_STEP) {
    // One CRC call per run of ids (a call per id costs more than the CRC itself).
    let run = '';
    const to = Math.min(papers.length, from + MAP_STEP);
    for (let d = from; d < to; d++) run += `${papers[d].id}\u0000`;
    crc = crc32(run, crc);
    yield;
  }
  return crc;
}

/**
 * The index as the bytes of a file, tied to `corpusFingerprint` (a digest of the corpus files the
 * papers came from, computed by the caller: see `fingerprintFiles`). Runs in steps (the paper ids'
 * CRC and the body's CRC are the long parts).
 */
export function* saveIndexSteps(index: SearchIndex, corpusFingerprint: string): Generator<void, Uint8Array> {
  const parts = index.persistedParts();
  // The lists are saved back to back: the room the build left between them (and the regions it
  // moved away from) is not written, so the file holds the postings and nothing else.
  const termCount = parts.starts.length;
  const starts = new Int32Array(termCount);
  const ends = new Int32Array(termCount);
  let postings = 0;
  for (let t = 0; t < termCount; t++) {
    starts[t] = postings;
    postings += parts.ends[t] - parts.starts[t];
    ends[t] = postings;
  }
  const termText = parts.vocabulary.terms.join(TERM_SEPARATOR);
  if (parts.vocabulary.terms.some((t) => t.includes(TERM_SEPARATOR))) throw new Error('a search term contains a line break: the index cannot be saved');
  const vocab = parts.vocabulary.persistedParts();
  const m = parts.metadata;
  // Postings arrays are written list by list (compacted); the others as they are.
  const compacted = new Set(['docs', 'impacts', 'fields', 'sigs']);
  const arrays: [string, TypedArray][] = [
    ['starts', starts], ['ends', ends],
    ['docs', parts.docs], ['impacts', parts.impacts], ['fields', parts.fields], ['sigs', parts.sigs], ['idf', parts.idf],
    ['terms', new TextEncoder().encode(termText)],
    ['sorted', vocab.sorted], ['gramOffsets', vocab.gramOffsets], ['gramTerms', vocab.gramTerms],
    ['dates', m.dates], ['years', m.years], ['links', m.links],
    ['conceptOffsets', m.conceptOffsets], ['conceptOf', m.conceptOf], ['conceptMain', m.conceptMain],
    ['sourceOffsets', m.sourceOffsets], ['sourceOf', m.sourceOf],
  ];
  const sections: SectionEntry[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    const length = compacted.has(name) ? postings : a.length;
    sections.push({ name, type: typeOf(a), offset, length });
    offset += Math.ceil((length * a.BYTES_PER_ELEMENT) / 8) * 8;
  }
  const body = new Uint8Array(offset);
  for (let i = 0; i < arrays.length; i++) {
    const [name, a] = arrays[i];
    if (compacted.has(name)) {
      const Ctor = CONSTRUCTORS[sections[i].type];
      const into = new Ctor(body.buffer, body.byteOffset + sections[i].offset, postings);
      for (let t = 0; t < termCount; t++) {
        into.set(a.subarray(parts.starts[t], parts.ends[t]) as never, starts[t]);
        if ((t & 4095) === 4095) yield;
      }
    } else {
      body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), sections[i].offset);
    }
    yield;
  }
  let bodyCrc = 0;
  for (let at = 0; at < body.length; at += CRC_STEP) {
    bodyCrc = crc32(body.subarray(at, Math.min(body.length, at + CRC_STEP)), bodyCrc);
    yield;
  }
  const paperIds = yield* paperIdsCrcSteps(parts.papers);
  const header: Header = {
    corpus: corpusFingerprint,
    papers: parts.papers.length,
    paperIds,
    terms: parts.vocabulary.terms.length,
    bodyBytes: body.length,
    bodyCrc,
    sections,
    conceptInfo: [...parts.conceptInfo.values()],
    conceptIds: m.conceptIds,
    sourceNames: m.sourceNames,
    facets: m.facets,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerRoom = Math.ceil(headerBytes.length / 8) * 8;
  const out = new Uint8Array(PREFIX + headerRoom + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, PERSIST_FORMAT, true);
  view.setUint32(8, headerBytes.length, true);
  view.setUint32(12, crc32(headerBytes), true);
  out.set(headerBytes, PREFIX);
  out.set(body, PREFIX + headerRoom);
  return out;
}

/** {@link saveIndexSteps} at once. */
export function saveIndex(index: SearchIndex, corpusFingerprint: string): Uint8Array {
  return drain(saveIndexSteps(index, corpusFingerprint));
}

/**
 * The index saved in `bytes`, over `papers` (the corpus it was built from, in the same order), if
 * the file is intact and was saved for `corpusFingerprint`; otherwise why not. Typed arrays are
 * views over `bytes` when aligned (copied otherwise): keep `bytes` unchanged while the index lives.
 */
export function* loadIndexSteps(bytes: Uint8Array, papers: readonly Paper[], corpusFingerprint: string, protectedWords?: ProtectedWords): Generator<void, SearchIndex | Rejected> {
  if (bytes.length < PREFIX) return { rejected: 'the file is shorter than its fixed header' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return { rejected: 'not a PaperLens index file' };
  const format = view.getUint32(4, true);
  if (format !== PERSIST_FORMAT) return { rejected: `saved in format ${format}, this version reads format ${PERSIST_FORMAT}` };
  const headerLength = view.getUint32(8, true);
  if (PREFIX + headerLength > bytes.length) return { rejected: 'the header runs past the end of the file' };
  const headerBytes = bytes.subarray(PREFIX, PREFIX + headerLength);
  if (crc32(headerBytes) !== view.getUint32(12, true)) return { rejected: 'the header is corrupt (checksum mismatch)' };
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes)) as Header;
  } catch (err) {
    return { rejected: `the header is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (header.corpus !== corpusFingerprint) return { rejected: 'the corpus files changed since the index was saved' };
  if (header.papers !== papers.length) return { rejected: `saved for ${header.papers} papers, the corpus has ${papers.length}` };
  const bodyStart = PREFIX + Math.ceil(headerLength / 8) * 8;
  if (bodyStart + header.bodyBytes !== bytes.length) return { rejected: `the file is ${bytes.length} bytes, its header says ${bodyStart + header.bodyBytes}` };
  const body = bytes.subarray(bodyStart);
  let bodyCrc = 0;
  for (let at = 0; at < body.length; at += CRC_STEP) {
    bodyCrc = crc32(body.subarray(at, Math.min(body.length, at + CRC_STEP)), bodyCrc);
    yield;
  }
  if (bodyCrc !== header.bodyCrc) return { rejected: 'the index data is corrupt (checksum mismatch)' };
  const paperIds = yield* paperIdsCrcSteps(papers);
  if (paperIds !== header.paperIds) return { rejected: 'the corpus holds other papers, or in another order, than the saved index' };

  const arrays = new Map<string, TypedArray>();
  for (const s of header.sections) {
    const Ctor = CONSTRUCTORS[s.type];
    if (!Ctor || s.offset % 8 !== 0 || s.offset + s.length * Ctor.BYTES_PER_ELEMENT > body.length) {
      return { rejected: `section ${s.name} does not fit the file` };
    }
    const at = body.byteOffset + s.offset;
    arrays.set(s.name, at % Ctor.BYTES_PER_ELEMENT === 0
      ? new Ctor(body.buffer, at, s.length)
      : new Ctor(new Uint8Array(body.buffer, at, s.length * Ctor.BYTES_PER_ELEMENT).slice().buffer, 0, s.length));
  }
  const get = <T extends TypedArray>(name: string, type: new (...args: never[]) => T): T => {
    const a = arrays.get(name);
    if (!(a instanceof type)) throw new RangeError(`section ${name} is missing or of the wrong type`);
    return a;
  };
  try {
    const terms = new TextDecoder().decode(get('terms', Uint8Array)).split(TERM_SEPARATOR);
    if (header.terms === 0) terms.length = 0;
    if (terms.length !== header.terms) return { rejected: `the term list has ${terms.length} terms, the header says ${header.terms}` };
    yield;
    const ids = new Map<string, number>();
    for (let t = 0; t < terms.length; t++) {
      if (t % MAP_STEP === MAP_STEP - 1) yield;
      ids.set(terms[t], t);
    }
    const vocabulary = new Vocabulary(terms, ids, {
      sorted: get('sorted', Int32Array), gramOffsets: get('gramOffsets', Int32Array), gramTerms: get('gramTerms', Int32Array),
    });
    const conceptIndex = new Map<string, number>();
    header.conceptIds.forEach((id, i) => conceptIndex.set(id, i));
    const metadata: PaperMetadata = {
      dates: get('dates', Float64Array), years: get('years', Int16Array), links: get('links', Uint8Array),
      conceptIds: header.conceptIds, conceptIndex,
      conceptOffsets: get('conceptOffsets', Int32Array), conceptOf: get('conceptOf', Uint16Array), conceptMain: get('conceptMain', Uint8Array),
      sourceOffsets: get('sourceOffsets', Int32Array), sourceOf: get('sourceOf', Uint16Array), sourceNames: header.sourceNames,
      facets: header.facets,
    };
    const starts = get('starts', Int32Array);
    const ends = get('ends', Int32Array);
    const docs = get('docs', Int32Array);
    if (starts.length !== terms.length || ends.length !== terms.length) return { rejected: 'the posting list table does not match the terms' };
    for (let t = 0; t < ends.length; t++) {
      if (starts[t] > ends[t] || ends[t] > docs.length || starts[t] < 0) return { rejected: `term ${t}'s postings lie outside the file` };
    }
    if (metadata.dates.length !== papers.length || metadata.conceptOffsets.length !== papers.length + 1) return { rejected: 'the per-paper tables do not match the corpus' };
    yield;
    const parts: IndexParts = {
      papers: papers as Paper[],
      vocabulary,
      starts, ends, docs,
      impacts: get('impacts', Float32Array), fields: get('fields', Uint8Array), sigs: get('sigs', Uint32Array), idf: get('idf', Float32Array),
      conceptInfo: new Map(header.conceptInfo.map((c) => [c.id, c])),
      metadata,
      // Not in the file: built from the registry and the word list, like the built index's.
      ...(protectedWords ? { protectedWords } : {}),
    };
    const index = new SearchIndex(parts);
    yield;
    yield* index.lookupSteps();
    return index;
  } catch (err) {
    return { rejected: err instanceof Error ? err.message : String(err) };
  }
}

/** {@link loadIndexSteps} at once. */
export function loadIndex(bytes: Uint8Array, papers: readonly Paper[], corpusFingerprint: string, protectedWords?: ProtectedWords): SearchIndex | Rejected {
  return drain(loadIndexSteps(bytes, papers, corpusFingerprint, protectedWords));
}

/**
 * A corpus fingerprint: the format, what else the index depends on (`extra`: the concepts' text,
 * the extension's version), and each corpus file's name, length and CRC-32, in the order given.
 */
export function fingerprintFiles(files: readonly ({ name: string; bytes: Uint8Array | string } | { name: string; sum: { length: number; crc: number } })[], extra: readonly string[] = []): string {
  return drain(fingerprintFilesSteps(files, extra));
}

/** {@link fingerprintFiles} in steps (a large file's CRC-32 in 4 MB chunks). */
export function* fingerprintFilesSteps(files: readonly ({ name: string; bytes: Uint8Array | string } | { name: string; sum: { length: number; crc: number } })[], extra: readonly string[] = []): Generator<void, string> {
  const parts = [`format ${PERSIST_FORMAT}`];
  for (const e of extra) parts.push(`${e.length}:${crc32(e).toString(16)}`);
  for (const f of files) {
    if ('sum' in f) {
      parts.push(fingerprintEntry(f.name, f.sum));
      continue;
    }
    const bytes = typeof f.bytes === 'string' ? new TextEncoder().encode(f.bytes) : f.bytes;
    let crc = 0;
    for (let at = 0; at < bytes.length; at += CRC_STEP) {
      crc = crc32(bytes.subarray(at, Math.min(bytes.length, at + CRC_STEP)), crc);
      yield;
    }
    parts.push(fingerprintEntry(f.name, { length: bytes.length, crc }));
  }
  return parts.join('|');
}

/**
 * Chunk size for streaming a corpus file through {@link crcOfChunks} (`createReadStream`'s
 * `highWaterMark`). The default 64 KB makes a 170 MB corpus 2,600 reads, each a turn of the event
 * loop; 1 MB chunks are 170, and halve the host thread's CPU time. Measured on 168 MB, alternating,
 * medians of 10 reads on a busy 2-core machine: 1 MB 120–411 ms, 64 KB 299–382 ms, 4 MB 309–619 ms.
 */
export const FINGERPRINT_CHUNK_BYTES = 1 << 20;

/**
 * The CRC-32 and length of a stream of chunks (a corpus file read with `createReadStream`), for
 * {@link fingerprintFiles}'s `precomputed` form: no buffer of the whole file is ever held.
 */
export async function crcOfChunks(chunks: AsyncIterable<Uint8Array>): Promise<{ length: number; crc: number }> {
  let crc = 0;
  let length = 0;
  for await (const chunk of chunks) {
    crc = crc32(chunk, crc);
    length += chunk.length;
  }
  return { length, crc };
}

/** A fingerprint entry for a file whose length and CRC-32 were computed by {@link crcOfChunks}. */
export function fingerprintEntry(name: string, sum: { length: number; crc: number }): string {
  return `${name}:${sum.length}:${sum.crc.toString(16)}`;
}

/** Runs steps to the end, at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs steps, yielding to the event loop whenever a slice has run `sliceMs` (so that a host thread
 * keeps answering); `signal` abandons the work.
 */
export async function runInSlices<T>(steps: Generator<void, T>, sliceMs = 8, signal?: AbortSignal): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (signal?.aborted) throw new Error('aborted');
      sliceStart = performance.now();
    }
  }
}

export function isRejected(x: SearchIndex | Rejected): x is Rejected {
  return (x as Rejected).rejected !== undefined;
}
