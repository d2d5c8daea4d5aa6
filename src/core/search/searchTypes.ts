/**
 * The search engine's public types: what a query is asked with (filters, paging, sort) and what
 * it answers (hits, corrections, the concepts the query names, facets).
 */
import type { Paper } from '../papers/types';
import type { WordSet } from './englishWords';
import type { ParsedQuery } from './query';

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
  /**
   * `strong`: the paper matches the query's key words (or is tagged with a loss the query names);
   * `weak`: it shares only some words. Strong hits always come before weak ones.
   */
  match: 'strong' | 'weak';
  /** Share (0–1) of the query's weight the paper matches (IDF-weighted words; 1 without words). */
  coverage: number;
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
  /**
   * False when `total` is an estimate: a quoted phrase of common words in a large corpus is checked
   * only as far as the page needs, and the rest extrapolated ("about 1,200 results").
   */
  totalExact: boolean;
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
  /** How many of `total` are strong matches; they are ranked first. */
  strongTotal: number;
  /**
   * Loss concepts the query names — by name, alias, library identifier, hand-written name or a
   * lexicon word inside an identifier — in query order. Their papers rank first, proposers first.
   */
  named: NamedConcept[];
  /** What the query is about, as typed (free words and phrases), for "No paper … is about …". */
  about: string;
}

/** A concept the query names. */
export interface NamedConcept {
  id: string;
  name: string;
  /** The query words that name it, as the parser read them (`bcewithlogitsloss`, `focal loss`). */
  words: string[];
  /** How it was recognised. */
  via: 'name' | 'lexicon';
}

/** Options of an index build. */
export interface IndexOptions {
  /**
   * An English word list (see `englishWords.ts`): its words, like the registry's and the ML terms,
   * are never corrected into other words.
   */
  englishWords?: WordSet;
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
