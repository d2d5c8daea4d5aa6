/**
 * The index's layout: what a built (or loaded) index is made of, and the lookups on it that are
 * not a query — papers by id, papers by concept, concept names, `concept:` values resolved.
 *
 * Postings are flat typed arrays, one arena for all terms: term t's postings are
 * [starts[t], ends[t]) of `docs` (paper number), `impacts` (precomputed BM25F impact, see
 * ranking.ts), `fields` (field mask) and `sigs` (word positions mod 32, for phrases) — 13 bytes
 * per distinct (term, paper) pair, in paper order within each term. The lists are not back to back:
 * the build writes them in place and leaves room between them (indexBuilder.ts). Per-paper
 * metadata (dates, links, concept tags, sources) is in paperMetadata.ts.
 *
 * The arrays are read by the query engine (queryEngine.ts, queryWords.ts, understanding.ts) and
 * saved by persist.ts; nothing writes them after the build.
 */
import type { Paper } from '../papers/types';
import type { ConceptSearchInfo } from './documents';
import { drain, paperMetadataSteps, type PaperMetadata } from './paperMetadata';
import { ProtectedWords } from './protectedWords';
import { maxTypos } from './ranking';
import type { SearchFacets } from './searchTypes';
import { compactKey } from './text';
import { boundedEditDistance, type Vocabulary } from './vocabulary';

/** What an index is made of (persist.ts saves and restores these). */
export interface IndexParts {
  papers: Paper[];
  vocabulary: Vocabulary;
  starts: Int32Array;
  ends: Int32Array;
  docs: Int32Array;
  impacts: Float32Array;
  fields: Uint8Array;
  sigs: Uint32Array;
  idf: Float32Array;
  conceptInfo: Map<string, ConceptSearchInfo>;
  /** Words never corrected; the registry's and the ML terms when absent. */
  protectedWords?: ProtectedWords;
  /** Computed from `papers` when absent. */
  metadata?: PaperMetadata;
}

/**
 * A built index's arrays and tables, and the lookups on them. The search itself is
 * {@link SearchIndex} (queryEngine.ts), which extends this. Fields are read-only views shared with
 * the query engine and persist.ts: read them, never write them.
 */
export class IndexLayout {
  readonly papers: readonly Paper[];
  readonly vocabulary: Vocabulary;
  /**
   * Term t's postings are [starts[t], ends[t]) of docs, impacts, fields and sigs, in paper order.
   * Lists are not back to back: the build writes them in place, and leaves room between them.
   */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly docs: Int32Array;
  readonly impacts: Float32Array;
  readonly fields: Uint8Array;
  /**
   * Per posting, the term's word positions in the paper modulo 32, as bits (each field offset so
   * fields rarely collide). Words of a phrase at positions p, p+1… must have bit p in the first
   * signature, p+1 in the second: checking that with shifts rules out most papers before their
   * text is read. False positives only; never a false negative.
   */
  readonly sigs: Uint32Array;
  readonly idf: Float32Array;
  readonly conceptInfo: Map<string, ConceptSearchInfo>;

  // Per-paper metadata.
  readonly dates: Float64Array;
  readonly years: Int16Array;
  readonly links: Uint8Array;
  readonly conceptOffsets: Int32Array;
  readonly conceptOf: Uint16Array;
  readonly conceptMain: Uint8Array;
  readonly conceptIds: string[];
  readonly conceptIndex: Map<string, number>;
  readonly sourceOffsets: Int32Array;
  readonly sourceOf: Uint16Array;
  readonly sourceNames: string[];
  /** Paper by id and by arXiv id, built on first use (most sessions never look a paper up). */
  private byIdMap: Map<string, number> | undefined;
  readonly facets: SearchFacets;
  private conceptPapers: { offsets: Int32Array; list: Int32Array } | undefined;
  /** Mention key → concept numbers (see `ConceptSearchInfo.mentionKeys`), built on first use. */
  private conceptsByMention: Map<string, number[]> | undefined;
  readonly protectedWords: ProtectedWords;

  constructor(parts: IndexParts) {
    this.papers = parts.papers;
    this.vocabulary = parts.vocabulary;
    this.starts = parts.starts;
    this.ends = parts.ends;
    this.docs = parts.docs;
    this.impacts = parts.impacts;
    this.fields = parts.fields;
    this.sigs = parts.sigs;
    this.idf = parts.idf;
    this.conceptInfo = parts.conceptInfo;

    const meta = parts.metadata ?? drain(paperMetadataSteps(this.papers, this.conceptInfo));
    this.dates = meta.dates;
    this.years = meta.years;
    this.links = meta.links;
    this.conceptIds = meta.conceptIds;
    this.conceptIndex = meta.conceptIndex;
    this.conceptOffsets = meta.conceptOffsets;
    this.conceptOf = meta.conceptOf;
    this.conceptMain = meta.conceptMain;
    this.sourceOffsets = meta.sourceOffsets;
    this.sourceOf = meta.sourceOf;
    this.sourceNames = meta.sourceNames;
    this.facets = meta.facets;
    this.protectedWords = parts.protectedWords ?? new ProtectedWords();
  }

