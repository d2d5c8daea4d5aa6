/**
 * The paper search engine: an inverted index with BM25F ranking over title, abstract, authors,
 * venue and concept tags (expanded to names, aliases and library identifiers), with typo tolerance
 * and prefix completion over the vocabulary, and filters (year, concept, links, source).
 *
 * How it scales. Building tokenises every paper once: O(total words). Postings are stored flat
 * (CSR: one Int32Array of paper numbers, one Float32Array of precomputed BM25F impacts, one
 * Uint8Array of field masks), about 9 bytes per distinct (term, paper) pair. A query touches only
 * the postings of its expanded terms, so its cost is O(papers containing those terms) plus a
 * bounded top-k heap — never a pass over every record's text. Typo correction and completion look
 * at the vocabulary (distinct terms), whose size grows far slower than the number of papers.
 * Filters without words (`year:2025`, a concept) scan per-paper typed arrays: O(papers), a few
 * microseconds per thousand.
 *
 * Pure TypeScript: no vscode, no I/O. Build once, reuse; {@link buildSearchIndexAsync} builds in
 * slices so that an extension host stays responsive while a large corpus is indexed.
 */
import type { Concept } from '../concepts/types';
import type { Paper } from '../papers/types';
import { conceptSearchInfo, Field, FIELD_COUNT, fieldTexts, tagOnlyConceptInfo, type ConceptSearchInfo } from './documents';
import { parseQuery, type HintField, type LinkKind, type ParsedQuery, type QueryPhrase, type QueryWord } from './query';
import { boundedEditDistance, Vocabulary } from './vocabulary';
import { compactKey, foldText, phraseWords, scanTerms, TermKind } from './text';

// ---------------------------------------------------------------------------------------------
// Ranking parameters

/** BM25F field weights: a title word says more about a paper than an abstract word. */
const FIELD_WEIGHT = [3.0, 1.0, 2.0, 1.5, 3.0, 1.2];
/**
 * BM25F length normalisation per field (0: none). A long author list or venue is not a "longer
 * document", and a concept's text is as long as its list of library identifiers, which says
 * nothing about how much the paper is about it.
 */
const FIELD_B = [0.6, 0.75, 0.3, 0, 0, 0];
const K1 = 1.2;
/** Term frequency kept per field in the build's packed counters (bits: 6+8+4+4+5+5 = 32). */
const TF_BITS = [6, 8, 4, 4, 5, 5];
const TF_SHIFT = TF_BITS.map((_, i) => TF_BITS.slice(0, i).reduce((a, b) => a + b, 0));
const TF_MAX = TF_BITS.map((b) => (1 << b) - 1);

/** Weight of a corrected word (by edit distance) and of a completion, relative to an exact match. */
const CORRECTION_WEIGHT = [1, 0.6, 0.4];
const COMPLETION_LIMIT = 24;
/** How many corrections of one word are searched. */
const CORRECTION_LIMIT = 8;

const HINT_FIELD_MASK: Record<HintField, number> = {
  title: 1 << Field.Title,
  abstract: 1 << Field.Abstract,
  authors: 1 << Field.Authors,
  venue: 1 << Field.Venue,
};
const ALL_FIELDS = (1 << FIELD_COUNT) - 1;

const LINK_BIT: Record<LinkKind, number> = { code: 1, arxiv: 2, pdf: 4, hf: 8, doi: 16 };

/** Edit distance allowed when correcting a word of this length. */
function maxTypos(length: number): number {
  return length < 4 ? 0 : length < 7 ? 1 : 2;
}

// ---------------------------------------------------------------------------------------------
// Public types

/** Narrowing chosen in the UI (the query's own hints narrow further). */
export interface SearchFilters {
  /** Concept id the paper must be tagged with. */
  concept?: string;
  yearFrom?: number;
  yearTo?: number;
  /** True: only papers with a code link. */
  hasCode?: boolean;
  /** Only papers loaded from this source (exact source string, as listed in {@link SearchFacets}). */
  source?: string;
}

export type SearchSort = 'relevance' | 'newest';

export interface SearchOptions {
  /** First result to return (for paging); default 0. */
  offset?: number;
  /** Results to return; default 20. `total` still counts them all. */
  limit?: number;
  /** Default `relevance`; a `sort:` hint in the query wins. */
  sort?: SearchSort;
  filters?: SearchFilters;
}

