/**
 * Concept tags for users' papers: taken from an explicit `concepts`/`keywords` field when it names
 * registry concepts, otherwise inferred from the title and abstract by matching the registry's
 * concept names and aliases as whole phrases. Inferred tags carry `inferred: true` and the weakest
 * relation, `studies`: a phrase in an abstract does not make a paper the origin of a loss.
 */
import type { ConceptRelation, PaperConcept } from './types';

/** The part of a registry concept that matching needs (a `Concept` fits). */
export interface ConceptNames {
  id: string;
  name: string;
  aliases: readonly string[];
}

const RELATIONS: readonly ConceptRelation[] = ['proposes', 'studies', 'introduces-classic'];

/** At most this many inferred tags per paper: a survey mentioning every loss is not about each. */
const MAX_INFERRED = 5;

/** Phrases shorter than this (after normalisation) are too ambiguous to infer from ("CE", "FL"). */
const MIN_PHRASE_CHARS = 4;

/** Lower-case ASCII words: accents folded, hyphens and punctuation as spaces. */
export function phraseTokens(text: string): string[] {
  // `match` rather than `split` and a filter: the same words, half the cost on a long abstract
  // (every paper of a user's corpus file is matched against the registry this way).
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g) ?? [];
}

interface Phrase {
  id: string;
  tokens: string[];
}

export class ConceptMatcher {
  /** Phrases by their first token. */
  private readonly byFirst = new Map<string, Phrase[]>();
  /** Exact lookups for explicit fields: id, name or alias, normalised. */
  private readonly exact = new Map<string, string>();
  readonly size: number;

  constructor(concepts: readonly ConceptNames[]) {
    this.size = concepts.length;
    for (const c of concepts) {
      const names = [c.name, ...c.aliases];
      // A kebab-case id is a phrase too when it has several words ("cross-entropy"); a one-word id
      // ("focal") would match "focal point".
      if (c.id.includes('-')) names.push(c.id);
      for (const key of [c.id, c.name, ...c.aliases]) {
        const k = phraseTokens(key).join(' ');
        if (k && !this.exact.has(k)) this.exact.set(k, c.id);
      }
      const seen = new Set<string>();
      for (const name of names) {
        const tokens = phraseTokens(name);
        const joined = tokens.join(' ');
        if (joined.length < MIN_PHRASE_CHARS || seen.has(joined)) continue;
        seen.add(joined);
        const list = this.byFirst.get(tokens[0]) ?? [];
        list.push({ id: c.id, tokens });
        this.byFirst.set(tokens[0], list);
      }
    }
    // Longest phrases first, so "binary cross entropy" wins over "cross entropy" at one position.
    for (const list of this.byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  }

  /** The concept id an explicit tag names (`focal`, `Focal loss`, `cross entropy`), if any. */
  resolve(tag: string): string | undefined {
    return this.exact.get(phraseTokens(tag).join(' '));
  }

  /**
   * Tags from an explicit list such as a BibTeX `concepts = {focal: proposes, dice}` or
   * `keywords` field. Entries that name no concept are returned in `unknown`.
   */
  explicit(values: readonly string[]): { concepts: PaperConcept[]; unknown: string[] } {
    const concepts: PaperConcept[] = [];
    const unknown: string[] = [];
    for (const raw of values) {
      const { name, relation } = splitRelation(raw);
      if (!name) continue;
      const id = this.resolve(name);
      if (!id) {
        unknown.push(name);
        continue;
      }
      if (!concepts.some((c) => c.id === id)) concepts.push({ id, relation });
    }
    return { concepts, unknown };
  }

  /** Tags inferred from title and abstract; title matches first. */
  infer(title: string, abstract: string): PaperConcept[] {
    const found: string[] = [];
    for (const text of [title, abstract]) {
      const tokens = phraseTokens(text);
      for (let i = 0; i < tokens.length && found.length < MAX_INFERRED; i++) {
        const candidates = this.byFirst.get(tokens[i]);
        if (!candidates) continue;
        for (const p of candidates) {
          if (found.includes(p.id)) continue;
          let ok = true;
          for (let k = 1; k < p.tokens.length; k++) {
            if (tokens[i + k] !== p.tokens[k]) {
              ok = false;
              break;
            }
          }
          if (ok) {
            found.push(p.id);
            i += p.tokens.length - 1;
            break;
          }
        }
      }
    }
    return found.map((id) => ({ id, relation: 'studies', inferred: true }));
  }
}

/** `focal: proposes` → name and relation; without a valid relation, `studies`. */
export function splitRelation(raw: string): { name: string; relation: ConceptRelation } {
  const m = /^(.*?)\s*[:=]\s*([a-z-]+)\s*$/i.exec(raw.trim());
  if (m && (RELATIONS as readonly string[]).includes(m[2].toLowerCase())) {
    return { name: m[1].trim(), relation: m[2].toLowerCase() as ConceptRelation };
  }
  return { name: raw.trim(), relation: 'studies' };
}
