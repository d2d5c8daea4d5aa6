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
 *
 * Runs on the extension host's thread with a large file's papers (60,000 and more), so every loop
 * yields through `slicer`, and the bookkeeping lives in typed arrays rather than an object per
 * record: fewer young objects make the garbage collector's pauses shorter.
 */
export async function mergePapers(shipped: readonly Paper[], sources: readonly PaperSource[], slicer: Slicer = NO_YIELD): Promise<Paper[]> {
  // Records in priority order: users' papers first (sources in order), then shipped. Record i is
  // placed in the output at its rank: shipped papers first, in their order, then users' new papers.
  const user: Paper[] = [];
  for (const s of sources) {
    for (const p of s.papers) {
      user.push(p);
      if (user.length % (TICK_EVERY * 8) === 0) await slicer.tick();
    }
  }
  const userCount = user.length;
  const total = userCount + shipped.length;
  const paperAt = (i: number): Paper => (i < userCount ? user[i] : shipped[i - userCount]);
  const rankOf = (i: number): number => (i < userCount ? shipped.length + i : i - userCount);

  // Union-find over shared keys; the lower index (higher priority) stays the root.
  const parent = new Int32Array(total);
  for (let i = 0; i < total; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const owner = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    for (const key of paperKeys(paperAt(i))) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    if (i % TICK_EVERY === 0) await slicer.tick();
  }
  owner.clear();

  // Most papers are alone in their group: they go straight to their rank. Groups of several are
  // collected (members in priority order) and merged.
  const size = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    size[find(i)]++;
    if (i % (TICK_EVERY * 8) === 0) await slicer.tick();
  }
  const byRank: (Paper | undefined)[] = new Array(total);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const root = find(i);
    if (size[root] === 1) byRank[rankOf(i)] = paperAt(i);
    else {
      const g = groups.get(root);
      if (g) g.push(i);
      else groups.set(root, [i]);
    }
    if (i % (TICK_EVERY * 8) === 0) await slicer.tick();
  }
  let n = 0;
  for (const members of groups.values()) {
    let rank = rankOf(members[0]);
    for (const i of members) rank = Math.min(rank, rankOf(i));
    const shippedMember = members.find((i) => i >= userCount);
    byRank[rank] = mergeGroup(members.map(paperAt), shippedMember === undefined ? undefined : paperAt(shippedMember));
    if (++n % TICK_EVERY === 0) await slicer.tick();
  }

  // Ids must stay unique: two different papers can share a title slug (long titles are cut).
  const used = new Set<string>();
  const out: Paper[] = [];
  for (let r = 0; r < total; r++) {
    const paper = byRank[r];
    if (paper === undefined) continue;
    let id = paper.id;
    for (let k = 2; used.has(id); k++) id = `${paper.id}-${k}`;
    used.add(id);
    out.push(id === paper.id ? paper : { ...paper, id });
    if (r % (TICK_EVERY * 8) === 0) await slicer.tick();
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
  // A user's copy of a shipped paper is still that paper: it stays in the shipped collection.
  const collection = shippedRecord?.collection ?? first((p) => p.collection);
  if (collection) paper.collection = collection;
  return paper;
}

function stripEmpty(links: PaperLinks): PaperLinks {
  const out: PaperLinks = {};
  for (const [k, v] of Object.entries(links)) if (v) out[k as keyof PaperLinks] = v;
  return out;
}
