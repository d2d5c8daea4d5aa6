/**
 * Whether a search hit is a strong match for its query, for `paperlens_searchPapers`. Kept behind
 * this one function so the tool answers exactly as the sidebar decides once search itself
 * classifies hits (src/core/search): then this function should return that classification.
 */
import type { SearchHit, SearchResult } from '../search/searchIndex';

/** Share of the best score a hit needs, besides matching every word, to count as strong. */
const STRONG_SHARE_OF_TOP = 0.4;

/**
 * Strong when the hit matched every free word of the query and scores at least
 * {@link STRONG_SHARE_OF_TOP} of the best hit. A query of hints only (`concept:focal year:2017`)
 * filters exactly, so every hit is strong.
 */
export function isStrongMatch(hit: SearchHit, result: Pick<SearchResult, 'hits' | 'query'>): boolean {
  const words = result.query.words.length;
  if (words === 0) return true;
  const top = Math.max(0, ...result.hits.map((h) => h.score));
  return hit.matchedWords >= words && (top === 0 || hit.score >= STRONG_SHARE_OF_TOP * top);
}
