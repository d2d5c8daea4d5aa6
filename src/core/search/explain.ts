/**
 * What the front ends (sidebar, CLI) say about a search: the no-answer sentence, the query that
 * searches a corrected word as typed, a concept's one-line summary. One wording for every front end.
 */
import type { SearchResult } from './searchIndex';
import { foldText } from './text';

/** "No paper in your corpus is about X" when nothing strong matched a query that has words, else undefined. */
export function noAnswerMessage(result: Pick<SearchResult, 'strongTotal' | 'about'>): string | undefined {
  const about = result.about.trim();
  if (result.strongTotal > 0 || !about) return undefined;
  return `No paper in your corpus is about ${about}`;
}

/**
 * `query` with the tokens that read as `words` (folded query terms, as a correction reports them)
 * put in quotes, so that they are searched exactly as typed: `harmonc loss` → `"harmonc" loss`.
 * Tokens already quoted, hints (`author:x`) and exclusions are left alone.
 */
export function verbatimQuery(query: string, words: readonly string[]): string {
  const wanted = new Set(words);
  return query.replace(/"[^"]*"?|\S+/g, (token) => {
    if (token.startsWith('"') || token.startsWith('-') || /^[A-Za-z]+:/.test(token)) return token;
    const folded = foldText(token);
    const compact = folded.replace(/[^\p{L}\p{N}]+/gu, '');
    const parts = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return wanted.has(compact) || parts.some((p) => wanted.has(p)) ? `"${token}"` : token;
  });
}

/** The first sentence of a concept summary (at most `max` characters, cut at a word). */
export function oneLine(summary: string, max = 180): string {
  const text = summary.trim();
  const m = /^(.+?[.!?])(?:\s+(?=[A-Z(])|$)/s.exec(text);
  const first = m ? m[1] : text;
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).trimEnd()}…`;
}