export interface SearchHit {
  /** Position of the paper in the indexed list. */
  index: number;
  paper: Paper;
  /** BM25F score (0 when the query has no words). Comparable within one query only. */
  score: number;
  /** How many of the query's free words the paper matched. */
  matchedWords: number;
}

/** A word that was not in the vocabulary, and the terms searched instead. */
export interface Correction {
  word: string;
  suggestions: string[];
}

export interface SearchResult {
  /** Number of papers that match (all pages). */
  total: number;
  hits: SearchHit[];
  query: ParsedQuery;
  /** Typos corrected ("harmonc" → "harmonic"), for a "showing results for" note. */
  corrections: Correction[];
  /** Vocabulary terms the query matched, for highlighting. */
  terms: string[];
  /** Concept ids the query's `concept:` hints resolved to. */
  concepts: string[];
  /** The sort actually applied. */
  sort: SearchSort;
}

/** What the filter controls offer, computed once per index. */
export interface SearchFacets {
  papers: number;
  /** Concepts that tag at least one paper, by count. */
  concepts: { id: string; name: string; count: number }[];
  years: { min: number; max: number } | null;
  sources: { source: string; count: number }[];
  withCode: number;
}

// ---------------------------------------------------------------------------------------------
// Building

class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function dateKey(paper: Paper): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(paper.date ?? '');
  if (m) return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  return paper.year ? paper.year * 10000 : 0;
}

function linkBits(paper: Paper): number {
  const l = paper.links ?? {};
  return (l.code ? LINK_BIT.code : 0) | (l.arxiv ? LINK_BIT.arxiv : 0) | (l.pdf ? LINK_BIT.pdf : 0)
    | (l.huggingFace ? LINK_BIT.hf : 0) | (l.doi || paper.doi ? LINK_BIT.doi : 0);
}

/** Accumulates papers; {@link IndexBuilder.finish} turns them into a {@link SearchIndex}. */
export class IndexBuilder {
  private readonly papers: Paper[] = [];
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private df = new Int32Array(1024);
  // Per-paper scratch, indexed by term id: which paper last saw the term and its packed counts.
  private seenBy = new Int32Array(1024).fill(-1);
  private packed = new Uint32Array(1024);
  // Pass-1 output: (term, packed tf) per distinct term of each paper, papers in order.
  private readonly entryTerms = new GrowableU32();
  private readonly entryTf = new GrowableU32();
  private readonly paperStart: number[] = [0];
  private readonly lengths: number[][] = Array.from({ length: FIELD_COUNT }, () => []);
  private readonly conceptInfo = new Map<string, ConceptSearchInfo>();

