/**
 * The protected vocabulary: words the search takes as typed, never "correcting" them into another
 * word because the corpus happens to lack them ("gamma" must not become "gemma", "reward" not
 * "regard", "padding" not "adding"). Three sources:
 *
 * 1. the concept registry — ids, names, aliases, library identifiers (every component, split at
 *    camel case and underscores, and compact), hand-written names, Keras string names, lexicon words
 *    and parameter names — so concepts added to the registry are protected as soon as they load;
 * 2. {@link ML_TERMS}, hand-written ML vocabulary (models, methods, libraries, metrics);
 * 3. an English word list (SCOWL size 60, see `englishWords.ts`), loaded by the caller.
 *
 * Typo correction is only for words that are neither protected nor in the corpus.
 */
import type { Concept } from '../concepts/types';
import type { WordSet } from './englishWords';
import { ML_TERMS } from './mlTerms';
import { scanTerms, foldText, splitIdentifier } from './text';

/** Why a word is protected (for tests and explanations). */
export type ProtectionSource = 'registry' | 'ml' | 'english';

/** Every term (parts and compact forms, stopwords left out) of `text` and of its identifier split. */
function addTerms(out: Set<string>, text: string): void {
  for (const variant of [text, splitIdentifier(text)]) scanTerms(foldText(variant), (t) => out.add(t));
}

/** The words of the registry that must never be corrected. */
export function registryWords(concepts: readonly Concept[]): Set<string> {
  const out = new Set<string>();
  for (const c of concepts) {
    addTerms(out, c.id);
    addTerms(out, c.name);
    for (const a of c.aliases ?? []) addTerms(out, a);
    for (const i of c.identifiers ?? []) for (const part of i.qualifiedName.split('.')) addTerms(out, part);
    for (const h of c.handwrittenNames ?? []) addTerms(out, h);
    for (const k of c.kerasNames ?? []) addTerms(out, k);
    for (const l of c.lexicon ?? []) addTerms(out, l);
    for (const p of c.parameters ?? []) addTerms(out, p.name);
  }
  return out;
}

const ML_SET: ReadonlySet<string> = new Set(ML_TERMS);

export class ProtectedWords implements WordSet {
  private readonly registry: ReadonlySet<string>;

  constructor(concepts: readonly Concept[] = [], private readonly english?: WordSet) {
    this.registry = registryWords(concepts);
  }

  /** True when `term` (folded, as the query parser produces it) must be searched as typed. */
  has(term: string): boolean {
    return this.source(term) !== undefined;
  }

  source(term: string): ProtectionSource | undefined {
    if (this.registry.has(term)) return 'registry';
    if (ML_SET.has(term)) return 'ml';
    if (this.english?.has(term)) return 'english';
    return undefined;
  }
}
