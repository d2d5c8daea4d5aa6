/**
 * Corpus data in the shapes the sidebar's protocol carries: result rows, a paper's detail, filter
 * facets. Pure (no vscode): it decides what reaches the webview — notably, only http(s) links.
 */
import MarkdownIt from 'markdown-it';
import type { Concept } from '../core/concepts/types';
import { COLLECTION_LABELS, paperCollection, shippedSourceCollection } from '../core/papers/collections';
import type { Paper, PaperLinks } from '../core/papers/types';
import { oneLine } from '../core/search/explain';
import type { NamedConcept, SearchFacets } from '../core/search/searchIndex';
import { frameworkLabel } from '../core/snippets/framework';
import { renderSnippet } from '../core/snippets/render';
import type { Snippet } from '../core/snippets/types';
import { safeHttpUrl, type ConceptCard, type ConceptChip, type ConceptDetail, type Facets, type PaperDetail, type PaperLink, type PaperSummary, type SnippetFrameworkName, type SnippetTab } from '../protocol';

/** Last name of a "First Last" display name. */
function lastName(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] ?? name;
}

/** "Lin, Goyal, Girshick" / "Lin, Goyal et al." / the organisation / "". */
export function shortAuthors(paper: Paper): string {
  const authors = paper.authors ?? [];
  if (authors.length === 0) return paper.organization ?? '';
  if (authors.length <= 3) return authors.map(lastName).join(', ');
  return `${authors.slice(0, 2).map(lastName).join(', ')} et al.`;
}

function chips(paper: Paper, conceptName: (id: string) => string): ConceptChip[] {
  const seen = new Map<string, ConceptChip>();
  for (const tag of paper.concepts ?? []) {
    const earlier = seen.get(tag.id);
    // A concept tagged twice keeps its strongest relation.
    if (earlier && earlier.relation !== 'studies') continue;
    seen.set(tag.id, { id: tag.id, name: conceptName(tag.id), relation: tag.relation, inferred: tag.inferred === true });
  }
  // The paper's own losses first.
  return [...seen.values()].sort((a, b) => Number(a.relation === 'studies') - Number(b.relation === 'studies'));
}

/** A result row. */
export function paperSummary(paper: Paper, conceptName: (id: string) => string): PaperSummary {
  return {
    id: paper.id,
    title: paper.title ?? '',
    year: paper.year ?? null,
    venue: paper.venue ?? null,
    authors: shortAuthors(paper),
    concepts: chips(paper, conceptName),
    hasCode: safeHttpUrl(paper.links?.code) !== undefined,
    collection: paperCollection(paper),
  };
}

const LINK_LABELS: [keyof PaperLinks, PaperLink['kind'], string][] = [
  ['arxiv', 'arxiv', 'arXiv'],
  ['pdf', 'pdf', 'PDF'],
  ['huggingFace', 'huggingFace', 'Hugging Face'],
  ['code', 'code', 'Code'],
  ['doi', 'doi', 'DOI'],
  ['url', 'url', 'Website'],
];

/** The paper's links that are http(s) URLs; anything else (`javascript:`, `file:`…) is dropped. */
export function paperLinks(paper: Paper): PaperLink[] {
  const out: PaperLink[] = [];
  for (const [field, kind, label] of LINK_LABELS) {
    const url = safeHttpUrl(paper.links?.[field]);
    if (url) out.push({ kind, label, url: url.href });
  }
  return out;
}

/** Parses abstracts as the sidebar renders them (src/webview/render.ts): HTML off, linkify on. */
const abstractParser = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
abstractParser.disable(['image', 'html_block', 'html_inline']);

/** The http(s) links the sidebar shows inside a paper's abstract (markdown links and bare URLs). */
export function abstractLinks(text: string): string[] {
  const out: string[] = [];
  for (const block of abstractParser.parse(text, {})) {
    for (const token of block.children ?? []) {
      if (token.type !== 'link_open') continue;
      const url = safeHttpUrl(token.attrGet('href'));
      if (url) out.push(url.href);
    }
  }
  return out;
}

/**
 * Whether `url` is one of the paper's own links: its links (arXiv, PDF, code…) or a link in its
 * abstract. The sidebar asks the host to open a link with the paper's id; anything else it asks
 * for (a compromised or confused webview) is refused.
 */
export function isPaperLink(paper: Paper, url: string): boolean {
  const wanted = safeHttpUrl(url)?.href;
  if (!wanted) return false;
  if (paperLinks(paper).some((l) => l.url === wanted)) return true;
  return typeof paper.abstract === 'string' && paper.abstract.length > 0 && abstractLinks(paper.abstract).includes(wanted);
}

