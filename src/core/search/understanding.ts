/**
 * What a query means beyond its words (issue 19): the loss concepts it names — by name, alias,
 * library identifier, hand-written name, or a lexicon word inside an identifier — and the test for
 * a strong match.
 *
 * A run of words that names a loss makes that loss's papers match those words, and when the naming
 * words carry half the query's weight its papers rank first, the paper that introduced it first.
 * Every candidate is a strong or a weak match by the share of the query's IDF weight it covers
 * ({@link STRONG_COVERAGE}); strong matches always rank before weak ones, and a query with no
 * strong match is one the corpus has no answer to.
 */
import { Field } from './documents';
import type { IndexLayout } from './indexLayout';
import type { QueryWord } from './query';
import type { Expansion, ResolvedWord } from './queryWords';
import { GENERIC_WORDS, KNOWN_MISS, MATCH_SLOTS, STRONG_COVERAGE } from './ranking';
import type { Correction, NamedConcept } from './searchTypes';


/** A run of concept-naming words in a query. */
export interface Mention {
  /** Free words [start, end) of the parsed query. */
  start: number;
  end: number;
  /** Concept numbers (index order). */
  concepts: number[];
  via: 'name' | 'lexicon';
  /** The key it was recognised by. */
  key?: string;
}

export interface Understanding {
  mentions: Mention[];
  named: Set<number>;
  /** Per named concept, the bits of the free words that name it. */
  spanBitsOf: Map<number, number>;
  /** Scoring-only words: each named concept's name, in titles and abstracts. */
  bonus: ResolvedWord[];
  isStrong(mask: number): boolean;
  /** Share (0–1) of the query's weight that a paper matching `mask` matches. */
  coverage(mask: number): number;
  /** The named concepts are what the query is about: their papers rank first, the introducer first. */
  focused: boolean;
  /** How many of the query's key units (a named loss, each other weighty word) a mask matches. */
  keyUnits(mask: number): number;
}

/**
 * The loss concepts the free words name, longest run of words first: a name, alias, library
 * identifier or hand-written name (`focal loss`, `BCEWithLogitsLoss`,
 * `optax.softmax_cross_entropy_with_integer_labels`), or, for an identifier no concept spells
 * out, a lexicon phrase among its words (`softmax_xent` → `xent`). Keys under three letters
 * (`CE`, `FL`) count only as the whole query.
 */
export function mentionsIn(index: IndexLayout, words: readonly QueryWord[], corrected: ReadonlyMap<string, string> = new Map()): Mention[] {
  const out: Mention[] = [];
  if (words.length === 0) return out;
  const byKey = index.mentionMap();
  let i = 0;
  while (i < words.length) {
    let found: Mention | undefined;
    for (let len = Math.min(6, words.length - i); len >= 1 && !found; len--) {
      // As typed, then with typos corrected (`focl loss` names focal loss).
      for (const fix of [false, true]) {
        let key = '';
        for (let j = i; j < i + len; j++) key += (fix ? corrected.get(words[j].term) : undefined) ?? words[j].term;
        const concepts = byKey.get(key);
        if (concepts && (key.length >= 3 || len === words.length)) {
          found = { start: i, end: i + len, concepts, via: 'name', key };
          break;
        }
      }
    }
    if (!found && words[i].parts.length > 1) found = lexiconMention(index, words[i].parts, i);
    if (found) {
      out.push(found);
      i = found.end;
    } else {
      i++;
    }
  }
  return out;
}

/**
 * A one-word mention that is a parameter of another named loss is a parameter, not a second loss
 * (`CrossEntropyLoss label_smoothing` is about cross-entropy), and one that is a word of another
 * named loss's name is part of that name (`KTO kahneman tversky` is not about the Tversky loss).
 */
function dropParameterMentions(index: IndexLayout, mentions: Mention[]): Mention[] {
  if (mentions.length < 2) return mentions;
  return mentions.filter((m) => {
    if (m.end - m.start !== 1 || m.key === undefined) return true;
    const key = m.key;
    return !mentions.some((other) => other !== m && other.concepts.some((c) => {
      const info = index.conceptInfo.get(index.conceptIds[c]);
      return info !== undefined && (info.parameterTerms.includes(key) || (info.nameTerms.includes(key) && !m.concepts.includes(c)));
    }));
  });
}

/** The concepts `mentions` name, each once, in query order. */
export function namedConcepts(index: IndexLayout, mentions: readonly Mention[], words: readonly QueryWord[]): NamedConcept[] {
  const out = new Map<string, NamedConcept>();
  for (const m of mentions) {
    for (const c of m.concepts) {
      const id = index.conceptIds[c];
      if (!out.has(id)) out.set(id, { id, name: index.conceptInfo.get(id)?.name ?? id, words: words.slice(m.start, m.end).map((w) => w.term), via: m.via });
    }
  }
  return [...out.values()];
}

/** Concepts whose longest lexicon phrase occurs, word for word, among an identifier's words. */
function lexiconMention(index: IndexLayout, parts: readonly string[], at: number): Mention | undefined {
  let best = 0;
  let concepts: number[] = [];
  for (const info of index.conceptInfo.values()) {
    for (const phrase of info.lexicon) {
      if (phrase.length < best || !containsRun(parts, phrase)) continue;
      const c = index.conceptIndex.get(info.id);
      if (c === undefined) continue;
      if (phrase.length > best) {
        best = phrase.length;
        concepts = [];
      }
      if (!concepts.includes(c)) concepts.push(c);
    }
  }
  return concepts.length ? { start: at, end: at + 1, concepts, via: 'lexicon' } : undefined;
}

