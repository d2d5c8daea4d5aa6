/**
 * The loss-concept registry: look concepts up by id, by the fully qualified name a library gives
 * them, or by the names people give their own implementations; derive their papers from a corpus.
 * Pure data structure over an already-loaded concept list: no fs, no vscode.
 */
import type { ConceptRelation, Paper } from '../papers/types';
import { canonicalQualifiedName } from './qualifiedName';
import type { Concept, ConceptIdentifier, ConceptParameter, Framework } from './types';

/** A library identifier together with the concept it names. */
export interface IdentifierMatch {
  concept: Concept;
  identifier: ConceptIdentifier;
}

/** A paper that proposes, introduces or studies a concept, as tagged in the corpus. */
export interface ConceptPaperLink {
  paper: Paper;
  relation: ConceptRelation;
  /** True when the corpus inferred the tag from title/abstract rather than a stated source. */
  inferred: boolean;
}

/** A problem found when building the registry (the list itself is never rejected). */
export interface RegistryProblem {
  conceptId: string;
  message: string;
}

/**
 * Order of relations in {@link ConceptRegistry.papersFor}: the paper that introduced the loss (the
 * classics collection) first, then papers that propose it or a variant, then studies.
 */
const RELATION_RANK: Record<ConceptRelation, number> = {
  'introduces-classic': 0,
  proposes: 1,
  studies: 2,
};

/**
 * The individual sources of a `source` field: parameter and pitfall sources may list several,
 * separated by ` ; ` (e.g. the PyTorch and the Keras docs page for a default shared by both).
 */