  constructor(concepts: readonly Concept[] = []) {
    for (const c of concepts) if (!this.conceptInfo.has(c.id)) this.conceptInfo.set(c.id, conceptSearchInfo(c));
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      if (id >= this.df.length) {
        const df = new Int32Array(this.df.length * 2);
        df.set(this.df);
        this.df = df;
        const seen = new Int32Array(this.seenBy.length * 2).fill(-1);
        seen.set(this.seenBy);
        this.seenBy = seen;
        const packed = new Uint32Array(this.packed.length * 2);
        packed.set(this.packed);
        this.packed = packed;
      }
    }
    return id;
  }

  /** Adds one paper; its position in the index is the order of `add` calls. */
  add(paper: Paper): void {
    const doc = this.papers.length;
    this.papers.push(paper);
    const texts = fieldTexts(paper, (id) => this.conceptInfo.get(id));
    const touched: number[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      let length = 0;
      const shift = TF_SHIFT[f];
      const max = TF_MAX[f];
      scanTerms(foldText(texts[f]), (term) => {
        length++;
        const id = this.termId(term);
        if (this.seenBy[id] !== doc) {
          this.seenBy[id] = doc;
          this.packed[id] = 0;
          touched.push(id);
        }
        const tf = (this.packed[id] >>> shift) & max;
        if (tf < max) this.packed[id] += 1 << shift;
      });
      this.lengths[f].push(length);
    }
    for (const id of touched) {
      this.entryTerms.push(id);
      this.entryTf.push(this.packed[id]);
      this.df[id]++;
    }
    this.paperStart.push(this.entryTerms.length);
    for (const tag of paper.concepts ?? []) {
      if (!this.conceptInfo.has(tag.id)) this.conceptInfo.set(tag.id, tagOnlyConceptInfo(tag.id));
    }
  }

  get count(): number {
    return this.papers.length;
  }

  /** Lays the postings out by term and computes BM25F impacts. The builder must not be reused. */
  finish(): SearchIndex {
    const n = this.papers.length;
    const termCount = this.terms.length;
    const avg = this.lengths.map((ls) => (ls.length ? ls.reduce((a, b) => a + b, 0) / ls.length : 0) || 1);
    const offsets = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t] + this.df[t];
    const total = offsets[termCount];
    const docs = new Int32Array(total);
    const impacts = new Float32Array(total);
    const fields = new Uint8Array(total);
    const cursor = offsets.slice(0, termCount);
    const norm = new Float64Array(FIELD_COUNT);
    const entryTerms = this.entryTerms.data;
    const entryTf = this.entryTf.data;
    for (let d = 0; d < n; d++) {
      for (let f = 0; f < FIELD_COUNT; f++) {
        norm[f] = FIELD_WEIGHT[f] / (1 - FIELD_B[f] + FIELD_B[f] * (this.lengths[f][d] / avg[f]));
      }
      for (let e = this.paperStart[d]; e < this.paperStart[d + 1]; e++) {
        const t = entryTerms[e];
        const packed = entryTf[e];
        let weighted = 0;
        let mask = 0;
        for (let f = 0; f < FIELD_COUNT; f++) {
          const tf = (packed >>> TF_SHIFT[f]) & TF_MAX[f];
          if (tf > 0) {
            weighted += tf * norm[f];
            mask |= 1 << f;
          }
        }
        const p = cursor[t]++;
        docs[p] = d;
        impacts[p] = ((K1 + 1) * weighted) / (K1 + weighted);
        fields[p] = mask;
      }
    }
    const idf = new Float32Array(termCount);
    for (let t = 0; t < termCount; t++) {
      const df = this.df[t];
      idf[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
    return new SearchIndex({
      papers: this.papers,
      vocabulary: new Vocabulary(this.terms, this.termIds),
      offsets, docs, impacts, fields, idf,
      conceptInfo: this.conceptInfo,
    });
  }
}

/** Builds an index over `papers`, with `concepts` (the registry's) giving tags their names and identifiers. */
export function buildSearchIndex(papers: readonly Paper[], concepts: readonly Concept[] = []): SearchIndex {
  const builder = new IndexBuilder(concepts);
  for (const p of papers) builder.add(p);
  return builder.finish();
}

/**
 * Like {@link buildSearchIndex}, but yields to the event loop every `sliceMs` so that a host
 * building a large index keeps answering. `signal` aborts a build whose corpus went stale.
 */
export async function buildSearchIndexAsync(
  papers: readonly Paper[],
  concepts: readonly Concept[] = [],
  options: { sliceMs?: number; signal?: AbortSignal } = {},
): Promise<SearchIndex> {
  const sliceMs = options.sliceMs ?? 8;
  const builder = new IndexBuilder(concepts);
  let sliceStart = performance.now();
  for (let i = 0; i < papers.length; i++) {
    builder.add(papers[i]);
    if ((i & 63) === 63 && performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (options.signal?.aborted) throw new Error('search index build aborted');
      sliceStart = performance.now();
    }
  }
  return builder.finish();
}

// ---------------------------------------------------------------------------------------------
// The index

interface IndexParts {
  papers: Paper[];
  vocabulary: Vocabulary;
  offsets: Int32Array;
  docs: Int32Array;
  impacts: Float32Array;
  fields: Uint8Array;
  idf: Float32Array;
  conceptInfo: Map<string, ConceptSearchInfo>;
}

/** A vocabulary term a query word expanded to. */
interface Expansion {
  termId: number;
  weight: number;
}

/** A query word after vocabulary lookup. */
interface ResolvedWord {
  expansions: Expansion[];
  fieldMask: number;
}

/** Papers by a comparison "a ranks after b" (for the top-k heap). */
type After = (a: number, b: number) => boolean;

export class SearchIndex {
  readonly papers: readonly Paper[];
  readonly vocabulary: Vocabulary;
  private readonly offsets: Int32Array;
  private readonly docs: Int32Array;
  private readonly impacts: Float32Array;
  private readonly fields: Uint8Array;
  private readonly idf: Float32Array;
  private readonly conceptInfo: Map<string, ConceptSearchInfo>;

