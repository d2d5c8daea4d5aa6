/**
 * A small weighted keyword search over the corpus: field-weighted token matches with prefix
 * matching on the last word. Adequate for the shipped 41 papers.
 */
import type { Paper } from '../papers/types';

export interface SearchHit {
  paper: Paper;
  score: number;
}

const FIELD_WEIGHTS = { title: 3, concepts: 2.5, authors: 2, venue: 1, abstract: 1 } as const;

/** Lowercase word tokens (letters and digits, accents folded). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** Ranks papers by weighted keyword matches; papers matching no query word are left out. */
export function simpleSearch(papers: readonly Paper[], query: string, limit = 10): SearchHit[] {
  const terms = tokenize(query).slice(0, 32);
  if (terms.length === 0) return [];
  const docs = papers.map((paper) => ({ paper, fields: fieldTokens(paper) }));
  // Rare words count more than words every paper has ("loss"): inverse document frequency.
  const idf = terms.map((term, i) => {
    const prefix = i === terms.length - 1 && term.length >= 2;
    const df = docs.filter((d) => Object.values(d.fields).some((tokens) => tokens.some((t) => t === term || (prefix && t.startsWith(term))))).length;
    return Math.log(1 + (papers.length + 1) / (df + 0.5));
  });
  const hits: SearchHit[] = [];
  for (const { paper, fields } of docs) {
    let score = 0;
    let matched = 0;
    terms.forEach((term, i) => {
      const prefix = i === terms.length - 1 && term.length >= 2;
      let best = 0;
      for (const [field, tokens] of Object.entries(fields) as [keyof typeof FIELD_WEIGHTS, string[]][]) {
        const count = tokens.filter((t) => t === term || (prefix && t.startsWith(term))).length;
        if (count > 0) best += FIELD_WEIGHTS[field] * (1 + Math.log(count));
      }
      if (best > 0) matched++;
      score += best * idf[i];
    });
    if (matched > 0) hits.push({ paper, score: score * (matched / terms.length) });
  }
  return hits.sort((a, b) => b.score - a.score || (b.paper.year ?? 0) - (a.paper.year ?? 0)).slice(0, limit);
}

function fieldTokens(paper: Paper): Record<keyof typeof FIELD_WEIGHTS, string[]> {
  return {
    title: tokenize(paper.title),
    concepts: paper.concepts.flatMap((c) => tokenize(c.id)),
    authors: tokenize(paper.authors.join(' ')),
    venue: tokenize(paper.venue ?? ''),
    abstract: tokenize(paper.abstract),
  };
}