  /** The papers tagged with concept number `c`, in index order (built on first use). */
  papersOf(c: number): Int32Array {
    if (!this.conceptPapers) {
      const counts = new Int32Array(this.conceptIds.length + 1);
      for (let i = 0; i < this.conceptOf.length; i++) counts[this.conceptOf[i] + 1]++;
      for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
      const list = new Int32Array(this.conceptOf.length);
      const cursor = counts.slice(0, this.conceptIds.length);
      for (let d = 0; d < this.papers.length; d++) {
        for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) list[cursor[this.conceptOf[i]]++] = d;
      }
      this.conceptPapers = { offsets: counts, list };
    }
    return this.conceptPapers.list.subarray(this.conceptPapers.offsets[c], this.conceptPapers.offsets[c + 1]);
  }

  byId(): Map<string, number> {
    if (!this.byIdMap) drain(this.lookupSteps());
    return this.byIdMap!;
  }

  /**
   * Builds the paper-by-id map, yielding every 8,192 papers: `buildSearchIndexAsync` runs it
   * between time slices so that the first lookup of a large index does not block the host
   * (about 100 ms at 100,000 papers in one go). Does nothing once the map exists.
   */
  *lookupSteps(): Generator<void, void> {
    if (this.byIdMap) return;
    const map = new Map<string, number>();
    const papers = this.papers;
    for (let d = 0; d < papers.length; d++) {
      if ((d & 8191) === 8191) yield;
      const p = papers[d];
      if (p.id && !map.has(p.id)) map.set(p.id, d);
      if (p.arxivId && !map.has(p.arxivId)) map.set(p.arxivId, d);
    }
    if (!this.byIdMap) this.byIdMap = map;
  }

  /**
   * The arrays and tables the index was made of, for persist.ts to save (shared, not copied: read
   * them, never write them). `new SearchIndex(parts)` over them answers every query the same way.
   */
  persistedParts(): IndexParts & { metadata: PaperMetadata } {
    return {
      papers: this.papers as Paper[],
      vocabulary: this.vocabulary,
      starts: this.starts, ends: this.ends, docs: this.docs, impacts: this.impacts, fields: this.fields, sigs: this.sigs, idf: this.idf,
      conceptInfo: this.conceptInfo,
      metadata: {
        dates: this.dates, years: this.years, links: this.links, conceptIds: this.conceptIds, conceptIndex: this.conceptIndex,
        conceptOffsets: this.conceptOffsets, conceptOf: this.conceptOf, conceptMain: this.conceptMain,
        sourceOffsets: this.sourceOffsets, sourceOf: this.sourceOf, sourceNames: this.sourceNames, facets: this.facets,
      },
    };
  }

  /** Number of indexed papers. */
  get size(): number {
    return this.papers.length;
  }

  /** A paper by id or arXiv id. */
  get(id: string): Paper | undefined {
    const d = this.byId().get(id);
    return d === undefined ? undefined : this.papers[d];
  }

  /** True when `term` (a folded query word) is protected from typo correction. */
  isProtected(term: string): boolean {
    return this.protectedWords.has(term);
  }

  /** Display name of a concept the index knows (registry name, else the id). */
  conceptName(id: string): string | undefined {
    return this.conceptInfo.get(id)?.name;
  }

  /** Approximate memory held by the postings, in bytes. */
  get postingBytes(): number {
    return this.docs.byteLength + this.impacts.byteLength + this.fields.byteLength + this.sigs.byteLength + this.starts.byteLength + this.ends.byteLength;
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


  /** Mention key → concept numbers, built on first use. */
  mentionMap(): Map<string, number[]> {
    if (!this.conceptsByMention) {
      const map = new Map<string, number[]>();
      for (const info of this.conceptInfo.values()) {
        const c = this.conceptIndex.get(info.id);
        if (c === undefined) continue;
        for (const key of info.mentionKeys) {
          const list = map.get(key) ?? [];
          if (!list.includes(c)) list.push(c);
          map.set(key, list);
        }
      }
      this.conceptsByMention = map;
    }
    return this.conceptsByMention;
  }

  /** The strongest relation (3 introduces, 2 proposes, 1 studies) of paper `d` to a named concept, else 0. */
  conceptTier(d: number, named: Set<number>): number {
    let tier = 0;
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) {
      if (named.has(this.conceptOf[i]) && this.conceptMain[i] > tier) tier = this.conceptMain[i];
    }
    return tier;
  }

  /** ×1.3 for a paper that proposes a named concept, ×1.15 for one that studies it, else ×1. */
  namedConceptBoost(d: number, named: Set<number>): number {
    let boost = 1;
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) {
      if (named.has(this.conceptOf[i])) boost = Math.max(boost, this.conceptMain[i] >= 2 ? 1.3 : 1.15);
    }
    return boost;
  }

  conceptSet(ids: readonly string[]): Set<number> {
    const set = new Set<number>();
    for (const id of ids) {
      const i = this.conceptIndex.get(id);
      if (i !== undefined) set.add(i);
    }
    return set;
  }

  hasConcept(d: number, set: Set<number>): boolean {
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) if (set.has(this.conceptOf[i])) return true;
    return false;
  }

  mainConceptCount(d: number, sets: readonly Set<number>[]): number {
    let count = 0;
    for (let i = this.conceptOffsets[d]; i < this.conceptOffsets[d + 1]; i++) {
      if (this.conceptMain[i] >= 2 && sets.some((s) => s.has(this.conceptOf[i]))) count++;
    }
    return count;
  }

  hasSource(d: number, set: Set<number>): boolean {
    for (let i = this.sourceOffsets[d]; i < this.sourceOffsets[d + 1]; i++) if (set.has(this.sourceOf[i])) return true;
    return false;
  }
}