  // Per-paper metadata.
  private readonly dates: Int32Array;
  private readonly years: Int16Array;
  private readonly links: Uint8Array;
  private readonly conceptOffsets: Int32Array;
  private readonly conceptOf: Uint16Array;
  private readonly conceptMain: Uint8Array;
  private readonly conceptIds: string[];
  private readonly conceptIndex = new Map<string, number>();
  private readonly sourceOffsets: Int32Array;
  private readonly sourceOf: Uint16Array;
  private readonly sourceNames: string[];
  private readonly byId = new Map<string, number>();
  readonly facets: SearchFacets;

  // Query scratch, reused by every search (searches are synchronous, so never shared).
  private readonly score: Float32Array;
  private readonly mask: Uint32Array;
  private readonly titleMask: Uint32Array;
  private readonly best: Float32Array;
  private readonly stamp: Int32Array;
  private readonly wordStamp: Int32Array;
  private readonly titleStamp: Int32Array;
  private readonly excluded: Int32Array;
  private readonly rank: Float64Array;
  private readonly matched: Uint8Array;
  private stampCounter = 0;

  constructor(parts: IndexParts) {
    this.papers = parts.papers;
    this.vocabulary = parts.vocabulary;
    this.offsets = parts.offsets;
    this.docs = parts.docs;
    this.impacts = parts.impacts;
    this.fields = parts.fields;
    this.idf = parts.idf;
    this.conceptInfo = parts.conceptInfo;
    const n = this.papers.length;

    this.dates = new Int32Array(n);
    this.years = new Int16Array(n);
    this.links = new Uint8Array(n);
    this.conceptIds = [...this.conceptInfo.keys()];
    this.conceptIds.forEach((id, i) => this.conceptIndex.set(id, i));
    const conceptOffsets = new Int32Array(n + 1);
    const conceptOf: number[] = [];
    const conceptMain: number[] = [];
    const sourceIndex = new Map<string, number>();
    const sourceOffsets = new Int32Array(n + 1);
    const sourceOf: number[] = [];
    const conceptCounts = new Map<string, number>();
    const sourceCounts = new Map<string, number>();
    let withCode = 0;
    let minYear = Infinity;
    let maxYear = -Infinity;
    this.papers.forEach((p, d) => {
      this.dates[d] = dateKey(p);
      this.years[d] = p.year ?? 0;
      if (p.year) {
        minYear = Math.min(minYear, p.year);
        maxYear = Math.max(maxYear, p.year);
      }
      this.links[d] = linkBits(p);
      if (this.links[d] & LINK_BIT.code) withCode++;
      const seen = new Map<number, boolean>();
      for (const tag of p.concepts ?? []) {
        const c = this.conceptIndex.get(tag.id);
        if (c === undefined) continue;
        seen.set(c, (seen.get(c) ?? false) || tag.relation !== 'studies');
      }
      for (const [c, main] of seen) {
        conceptOf.push(c);
        conceptMain.push(main ? 1 : 0);
        conceptCounts.set(this.conceptIds[c], (conceptCounts.get(this.conceptIds[c]) ?? 0) + 1);
      }
      conceptOffsets[d + 1] = conceptOf.length;
      for (const s of new Set(p.sources ?? [])) {
        let si = sourceIndex.get(s);
        if (si === undefined) {
          si = sourceIndex.size;
          sourceIndex.set(s, si);
        }
        sourceOf.push(si);
        sourceCounts.set(s, (sourceCounts.get(s) ?? 0) + 1);
      }
      sourceOffsets[d + 1] = sourceOf.length;
      for (const key of [p.id, p.arxivId]) if (key && !this.byId.has(key)) this.byId.set(key, d);
    });
    this.conceptOffsets = conceptOffsets;
    this.conceptOf = Uint16Array.from(conceptOf);
    this.conceptMain = Uint8Array.from(conceptMain);
    this.sourceOffsets = sourceOffsets;
    this.sourceOf = Uint16Array.from(sourceOf);
    this.sourceNames = [...sourceIndex.keys()];
    this.facets = {
      papers: n,
      concepts: [...conceptCounts]
        .map(([id, count]) => ({ id, name: this.conceptInfo.get(id)?.name ?? id, count }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      years: Number.isFinite(minYear) ? { min: minYear, max: maxYear } : null,
      sources: [...sourceCounts].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
      withCode,
    };

    this.score = new Float32Array(n);
    this.mask = new Uint32Array(n);
    this.titleMask = new Uint32Array(n);
    this.best = new Float32Array(n);
    this.stamp = new Int32Array(n);
    this.wordStamp = new Int32Array(n);
    this.titleStamp = new Int32Array(n);
    this.excluded = new Int32Array(n);
    this.rank = new Float64Array(n);
    this.matched = new Uint8Array(n);
  }

  /** Number of indexed papers. */
  get size(): number {
    return this.papers.length;
  }

  /** A paper by id or arXiv id. */
  get(id: string): Paper | undefined {
    const d = this.byId.get(id);
    return d === undefined ? undefined : this.papers[d];
  }

  /** Display name of a concept the index knows (registry name, else the id). */
  conceptName(id: string): string | undefined {
    return this.conceptInfo.get(id)?.name;
  }

  /** Approximate memory held by the postings, in bytes. */
  get postingBytes(): number {
    return this.docs.byteLength + this.impacts.byteLength + this.fields.byteLength + this.offsets.byteLength;
  }

  /**
   * Concept ids a `concept:` value names: an exact id; else a concept whose id, name, alias,
   * library identifier or hand-written name has the same compact form (`focal loss`, `FocalLoss`,
   * `CrossEntropyLoss`); else concepts whose id, name or alias starts with it; else the closest by
   * edit distance (up to 2). Empty when nothing is close.
   */
  resolveConcept(value: string): string[] {
    const raw = value.trim().toLowerCase();
    if (this.conceptInfo.has(raw)) return [raw];
    const key = compactKey(value);
    if (!key) return [];
    const exact: string[] = [];
    const prefix: string[] = [];
    let closest: string[] = [];
    let closestDistance = 3;
    for (const info of this.conceptInfo.values()) {
      if (info.keys.includes(key)) exact.push(info.id);
      else if (key.length >= 3 && info.nameKeys.some((k) => k.startsWith(key))) prefix.push(info.id);
      else if (key.length >= 4) {
        for (const k of info.nameKeys) {
          const d = boundedEditDistance(key, k, Math.min(2, maxTypos(key.length)));
          if (d < closestDistance) {
            closestDistance = d;
            closest = [info.id];
          } else if (d === closestDistance && !closest.includes(info.id)) {
            closest.push(info.id);
          }
        }
      }
    }
    if (exact.length) return exact;
    if (prefix.length) return prefix;
    return closestDistance <= 2 ? closest : [];
  }

  /** Runs a query (text or already parsed) with UI filters and paging. */
  search(query: string | ParsedQuery, options: SearchOptions = {}): SearchResult {
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const limit = Math.max(0, Math.min(1000, Math.floor(options.limit ?? 20)));
    const sort: SearchSort = parsed.sort ?? options.sort ?? 'relevance';
    const corrections: Correction[] = [];
    const matchedTerms = new Set<string>();
    const n = this.papers.length;
    const queryStamp = ++this.stampCounter;

    // 1. Words → vocabulary expansions. Free words rank; field words and phrase words are required.
    const free = this.resolveWords(parsed.words, true, corrections, matchedTerms);
    const required = this.resolveWords(parsed.requiredWords, true, corrections, matchedTerms);
    const phraseTerms: ResolvedWord[] = [];
    let impossible = required.some((w) => w.expansions.length === 0);
    for (const phrase of parsed.phrases) {
      for (const word of phrase.words) {
        const resolved = this.resolveExact(word, phrase.field);
        if (!resolved) continue; // a stopword or too short: checked by the phrase verification only
        if (resolved.expansions.length === 0) impossible = true;
        phraseTerms.push(resolved);
        matchedTerms.add(word);
      }
    }
    // Bits: free words first, then required words, then phrase words (as many as fit).
    const scoring: ResolvedWord[] = [...free, ...required, ...phraseTerms].slice(0, 32);
    const freeBits = free.length >= 32 ? 0xffffffff : (1 << free.length) - 1;
    let requiredBits = 0;
    for (let b = free.length; b < scoring.length; b++) requiredBits |= 1 << b;
    requiredBits >>>= 0;

    // 2. Exclusions.
    const excludeStamp = queryStamp;
    for (const word of this.resolveWords(parsed.excludedWords, false, [], new Set())) this.markPostings(word, excludeStamp);
    for (const phrase of parsed.excludedPhrases) this.markPhrase(phrase, excludeStamp);
    const excludedConceptSets = parsed.excludedConcepts.map((c) => this.conceptSet(this.resolveConcept(c)));

    // 3. Structured filters.
    const conceptsResolved: string[] = [];
    const conceptSets: Set<number>[] = [];
    for (const value of parsed.concepts) {
      const ids = this.resolveConcept(value);
      conceptsResolved.push(...ids);
      if (ids.length === 0) impossible = true;
      conceptSets.push(this.conceptSet(ids));
    }
    const f = options.filters ?? {};
    if (f.concept) {
      const idx = this.conceptIndex.get(f.concept);
      if (idx === undefined) impossible = true;
      else conceptSets.push(new Set([idx]));
    }
    const yearFrom = Math.max(parsed.years?.from ?? -Infinity, f.yearFrom ?? -Infinity);
    const yearTo = Math.min(parsed.years?.to ?? Infinity, f.yearTo ?? Infinity);
    const yearFiltered = Number.isFinite(yearFrom) || Number.isFinite(yearTo);
    let hasBits = 0;
    for (const k of parsed.has) hasBits |= LINK_BIT[k];
    if (f.hasCode) hasBits |= LINK_BIT.code;
    let hasNotBits = 0;
    for (const k of parsed.hasNot) hasNotBits |= LINK_BIT[k];
    const sourceSets: Set<number>[] = parsed.sources.map((s) => new Set(this.sourceNames.flatMap((name, i) => (name.toLowerCase().includes(s) ? [i] : []))));
    if (f.source !== undefined) sourceSets.push(new Set(this.sourceNames.flatMap((name, i) => (name === f.source ? [i] : []))));
    let idSet: Set<number> | undefined;
    if (parsed.ids.length) {
      idSet = new Set(parsed.ids.flatMap((id) => { const d = this.byId.get(id) ?? this.byId.get(id.replace(/v\d+$/, '')); return d === undefined ? [] : [d]; }));
    }

    const accept = (d: number): boolean => {
      if (this.excluded[d] === excludeStamp) return false;
      if (idSet && !idSet.has(d)) return false;
      if (yearFiltered) {
        const y = this.years[d];
        if (y === 0 || y < yearFrom || y > yearTo) return false;
      }
      if ((this.links[d] & hasBits) !== hasBits || (this.links[d] & hasNotBits) !== 0) return false;
      for (const set of conceptSets) if (!this.hasConcept(d, set)) return false;
      for (const set of excludedConceptSets) if (set.size && this.hasConcept(d, set)) return false;
      for (const set of sourceSets) if (!this.hasSource(d, set)) return false;
      return true;
    };

    // 4. Candidates: papers reached by the words (scored), or every paper when there are none.
    const candidates: number[] = [];
    if (!impossible) {
      if (scoring.length > 0) {
        const touched = this.accumulate(scoring, queryStamp);
        for (const d of touched) {
          const m = this.mask[d];
          if ((m & requiredBits) >>> 0 !== requiredBits) continue;
          if (freeBits !== 0 && (m & freeBits) === 0) continue;
          if (accept(d)) candidates.push(d);
        }
      } else if (idSet) {
        for (const d of idSet) if (accept(d)) candidates.push(d);
      } else {
        for (let d = 0; d < n; d++) if (accept(d)) candidates.push(d);
      }
    }

    // 5. Phrases are verified against the text of the candidates that survived everything else.
    let survivors = candidates;
    if (parsed.phrases.length > 0) survivors = candidates.filter((d) => parsed.phrases.every((p) => this.containsPhrase(d, p)));

    // 6. Rank: more free words matched first, then score (or date), then date, then index.
    const wordBits = scoring.length >= 32 ? 0xffffffff : (1 << scoring.length) - 1;
    const totalWords = popcount(wordBits >>> 0);
    for (const d of survivors) {
      if (scoring.length > 0) {
        this.matched[d] = popcount(this.mask[d] & freeBits);
        const titleCoverage = totalWords ? popcount(this.titleMask[d] & wordBits) / totalWords : 0;
        this.rank[d] = this.score[d] * (1 + 0.5 * titleCoverage);
      } else {
        this.matched[d] = 0;
        // Without words, papers that propose a filtered concept come before papers that study it.
        this.rank[d] = conceptSets.length ? this.mainConceptCount(d, conceptSets) : 0;
      }
    }
    const after: After = sort === 'newest'
      ? (a, b) => this.dates[a] < this.dates[b] || (this.dates[a] === this.dates[b] && (this.byRelevanceAfter(a, b)))
      : (a, b) => this.byRelevanceAfter(a, b);
    const top = topK(survivors, offset + limit, after);
    const hits: SearchHit[] = top.slice(offset).map((d) => ({
      index: d,
      paper: this.papers[d],
      score: scoring.length > 0 ? this.rank[d] : 0,
      matchedWords: this.matched[d],
    }));
    return {
      total: survivors.length,
      hits,
      query: parsed,
      corrections,
      terms: [...matchedTerms].slice(0, 64),
      concepts: [...new Set(conceptsResolved)],
      sort,
    };
  }

  private byRelevanceAfter(a: number, b: number): boolean {
    if (this.matched[a] !== this.matched[b]) return this.matched[a] < this.matched[b];
    if (this.rank[a] !== this.rank[b]) return this.rank[a] < this.rank[b];
    if (this.dates[a] !== this.dates[b]) return this.dates[a] < this.dates[b];
    return a > b;
  }

  /** Expands each word: exact, completions (the word being typed), corrections (unknown words). */
  private resolveWords(words: readonly QueryWord[], fuzzy: boolean, corrections: Correction[], matchedTerms: Set<string>): ResolvedWord[] {
    const out: ResolvedWord[] = [];
    const vocab = this.vocabulary;
    const df = (t: number): number => this.offsets[t + 1] - this.offsets[t];
    for (const word of words) {
      const fieldMask = word.field ? HINT_FIELD_MASK[word.field] : ALL_FIELDS;
      const expansions: Expansion[] = [];
      const exact = vocab.id(word.term);
      if (exact !== undefined) expansions.push({ termId: exact, weight: 1 });
      if (word.prefix && word.term.length >= 2) {
        for (const c of vocab.completions(word.term, COMPLETION_LIMIT, df)) {
          const ratio = word.term.length / (word.term.length + c.distance);
          expansions.push({ termId: c.termId, weight: 0.45 + 0.45 * ratio });
        }
      }
      // An unknown compound (`cross_entropy` where only `cross` and `entropy` are indexed): its parts.
      if (expansions.length === 0 && word.parts.length > 1) {
        const parts = word.parts.map((p, i): QueryWord => ({ term: p, parts: [], field: word.field, prefix: word.prefix && i === word.parts.length - 1 }));
        out.push(...this.resolveWords(parts, fuzzy, corrections, matchedTerms));
        continue;
      }
      if (fuzzy) {
        const allowed = maxTypos(word.term.length);
        const rareExact = exact !== undefined && df(exact) <= 3;
        if (allowed > 0 && (expansions.length === 0 || rareExact)) {
          let found = vocab.corrections(word.term, allowed);
          if (found.length) found = found.filter((c) => c.distance === found[0].distance);
          // A rare exact word is kept, and a far more common neighbour joins it (a typo in the corpus
          // itself must not hide the papers spelled right).
          if (rareExact) found = found.filter((c) => c.distance === 1 && df(c.termId) >= 20 * df(exact));
          found.sort((a, b) => df(b.termId) - df(a.termId));
          found = found.slice(0, CORRECTION_LIMIT);
          for (const c of found) expansions.push({ termId: c.termId, weight: CORRECTION_WEIGHT[c.distance] ?? 0.3 });
          if (found.length) corrections.push({ word: word.term, suggestions: found.map((c) => vocab.terms[c.termId]) });
        }
      }
      for (const e of expansions) matchedTerms.add(vocab.terms[e.termId]);
      out.push({ expansions, fieldMask });
    }
    return out;
  }

  private resolveExact(word: string, field: HintField | undefined): ResolvedWord | undefined {
    const fieldMask = field ? HINT_FIELD_MASK[field] : ALL_FIELDS;
    let indexed = false;
    scanTerms(word, (_t, kind) => { if (kind === TermKind.Plain) indexed = true; });
    if (!indexed) return undefined;
    const id = this.vocabulary.id(word);
    return { expansions: id === undefined ? [] : [{ termId: id, weight: 1 }], fieldMask };
  }

  /**
   * Adds each word's best expansion score to the papers it reaches and sets the word's bit.
   * Returns the papers reached.
   */
  private accumulate(words: readonly ResolvedWord[], queryStamp: number): number[] {
    const touched: number[] = [];
    const { docs, impacts, fields, offsets, idf, score, mask, titleMask, best, stamp, wordStamp, titleStamp } = this;
    const titleBit = 1 << Field.Title;
    words.forEach((word, bit) => {
      const ws = ++this.stampCounter;
      const wordTouched: number[] = [];
      for (const { termId, weight } of word.expansions) {
        const w = idf[termId] * weight;
        const end = offsets[termId + 1];
        const fieldMask = word.fieldMask;
        for (let p = offsets[termId]; p < end; p++) {
          const fm = fields[p];
          if ((fm & fieldMask) === 0) continue;
          const d = docs[p];
          const s = w * impacts[p];
          if (wordStamp[d] !== ws) {
            wordStamp[d] = ws;
            best[d] = s;
            wordTouched.push(d);
          } else if (s > best[d]) {
            best[d] = s;
          }
          if (fm & titleBit) titleStamp[d] = ws;
        }
      }
      const b = (1 << bit) >>> 0;
      for (const d of wordTouched) {
        if (stamp[d] !== queryStamp) {
          stamp[d] = queryStamp;
          score[d] = 0;
          mask[d] = 0;
          titleMask[d] = 0;
          touched.push(d);
        }
        score[d] += best[d];
        mask[d] |= b;
        if (titleStamp[d] === ws) titleMask[d] |= b;
      }
    });
    return touched;
  }

  private markPostings(word: ResolvedWord, mark: number): void {
    for (const { termId } of word.expansions) {
      for (let p = this.offsets[termId]; p < this.offsets[termId + 1]; p++) {
        if (this.fields[p] & word.fieldMask) this.excluded[this.docs[p]] = mark;
      }
    }
  }

  private markPhrase(phrase: QueryPhrase, mark: number): void {
    // Papers holding the phrase's rarest indexed word are the only ones that can hold the phrase.
    let rarest: number | undefined;
    for (const w of phrase.words) {
      const id = this.resolveExact(w, phrase.field)?.expansions[0]?.termId;
      if (id !== undefined && (rarest === undefined || this.offsets[id + 1] - this.offsets[id] < this.offsets[rarest + 1] - this.offsets[rarest])) rarest = id;
    }
    if (rarest === undefined) return;
    for (let p = this.offsets[rarest]; p < this.offsets[rarest + 1]; p++) {
      const d = this.docs[p];
      if (this.containsPhrase(d, phrase)) this.excluded[d] = mark;
    }
  }

  private containsPhrase(d: number, phrase: QueryPhrase): boolean {
    const texts = fieldTexts(this.papers[d], (id) => this.conceptInfo.get(id));
    const fields = phrase.field ? [fieldIndex(phrase.field)] : texts.map((_, i) => i);
    for (const f of fields) {
      const words = phraseWords(texts[f]);
      outer: for (let i = 0; i + phrase.words.length <= words.length; i++) {
        for (let j = 0; j < phrase.words.length; j++) if (words[i + j] !== phrase.words[j]) continue outer;
        return true;
      }
    }
    return false;
  }

  private conceptSet(ids: readonly string[]): Set<number> {
    const set = new Set<number>();
    for (const id of ids) {
      const i = this.conceptIndex.get(id);
      if (i !== undefined) set.add(i);
    }
    return set;
  }

  private hasConcept(d: number, set: Set<number>): boolean {
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) if (set.has(this.conceptOf[i])) return true;
    return false;
  }

  private mainConceptCount(d: number, sets: readonly Set<number>[]): number {
    let count = 0;
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) {
      if (this.conceptMain[i] && sets.some((s) => s.has(this.conceptOf[i]))) count++;
    }
    return count;
  }

  private hasSource(d: number, set: Set<number>): boolean {
    for (let i = this.sourceOffsets[d]; i < this.sourceOffsets[d + 1]; i++) if (set.has(this.sourceOf[i])) return true;
    return false;
  }
}

function fieldIndex(field: HintField): number {
  switch (field) {
    case 'title': return Field.Title;
    case 'abstract': return Field.Abstract;
    case 'authors': return Field.Authors;
    default: return Field.Venue;
  }
}

function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The first `k` of `items` in rank order, using a bounded heap whose root is the worst kept item. */
function topK(items: readonly number[], k: number, after: After): number[] {
  if (k <= 0 || items.length === 0) return [];
  if (items.length <= k || items.length <= 64) {
    return [...items].sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0)).slice(0, k);
  }
  const heap: number[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!after(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && after(heap[l], heap[worst])) worst = l;
      if (r < heap.length && after(heap[r], heap[worst])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (const d of items) {
    if (heap.length < k) {
      heap.push(d);
      up(heap.length - 1);
    } else if (after(heap[0], d)) {
      heap[0] = d;
      down(0);
    }
  }
  return heap.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
}
