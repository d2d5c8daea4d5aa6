/**
 * The index builder's term dictionary: folded text → term ids without allocating a string per
 * word. A word is hashed straight from the text and compared in place; only a word never seen
 * before is sliced out and stored. Building an index over 100,000 abstracts meets some twenty
 * million words and a few hundred thousand distinct ones, so this is where the build's time and
 * garbage go. Tokenisation follows `terms` in text.ts exactly (the tests check it).
 */
import { foldText, MAX_TERM_LENGTH as MAX_TERM, STOPWORDS } from './text';

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

/**
 * Word characters of ASCII text before folding: a-z, A-Z, 0-9. For these, `c | 32` is the folded
 * (lower-case) character: it maps A-Z to a-z and leaves a-z and 0-9 as they are.
 */
const RAW_WORD = new Uint8Array(256);
for (let c = 97; c <= 122; c++) RAW_WORD[c] = 1;
for (let c = 65; c <= 90; c++) RAW_WORD[c] = 1;
for (let c = 48; c <= 57; c++) RAW_WORD[c] = 1;

const ENCODER = new TextEncoder();

/** ASCII whitespace: ends any word, and lower-casing reads no context across it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export class TermTable {
  /** Term text by id. */
  readonly terms: string[] = [];
  /** Term id by text (for lookups that have a string anyway). */
  readonly ids = new Map<string, number>();
  /**
   * The hash table: per slot, four integers — term id + 1 (0: empty), the term's hash, length and
   * start in {@link chars} — so that a probe reads one place rather than four arrays. Open
   * addressing, linear probing, load ≤ 1/2.
   */
  private slots = new Int32Array(4 << 12);
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

  /** The text {@link collectText} is reading, as UTF-8. */
  private bytes = new Uint8Array(4096);
  /** Word position after the last {@link scanFolded}. */
  private scanPosition = 0;

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
    const mask = (slots.length >> 2) - 1;
    const chars = this.chars;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const base = slot << 2;
      const entry = slots[base];
      if (entry === 0) break;
      const id = entry - 1;
      if (slots[base + 1] !== h || slots[base + 2] !== length) continue;
      let at = slots[base + 3];
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
    if ((id + 1) * 2 > this.slots.length >> 2) this.rehash((this.slots.length >> 2) * 2);
    this.place(id);
    return id;
  }

  private place(id: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = this.hashes[id] & mask;
    while (slots[slot << 2] !== 0) slot = (slot + 1) & mask;
    const base = slot << 2;
    slots[base] = id + 1;
    slots[base + 1] = this.hashes[id];
    slots[base + 2] = this.lengths[id];
    slots[base + 3] = this.starts[id];
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(4 * capacity);
    for (let id = 0; id < this.terms.length; id++) if (id < this.hashes.length && this.terms[id] !== undefined) this.place(id);
  }

  /**
   * Writes the term ids of already-folded text to {@link out} and returns how many: the same
   * terms, in the same order, as `terms` in text.ts, stopwords left out. One pass: each word is
   * hashed while it is scanned (its compact form too, for joined words).
   */
  collect(folded: string): number {
    return this.scanFolded(folded, 0, 0);
  }

  /** Makes {@link out} and {@link positions} hold at least `size` entries, keeping the first `keep`. */
  private reserveOut(size: number, keep: number): void {
    if (this.out.length >= size) return;
    const out = new Int32Array(Math.max(size, this.out.length * 2));
    const positions = new Int32Array(out.length);
    out.set(this.out.subarray(0, keep));
    positions.set(this.positions.subarray(0, keep));
    this.out = out;
    this.positions = positions;
  }

  /**
   * {@link collect}, continuing after `k` ids already written and `position` words already counted
   * (so that a text can be read in pieces cut at whitespace). The next word position is left in
   * {@link scanPosition}.
   */
  private scanFolded(folded: string, k: number, position: number): number {
    const n = folded.length;
    this.reserveOut(k + n + 1, k);
    const out = this.out;
    const positions = this.positions;
    const firstTerm = this.stopwordCount;
    let i = 0;
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
    this.scanPosition = position;
    return k;
  }

  /**
   * {@link collect} of `foldText(text)`: the same ids and positions, and the same new terms in the
   * same order, without folding the text first. The text is copied into bytes (UTF-8, natively) and
   * its ASCII words read there, lower-cased on the fly: no lower-case copy of every field. Folding
   * is done only for the pieces of text, between whitespace, that hold a non-ASCII character.
   * Cutting at whitespace is exact: whitespace ends any word, and lower-casing never looks across
   * it (the only context it reads, for a final sigma, stops at a character that is neither cased
   * nor case-ignorable).
   */
  collectText(text: string): number {
    const length = text.length;
    if (this.bytes.length < 3 * length) this.bytes = new Uint8Array(Math.max(3 * length, this.bytes.length * 2));
    const n = ENCODER.encodeInto(text, this.bytes).written;
    this.reserveOut(length + 1, 0);
    const bytes = this.bytes;
    const firstTerm = this.stopwordCount;
    let out = this.out;
    let positions = this.positions;
    let k = 0;
    let i = 0;
    let position = 0;
    // Bytes before `i` minus UTF-16 units before `i` (non-ASCII characters take more bytes).
    let delta = 0;
    // Where the piece of text being read began (just after whitespace), and the counts there.
    let pieceStart = 0;
    let pieceK = 0;
    let piecePosition = 0;
    while (i < n) {
      const b = bytes[i];
      if (RAW_WORD[b] === 0) {
        if (b < 128) {
          i++;
          if (b === 32 || (b >= 9 && b <= 13)) {
            pieceStart = i;
            pieceK = k;
            piecePosition = position;
          }
          continue;
        }
      } else {
        // An ASCII word: read it here unless a non-ASCII character touches it (then the piece is
        // folded and read as text, below).
        const start = i;
        const firstPosition = position;
        let partStart = i;
        let joined = false;
        let hCompact = FNV_OFFSET;
        let compactLength = 0;
        let ascii = true;
        for (;;) {
          let h = FNV_OFFSET;
          while (i < n) {
            const c = bytes[i];
            if (RAW_WORD[c] === 0) break;
            h = Math.imul(h ^ (c | 32), FNV_PRIME);
            i++;
          }
          if (i < n && (bytes[i] >= 128 || (isJoiner(bytes[i]) && i + 1 < n && bytes[i + 1] >= 128))) {
            ascii = false;
            break;
          }
          // The compact form's hash runs on over every part (joiners skipped); the first part's is h.
          if (joined) for (let j = partStart; j < i; j++) hCompact = Math.imul(hCompact ^ (bytes[j] | 32), FNV_PRIME);
          else hCompact = h;
          const len = i - partStart;
          compactLength += len;
          const continues = i + 1 < n && isJoiner(bytes[i]) && RAW_WORD[bytes[i + 1]] === 1;
          if (len >= 2 && len <= MAX_TERM_LENGTH) {
            const id = this.lookupAscii(bytes, partStart, i, h, len, false);
            if (id >= firstTerm) {
              positions[k] = position;
              out[k++] = id;
            }
            position++;
          }
          if (!continues) {
            if (joined && compactLength >= 2 && compactLength <= MAX_TERM_LENGTH) {
              positions[k] = firstPosition;
              out[k++] = this.lookupAscii(bytes, start, i, hCompact, compactLength, true);
            }
            break;
          }
          joined = true;
          i++;
          partStart = i;
        }
        if (ascii) continue;
      }
      // A non-ASCII character: the piece of text from the last whitespace to the next is folded
      // and read as text, from the counts it began with (what was read of it here is read again;
      // nothing read here can differ, as no word touching the character was read).
      let end = i;
      while (end < n && !isSpace(bytes[end])) end++;
      const from = pieceStart - delta;
      let to = from;
      while (to < length && !isSpace(text.charCodeAt(to))) to++;
      k = this.scanFolded(foldText(text.slice(from, to)), pieceK, piecePosition);
      position = this.scanPosition;
      this.reserveOut(k + (length - to) + 1, k);
      out = this.out;
      positions = this.positions;
      i = end;
      delta = end - to;
      pieceStart = end;
      pieceK = k;
      piecePosition = position;
    }
    return k;
  }

  /** {@link lookup} of `bytes[start, end)`, lower-cased (joiners skipped when `compact`). */
  private lookupAscii(bytes: Uint8Array, start: number, end: number, h: number, length: number, compact: boolean): number {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    const chars = this.chars;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const base = slot << 2;
      const entry = slots[base];
      if (entry === 0) break;
      const id = entry - 1;
      if (slots[base + 1] !== h || slots[base + 2] !== length) continue;
      let at = slots[base + 3];
      let i = start;
      if (compact) {
        for (; i < end; i++) {
          const c = bytes[i];
          if (isJoiner(c)) continue;
          if (chars[at++] !== (c | 32)) break;
        }
      } else {
        while (i < end && chars[at] === (bytes[i] | 32)) {
          i++;
          at++;
        }
      }
      if (i === end) return id;
    }
    return this.insertAscii(bytes, start, end, h, compact);
  }

  private insertAscii(bytes: Uint8Array, start: number, end: number, h: number, compact: boolean): number {
    const codes: number[] = [];
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (!(compact && isJoiner(c))) codes.push(c | 32);
    }
    return this.insert(String.fromCharCode(...codes), h);
  }

}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}
