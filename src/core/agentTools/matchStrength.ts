/**
 * Whether a search hit is a strong match for its query, for `paperlens_searchPapers`: exactly the
 * search's own classification (src/core/search: the share of the query's weight the paper
 * matches, or a loss the query names), so the tool, the sidebar and the CLI agree.
 */
import type { SearchHit, SearchResult } from '../search/searchIndex';

/** Strong when the search classified the hit as a strong match (hints-only queries: every hit). */
export function isStrongMatch(hit: SearchHit, _result?: Pick<SearchResult, 'hits' | 'query'>): boolean {
  return hit.match === 'strong';
}