export interface DetailSources {
  citationKey: string;
  concept(id: string): Concept | undefined;
  /** A verified snippet ships for the concept in the framework of the file it would go into. */
  hasSnippet(conceptId: string): boolean;
  /** The concept's snippets, one per framework that has one (the detail's tabs). */
  snippetTabs?(conceptId: string): SnippetTab[];
  /** The framework(s) of the file the sidebar inserts into (see {@link PaperDetail.targetFrameworks}). */
  targetFrameworks?: readonly SnippetFrameworkName[];
}

/** A concept's snippets as the detail's tabs: imports, and the code that goes below them (header included). */
export function snippetTabs(snippets: readonly Snippet[]): SnippetTab[] {
  return snippets.map((s) => ({
    framework: s.framework,
    label: frameworkLabel(s.framework),
    functions: s.functions.map((f) => f.name),
    imports: [...s.imports],
    code: renderSnippet(s).body.trimEnd(),
  }));
}

/** Everything the detail view shows; text stays raw (the webview renders markdown and math). */
export function paperDetail(paper: Paper, sources: DetailSources): PaperDetail {
  const concepts: ConceptDetail[] = chips(paper, (id) => sources.concept(id)?.name ?? id).map((chip) => {
    const concept = sources.concept(chip.id);
    return {
      ...chip,
      summary: concept?.summary || null,
      formula: concept?.formula?.latex || null,
      formulaSource: concept?.formula?.source || null,
      formulaVerified: concept?.formula?.verified === true,
      hasSnippet: sources.hasSnippet(chip.id),
      snippets: sources.snippetTabs?.(chip.id) ?? [],
    };
  });
  return {
    id: paper.id,
    title: paper.title ?? '',
    abstract: paper.abstract ?? '',
    authors: [...(paper.authors ?? [])],
    organization: paper.organization ?? null,
    venue: paper.venue ?? null,
    year: paper.year ?? null,
    date: paper.date ?? null,
    arxivId: paper.arxivId ?? null,
    citationKey: sources.citationKey,
    links: paperLinks(paper),
    concepts,
    sources: [...(paper.sources ?? [])],
    collection: paperCollection(paper),
    targetFrameworks: [...(sources.targetFrameworks ?? [])],
  };
}

/** How a source reads in the filter: the shipped collection's name ("Classic papers", "Seed papers"), or a user file's name. */
export function sourceLabel(source: string): string {
  const collection = shippedSourceCollection(source);
  if (collection) return COLLECTION_LABELS[collection];
  const name = source.split(/[\\/]/).pop();
  return name || source;
}

/** Filter order: the classics, the seed papers, then the user's files (most papers first, as the index lists them). */
const COLLECTION_ORDER: Record<Facets['sources'][number]['collection'], number> = { classics: 0, seed: 1, user: 2 };

/**
 * The index's facets with labels for the sources. The Source filter doubles as the collection
 * filter: each shipped collection is one source (`shipped:classics`, the seed page's file).
 */
export function facets(from: SearchFacets): Facets {
  const sources = from.sources.map((s) => ({ source: s.source, label: sourceLabel(s.source), count: s.count, collection: shippedSourceCollection(s.source) ?? 'user' }));
  sources.sort((a, b) => COLLECTION_ORDER[a.collection] - COLLECTION_ORDER[b.collection]);
  return {
    papers: from.papers,
    concepts: from.concepts.map((c) => ({ ...c })),
    years: from.years ? { ...from.years } : null,
    sources,
    withCode: from.withCode,
  };
}

/**
 * Cards for the losses a query names, in query order, each once (at most three): name, the
 * summary's first sentence, formula with its source, and whether a snippet can be inserted.
 * Concepts the registry does not know (a tag only) get a card with their id and no formula.
 */
export function conceptCards(named: readonly NamedConcept[], sources: Pick<DetailSources, 'concept' | 'hasSnippet'>): ConceptCard[] {
  const seen = new Set<string>();
  const out: ConceptCard[] = [];
  for (const n of named) {
    if (seen.has(n.id) || out.length >= 3) continue;
    seen.add(n.id);
    const c = sources.concept(n.id);
    out.push({
      id: n.id,
      name: c?.name ?? n.name,
      summary: c?.summary ? oneLine(c.summary) : null,
      formula: c?.formula?.latex || null,
      formulaSource: c?.formula?.source || null,
      formulaVerified: c?.formula?.verified === true,
      hasSnippet: c ? sources.hasSnippet(n.id) : false,
    });
  }
  return out;
}