export function splitSources(source: string): string[] {
  return source
    .split(' ; ')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lower-cases and drops `_`, so `focal_loss`, `FocalLoss` and `focalLoss` meet on one key. */
export function normalizeHandwrittenName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

export class ConceptRegistry {
  private readonly byId = new Map<string, Concept>();
  private readonly byQualified = new Map<string, IdentifierMatch>();
  private readonly byHandwrittenExact = new Map<string, Concept>();
  private readonly byHandwrittenNormalized = new Map<string, Concept>();
  private readonly list: readonly Concept[];
  /** Duplicates met while indexing; the first concept to claim an id or name keeps it. */
  readonly problems: readonly RegistryProblem[];

  /** Indexes `concepts` (already validated, e.g. by `loadConcepts`). */
  constructor(concepts: readonly Concept[]) {
    const problems: RegistryProblem[] = [];
    const kept: Concept[] = [];
    for (const concept of concepts) {
      if (this.byId.has(concept.id)) {
        problems.push({ conceptId: concept.id, message: `duplicate concept id "${concept.id}"` });
        continue;
      }
      this.byId.set(concept.id, concept);
      kept.push(concept);
      for (const identifier of concept.identifiers) {
        const key = canonicalQualifiedName(identifier.qualifiedName);
        const owner = this.byQualified.get(key);
        if (owner && owner.concept !== concept) {
          problems.push({ conceptId: concept.id, message: `identifier ${key} already names "${owner.concept.id}"` });
        } else if (!owner) {
          this.byQualified.set(key, { concept, identifier });
        }
      }
      for (const name of concept.handwrittenNames) {
        const exactOwner = this.byHandwrittenExact.get(name);
        if (exactOwner && exactOwner !== concept) {
          problems.push({ conceptId: concept.id, message: `hand-written name ${name} already names "${exactOwner.id}"` });
        } else {
          this.byHandwrittenExact.set(name, concept);
        }
        const key = normalizeHandwrittenName(name);
        const owner = this.byHandwrittenNormalized.get(key);
        if (owner && owner !== concept) {
          problems.push({ conceptId: concept.id, message: `hand-written name ${name} collides with "${owner.id}" once normalised (${key})` });
        } else {
          this.byHandwrittenNormalized.set(key, concept);
        }
      }
    }
    this.list = kept;
    this.problems = problems;
  }

  /** Number of concepts. */
  get size(): number {
    return this.list.length;
  }

  /** The concept with this id, if any. */
  get(id: string): Concept | undefined {
    return this.byId.get(id);
  }

  /** True when a concept has this id. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every concept, in the order given to the constructor (the shipped file is sorted by id). */
  all(): readonly Concept[] {
    return this.list;
  }

  /**
   * The concept a fully qualified library name refers to, with the identifier record (framework,
   * kind, docs). Accepts re-export spellings such as `tf.keras.losses.Huber` (see
   * {@link canonicalQualifiedName}).
   */
  byQualifiedName(name: string): IdentifierMatch | undefined {
    return this.byQualified.get(canonicalQualifiedName(name));
  }

  /** Every identifier the registry knows, canonical names only. */
  qualifiedNames(): string[] {
    return [...this.byQualified.keys()];
  }

  /**
   * The concept a hand-written function or class name suggests (`focal_loss`, `FocalLoss`,
   * `SupConLoss`). Exact spelling first, then ignoring case and underscores.
   */
  byHandwrittenName(name: string): Concept | undefined {
    return this.byHandwrittenExact.get(name) ?? this.byHandwrittenNormalized.get(normalizeHandwrittenName(name));
  }

  /** Every hand-written name listed by some concept, as spelled in the data. */
  handwrittenNames(): string[] {
    return [...this.byHandwrittenExact.keys()];
  }

  /** Identifiers of one concept in one framework (e.g. the PyTorch class and function). */
  identifiersFor(conceptId: string, framework?: Framework): ConceptIdentifier[] {
    const concept = this.byId.get(conceptId);
    if (!concept) return [];
    return framework ? concept.identifiers.filter((i) => i.framework === framework) : [...concept.identifiers];
  }

  /**
   * A parameter of a concept by its keyword name (`label_smoothing`, `reduction`). When several
   * parameters share the name, the one with a default for `framework` wins.
   */
  parameter(conceptId: string, name: string, framework?: Framework): ConceptParameter | undefined {
    const concept = this.byId.get(conceptId);
    if (!concept) return undefined;
    const candidates = concept.parameters.filter((p) => p.name === name);
    if (framework) {
      const specific = candidates.find((p) => p.defaults[framework] !== undefined);
      if (specific) return specific;
    }
    return candidates[0];
  }

  /** The related concepts that exist in the registry, in the data's order. */
  related(conceptId: string): Concept[] {
    const concept = this.byId.get(conceptId);
    if (!concept) return [];
    return concept.related.map((id) => this.byId.get(id)).filter((c): c is Concept => c !== undefined);
  }

  /**
   * Concepts matching free text, best first: exact id, name or alias; then a library or
   * hand-written name; then words found in names, aliases and the summary.
   */
  search(query: string, limit = 10): Concept[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const words = q.split(/[^a-z0-9]+/).filter(Boolean);
    const scored: { concept: Concept; score: number }[] = [];
    for (const concept of this.list) {
      const names = [concept.id, concept.name, ...concept.aliases].map((s) => s.toLowerCase());
      const idents = concept.identifiers.map((i) => i.qualifiedName.toLowerCase());
      const shortIdents = idents.map((i) => i.slice(i.lastIndexOf('.') + 1));
      const hand = concept.handwrittenNames.map((h) => h.toLowerCase());
      let score = 0;
      if (names.includes(q)) score += 100;
      if (idents.includes(q) || shortIdents.includes(q) || hand.includes(q)) score += 80;
      if (names.some((n) => n.startsWith(q))) score += 30;
      const haystack = `${names.join(' ')} ${shortIdents.join(' ')} ${hand.join(' ')}`;
      const summary = concept.summary.toLowerCase();
      for (const w of words) {
        if (haystack.includes(w)) score += 10;
        else if (summary.includes(w)) score += 2;
      }
      if (score > 0) scored.push({ concept, score });
    }
    scored.sort((a, b) => b.score - a.score || (a.concept.id < b.concept.id ? -1 : 1));
    return scored.slice(0, limit).map((s) => s.concept);
  }

  /**
   * Papers tagged with this concept in `papers` (the shipped corpus, a user's, or both), ranked:
   * `introduces-classic` before `proposes` before `studies`, then newest year first (unknown years last), then title.
   * A paper tagged twice keeps its strongest relation. Unknown concept ids give an empty list.
   */
  papersFor(conceptId: string, papers: readonly Paper[]): ConceptPaperLink[] {
    return this.papersForEach(papers, conceptId).get(conceptId) ?? [];
  }

  /**
   * {@link papersFor} of every concept id tagged in `papers` (or of `only`), in one pass over the
   * papers: a pass per concept cost `paperlens scan` a tenth of its start-up (issue 23).
   */
  papersForEach(papers: readonly Paper[], only?: string): Map<string, ConceptPaperLink[]> {
    const byConcept = new Map<string, Map<string, ConceptPaperLink>>();
    for (const paper of papers) {
      for (const tag of paper.concepts) {
        if (only !== undefined && tag.id !== only) continue;
        let best = byConcept.get(tag.id);
        if (!best) byConcept.set(tag.id, (best = new Map()));
        const link: ConceptPaperLink = { paper, relation: tag.relation, inferred: tag.inferred === true };
        const earlier = best.get(paper.id);
        if (!earlier || RELATION_RANK[link.relation] < RELATION_RANK[earlier.relation] || (RELATION_RANK[link.relation] === RELATION_RANK[earlier.relation] && earlier.inferred && !link.inferred)) {
          best.set(paper.id, link);
        }
      }
    }
    const out = new Map<string, ConceptPaperLink[]>();
    for (const [id, best] of byConcept) {
      out.set(id, [...best.values()].sort(
        (a, b) =>
          RELATION_RANK[a.relation] - RELATION_RANK[b.relation] ||
          (b.paper.year ?? 0) - (a.paper.year ?? 0) ||
          a.paper.title.localeCompare(b.paper.title) ||
          (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
      ));
    }
    return out;
  }
}