/**
 * What the query means beyond its words: the concepts it names (their papers match the naming
 * words whatever their text says), the name of each as a scoring-only word (so that among a
 * concept's papers those whose title or abstract speak of it come first), and the test for a
 * strong match — the matched words must carry {@link STRONG_COVERAGE} of the query's weight,
 * where a word weighs its IDF (a word the corpus lacks the most), generic words and the named
 * concepts' parameter names (`alpha`, `pos_weight`) nothing, and a concept's naming words count
 * as one unit.
 */
export function understand(index: IndexLayout, words: readonly QueryWord[], free: readonly ResolvedWord[], corrections: readonly Correction[]): Understanding {
  const corrected = new Map(corrections.map((c) => [c.word, c.suggestions[0]]));
  const mentions = dropParameterMentions(index, mentionsIn(index, words, corrected));
  const named = new Set<number>();
  const spanBitsOf = new Map<number, number>();
  const bonus: ResolvedWord[] = [];
  const n = index.papers.length;
  const idfMax = Math.log(1 + (n + 0.5) / 0.5);
  const base = free.map((r) => {
    let w = 0;
    for (const e of r.expansions) w = Math.max(w, (e.idfCap === undefined ? index.idf[e.termId] : Math.min(index.idf[e.termId], e.idfCap)) * e.weight);
    return r.expansions.length ? w : idfMax;
  });
  const modifiers = new Set<string>();
  const spanOf = (r: ResolvedWord): Mention | undefined => mentions.find((m) => r.source !== undefined && r.source >= m.start && r.source < m.end);
  for (const m of mentions) {
    let spanBits = 0;
    free.forEach((r, b) => { if (spanOf(r) === m) spanBits |= 1 << b; });
    spanBits >>>= 0;
    for (const c of m.concepts) {
      named.add(c);
      spanBitsOf.set(c, ((spanBitsOf.get(c) ?? 0) | spanBits) >>> 0);
      const info = index.conceptInfo.get(index.conceptIds[c]);
      if (!info) continue;
      for (const t of info.parameterTerms) modifiers.add(t);
      const expansions: Expansion[] = [];
      for (const t of info.nameTerms) {
        // "loss" would read every paper's postings for a bonus that ranks nothing apart.
        if (GENERIC_WORDS.has(t)) continue;
        const id = index.vocabulary.id(t);
        if (id !== undefined && index.ends[id] > index.starts[id]) expansions.push({ termId: id, weight: 0.5 });
      }
      // A paper whose title names the loss is about it; one whose abstract does, less so.
      if (expansions.length) {
        bonus.push({ expansions: expansions.map((e) => ({ ...e, weight: 0.25 })), fieldMask: (1 << Field.Title) | (1 << Field.Abstract), titleFactor: 4 });
      }
    }
  }
  // `known`: the corpus has the word (or the named concept has papers); a paper missing a word
  // other papers have is a worse match, but a query whose words no paper has is about something
  // the corpus lacks — that is what must read as "no answer".
  const units: { bits: number; weight: number; known: boolean }[] = [];
  for (const m of mentions) {
    let bitsOfSpan = 0;
    let weight = 0;
    let known = m.concepts.some((c) => index.papersOf(c).length > 0);
    free.forEach((r, b) => {
      if (spanOf(r) !== m) return;
      bitsOfSpan |= 1 << b;
      if (r.expansions.length) known = true;
      if (!GENERIC_WORDS.has(r.term ?? '')) weight += base[b];
    });
    if (bitsOfSpan) units.push({ bits: bitsOfSpan >>> 0, weight: weight || idfMax, known });
  }
  const loose: { bits: number; weight: number; known: boolean }[] = [];
  free.forEach((r, b) => {
    if (spanOf(r)) return;
    const term = r.term ?? '';
    const key = !GENERIC_WORDS.has(term) && !modifiers.has(term);
    loose.push({ bits: (1 << b) >>> 0, weight: key ? base[b] : 0, known: r.expansions.length > 0 });
  });
  // A query of generic words only ("loss function") is about them after all.
  if (units.length === 0 && loose.every((u) => u.weight === 0)) loose.forEach((u, i) => { u.weight = base[i] ?? 0; });
  units.push(...loose.filter((u) => u.weight > 0));
  const total = units.reduce((sum, u) => sum + u.weight, 0);
  const coverage = (mask: number): number => {
    if (total <= 0) return 1;
    let got = 0;
    let missed = 0;
    for (const u of units) {
      if (((mask & u.bits) >>> 0) === u.bits) got += u.weight;
      else missed += u.known ? KNOWN_MISS * u.weight : u.weight;
    }
    return got + missed > 0 ? got / (got + missed) : 1;
  };
  const isStrong = (mask: number): boolean => total <= 0 || coverage(mask) >= STRONG_COVERAGE - 1e-9;
  const keyUnits = (mask: number): number => {
    let count = 0;
    for (const u of units) if (((mask & u.bits) >>> 0) === u.bits) count++;
    return Math.min(count, MATCH_SLOTS - 1);
  };
  // The query is about the named loss when its naming words carry at least half its weight
  // (`focal loss alpha gamma`, `BCEWithLogitsLoss pos_weight`), not when a loss name is one phrase
  // of a title (`Multi-aspect Knowledge Distillation with Large Language Model`).
  const mentionWeight = units.slice(0, mentions.length).reduce((sum, u) => sum + u.weight, 0);
  const focused = named.size > 0 && (total <= 0 || mentionWeight >= 0.5 * total);
  // The name bonus orders a named loss's papers; it is only read when they rank first.
  return { mentions, named, spanBitsOf, bonus: focused ? bonus : [], isStrong, coverage, keyUnits, focused };
}

/** True when `phrase` occurs in `parts` as a contiguous run. */
function containsRun(parts: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= parts.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (parts[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
