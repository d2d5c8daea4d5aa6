/**
 * How the search engine ranks: the BM25F parameters a posting's impact is computed from (and the
 * packing of per-field term counts the build stores until then), the weights that decide whether a
 * paper is a strong or a weak match, and the bounded top-k selection that orders a query's page.
 *
 * A posting's impact is its BM25F term-frequency part, computed once at build time from the
 * corpus's average field lengths ({@link impactSteps}); a query multiplies it by the term's IDF and
 * the expansion's weight (queryEngine.ts), so that ranking a paper costs one multiply per posting.
 */
import { Field, FIELD_COUNT } from './documents';

/** BM25F field weights: a title word says more about a paper than an abstract word. */
export const FIELD_WEIGHT = [3.0, 1.0, 2.0, 1.5, 3.0, 1.2];
/**
 * BM25F length normalisation per field (0: none). A long author list or venue is not a "longer
 * document", and a concept's text is as long as its list of library identifiers, which says
 * nothing about how much the paper is about it.
 */
export const FIELD_B = [0.6, 0.75, 0.3, 0, 0, 0];
export const K1 = 1.2;
/** Term frequency kept per field in the build's packed counters (bits: 6+8+4+4+5+5 = 32). */
const TF_BITS = [6, 8, 4, 4, 5, 5];
export const TF_SHIFT = TF_BITS.map((_, i) => TF_BITS.slice(0, i).reduce((a, b) => a + b, 0));
export const TF_MAX = TF_BITS.map((b) => (1 << b) - 1);

/**
 * Words that say what kind of thing is searched for, not which: a paper does not become an answer
 * to "style transfer content loss" by containing "loss". They rank, but weigh nothing in deciding
 * whether a paper is a strong match (unless the query has nothing else).
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'loss', 'losses', 'function', 'functions', 'objective', 'objectives', 'criterion', 'paper', 'papers', 'method',
  'methods', 'approach', 'approaches', 'using', 'via', 'based', 'new', 'novel', 'towards', 'toward', 'study',
]);
/**
 * A paper is a strong match when the query words it matches carry at least this share of the
 * query's weight (each word weighs its IDF; a word the corpus lacks weighs the most a word can; a
 * missed word other papers have counts {@link KNOWN_MISS} as much). Tuned on the judged query set
 * (bench/judged.ts): its no-answer queries' best papers cover at most 0.47 but for two (0.52, 0.57:
 * "protein structure prediction" matches two of its three words), its answerable queries' expected
 * papers at least 0.52.
 */
export const STRONG_COVERAGE = 0.5;
/** How much a missed word that other papers have counts against coverage, relative to one no paper has. */
export const KNOWN_MISS = 0.7;
/** Group keys: strong × tier × matched words (see `search`). */
export const TIERS = 4;
export const MATCH_SLOTS = 33;

/** Edit distance allowed when correcting a word of this length. */
export function maxTypos(length: number): number {
  return length < 4 ? 0 : length < 7 ? 1 : 2;
}

// Local copies: module bindings of imported constants can cost a getter call per use in hot loops.
const FIELDS = FIELD_COUNT;
const F_ABSTRACT = Field.Abstract;
/** Postings given their impacts per step of {@link impactSteps} (a few ms). */
const IMPACT_STEP = 1 << 18;

/** A corpus's postings as the build leaves them, before {@link impactSteps}. */
export interface RawPostings {
  /** Papers in the corpus. */
  papers: number;
  /** Field lengths in terms, per field, per paper (at least `papers` long). */
  lengths: readonly Int32Array[];
  /** Term t's postings are [starts[t], ends[t]) of `docs` and `tf`. */
  starts: Int32Array;
  ends: Int32Array;
  docs: Int32Array;
  /** Packed term frequencies per field (TF_SHIFT, TF_MAX); overwritten with the impacts. */
  tf: Uint32Array;
}

/**
 * Turns the packed term frequencies into BM25F impacts, in place (the returned `impacts` share
 * `tf`'s buffer), with each posting's field mask and each term's IDF. Yields every few
 * milliseconds (about a million postings) so that an editor building a large index never blocks.
 */
