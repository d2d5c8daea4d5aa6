/**
 * Building an index: {@link IndexBuilder} tokenises every paper once, O(total words), without a
 * string per word or a lower-cased copy of the text (termTable.ts), and writes each posting once,
 * in place, into its term's region of one arena sized from a sample of the corpus. Then
 * {@link IndexBuilder.finishSteps} turns the packed term counts into BM25F impacts (ranking.ts),
 * builds the vocabulary and the per-paper metadata (paperMetadata.ts), in steps of a few
 * milliseconds so that `buildSearchIndexAsync` (searchIndex.ts) keeps an extension host responsive.
 */
import type { Concept } from '../concepts/types';
import type { Paper } from '../papers/types';
import { conceptSearchInfo, Field, FIELD_COUNT, plainFieldTexts, tagOnlyConceptInfo, type ConceptSearchInfo } from './documents';
import { drain, paperMetadataSteps } from './paperMetadata';
import { ProtectedWords } from './protectedWords';
import { SearchIndex } from './queryEngine';
import { impactSteps, TF_MAX, TF_SHIFT } from './ranking';
import type { IndexOptions } from './searchTypes';
import { TermTable } from './termTable';
import { foldText } from './text';
import { Vocabulary } from './vocabulary';

// Local copies: module bindings of imported constants can cost a getter call per use in hot loops.
const FIELDS = FIELD_COUNT;
const F_CONCEPT_MAIN = Field.ConceptMain;
const F_CONCEPT_STUDIED = Field.ConceptStudied;

/** Papers read before the sample's entry buffer is sized for the whole sample. */
const SIZING_SAMPLE = 256;
/**
 * The sample: the first eighth of the corpus, and at least this many papers, is read into a plain
 * entry list; its term counts then size each term's region of the postings arena, and the rest of
 * the corpus is written straight into those regions. A corpus no larger than this is laid out
 * once, exactly, when it is complete.
 */
const MIN_SAMPLE = 16384;
const SAMPLE_SHARE = 8;
/** Papers whose postings are written out together, grouped by term (after the sample). */
const BLOCK_PAPERS = 256;

/** Growable (term id, packed tf, position signature) triples, appended a paper at a time. */
class EntryBuffer {
  terms = new Int32Array(1 << 16);
  tf = new Uint32Array(1 << 16);
  sig = new Uint32Array(1 << 16);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.terms.length) return;
    const capacity = Math.max(this.terms.length * 2, this.length + extra);
    const terms = new Int32Array(capacity);
    terms.set(this.terms.subarray(0, this.length));
    this.terms = terms;
    const tf = new Uint32Array(capacity);
    tf.set(this.tf.subarray(0, this.length));
    this.tf = tf;
    const sig = new Uint32Array(capacity);
    sig.set(this.sig.subarray(0, this.length));
    this.sig = sig;
  }
}

/**
 * Where each field's word positions start in a paper's position signature: fields apart, so that a
 * phrase is rarely thought to span two of them (a false positive only costs a text check).
 */
const FIELD_POSITION_BASE = [0, 7, 14, 19, 23, 27];

function grownInt32(a: Int32Array, size: number, fill = 0): Int32Array {
  if (size <= a.length) return a;
  let capacity = a.length * 2;
  while (capacity < size) capacity *= 2;
  const next = new Int32Array(capacity);
  if (fill !== 0) next.fill(fill);
  next.set(a);
  return next;
}

/**
 * Room for a term's postings over the whole corpus, given `count` of them in the papers read so far
 * and `scale` = expected papers / papers read: the projection plus 1.5 standard deviations (a
 * count is roughly Poisson, so the projection's variance is `projected × scale`). Small counts say
 * little, so they get room to double and grow on their next overflow instead.
 */
function projectedCapacity(count: number, scale: number): number {
  if (count < 16 || scale <= 1) return Math.max(2, 2 * count + 2);
  const projected = count * scale;
  return Math.ceil(projected + 1.5 * Math.sqrt(projected * scale)) + 16;
}

/** Arena elements zeroed per layout step (three arrays of 1 MB each: a few ms of page faults). */
const FILL_STEP = 1 << 18;

/**
 * Accumulates papers; {@link IndexBuilder.finish} turns them into a {@link SearchIndex}.
 *
 * Postings are produced paper by paper but read term by term. The first papers (the sample) are kept
 * as a plain entry list; then every term gets a region of one postings arena, sized from its count
 * in the sample, and later papers' postings are written straight into their terms' regions (a term
 * that outgrows its region moves to the arena's top, sized from its count so far). So the corpus
 * is written once, in place, in paper order within each term: no second copy of every posting and
 * no pass that reorders them all. Writes go out a block of papers at a time, grouped by term, so
 * that each term's region is written in runs rather than one posting at a time all over the arena.
 * Impacts need the corpus's average field lengths: the packed term frequencies are stored where the
 * impacts will be, and {@link finish} turns them into impacts.
 */
