/**
 * Turns what a user's file says about a paper (from BibTeX, PaperLens JSON or a page dump) into a
 * {@link Paper}: identifiers normalised, links restricted to http(s), concept tags explicit or
 * inferred. Shared by every user-corpus format so that they behave alike.
 */
import { splitRelation, type ConceptMatcher } from './conceptInference';
import { arxivLinks, isArxivId, slugify } from './ids';
import type { Paper, PaperConcept, PaperLinks } from './types';

/** A paper as a user's file describes it, before normalisation. Every field is optional but the title. */
export interface PaperDraft {
  title: string;
  id?: string;
  authors?: string[];
  abstract?: string;
  year?: number | null;
  date?: string | null;
  venue?: string | null;
  /** Anything that contains an arXiv id: `1708.02002`, `arXiv:1708.02002v2`, an arxiv.org URL. */
  arxiv?: string | null;
  doi?: string | null;
  url?: string | null;
  code?: string | null;
  pdf?: string | null;
  links?: PaperLinks;
  /** Explicit concept tags (`focal`, `focal: proposes`, or resolved tags). */
  concepts?: (string | PaperConcept)[];
  /** Free keywords; those that name a concept become explicit tags. */
  keywords?: string[];
  citationKey?: string;
  organization?: string;
  upvotes?: number;
  authorCount?: number | null;
}

/** Abstracts longer than this are cut: hovers and search show a summary, not a book. */
export const MAX_ABSTRACT_CHARS = 20_000;