export function* impactSteps(raw: RawPostings): Generator<void, { impacts: Float32Array; fields: Uint8Array; idf: Float32Array }> {
  const { papers: n, starts, ends, docs, tf: tfs } = raw;
  const termCount = starts.length;
  // BM25F weight and length normalisation per field and paper; a posting reads only the fields
  // its term occurs in (mostly one), so each field's norms are an array of their own.
  const norms = raw.lengths.map((ls, f) => {
    let sum = 0;
    for (let d = 0; d < n; d++) sum += ls[d];
    const avg = (n ? sum / n : 0) || 1;
    const out = new Float64Array(n);
    for (let d = 0; d < n; d++) out[d] = FIELD_WEIGHT[f] / (1 - FIELD_B[f] + FIELD_B[f] * (ls[d] / avg));
    return out;
  });
  const impacts = new Float32Array(tfs.buffer, tfs.byteOffset, tfs.length);
  const fields = new Uint8Array(tfs.length);
  const idf = new Float32Array(termCount);
  // Most postings are of one field (a word of the abstract only): read just that field's count.
  const abstractNorms = norms[F_ABSTRACT];
  const abstractShift = TF_SHIFT[F_ABSTRACT];
  const abstractMax = TF_MAX[F_ABSTRACT];
  const abstractOnly = abstractMax << abstractShift;
  yield;
  // Steps grow to IMPACT_STEP postings: the first ones run before the JIT has compiled this loop.
  let sinceYield = 0;
  let stepSize = IMPACT_STEP >> 5;
  for (let t = 0; t < termCount; t++) {
    const end = ends[t];
    sinceYield += end - starts[t];
    if (sinceYield > stepSize) {
      sinceYield = 0;
      stepSize = Math.min(IMPACT_STEP, stepSize * 2);
      yield;
    }
    for (let p = starts[t]; p < end; p++) {
      const packed = tfs[p];
      const d = docs[p];
      let weighted = 0;
      let mask = 0;
      if ((packed & ~abstractOnly) === 0) {
        // 0 + x is x: the same sum as the loop below.
        weighted = ((packed >>> abstractShift) & abstractMax) * abstractNorms[d];
        mask = 1 << F_ABSTRACT;
      } else {
        for (let f = 0; f < FIELDS; f++) {
          const tf = (packed >>> TF_SHIFT[f]) & TF_MAX[f];
          if (tf > 0) {
            weighted += tf * norms[f][d];
            mask |= 1 << f;
          }
        }
      }
      impacts[p] = ((K1 + 1) * weighted) / (K1 + weighted);
      fields[p] = mask;
    }
    const df = end - starts[t];
    idf[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
  yield;
  return { impacts, fields, idf };
}

/** A mask with the low `count` bits set (count ≤ 32). */
export function bits(count: number): number {
  return count >= 32 ? 0xffffffff : ((1 << count) - 1) >>> 0;
}

export function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The first `k` of `items` in rank order — `primary` descending, then `secondary` descending, then
 * position ascending — with a bounded heap whose root is the worst item kept: O(n log k).
 */
export function topK(items: readonly number[], k: number, primary: Float64Array, secondary: Float64Array, tertiary: Float64Array): number[] {
  // a ranks after b
  const after = (a: number, b: number): boolean => {
    const pa = primary[a];
    const pb = primary[b];
    if (pa !== pb) return pa < pb;
    const sa = secondary[a];
    const sb = secondary[b];
    if (sa !== sb) return sa < sb;
    const ta = tertiary[a];
    const tb = tertiary[b];
    if (ta !== tb) return ta < tb;
    return a > b;
  };
  const order = (a: number, b: number): number => (after(a, b) ? 1 : after(b, a) ? -1 : 0);
  if (k <= 0 || items.length === 0) return [];
  if (items.length <= k || items.length <= 64) return [...items].sort(order).slice(0, k);
  const heap: number[] = [];
  for (const d of items) {
    if (heap.length < k) {
      heap.push(d);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!after(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    } else if (after(heap[0], d)) {
      heap[0] = d;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let worst = i;
        if (l < heap.length && after(heap[l], heap[worst])) worst = l;
        if (r < heap.length && after(heap[r], heap[worst])) worst = r;
        if (worst === i) break;
        [heap[i], heap[worst]] = [heap[worst], heap[i]];
        i = worst;
      }
    }
  }
  return heap.sort(order);
}
