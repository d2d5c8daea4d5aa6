/**
 * What the index reads from a paper: the text of each field, with the paper's concept tags
 * expanded into the words people search for them by — the concept's name and aliases, and the
 * identifiers libraries give it (`CrossEntropyLoss`, `sigmoid_focal_loss`), so that typing an
 * identifier finds the papers behind it.
 */
import type { Concept } from '../concepts/types';
import type { Paper } from '../papers/types';
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
  return { id: concept.id, name: concept.name, text, keys, nameKeys };
}

/** Search info for a concept id that only appears as a paper tag (no registry entry). */
export function tagOnlyConceptInfo(id: string): ConceptSearchInfo {
  const key = compactKey(id);
  return { id, name: id, text: id, keys: [key], nameKeys: [key] };
}

/** The text of the paper's own fields (title, abstract, authors, venue), indexed by {@link Field}. */
export function plainFieldTexts(paper: Paper): [string, string, string, string] {
  const authors = [...(paper.authors ?? [])];
  if (paper.organization) authors.push(paper.organization);
  const venue = `${paper.venue ?? ''} ${paper.year ?? ''}`;
  return [paper.title ?? '', paper.abstract ?? '', authors.join(' \n '), venue];
}
