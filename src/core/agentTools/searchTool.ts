/**
 * `paperlens_searchPapers`: the paper search index behind the sidebar, answered as a ranked list
 * with strong and weak matches.
 */
import { shortAuthors } from '../hover/card';
import { codeSpan } from '../hover/markdown';
import { isEmptyQuery, parseQuery } from '../search/query';
import { DEFAULT_SEARCH_LIMIT } from './definitions';
import { isStrongMatch } from './matchStrength';
import type { AgentToolContext, SearchData, ToolAnswer } from './types';
import { ToolInputError, paperRef } from './shared';

export interface SearchInput {
  query: string;
  limit?: number;
}

export async function searchPapers(input: SearchInput, ctx: AgentToolContext): Promise<ToolAnswer<SearchData>> {
  const query = input.query.trim();
  const parsed = parseQuery(query);
  if (isEmptyQuery(parsed)) throw new ToolInputError(`"${query}" has no words or hints to search for.`);
  const index = await ctx.searchIndex();
  const result = index.search(parsed, { limit: input.limit ?? DEFAULT_SEARCH_LIMIT });
  const data: SearchData = {
    query,
    total: result.total,
    corrections: result.corrections,
    papers: result.hits.map((h) => ({
      ...paperRef(h.paper, ctx.corpus),
      authors: h.paper.authors.length ? shortAuthors(h.paper.authors.join(', ')) : h.paper.organization ?? '',
      concepts: [...new Set(h.paper.concepts.map((c) => c.id))],
      strong: isStrongMatch(h, result),
    })),
  };
  const lines: string[] = [];
  for (const c of result.corrections) lines.push(`_Searched "${c.word}" as ${c.suggestions.map((s) => `"${s}"`).join(', ')}._`);
  for (const p of result.query.problems) lines.push(`_Note: ${p}_`);
  if (!data.papers.length) {
    lines.push(`No papers match "${query}".`);
    return { isError: false, markdown: lines.join('\n'), data };
  }
  lines.push(`**${data.papers.length} of ${result.total} paper${result.total === 1 ? '' : 's'}** for "${query}":`);
  for (const p of data.papers) {
    const meta = [p.authors, p.year, p.venue].filter(Boolean).join(', ');
    lines.push(`- ${codeSpan(p.id)} ${p.title}${meta ? ` (${meta})` : ''} — ${p.strong ? 'strong match' : 'weak match'} — BibTeX key ${codeSpan(p.bibtexKey)}${p.concepts.length ? ` — concepts: ${p.concepts.join(', ')}` : ''}${p.url ? ` — ${p.url}` : ''}`);
  }
  if (result.total > data.papers.length) lines.push(`… ${result.total - data.papers.length} more (raise \`limit\`).`);
  return { isError: false, markdown: lines.join('\n'), data };
}
