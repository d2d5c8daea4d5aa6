/**
 * What an index knows about each paper besides its words: a date key for "newest", the year, the
 * links it has (code, arXiv, PDF, Hugging Face, DOI), its concept tags with their relation, its
 * sources, and the facets the filter controls offer. All per-paper typed arrays (concepts and
 * sources as offset lists), computed once per build and saved with the index (persist.ts).
 */
import type { Paper } from '../papers/types';
import type { ConceptSearchInfo } from './documents';
import type { LinkKind } from './query';
import type { SearchFacets } from './searchTypes';

/** A paper's links as bits (`has:code`, `-has:pdf`). */
export const LINK_BIT: Record<LinkKind, number> = { code: 1, arxiv: 2, pdf: 4, hf: 8, doi: 16 };

/** `YYYY-MM-DD…` as the number YYYYMMDD (what `/^(\d{4})-(\d{2})-(\d{2})/` reads), else the year's. */
function dateKey(paper: Paper): number {
  const date = paper.date ?? '';
  if (date.length >= 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    let key = 0;
    let digits = true;
    for (const i of DATE_DIGITS) {
      const c = date.charCodeAt(i) - 48;
      if (c < 0 || c > 9) digits = false;
      key = key * 10 + c;
    }
    if (digits) return key;
  }
  return paper.year ? paper.year * 10000 : 0;
}
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

function linkBits(paper: Paper): number {
  const l = paper.links ?? {};
  return (l.code ? LINK_BIT.code : 0) | (l.arxiv ? LINK_BIT.arxiv : 0) | (l.pdf ? LINK_BIT.pdf : 0)
    | (l.huggingFace ? LINK_BIT.hf : 0) | (l.doi || paper.doi ? LINK_BIT.doi : 0);
}

/** Per-paper metadata of an index: dates, years, links, concepts, sources, facets. */
export interface PaperMetadata {
  dates: Float64Array;
  years: Int16Array;
  links: Uint8Array;
  conceptIds: string[];
  conceptIndex: Map<string, number>;
  conceptOffsets: Int32Array;
  conceptOf: Uint16Array;
  /** Per tag: its relation's {@link RELATION_RANK} (1 studies, 2 proposes, 3 introduces-classic). */
  conceptMain: Uint8Array;
  sourceOffsets: Int32Array;
  sourceOf: Uint16Array;
  sourceNames: string[];
  facets: SearchFacets;
}

/** A tag's relation as a number: the paper that introduced a loss first, then its proposers, then studies. */
const RELATION_RANK: Record<string, number> = { studies: 1, proposes: 2, 'introduces-classic': 3 };

/** Computes {@link PaperMetadata}, yielding every 4,096 papers (see `IndexBuilder.finishSteps`). */
export function* paperMetadataSteps(papers: readonly Paper[], conceptInfo: ReadonlyMap<string, ConceptSearchInfo>): Generator<void, PaperMetadata> {
  const n = papers.length;
  const dates = new Float64Array(n);
  const years = new Int16Array(n);
  const links = new Uint8Array(n);
  const conceptIds = [...conceptInfo.keys()];
  const conceptIndex = new Map<string, number>();
  conceptIds.forEach((id, i) => conceptIndex.set(id, i));
  const conceptOffsets = new Int32Array(n + 1);
  const conceptOf: number[] = [];
  const conceptMain: number[] = [];
  const sourceIndex = new Map<string, number>();
  const sourceOffsets = new Int32Array(n + 1);
  const sourceOf: number[] = [];
  const conceptCounts = new Map<string, number>();
  const sourceCounts = new Map<string, number>();
  let withCode = 0;
  let minYear = Infinity;
  let maxYear = -Infinity;
  for (let d = 0; d < n; d++) {
    const p = papers[d];
    if ((d & 4095) === 4095) yield;
    dates[d] = dateKey(p);
    years[d] = p.year ?? 0;
    if (p.year) {
      minYear = Math.min(minYear, p.year);
      maxYear = Math.max(maxYear, p.year);
    }
    links[d] = linkBits(p);
    if (links[d] & LINK_BIT.code) withCode++;
    // A concept tagged twice keeps its strongest relation, in the order first tagged (a paper has
    // a few tags: a scan of the ones kept so far, no Map per paper).
    const first = conceptOf.length;
    for (const tag of p.concepts ?? []) {
      const c = conceptIndex.get(tag.id);
      if (c === undefined) continue;
      const main = RELATION_RANK[tag.relation] ?? 1;
      let i = first;
      while (i < conceptOf.length && conceptOf[i] !== c) i++;
      if (i < conceptOf.length) conceptMain[i] = Math.max(conceptMain[i], main);
      else {
        conceptOf.push(c);
        conceptMain.push(main);
      }
    }
    for (let i = first; i < conceptOf.length; i++) {
      conceptCounts.set(conceptIds[conceptOf[i]], (conceptCounts.get(conceptIds[conceptOf[i]]) ?? 0) + 1);
    }
    conceptOffsets[d + 1] = conceptOf.length;
    const sources = p.sources ?? [];
    for (let j = 0; j < sources.length; j++) {
      const s = sources[j];
      if (sources.indexOf(s) !== j) continue; // a repeated source counts once
      let si = sourceIndex.get(s);
      if (si === undefined) {
        si = sourceIndex.size;
        sourceIndex.set(s, si);
      }
      sourceOf.push(si);
      sourceCounts.set(s, (sourceCounts.get(s) ?? 0) + 1);
    }
    sourceOffsets[d + 1] = sourceOf.length;
  }
  return {
    dates, years, links, conceptIds, conceptIndex, conceptOffsets,
    conceptOf: Uint16Array.from(conceptOf),
    conceptMain: Uint8Array.from(conceptMain),
    sourceOffsets,
    sourceOf: Uint16Array.from(sourceOf),
    sourceNames: [...sourceIndex.keys()],
    facets: {
      papers: n,
      concepts: [...conceptCounts]
        .map(([id, count]) => ({ id, name: conceptInfo.get(id)?.name ?? id, count }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      years: Number.isFinite(minYear) ? { min: minYear, max: maxYear } : null,
      sources: [...sourceCounts].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
      withCode,
    },
  };
}

/** Runs steps to the end, at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
