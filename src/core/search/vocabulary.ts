/**
 * The index's vocabulary: every distinct term, with what the query side needs to expand a typed
 * word — completions of a prefix (binary search over the sorted terms) and corrections within a
 * small edit distance (a bigram index over the terms, verified with a bounded Damerau distance).
 * Typo tolerance works over the vocabulary, never over records, so its cost grows with the number
 * of distinct words (tens of thousands), not with the number of papers.
 */

/** Bigram alphabet: a-z, 0-9, one bucket for any other character, and the word boundary. */
const ALPHABET = 38;
const BOUNDARY = 37;

function symbol(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return code - 48 + 26;
  return 36;
}

/** Distinct bigram keys of `^term$`. */
function bigramKeys(term: string): number[] {
  const keys = new Set<number>();
  let prev = BOUNDARY;
  for (let i = 0; i < term.length; i++) {
    const s = symbol(term.charCodeAt(i));
    keys.add(prev * ALPHABET + s);
    prev = s;
  }
  keys.add(prev * ALPHABET + BOUNDARY);
  return [...keys];
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) if it is at most
 * `max`, else `max + 1`. Bails out as soon as a whole row exceeds `max`.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[lb], max + 1);
}

/** A vocabulary term proposed for a typed word. */
export interface TermCandidate {
  termId: number;
  /** 0 exact, else the edit distance (corrections) or the number of characters completed (prefixes). */
  distance: number;
}

/** A vocabulary's lookup tables (see {@link Vocabulary.persistedParts}). */
export interface VocabularyTables {
  sorted: Int32Array;
  gramOffsets: Int32Array;
  gramTerms: Int32Array;
}

export class Vocabulary {
  /** Term ids ordered by term text, for prefix ranges. */
  private readonly sorted: Int32Array;
  /** Bigram key → term ids holding it (CSR). */
  private readonly gramOffsets: Int32Array;
  private readonly gramTerms: Int32Array;
  /** Scratch counters for candidate generation (one per term), reset after each lookup. */
  private readonly counts: Uint8Array;

  constructor(
    /** Term text by id. */
    readonly terms: readonly string[],
    private readonly ids: ReadonlyMap<string, number>,
    /** The lookup tables of {@link persistedParts}, restored from a saved index (not rebuilt). */
    saved?: VocabularyTables,
  ) {
    this.counts = new Uint8Array(terms.length);
    if (saved) {
      this.sorted = saved.sorted;
      this.gramOffsets = saved.gramOffsets;
      this.gramTerms = saved.gramTerms;
      return;
    }
    const order = Array.from(terms.keys());
    order.sort((x, y) => (terms[x] < terms[y] ? -1 : terms[x] > terms[y] ? 1 : 0));
    this.sorted = Int32Array.from(order);

    const perTerm = terms.map(bigramKeys);
    const sizes = new Int32Array(ALPHABET * ALPHABET + 1);
    for (const keys of perTerm) for (const k of keys) sizes[k + 1]++;
    for (let k = 1; k < sizes.length; k++) sizes[k] += sizes[k - 1];
    this.gramOffsets = sizes;
    this.gramTerms = new Int32Array(sizes[sizes.length - 1]);
    const cursor = sizes.slice(0, ALPHABET * ALPHABET);
    perTerm.forEach((keys, termId) => { for (const k of keys) this.gramTerms[cursor[k]++] = termId; });
  }

  /** The lookup tables built from the terms, for persist.ts to save (shared, not copied). */
  persistedParts(): VocabularyTables {
    return { sorted: this.sorted, gramOffsets: this.gramOffsets, gramTerms: this.gramTerms };
  }

  get size(): number {
    return this.terms.length;
  }

  /** The id of `term`, if it is in the vocabulary. */
  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  /**
   * Terms that start with `prefix` and are longer than it, at most `limit` of them, preferring the
   * ones `rank` scores highest (the index passes document frequency).
   */
  completions(prefix: string, limit: number, rank: (termId: number) => number): TermCandidate[] {
    const terms = this.terms;
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[sorted[mid]] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: TermCandidate[] = [];
    for (let i = lo; i < sorted.length; i++) {
      const t = terms[sorted[i]];
      if (!t.startsWith(prefix)) break;
      if (t.length > prefix.length) found.push({ termId: sorted[i], distance: t.length - prefix.length });
    }
    if (found.length <= limit) return found;
    return found.sort((a, b) => rank(b.termId) - rank(a.termId) || a.distance - b.distance).slice(0, limit);
  }

  /**
   * Terms within `maxDistance` edits of `word` (excluding `word` itself), closest first. Candidates
   * come from shared bigrams (q-gram lemma: an edit destroys at most three distinct bigrams, a
   * transposition included), then are verified with {@link boundedEditDistance}.
   */
  corrections(word: string, maxDistance: number): TermCandidate[] {
    if (maxDistance <= 0 || this.terms.length === 0) return [];
    const keys = bigramKeys(word);
    const needed = Math.max(1, keys.length - 3 * maxDistance);
    const counts = this.counts;
    const touched: number[] = [];
    for (const k of keys) {
      const end = this.gramOffsets[k + 1];
      for (let p = this.gramOffsets[k]; p < end; p++) {
        const t = this.gramTerms[p];
        if (counts[t] === 0) touched.push(t);
        if (counts[t] < 255) counts[t]++;
      }
    }
    const out: TermCandidate[] = [];
    for (const t of touched) {
      const shared = counts[t];
      counts[t] = 0;
      if (shared < needed) continue;
      const term = this.terms[t];
      if (term === word || Math.abs(term.length - word.length) > maxDistance) continue;
      const d = boundedEditDistance(word, term, maxDistance);
      if (d <= maxDistance) out.push({ termId: t, distance: d });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
}
