/**
 * The index builder's term dictionary: folded text → term ids without allocating a string per
 * word. A word is hashed straight from the text and compared in place; only a word never seen
 * before is sliced out and stored. Building an index over 100,000 abstracts meets some twenty
 * million words and a few hundred thousand distinct ones, so this is where the build's time and
 * garbage go. Tokenisation follows {@link collectTerms} exactly (the tests check it).
 */
import { MAX_TERM_LENGTH as MAX_TERM, STOPWORDS } from './text';

// A local copy: an imported binding can cost a getter call per use in the hot loop.
const MAX_TERM_LENGTH = MAX_TERM;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** a-z and 0-9 (folded text has no capitals). */
const ASCII_WORD = new Uint8Array(128);
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;

function isWord(c: number, text: string, i: number): boolean {
  return c < 128 ? ASCII_WORD[c] === 1 : LETTER_OR_DIGIT.test(text[i]);
}

function isJoiner(c: number): boolean {
  return c === 45 || c === 95;
}

export class TermTable {
  /** Term text by id. */
  readonly terms: string[] = [];
  /** Term id by text (for lookups that have a string anyway). */
  readonly ids = new Map<string, number>();
  /** Slot → term id + 1 (0: empty). Open addressing, linear probing, load ≤ 1/2. */
  private slots = new Int32Array(1 << 12);
  private hashes: Int32Array = new Int32Array(1 << 11);
  /**
   * Every term's characters, back to back, with each term's start: comparing a word of the text
   * against a stored term reads one typed array, whatever shape the term's JS string has.
   */
  private chars: Uint16Array = new Uint16Array(1 << 14);
  private charsUsed = 0;
  private starts: Int32Array = new Int32Array(1 << 11);
  private lengths: Int32Array = new Int32Array(1 << 11);
  /**
   * Stopwords get the first ids (0 … stopwordCount − 1): known, so that a stopword in the text is a
   * lookup hit, and recognised by its id alone.
   */
  private readonly stopwordCount: number;
  /** Where {@link collect} writes term ids; grown to the text's length (a term spans ≥ 1 character). */
  out: Int32Array = new Int32Array(4096);
  /**
   * Word position of each id in {@link out}: the index of the word among the text's words of two
   * or more characters, stopwords included (as {@link phraseWords} counts them); a joined word's
   * compact form has the position of its first part.
   */
  positions: Int32Array = new Int32Array(4096);

  constructor() {
    for (const w of STOPWORDS) this.insert(w, hashString(w));
    this.stopwordCount = this.terms.length;
  }

  get size(): number {
    return this.terms.length;
  }

  /** True when the id is a stopword (never indexed). */
  isStopword(id: number): boolean {
    return id < this.stopwordCount;
  }

  /** The id of a term given as a string, added when new. */
  idOf(term: string): number {
    return this.ids.get(term) ?? this.insert(term, hashString(term));
  }

  /**
   * The id of `text[start, end)` whose FNV-1a hash over its `length` kept characters is `h`,
   * skipping `-` and `_` when `compact` (a joined word's compact form); added when new.
   */
  private lookup(text: string, start: number, end: number, h: number, length: number, compact: boolean): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const chars = this.chars;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] !== h || this.lengths[id] !== length) continue;
      let at = this.starts[id];
      let same = true;
      if (compact) {
        for (let i = start; i < end; i++) {
          const c = text.charCodeAt(i);
          if (isJoiner(c)) continue;
          if (chars[at++] !== c) {
            same = false;
            break;
          }
        }
      } else {
        for (let i = start; i < end; i++, at++) {
          if (chars[at] !== text.charCodeAt(i)) {
            same = false;
            break;
          }
        }
      }
      if (same) return id;
    }
    const slice = text.slice(start, end);
    // Flatten: a slice of a long text would otherwise keep the whole text alive.
    const term = compact ? slice.replace(/[-_]/g, '') : (' ' + slice).slice(1);
    return this.insert(term, h);
  }

  private insert(term: string, hash: number): number {
    const id = this.terms.length;
    this.terms.push(term);
    this.ids.set(term, id);
    if (id >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const starts = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lengths = new Int32Array(this.lengths.length * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    if (this.charsUsed + term.length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + term.length));
      chars.set(this.chars.subarray(0, this.charsUsed));
      this.chars = chars;
    }
    this.hashes[id] = hash;
    this.starts[id] = this.charsUsed;
    this.lengths[id] = term.length;
    for (let i = 0; i < term.length; i++) this.chars[this.charsUsed++] = term.charCodeAt(i);
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let id = 0; id < this.terms.length; id++) if (id < this.hashes.length && this.terms[id] !== undefined) this.place(id);
  }

  /**
   * Writes the term ids of already-folded text to {@link out} and returns how many: the same
   * terms, in the same order, as {@link collectTerms}, stopwords left out. One pass: each word is
   * hashed while it is scanned (its compact form too, for joined words).
   */
  collect(folded: string): number {
    const n = folded.length;
    if (this.out.length < n + 1) {
      this.out = new Int32Array(Math.max(n + 1, this.out.length * 2));
      this.positions = new Int32Array(this.out.length);
    }
    const out = this.out;
    const positions = this.positions;
    const firstTerm = this.stopwordCount;
    let k = 0;
    let i = 0;
    let position = 0;
    while (i < n) {
      let c = folded.charCodeAt(i);
      if (!isWord(c, folded, i)) {
        i++;
        continue;
      }
      const start = i;
      const firstPosition = position;
      let partStart = i;
      let joined = false;
      let hCompact = FNV_OFFSET;
      let compactLength = 0;
      for (;;) {
        let h = FNV_OFFSET;
        while (i < n) {
          c = folded.charCodeAt(i);
          if (!isWord(c, folded, i)) break;
          h = Math.imul(h ^ c, FNV_PRIME);
          hCompact = Math.imul(hCompact ^ c, FNV_PRIME);
          i++;
        }
        const len = i - partStart;
        compactLength += len;
        const continues = i + 1 < n && isJoiner(folded.charCodeAt(i)) && isWord(folded.charCodeAt(i + 1), folded, i + 1);
        if (len >= 2 && len <= MAX_TERM_LENGTH) {
          const id = this.lookup(folded, partStart, i, h, len, false);
          if (id >= firstTerm) {
            positions[k] = position;
            out[k++] = id;
          }
          position++;
        }
        if (!continues) {
          if (joined && compactLength >= 2 && compactLength <= MAX_TERM_LENGTH) {
            positions[k] = firstPosition;
            out[k++] = this.lookup(folded, start, i, hCompact, compactLength, true);
          }
          break;
        }
        joined = true;
        i++;
        partStart = i;
      }
    }
    return k;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}