/** Arena elements zeroed per layout step (three arrays of 1 MB each: a few ms of page faults). */

export class IndexBuilder {
  private readonly papers: Paper[] = [];
  private readonly table = new TermTable();
  // Per-paper scratch, indexed by term id: which paper last saw the term, and its packed counts
  // (32 bits of counts; an Int32Array holds them as two's complement, which `>>>` reads back).
  private seenBy: Int32Array = new Int32Array(1024).fill(-1);
  private packed: Int32Array = new Int32Array(1024);
  /** Word positions mod 32 of each term in the paper being added (see `SearchIndex.sigs`). */
  private sig: Int32Array = new Int32Array(1024);
  /** Papers read as a plain entry list before the arena is laid out. */
  private readonly sampleSize: number;
  // (term, packed tf, signature) per distinct term of each paper from `blockFirst` on, in order:
  // the whole sample, then one block at a time.
  private readonly entries = new EntryBuffer();
  private paperStart: number[] = [0];
  private blockFirst = 0;
  /** Postings per term in the sample (not counted after it). */
  private df: Int32Array = new Int32Array(1024);
  // The arena, once laid out: each term's postings are [regionStart, regionEnd), with room up to
  // regionLimit. Terms met after the layout start with an empty region at 0 (full: it moves).
  private arenaLaidOut = false;
  private regionStart: Int32Array = new Int32Array(1024);
  private regionEnd: Int32Array = new Int32Array(1024);
  private regionLimit: Int32Array = new Int32Array(1024);
  private arenaDocs: Int32Array = new Int32Array(0);
  private arenaSigs: Uint32Array = new Uint32Array(0);
  /** Packed term frequencies until {@link finish} overwrites them with impacts (same buffer). */
  private arenaTf: Uint32Array = new Uint32Array(0);
  private arenaTop = 0;
  // Block flush scratch: per term, its postings in the block and where they go in the sorted copy.
  private blockCount: Int32Array = new Int32Array(1024);
  private blockPos: Int32Array = new Int32Array(1024);
  private blockTerms = new Int32Array(1 << 12);
  private sortedDocs = new Int32Array(1 << 12);
  private sortedSigs = new Uint32Array(1 << 12);
  private sortedTf = new Uint32Array(1 << 12);
  /** Field lengths in terms, per field, per paper. */
  private lengths: Int32Array[] = Array.from({ length: FIELDS }, () => new Int32Array(1024));
  private readonly conceptInfo = new Map<string, ConceptSearchInfo>();
  private readonly conceptTermCache = new Map<string, { ids: Int32Array; positions: Int32Array }>();
  // Reused per paper: the terms it touched.
  private readonly touched: number[] = [];

  /**
   * @param concepts the registry's concepts (names, aliases, identifiers for tagged papers)
   * @param expectedPapers how many papers will be added, when known: the postings arena is then laid
   *   out after the first eighth of them and the rest written in place; otherwise all papers are
   *   kept as an entry list and laid out once in {@link finish} (the index is the same)
   * @param sampleSize papers read before the arena is laid out, when `expectedPapers` is larger:
   *   by default an eighth of them, at least 16,384, and only if the sample predicts the layout
   *   well (see {@link sampleIsPredictive}); given, the arena is laid out then whatever the sample
   *   shows (tests use it to exercise the layout; the index is the same either way)
   */
  constructor(concepts: readonly Concept[] = [], private readonly expectedPapers = 0, sampleSize?: number, options: IndexOptions = {}) {
    for (const c of concepts) if (!this.conceptInfo.has(c.id)) this.conceptInfo.set(c.id, conceptSearchInfo(c));
    this.protectedWords = new ProtectedWords(concepts, options.englishWords);
    this.sampleSize = Math.max(1, sampleSize ?? Math.max(MIN_SAMPLE, Math.ceil(expectedPapers / SAMPLE_SHARE)));
    this.checkSample = sampleSize === undefined;
  }

  /** Whether the sample must pass {@link sampleIsPredictive} before the arena is laid out early. */
  private readonly checkSample: boolean;
  private readonly protectedWords: ProtectedWords;

