/**
 * Merges the shipped corpus with users' sources. Records that are the same paper — same arXiv id,
 * same DOI, or the same normalised title — collapse into one paper that lists every source. Field
 * by field, the first source that has a value wins, in this order: the user's sources in the order
 * given (settings order), then the shipped corpus. So the user's fields win, and the shipped data
 * fills what the user left out (its abstract, code link, concept tags).
 */
import { normaliseTitle } from './ids';
import { NO_YIELD, type Slicer } from './slicer';
import type { Paper, PaperConcept, PaperLinks } from './types';

/** One user file's papers, in the file's order. */
export interface PaperSource {
  file: string;
  papers: readonly Paper[];
}

/** Records between two chances to yield (a record's keys cost ~10–20 µs). */
const TICK_EVERY = 64;

/** Titles shorter than this (normalised) are too generic to identify a paper ("Introduction"). */
const MIN_TITLE_KEY = 12;

/** The identity keys of a record: any shared key makes two records one paper. */
export function paperKeys(p: Paper): string[] {
  const keys: string[] = [];
  if (p.arxivId) keys.push(`arxiv:${p.arxivId.toLowerCase().replace(/v\d+$/, '')}`);
  if (p.doi) keys.push(`doi:${p.doi.toLowerCase()}`);
  const t = normaliseTitle(p.title);
  if (t.length >= MIN_TITLE_KEY) keys.push(`title:${t}`);
  return keys;
}

/**
 * The merged paper list: shipped papers keep their order and ids (hover links keep working), users'
 * new papers follow in source order. Ids stay unique.
 */
export async function mergePapers(shipped: readonly Paper[], sources: readonly PaperSource[], slicer: Slicer = NO_YIELD): Promise<Paper[]> {
  // Records in priority order: users' sources first, then shipped. `rank` orders the output.
  interface Rec { paper: Paper; shipped: boolean; rank: number }
  const records: Rec[] = [];
  for (const s of sources) for (const p of s.papers) records.push({ paper: p, shipped: false, rank: 0 });
  const userCount = records.length;
  shipped.forEach((p, i) => records.push({ paper: p, shipped: true, rank: i }));
  for (let i = 0; i < userCount; i++) records[i].rank = shipped.length + i;

  // Union-find over shared keys.
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const owner = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    for (const key of paperKeys(records[i].paper)) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else {
        const a = find(i);
        const b = find(j);
        // The lower index (higher priority) stays the root.
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    if (i % TICK_EVERY === 0) await slicer.tick();
  }
  const groups = new Map<number, Rec[]>();
  for (let i = 0; i < records.length; i++) {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(records[i]);
    else groups.set(root, [records[i]]);
    if (i % (TICK_EVERY * 8) === 0) await slicer.tick();
  }

  const merged: { paper: Paper; rank: number }[] = [];
  let n = 0;
  for (const group of groups.values()) {
    let rank = group[0].rank;
    for (const r of group) rank = Math.min(rank, r.rank);
    merged.push({ paper: group.length === 1 ? group[0].paper : mergeGroup(group.map((r) => r.paper), group.find((r) => r.shipped)?.paper), rank });
    if (++n % TICK_EVERY === 0) await slicer.tick();
  }
  merged.sort((a, b) => a.rank - b.rank);

  // Ids must stay unique: two different papers can share a title slug (long titles are cut).
  const used = new Set<string>();
  const out: Paper[] = [];
  for (const { paper } of merged) {
    let id = paper.id;
    for (let k = 2; used.has(id); k++) id = `${paper.id}-${k}`;
    used.add(id);
    out.push(id === paper.id ? paper : { ...paper, id });
    if (out.length % (TICK_EVERY * 8) === 0) await slicer.tick();
  }
  return out;
}

/** One paper from records of the same paper, `group` in priority order. */
export function mergeGroup(group: readonly Paper[], shippedRecord?: Paper): Paper {
  const first = <T>(pick: (p: Paper) => T | null | undefined, ok: (v: T) => boolean = () => true): T | undefined => {
    for (const p of group) {
      const v = pick(p);
      if (v !== null && v !== undefined && ok(v)) return v;
    }
    return undefined;
  };
  const nonEmpty = (s: string) => s.trim() !== '';
  const arxivId = first((p) => p.arxivId) ?? null;
  const authors = first((p) => p.authors, (a) => a.length > 0) ?? [];
  const links: PaperLinks = {};
  for (const p of [...group].reverse()) Object.assign(links, stripEmpty(p.links));

  // Concept tags: a stated tag beats an inferred one; among stated tags, the first source wins.
  const concepts: PaperConcept[] = [];
  for (const pass of [false, true]) {
    for (const p of group) {
      for (const c of p.concepts) {
        if ((c.inferred === true) !== pass || concepts.some((x) => x.id === c.id)) continue;
        concepts.push(c);
      }
    }
  }
  const sources: string[] = [];
  for (const p of group) for (const s of p.sources) if (!sources.includes(s)) sources.push(s);
  const provenance: Record<string, string> = {};
  for (const p of [...group].reverse()) Object.assign(provenance, p.provenance);

  const paper: Paper = {
    // Shipped ids stay (links in hovers and saved state use them); otherwise the arXiv id, else the first record's.
    id: shippedRecord?.id ?? arxivId ?? group[0].id,
    title: first((p) => p.title, nonEmpty) ?? group[0].title,
    abstract: first((p) => p.abstract, nonEmpty) ?? '',
    authors,
    authorCount: authors.length > 0 ? authors.length : first((p) => p.authorCount) ?? null,
    date: first((p) => p.date) ?? null,
    year: first((p) => p.year) ?? null,
    venue: first((p) => p.venue, nonEmpty) ?? null,
    arxivId,
    doi: first((p) => p.doi) ?? null,
    links,
    concepts,
    sources,
    provenance,
  };
  const organization = first((p) => p.organization);
  if (organization) paper.organization = organization;
  const upvotes = first((p) => p.upvotes);
  if (upvotes !== undefined) paper.upvotes = upvotes;
  const citationKey = first((p) => p.citationKey);
  if (citationKey) paper.citationKey = citationKey;
  return paper;
}

function stripEmpty(links: PaperLinks): PaperLinks {
  const out: PaperLinks = {};
  for (const [k, v] of Object.entries(links)) if (v) out[k as keyof PaperLinks] = v;
  return out;
}
