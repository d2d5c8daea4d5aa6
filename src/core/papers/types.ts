/**
 * The paper model shared by the importers, the corpus builder, search, hovers and the CLI.
 * Everything here is plain data so that it can cross the webview boundary and be written as JSON.
 */

/** How a paper relates to a loss concept. */
export type ConceptRelation = 'proposes' | 'studies' | 'introduces-classic';

/**
 * Which collection a paper belongs to: the papers of the seed page (`paper-data/papers.json`), the
 * classic papers behind the registry's losses (`paper-data/classics/`), or the user's own files.
 */
export type PaperCollection = 'seed' | 'classics' | 'user';

/** A concept tag on a paper. */
export interface PaperConcept {
  /** Concept id from the registry (kebab-case, e.g. `focal`). */
  id: string;
  relation: ConceptRelation;
  /** True when the tag was inferred from title/abstract rather than stated by a source. */
  inferred?: boolean;
}

/** Links shown for a paper. Every field is optional: we leave a field empty rather than guess. */
export interface PaperLinks {
  /** arXiv abstract page. */
  arxiv?: string;
  /** arXiv PDF. */
  pdf?: string;
  /** Hugging Face paper page. */
  huggingFace?: string;
  /** Official code repository or project page. */
  code?: string;
  /** DOI resolver link. */
  doi?: string;
  /** Any other landing page (e.g. from a BibTeX `url` field). */
  url?: string;
}

export interface Paper {
  /** Stable id: the arXiv id where known (e.g. `2411.09009`), else a slug of the title. */
  id: string;
  title: string;
  abstract: string;
  /** Full author list in display order ("First Last"). May be empty when unknown. */
  authors: string[];
  /** Number of authors as stated by the source (the seed page gives only a count). */
  authorCount: number | null;
  /** An organisation shown instead of authors on the source page, e.g. `ServiceNow-AI`. */
  organization?: string;
  /** Publication date on the source page, ISO `YYYY-MM-DD`, or null. */
  date: string | null;
  year: number | null;
  venue: string | null;
  arxivId: string | null;
  doi?: string | null;
  links: PaperLinks;
  concepts: PaperConcept[];
  /** Upvotes shown on the source page, when present. */
  upvotes?: number;
  /** Where the record came from: `shipped:<file>` or a user file path. */
  sources: string[];
  /**
   * The collection, set by the shipped corpus's loader (`seed`, `classics`) and kept when a user's
   * record merges into a shipped paper. Absent on the user's own papers: read it through
   * `paperCollection` (src/core/papers/collections.ts), which answers `user` for them.
   */
  collection?: PaperCollection;
  /**
   * The key a user's own bibliography gives this paper (`lin2017focal`). Citations use it, so that a
   * key copied from PaperLens matches the user's `.bib`. Absent for shipped papers.
   */
  citationKey?: string;
  /** For each enriched field, where the value comes from (citation text or URL). */
  provenance?: Record<string, string>;
}

/** A problem found while reading input; `line` is 1-based within `file`. */
export interface LoadIssue {
  file: string;
  line: number;
  message: string;
  severity: 'error' | 'warning';
}