  /**
   * True when most of the sample's postings belong to terms it has seen often, so that their
   * counts project well to the whole corpus. A long-tailed vocabulary (most real text: many words
   * seen a few times, new ones all along) would instead send many terms' regions to the arena's
   * top again and again, each move leaving its old region unused; such a corpus is kept as an
   * entry list and laid out exactly when complete.
   */
  private sampleIsPredictive(): boolean {
    const { df } = this;
    let total = 0;
    let rare = 0;
    for (let t = 0; t < this.table.size; t++) {
      total += df[t];
      if (df[t] < 16) rare += df[t];
    }
    return rare <= total * 0.01;
  }

  /** Makes the per-term arrays long enough for every term the table holds. */
  private fitTerms(): void {
    const size = this.table.size;
    if (size <= this.seenBy.length) return;
    this.df = grownInt32(this.df, size);
    this.seenBy = grownInt32(this.seenBy, size, -1);
    this.packed = grownInt32(this.packed, size);
    this.sig = grownInt32(this.sig, size);
    this.regionStart = grownInt32(this.regionStart, size);
    this.regionEnd = grownInt32(this.regionEnd, size);
    this.regionLimit = grownInt32(this.regionLimit, size);
    this.blockCount = grownInt32(this.blockCount, size);
    this.blockPos = grownInt32(this.blockPos, size);
  }

  /** A concept's text as term ids, tokenised once per concept rather than once per tagged paper. */
  private conceptTerms(conceptId: string): { ids: Int32Array; positions: Int32Array } {
    let terms = this.conceptTermCache.get(conceptId);
    if (!terms) {
      let info = this.conceptInfo.get(conceptId);
      if (!info) {
        info = tagOnlyConceptInfo(conceptId);
        this.conceptInfo.set(conceptId, info);
      }
      const count = this.table.collect(foldText(info.text));
      terms = { ids: this.table.out.slice(0, count), positions: this.table.positions.slice(0, count) };
      this.conceptTermCache.set(conceptId, terms);
    }
    return terms;
  }

