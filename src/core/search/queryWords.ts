/**
 * A query's words looked up in the vocabulary: each word becomes the terms it is searched as —
 * the word itself, its singular or plural, completions of the word being typed (most frequent
 * first, within a postings budget), the parts of an unknown compound, and corrections of a typo
 * (never of a protected word: the registry's, an ML term, an English word).
 */
import { Field, FIELD_COUNT } from './documents';
import type { IndexLayout } from './indexLayout';
import type { HintField, QueryWord } from './query';
import { maxTypos } from './ranking';
import type { Correction } from './searchTypes';
import { scanTerms, TermKind } from './text';

/** Weight of a corrected word (by edit distance) and of a completion, relative to an exact match. */
const CORRECTION_WEIGHT = [1, 0.6, 0.4];
const COMPLETION_LIMIT = 24;
/** How many corrections of one word are searched. */
const CORRECTION_LIMIT = 8;

export const HINT_FIELD_MASK: Record<HintField, number> = {
  title: 1 << Field.Title,
  abstract: 1 << Field.Abstract,
  authors: 1 << Field.Authors,
  venue: 1 << Field.Venue,
};
export const ALL_FIELDS = (1 << FIELD_COUNT) - 1;

/** A vocabulary term a query word expanded to. */
export interface Expansion {
  termId: number;
  weight: number;
  /**
   * Upper bound on the term's IDF. A completion of a word that is itself in the vocabulary counts
   * no more than the word would (`loss` must not lose to its rarer completion `lossbased`).
   */
  idfCap?: number;
}

/** A query word after vocabulary lookup. */
export interface ResolvedWord {
  expansions: Expansion[];
  fieldMask: number;
  /** The query word it reads (parts of an unknown compound share their compound's). */
  source?: number;
  /** The word as searched (for generic-word and parameter checks). */
  term?: string;
  /** Scoring-only words: a posting that includes the title counts this many times more. */
  titleFactor?: number;
  /** For phrase words: collect each paper's position signature for this word here. */
  sigOut?: Uint32Array;
}

/** Expands each word: exact, completions (the word being typed), corrections (unknown words). */
export function resolveWords(index: IndexLayout, words: readonly QueryWord[], fuzzy: boolean, corrections: Correction[], matchedTerms: Set<string>, source?: number): ResolvedWord[] {
  const out: ResolvedWord[] = [];
  const vocab = index.vocabulary;
  const df = (t: number): number => index.ends[t] - index.starts[t];
  for (let wi = 0; wi < words.length; wi++) {
    const word = words[wi];
    const from = source ?? wi;
    const fieldMask = word.field ? HINT_FIELD_MASK[word.field] : ALL_FIELDS;
    const expansions: Expansion[] = [];
    // Stopwords are in the vocabulary (the builder knows them) but index nothing: df 0.
    let exact = vocab.id(word.term);
    if (exact !== undefined && df(exact) === 0) exact = undefined;
    if (exact !== undefined) expansions.push({ termId: exact, weight: 1 });
    // Singular and plural read alike (`predictions` finds `prediction`), at half weight: a paper
    // saying "metrics" throughout must not outrank one with "metric" in its title.
    if (word.term.length >= 4 && /[a-z]$/.test(word.term)) {
      const variant = word.term.endsWith('s') ? (word.term.endsWith('ss') ? undefined : word.term.slice(0, -1)) : `${word.term}s`;
      const id = variant === undefined ? undefined : vocab.id(variant);
      if (id !== undefined && df(id) > 0) expansions.push({ termId: id, weight: 0.5 });
    }
    if (word.prefix && word.term.length >= 2) {
      const idfCap = exact !== undefined ? index.idf[exact] : undefined;
      // The most frequent completions first, until they would read more postings than twice the
      // corpus: a two-letter prefix in a large corpus must not read every list it could.
      const completions = vocab.completions(word.term, COMPLETION_LIMIT, df).sort((a, b) => df(b.termId) - df(a.termId));
      let budget = 2 * index.papers.length + 1000;
      for (const c of completions) {
        const count = df(c.termId);
        if (count === 0) continue;
        if (count > budget && expansions.length > 0) break;
        budget -= count;
        const ratio = word.term.length / (word.term.length + c.distance);
        expansions.push({ termId: c.termId, weight: 0.45 + 0.45 * ratio, idfCap });
      }
    }
    // An unknown compound (`cross_entropy` where only `cross` and `entropy` are indexed): its parts.
    if (expansions.length === 0 && word.parts.length > 1) {
      const parts = word.parts.map((p, i): QueryWord => ({ term: p, parts: [], field: word.field, prefix: word.prefix && i === word.parts.length - 1 }));
      out.push(...resolveWords(index, parts, fuzzy, corrections, matchedTerms, from));
      continue;
    }
    // A protected word (the registry's, an ML term, an English word) is searched as typed: the
    // corpus lacking "gamma" does not make it "gemma".
    if (fuzzy && !index.protectedWords.has(word.term)) {
      const allowed = maxTypos(word.term.length);
      const rareExact = exact !== undefined && df(exact) <= 3;
      if (allowed > 0 && (expansions.length === 0 || rareExact)) {
        let found = vocab.corrections(word.term, allowed).filter((c) => df(c.termId) > 0);
        if (found.length) found = found.filter((c) => c.distance === found[0].distance);
        // A rare exact word is kept, and a far more common neighbour joins it (a typo in the corpus
        // itself must not hide the papers spelled right).
        if (exact !== undefined && rareExact) found = found.filter((c) => c.distance === 1 && df(c.termId) >= 20 * df(exact!));
        found.sort((a, b) => df(b.termId) - df(a.termId));
        found = found.slice(0, CORRECTION_LIMIT);
        // The typist meant one word, most likely the most common of its corrections: a rarer one
        // counts no more than that one would ("cros" is "cross" far more often than "cos", and a
        // paper holding "cos" must not outrank the papers about cross-entropy on its rarity).
        const correctionCap = found.length ? index.idf[found[0].termId] : undefined;
        for (const c of found) expansions.push({ termId: c.termId, weight: CORRECTION_WEIGHT[c.distance] ?? 0.3, idfCap: correctionCap });
        if (found.length) corrections.push({ word: word.term, suggestions: found.map((c) => vocab.terms[c.termId]) });
      }
    }
    for (const e of expansions) matchedTerms.add(vocab.terms[e.termId]);
    out.push({ expansions, fieldMask, source: from, term: word.term });
  }
  return out;
}

export function resolveExact(index: IndexLayout, word: string, field: HintField | undefined): ResolvedWord | undefined {
  const fieldMask = field ? HINT_FIELD_MASK[field] : ALL_FIELDS;
  let indexed = false;
  scanTerms(word, (_t, kind) => { if (kind === TermKind.Plain) indexed = true; });
  if (!indexed) return undefined;
  const id = index.vocabulary.id(word);
  return { expansions: id === undefined ? [] : [{ termId: id, weight: 1 }], fieldMask };
}

