/**
 * Builds the shipped corpus: the entries of a Hugging Face page dump plus the enrichment file
 * (arXiv ids, full author lists, venues, code URLs, concept tags), each enriched field citing its source.
 */
import { parseHfPageDump, type HfEntry } from './hfPageDump';
import { arxivLinks, normaliseTitle, slugify } from './ids';
import type { LoadIssue, Paper, PaperConcept } from './types';

/** One row of paper-data/enrichment.json. */
export interface EnrichmentRow {
  seedIndex?: number;
  /** Match key: the title as on the page (compared after normalisation). */
  title: string;
  arxivId: string | null;
  year: number | null;
  venue: string | null;
  authors: string[];
  codeUrl: string | null;
  concepts: PaperConcept[];
  /** Where the row's facts come from. */
  source: string;
  note?: string;
}

export interface EnrichmentFile {
  pageYear: number;
  papers: EnrichmentRow[];
}

export interface SeedCorpusInput {
  pageText: string;
  /** File name of the page, recorded in each paper's `sources` (e.g. `hf-daily-papers-loss-functions.txt`). */
  pageFile: string;
  enrichment: EnrichmentFile;
}

/** Converts one page entry (plus its enrichment row, if any) into a Paper. */
export function paperFromEntry(entry: HfEntry, row: EnrichmentRow | undefined, pageFile: string): Paper {
  const arxivId = row?.arxivId ?? null;
  const links: Paper['links'] = arxivId ? arxivLinks(arxivId) : {};
  if (row?.codeUrl) links.code = row.codeUrl;
  const authors = row?.authors ?? [];
  const paper: Paper = {
    id: arxivId ?? slugify(entry.title),
    title: entry.title,
    abstract: entry.abstract,
    authors,
    authorCount: entry.authorCount ?? (authors.length > 0 ? authors.length : null),
    date: entry.date,
    year: row?.year ?? (entry.date ? Number(entry.date.slice(0, 4)) : null),
    venue: row?.venue ?? null,
    arxivId,
    links,
    concepts: row?.concepts ?? [],
    sources: [`shipped:${pageFile}`],
  };
  if (entry.organization) paper.organization = entry.organization;
  if (entry.upvotes !== null) paper.upvotes = entry.upvotes;
  const provenance: Record<string, string> = { page: `${pageFile}:${entry.line}` };
  if (row) provenance.enrichment = row.source;
  if (row?.note) provenance.note = row.note;
  if (entry.repairs.length) provenance.abstractRepairs = entry.repairs.join('; ');
  paper.provenance = provenance;
  return paper;
}

/** Builds the corpus; the order is the page's order. Never throws. */
export function buildSeedCorpus(input: SeedCorpusInput): { papers: Paper[]; issues: LoadIssue[] } {
  const page = parseHfPageDump(input.pageText, { pageYear: input.enrichment.pageYear, file: input.pageFile });
  const issues = [...page.issues];
  const rows = new Map<string, EnrichmentRow>();
  for (const row of input.enrichment.papers) rows.set(normaliseTitle(row.title), row);
  const used = new Set<string>();
  const papers: Paper[] = [];
  const ids = new Set<string>();
  for (const entry of page.entries) {
    const key = normaliseTitle(entry.title);
    const row = rows.get(key);
    if (row) used.add(key);
    else issues.push({ file: input.pageFile, line: entry.line, message: `No enrichment row for "${entry.title}"; only the page's facts are used.`, severity: 'warning' });
    const paper = paperFromEntry(entry, row, input.pageFile);
    if (ids.has(paper.id)) {
      issues.push({ file: input.pageFile, line: entry.line, message: `Duplicate paper id ${paper.id}; the later entry is skipped.`, severity: 'error' });
      continue;
    }
    ids.add(paper.id);
    papers.push(paper);
  }
  for (const [key, row] of rows) {
    if (!used.has(key)) issues.push({ file: 'enrichment.json', line: 1, message: `Enrichment row "${row.title}" matches no paper on the page.`, severity: 'warning' });
  }
  return { papers, issues };
}

/** The committed JSON form of the corpus: stable key order, two-space indent, trailing newline. */
export function serialiseCorpus(papers: Paper[]): string {
  return `${JSON.stringify(papers, null, 2)}\n`;
}