  /** Counts the terms `ids[0 .. count)`, at word `positions`, in `field` for paper `doc`. */
  private countTerms(ids: Int32Array, positions: Int32Array, count: number, field: number, doc: number): void {
    this.fitTerms();
    const { seenBy, packed, sig, touched } = this;
    const shift = TF_SHIFT[field];
    const max = TF_MAX[field];
    const one = 1 << shift;
    const base = FIELD_POSITION_BASE[field];
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      if (seenBy[id] !== doc) {
        seenBy[id] = doc;
        packed[id] = 0;
        sig[id] = 0;
        touched.push(id);
      }
      if (((packed[id] >>> shift) & max) < max) packed[id] += one;
      sig[id] |= 1 << ((base + positions[i]) & 31);
    }
  }

  /** Adds one paper; its position in the index is the order of `add` calls. */
  add(paper: Paper): void {
    if (this.pending) drain(this.takePending()!);
    const doc = this.papers.length;
    this.papers.push(paper);
    this.touched.length = 0;
    if (doc >= this.lengths[0].length) this.lengths = this.lengths.map((ls) => grownInt32(ls, doc + 1));
    const lengths = this.lengths;
    const texts = plainFieldTexts(paper);
    for (let f = 0; f < texts.length; f++) {
      const count = this.table.collectText(texts[f]);
      this.countTerms(this.table.out, this.table.positions, count, f, doc);
      lengths[f][doc] = count;
    }
    // Concept tags: a paper tagged twice with one concept keeps its strongest relation.
    const tags = new Map<string, boolean>();
    for (const tag of paper.concepts ?? []) tags.set(tag.id, (tags.get(tag.id) ?? false) || tag.relation !== 'studies');
    let mainLength = 0;
    let studiedLength = 0;
    for (const [conceptId, main] of tags) {
      const terms = this.conceptTerms(conceptId);
      this.countTerms(terms.ids, terms.positions, terms.ids.length, main ? F_CONCEPT_MAIN : F_CONCEPT_STUDIED, doc);
      if (main) mainLength += terms.ids.length;
      else studiedLength += terms.ids.length;
    }
    lengths[F_CONCEPT_MAIN][doc] = mainLength;
    lengths[F_CONCEPT_STUDIED][doc] = studiedLength;
    this.appendEntries(doc);
    if (!this.arenaLaidOut) {
      if (doc + 1 === this.sampleSize && this.expectedPapers > doc + 1) {
        // Laid out in steps: `buildSearchIndexAsync` runs them between time slices; otherwise
        // the next `add` (or `finish`) runs them at once.
        if (!this.checkSample || this.sampleIsPredictive()) this.pending = this.layOutArenaSteps(false);
        else this.entries.reserve(Math.ceil((this.entries.length / (doc + 1)) * (this.expectedPapers - doc - 1) * 1.1));
      }
    } else if (doc + 1 - this.blockFirst === BLOCK_PAPERS) {
      this.flush(this.blockFirst, doc + 1);
      this.startBlock(doc + 1);
    }
  }

  /** The paper's postings go to the entry list (and, in the sample, its terms' counts). */
  private appendEntries(doc: number): void {
    const touched = this.touched;
    const entries = this.entries;
    if (doc === SIZING_SAMPLE && this.expectedPapers > doc) {
      const papers = Math.min(this.expectedPapers, this.sampleSize);
      if (papers > doc) entries.reserve(Math.ceil((entries.length / doc) * (papers - doc) * 1.1));
    }
    entries.reserve(touched.length);
    const { terms, sig: sigs, tf } = entries;
    const { sig, packed, df } = this;
    const counting = !this.arenaLaidOut;
    let length = entries.length;
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i];
      terms[length] = id;
      sigs[length] = sig[id];
      tf[length++] = packed[id];
      if (counting) df[id]++;
    }
    entries.length = length;
    this.paperStart.push(length);
  }

  private startBlock(first: number): void {
    this.entries.length = 0;
    this.paperStart = [0];
    this.blockFirst = first;
  }

  /**
   * Moves the entries of papers [from, to) (all in the entry list) into their terms' regions: a
   * counting sort by term into a small scratch copy, then one run per term.
   */
  private flush(from: number, to: number): void {
    if (to <= from) return;
    const { paperStart, blockFirst, blockCount, blockPos } = this;
    const { terms, tf, sig } = this.entries;
    const first = paperStart[from - blockFirst];
    const last = paperStart[to - blockFirst];
    const size = last - first;
    if (size > this.sortedDocs.length) {
      const capacity = Math.max(size, this.sortedDocs.length * 2);
      this.blockTerms = new Int32Array(capacity);
      this.sortedDocs = new Int32Array(capacity);
      this.sortedSigs = new Uint32Array(capacity);
      this.sortedTf = new Uint32Array(capacity);
    }
    const { blockTerms, sortedDocs, sortedSigs, sortedTf } = this;
    let distinct = 0;
    for (let e = first; e < last; e++) {
      const t = terms[e];
      if (blockCount[t]++ === 0) blockTerms[distinct++] = t;
    }
    let offset = 0;
    for (let i = 0; i < distinct; i++) {
      const t = blockTerms[i];
      blockPos[t] = offset;
      offset += blockCount[t];
    }
    for (let d = from; d < to; d++) {
      const end = paperStart[d + 1 - blockFirst];
      for (let e = paperStart[d - blockFirst]; e < end; e++) {
        const q = blockPos[terms[e]]++;
        sortedDocs[q] = d;
        sortedSigs[q] = sig[e];
        sortedTf[q] = tf[e];
      }
    }
    const { regionEnd, regionLimit } = this;
    for (let i = 0; i < distinct; i++) {
      const t = blockTerms[i];
      const count = blockCount[t];
      blockCount[t] = 0;
      const q = blockPos[t] - count;
      let p = regionEnd[t];
      if (p + count > regionLimit[t]) p = this.moveRegion(t, count, to);
      const { arenaDocs, arenaSigs, arenaTf } = this;
      for (let j = 0; j < count; j++) {
        arenaDocs[p + j] = sortedDocs[q + j];
        arenaSigs[p + j] = sortedSigs[q + j];
        arenaTf[p + j] = sortedTf[q + j];
      }
      regionEnd[t] = p + count;
    }
  }

  /**
   * Term `id` needs room for `needed` more postings than its region has, `read` papers into the
   * corpus: moves it to the arena's top with room for the rest of the corpus at its rate so far
   * (the old region is left unused). Returns where its next posting goes.
   */
  private moveRegion(id: number, needed: number, read: number): number {
    const start = this.regionStart[id];
    const count = this.regionEnd[id] - start;
    let capacity = projectedCapacity(count + needed, this.expectedPapers / read);
    // At least a quarter more each time, so a term whose rate keeps rising moves O(log n) times.
    capacity = Math.max(capacity, count + needed + (count >> 2) + 2);
    if (this.arenaTop + capacity > this.arenaDocs.length) this.growArena(capacity);
    const to = this.arenaTop;
    this.arenaTop += capacity;
    this.arenaDocs.copyWithin(to, start, start + count);
    this.arenaSigs.copyWithin(to, start, start + count);
    this.arenaTf.copyWithin(to, start, start + count);
    this.regionStart[id] = to;
    this.regionEnd[id] = to + count;
    this.regionLimit[id] = to + capacity;
    return to + count;
  }

  private growArena(needed: number): void {
    const capacity = Math.max(this.arenaTop + needed, Math.ceil(this.arenaDocs.length * 1.25) + 1024);
    const docs = new Int32Array(capacity);
    docs.set(this.arenaDocs.subarray(0, this.arenaTop));
    this.arenaDocs = docs;
    const sigs = new Uint32Array(capacity);
    sigs.set(this.arenaSigs.subarray(0, this.arenaTop));
    this.arenaSigs = sigs;
    const tf = new Uint32Array(capacity);
    tf.set(this.arenaTf.subarray(0, this.arenaTop));
    this.arenaTf = tf;
  }

  /**
   * Gives every term seen so far a region sized for the whole corpus (`exact`: the corpus is
   * complete, so exactly its postings) and moves the entry list's postings there, in paper order.
   */
  private *layOutArenaSteps(exact: boolean): Generator<void, void> {
    this.fitTerms();
    const read = this.papers.length;
    const scale = exact ? 1 : Math.max(1, this.expectedPapers / read);
    const termCount = this.table.size;
    const { df, regionStart, regionEnd, regionLimit } = this;
    let top = 0;
    for (let t = 0; t < termCount; t++) {
      const count = df[t];
      regionStart[t] = top;
      regionEnd[t] = top;
      top += count === 0 ? 0 : exact ? count : projectedCapacity(count, scale);
      regionLimit[t] = top;
    }
    // Room for terms not met yet and for regions that move (the arena grows, by copying, if not).
    const capacity = exact ? top : top + (top >> 5) + 4096;
    this.arenaDocs = new Int32Array(capacity);
    this.arenaSigs = new Uint32Array(capacity);
    this.arenaTf = new Uint32Array(capacity);
    // Touch the regions' pages now, in order: a fresh page costs a fault on first write, and
    // faults taken here, sequentially, cost far less than the same faults taken one at a time by
    // the scattered writes of every block (measured: about 1 s against 0.6 s at 100,000 papers).
    for (let from = 0; from < top; from += FILL_STEP) {
      const to = Math.min(top, from + FILL_STEP);
      this.arenaDocs.fill(0, from, to);
      this.arenaSigs.fill(0, from, to);
      this.arenaTf.fill(0, from, to);
      yield;
    }
    this.arenaTop = top;
    this.arenaLaidOut = true;
    // Steps grow from 16 papers to a block: the first ones run before the JIT has compiled `flush`.
    for (let d = 0, step = 16; d < read; d += step, step = Math.min(BLOCK_PAPERS, step * 2)) {
      this.flush(d, Math.min(read, d + step));
      yield;
    }
    this.startBlock(read);
  }

  /** Layout work started by `add` at the end of the sample, not run yet. */
  private pending: Generator<void, void> | undefined;

  /** The pending layout steps, for `buildSearchIndexAsync` to run in slices (then there are none). */
  takePending(): Generator<void, void> | undefined {
    const steps = this.pending;
    this.pending = undefined;
    return steps;
  }

  get count(): number {
    return this.papers.length;
  }

  /** Computes BM25F impacts in place. The builder must not be reused. */
  finish(): SearchIndex {
    return drain(this.finishSteps());
  }

  /**
   * {@link finish} as steps of a few milliseconds each (about a million postings, or one block),
   * so that an editor building a large index between time slices never blocks for long.
   */
  *finishSteps(): Generator<void, SearchIndex> {
    const pending = this.takePending();
    if (pending) yield* pending;
    if (!this.arenaLaidOut) yield* this.layOutArenaSteps(true);
    else {
      this.flush(this.blockFirst, this.papers.length);
      this.startBlock(this.papers.length);
    }
    this.fitTerms();
    const termCount = this.table.size;
    const starts = this.regionStart.slice(0, termCount);
    const ends = this.regionEnd.slice(0, termCount);
    const docs = this.arenaDocs;
    const { impacts, fields, idf } = yield* impactSteps({ papers: this.papers.length, lengths: this.lengths, starts, ends, docs, tf: this.arenaTf });
    const vocabulary = new Vocabulary(this.table.terms, this.table.ids);
    yield;
    const metadata = yield* paperMetadataSteps(this.papers, this.conceptInfo);
    return new SearchIndex({
      metadata,
      papers: this.papers,
      vocabulary,
      starts, ends, docs, impacts, fields, sigs: this.arenaSigs, idf,
      conceptInfo: this.conceptInfo,
      protectedWords: this.protectedWords,
    });
  }
}
