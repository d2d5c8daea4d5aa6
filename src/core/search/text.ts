/**
 * Text → search terms, shared by the index builder and the query parser so that both sides agree
 * on what a "word" is. Terms are lower-case, accent-folded runs of letters and digits; a word
 * joined by `-` or `_` (`cross-entropy`, `focal_loss`, `gpt-4`) also yields its compact form
 * (`crossentropy`), which is how library identifiers such as `CrossEntropyLoss` meet prose.
 */

/** Words too common to carry meaning; left out of the index and of queries (not of phrase checks' order). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'do', 'does', 'for', 'from', 'has', 'have',
  'how', 'in', 'into', 'is', 'it', 'its', 'of', 'on', 'or', 'our', 'so', 'such', 'than', 'that', 'the',
  'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'was', 'we', 'were', 'what',
  'when', 'which', 'while', 'who', 'with', 'you', 'your',
]);

/** Longest term kept; longer runs are URLs, hashes or LaTeX soup, not words anyone types. */
export const MAX_TERM_LENGTH = 40;

const NON_ASCII = /[^\u0000-\u007f]/;
const COMBINING = /[\u0300-\u036f]/g;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

const NON_ASCII_RUN = /[^\u0000-\u007f]+/g;

function foldRun(run: string): string {
  // Lower-case again: compatibility forms decompose to capitals (fullwidth Ａ → A).
  return run.normalize('NFKD').replace(COMBINING, '').replace(/ß/g, 'ss').replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l').toLowerCase();
}

/**
 * Lower-cases and folds accents (`Brébisson` → `brebisson`). Only the non-ASCII runs are
 * normalised: an abstract with one curly quote should not pay for NFKD over all its text.
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.replace(NON_ASCII_RUN, foldRun) : lower;
}

function isWordCode(code: number, text: string, i: number): boolean {
  if (code >= 97 && code <= 122) return true; // a-z
  if (code >= 48 && code <= 57) return true; // 0-9
  if (code < 128) return false;
  return LETTER_OR_DIGIT.test(text[i]);
}

function isJoiner(code: number): boolean {
  return code === 45 || code === 95; // - _
}

/** How a term was found: a plain word, one part of a joined word, or a joined word's compact form. */
export const TermKind = { Plain: 0, Part: 1, Compact: 2 } as const;
export type TermKind = (typeof TermKind)[keyof typeof TermKind];

/**
 * Calls `emit(term, kind)` for every term of already-folded text, in order. A joined word emits its
 * parts and then its compact form. Single characters are skipped as terms (they still count in a
 * compound: `z-loss` → `loss`, `zloss`); stopwords are skipped unless `keepStopwords` (compact forms
 * are never stopwords).
 */
export function scanTerms(folded: string, emit: (term: string, kind: TermKind) => void, keepStopwords = false): void {
  const n = folded.length;
  let i = 0;
  while (i < n) {
    if (!isWordCode(folded.charCodeAt(i), folded, i)) {
      i++;
      continue;
    }
    const start = i;
    let partStart = i;
    let joined = false;
    for (;;) {
      while (i < n && isWordCode(folded.charCodeAt(i), folded, i)) i++;
      // A joiner continues the word only between two word characters (`a-b`, not `a -b` or `a--b`).
      const continues = i + 1 < n && isJoiner(folded.charCodeAt(i)) && isWordCode(folded.charCodeAt(i + 1), folded, i + 1);
      if (!continues && !joined) break;
      emitOne(folded.slice(partStart, i), TermKind.Part, emit, keepStopwords);
      if (!continues) break;
      joined = true;
      i++;
      partStart = i;
    }
    if (joined) emitOne(folded.slice(start, i).replace(/[-_]/g, ''), TermKind.Compact, emit, true);
    else emitOne(folded.slice(start, i), TermKind.Plain, emit, keepStopwords);
  }
}

function emitOne(term: string, kind: TermKind, emit: (term: string, kind: TermKind) => void, keepStopwords: boolean): void {
  if (term.length < 2 || term.length > MAX_TERM_LENGTH) return;
  if (!keepStopwords && STOPWORDS.has(term)) return;
  emit(term, kind);
}

/**
 * The terms of `text` (folded first), compact forms included, stopwords left out: what the index
 * stores for it. The index builder gets the same terms from `TermTable` without a string per word
 * (its tests compare the two); queries tokenise through {@link scanTerms} too.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  scanTerms(foldText(text), (term) => out.push(term));
  return out;
}

/** Letters and digits: what a word is made of. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * A test for a quoted phrase in folded text: the words in order, separated by anything that is not
 * a letter or digit (single characters, which are not indexed, may sit between them), so
 * `"large vocabulary"` matches `Large-Vocabulary`. The pattern starts with the first word as a
 * literal so the regex engine can skip ahead; the word boundary before it is checked by hand.
 */
export function phraseMatcher(words: readonly string[]): (folded: string) => boolean {
  const gap = '[^\\p{L}\\p{N}]+(?:[\\p{L}\\p{N}][^\\p{L}\\p{N}]+)*';
  const re = new RegExp(`${words.join(gap)}(?![\\p{L}\\p{N}])`, 'gu');
  return (folded) => {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      if (m.index === 0 || !WORD_CHAR.test(folded[m.index - 1])) return true;
      re.lastIndex = m.index + 1;
    }
    return false;
  };
}

/**
 * The word sequence used to check quoted phrases: parts only (no compact forms), stopwords kept,
 * so `"cut your losses"` matches the title word for word.
 */
export function phraseWords(text: string): string[] {
  const out: string[] = [];
  scanTerms(foldText(text), (t, kind) => { if (kind !== TermKind.Compact) out.push(t); }, true);
  return out;
}

/** Splits an identifier into words: `CrossEntropyLoss` → `Cross Entropy Loss`, `BCEWithLogits` → `BCE With Logits`. */
export function splitIdentifier(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ');
}

/** Lower-case letters and digits only: `Cross-Entropy Loss` → `crossentropyloss`. */
export function compactKey(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]+/gu, '');
}
