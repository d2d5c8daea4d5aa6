/**
 * What the index reads from a paper: the text of each field, with the paper's concept tags
 * expanded into the words people search for them by — the concept's name and aliases, and the
 * identifiers libraries give it (`CrossEntropyLoss`, `sigmoid_focal_loss`), so that typing an
 * identifier finds the papers behind it.
 */
import type { Concept } from '../concepts/types';
import type { Paper } from '../papers/types';
import { parseQuery } from './query';
import { compactKey, splitIdentifier } from './text';

/** Field numbers; a posting's field mask has bit `1 << field` set for each field the term occurs in. */
export const Field = {
  Title: 0,
  Abstract: 1,
  Authors: 2,
  Venue: 3,
  /** Concepts the paper proposes or introduces. */
  ConceptMain: 4,
  /** Concepts the paper studies. */
  ConceptStudied: 5,
} as const;
export const FIELD_COUNT = 6;

/** The words a concept is searched by, as one text, and the keys `concept:` hints match. */
export interface ConceptSearchInfo {
  id: string;
  name: string;
  /** Text indexed for papers tagged with the concept. */
  text: string;
  /** Compact keys (`focalloss`, `crossentropyloss`, `ce`) of its id, name, aliases and identifiers. */
  keys: string[];
  /** Compact keys of id, name and aliases only: what prefix matching of `concept:` considers. */
  nameKeys: string[];
  /**
   * What a query that names the concept reads as (see {@link mentionKey}): its id, name (with and
   * without the parenthesised part), aliases, identifiers, hand-written and Keras names, each also
   * with "loss" added or taken off (`focal` ↔ `focal loss`).
   */
  mentionKeys: string[];
  /** Query terms of the concept's parameter names (`gamma`, `posweight`): modifiers, not topics. */
  parameterTerms: string[];
  /** Lexicon phrases as query terms (`["xent"]`, `["cross", "entropy"]`): words inside identifiers. */
  lexicon: string[][];
  /** Query terms of the concept's name (parenthesised part dropped) and id: what its papers' text says. */
  nameTerms: string[];
}

/**
 * The key a query reads `text` as: its free words' terms joined (stopwords out, joined words and
 * identifiers compact), so `Cross Entropy`, `cross-entropy` and `CrossEntropy` all read `crossentropy`.
 */
export function mentionKey(text: string): string {
  return parseQuery(text.replace(/[:"]/g, ' ')).words.map((w) => w.term).join('');
}

/** The query terms of `text`, each word once (a joined word as its compact form and its parts). */
function queryTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of parseQuery(text.replace(/[:"]/g, ' ')).words) out.push(w.term, ...w.parts);
  return [...new Set(out)];
}

/**
 * `Mean squared error (L2 loss)` → also `Mean squared error`. The parenthesised part alone is not
 * taken: in `Cross-entropy (softmax)` it is a qualifier, not a name (aliases list the real ones).
 */
function nameVariants(name: string): string[] {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(name);
  return m && m[1] ? [name, m[1]] : [name];
}

/**
 * Keys with "loss" added (`focal` → `focalloss`) and, when `strip`, taken off (`focalloss` →
 * `focal`). Only ids and names are stripped: an alias such as "distillation loss" names a loss
 * only with its "loss".
 */
function withLossVariants(keys: Iterable<string>, strip: boolean): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    if (!k) continue;
    out.add(k);
    if (k.endsWith('loss')) {
      const bare = k.slice(0, -4);
      if (strip && bare.length >= 4) out.add(bare);
    } else {
      out.add(`${k}loss`);
    }
  }
  return [...out];
}

function lastComponent(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}

/** Search info for a registry concept. */
export function conceptSearchInfo(concept: Concept): ConceptSearchInfo {
  const identifiers = [...new Set(concept.identifiers.map((i) => lastComponent(i.qualifiedName)))];
  const handwritten = [...new Set(concept.handwrittenNames ?? [])];
  const names = [concept.id, concept.name, ...(concept.aliases ?? [])];
  const text = [
    ...names,
    // Each identifier both as written (indexed as one compact term) and split into words.
    ...identifiers.flatMap((n) => [n, splitIdentifier(n)]),
    ...handwritten.flatMap((n) => [n, splitIdentifier(n)]),
  ].join(' \n ');
  const nameKeys = [...new Set(names.map(compactKey).filter(Boolean))];
  const keys = [...new Set([...nameKeys, ...identifiers.map(compactKey), ...handwritten.map(compactKey)].filter(Boolean))];
  const mentionKeys = [...new Set([
    ...withLossVariants([concept.id, ...nameVariants(concept.name)].map(mentionKey), true),
    ...withLossVariants([...(concept.aliases ?? []).flatMap(nameVariants), ...identifiers, ...handwritten, ...(concept.kerasNames ?? [])].map(mentionKey), false),
  ])];
  const parameterTerms = [...new Set((concept.parameters ?? []).flatMap((p) => queryTerms(p.name)))];
  const lexicon = (concept.lexicon ?? []).map((phrase) => parseQuery(phrase).words.map((w) => w.term)).filter((ws) => ws.length > 0);
  const nameTerms = [...new Set([...queryTerms(nameVariants(concept.name).at(-1)!), ...queryTerms(concept.id)])];
  return { id: concept.id, name: concept.name, text, keys, nameKeys, mentionKeys, parameterTerms, lexicon, nameTerms };
}

/** Search info for a concept id that only appears as a paper tag (no registry entry). */
export function tagOnlyConceptInfo(id: string): ConceptSearchInfo {
  const key = compactKey(id);
  return { id, name: id, text: id, keys: [key], nameKeys: [key], mentionKeys: withLossVariants([mentionKey(id)], true), parameterTerms: [], lexicon: [], nameTerms: queryTerms(id) };
}

/** The text of the paper's own fields (title, abstract, authors, venue), indexed by {@link Field}. */
export function plainFieldTexts(paper: Paper): [string, string, string, string] {
  const authors = [...(paper.authors ?? [])];
  if (paper.organization) authors.push(paper.organization);
  const venue = `${paper.venue ?? ''} ${paper.year ?? ''}`;
  return [paper.title ?? '', paper.abstract ?? '', authors.join(' \n '), venue];
}