const ARXIV_IN_TEXT = /(?:arxiv(?:\.org\/(?:abs|pdf)\/|[:.\s/]+(?:preprint\s+arxiv:)?)\s*)?(\d{4}\.\d{4,5})(?:v\d+)?|\b([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?/i;

/** The arXiv id (without version) found in a field such as `eprint`, a URL or a DOI, or null. */
export function arxivIdIn(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  const doi = /10\.48550\/arxiv\.(\d{4}\.\d{4,5})/i.exec(t);
  if (doi) return doi[1];
  const m = ARXIV_IN_TEXT.exec(t);
  if (!m) return null;
  const id = (m[1] ?? m[2]).replace(/v\d+$/, '');
  return isArxivId(id) ? id : null;
}

/** A DOI without resolver prefix (`10.1109/ICCV.2017.324`), or null when `text` is not one. */
export function normaliseDoi(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '');
  return /^10\.\d{4,9}\/\S+$/.test(t) ? t : null;
}

/** `text` when it is an http(s) URL; anything else (javascript:, command:, file:) is refused. */
export function safeUrl(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(t)) return undefined;
  try {
    const u = new URL(t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? t : undefined;
  } catch {
    return undefined;
  }
}

export interface DraftContext {
  /** Recorded in the paper's `sources`. */
  file: string;
  /** 1-based line of the record, recorded in its provenance. */
  line: number;
  matcher?: ConceptMatcher;
  /** Restrict explicit concept ids to the registry's (needs `matcher`). */
  knownConcept?: (id: string) => boolean;
}

/** Normalises a draft into a Paper. `warnings` are messages about fields that were dropped. */
export function paperFromDraft(draft: PaperDraft, ctx: DraftContext): { paper: Paper; warnings: string[] } {
  const warnings: string[] = [];
  const title = draft.title.replace(/\s+/g, ' ').trim();
  const arxivId = arxivIdIn(draft.arxiv) ?? arxivIdIn(draft.links?.arxiv) ?? arxivIdIn(draft.url) ?? arxivIdIn(draft.doi);
  if (draft.arxiv && !arxivIdIn(draft.arxiv)) warnings.push(`“${draft.arxiv}” is not an arXiv id; it is ignored.`);
  let doi = normaliseDoi(draft.doi);
  if (draft.doi && !doi) warnings.push(`“${draft.doi}” is not a DOI (expected 10.NNNN/…); it is ignored.`);
  if (doi && /^10\.48550\/arxiv\./i.test(doi)) doi = null; // arXiv's own DOI: the arXiv id says it all

  const links: PaperLinks = arxivId ? arxivLinks(arxivId) : {};
  if (doi) links.doi = `https://doi.org/${doi}`;
  const linkSources: [keyof PaperLinks, string | null | undefined][] = [
    ['url', draft.url], ['code', draft.code], ['pdf', draft.pdf],
    ...Object.entries(draft.links ?? {}).map(([k, v]) => [k as keyof PaperLinks, v] as [keyof PaperLinks, string | undefined]),
  ];
  for (const [key, value] of linkSources) {
    if (!value) continue;
    const url = safeUrl(value);
    if (!url) {
      warnings.push(`Link “${clip(value)}” (${key}) is not an http(s) URL; it is ignored.`);
      continue;
    }
    // An explicit link wins over a derived one, except that an arxiv.org URL adds nothing.
    if (key === 'url' && arxivId && /arxiv\.org\//i.test(url)) continue;
    links[key] = url;
  }

  let abstract = (draft.abstract ?? '').trim();
  if (abstract.length > MAX_ABSTRACT_CHARS) {
    warnings.push(`The abstract is ${abstract.length.toLocaleString('en-US')} characters long; only the first ${MAX_ABSTRACT_CHARS.toLocaleString('en-US')} are kept.`);
    abstract = `${abstract.slice(0, MAX_ABSTRACT_CHARS)}…`;
  }
  const authors = (draft.authors ?? []).map((a) => a.replace(/\s+/g, ' ').trim()).filter((a) => a && a.toLowerCase() !== 'others');

  const concepts = conceptsFor(draft, title, abstract, ctx, warnings);
  const year = draft.year ?? (draft.date ? Number(draft.date.slice(0, 4)) : null);
  const paper: Paper = {
    id: draft.id?.trim() || arxivId || slugify(title),
    title,
    abstract,
    authors,
    authorCount: draft.authorCount ?? (authors.length > 0 ? authors.length : null),
    date: draft.date ?? null,
    year: Number.isInteger(year) ? year : null,
    venue: draft.venue?.trim() || null,
    arxivId,
    doi,
    links,
    concepts,
    sources: [ctx.file],
    provenance: { entry: `${ctx.file}:${ctx.line}` },
  };
  if (draft.organization) paper.organization = draft.organization;
  if (draft.citationKey) paper.citationKey = draft.citationKey;
  if (draft.upvotes !== undefined) paper.upvotes = draft.upvotes;
  return { paper, warnings };
}

function conceptsFor(draft: PaperDraft, title: string, abstract: string, ctx: DraftContext, warnings: string[]): PaperConcept[] {
  const explicit: PaperConcept[] = [];
  for (const c of draft.concepts ?? []) {
    if (typeof c === 'object') {
      const id = ctx.matcher?.resolve(c.id) ?? c.id;
      if (ctx.knownConcept && !ctx.knownConcept(id)) warnings.push(`Unknown concept “${c.id}”; it is ignored.`);
      else if (!explicit.some((e) => e.id === id)) explicit.push({ id, relation: c.relation });
      continue;
    }
    if (ctx.matcher) {
      const { concepts, unknown } = ctx.matcher.explicit([c]);
      for (const u of unknown) warnings.push(`Unknown concept “${u}”; it is ignored.`);
      for (const t of concepts) if (!explicit.some((e) => e.id === t.id)) explicit.push(t);
    } else {
      const { name, relation } = splitRelation(c);
      if (name && !explicit.some((e) => e.id === name)) explicit.push({ id: name, relation });
    }
  }
  if (explicit.length) return explicit;
  if (ctx.matcher && draft.keywords?.length) {
    const fromKeywords = ctx.matcher.explicit(draft.keywords).concepts;
    if (fromKeywords.length) return fromKeywords;
  }
  return ctx.matcher ? ctx.matcher.infer(title, abstract) : [];
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
