/**
 * A fast structural pre-scan of BibTeX text, in front of @retorquere/bibtex-parser.
 *
 * It finds where each entry starts and ends (with its line), so that a broken entry is reported at
 * its own line and cannot swallow the entries after it, and so that a large file can be converted
 * entry by entry with yields in between. It also splits an entry into raw fields, which lets the
 * importer hand the library only the fields PaperLens shows (see bibtexImport.ts for why).
 *
 * The grammar mirrors the library's own "verbatim" parser: `@type{key, name = value, …}` or with
 * parentheses; values are `{…}` (nested braces, `\` escapes), `"…"`, numbers or @string macro
 * names, joined with `#`; `%` starts a comment between fields. Recovery: inside an unclosed entry,
 * a line that starts with `@type{` begins the next entry.
 */

/** Kinds of top-level blocks. */
export type ChunkKind = 'entry' | 'string' | 'comment' | 'preamble';

/** One top-level block of a BibTeX file. Offsets index the whole file's text. */
export interface BibChunk {
  kind: ChunkKind;
  /** The directive, lower-cased: `article`, `inproceedings`, `string`… */
  type: string;
  start: number;
  end: number;
  /** True when the block was still open where the next entry (or the file) began. */
  cut: boolean;
}

import { afterLineBreak, lineEnd, nextLineBreak } from '../text/lineIndex';

/** Line numbers of a text (`\r\n`, `\n` and `\r` alike); re-exported for the importers. */
export { LineIndex } from '../text/lineIndex';

const HEAD = /@[ \t]*([A-Za-z][A-Za-z0-9_:-]*)[ \t\r\n]*([{(])?/y;
const NEXT_ENTRY_LINE = /[ \t]*@[ \t]*[A-Za-z][A-Za-z0-9_:-]*[ \t]*[{(]/y;

function kindOf(type: string): ChunkKind {
  return type === 'string' || type === 'comment' || type === 'preamble' ? type : 'entry';
}

/**
 * The top-level blocks of `text`, in order. Text outside blocks is a comment in BibTeX and is
 * skipped, as is an `@` that does not start a block (an e-mail address in a comment).
 */
export function* bibChunks(text: string): Generator<BibChunk> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const at = text.indexOf('@', i);
    if (at === -1) return;
    // A `%` earlier on the same line (and after the previous block) comments the `@` out, as in
    // the library. Scanning back only to `i` keeps the whole pass linear.
    if (commentedOut(text, i, at)) {
      const eol = nextLineBreak(text, at);
      i = eol === -1 ? n : afterLineBreak(text, eol);
      continue;
    }
    HEAD.lastIndex = at;
    const m = HEAD.exec(text);
    if (!m) {
      i = at + 1;
      continue;
    }
    const type = m[1].toLowerCase();
    const kind = kindOf(type);
    const opener = m[2];
    const bodyStart = at + m[0].length;
    if (!opener) {
      // `@comment` without braces runs to the end of its line. Any other block without a brace is
      // malformed when it starts a line (reported by the importer, up to the next block); in the
      // middle of a line it is free text such as an e-mail address.
      if (kind !== 'comment' && !atLineStart(text, at)) {
        i = at + 1;
        continue;
      }
      const end = kind === 'comment' ? lineEnd(text, at) : nextEntryStart(text, at + 1);
      yield { kind, type, start: at, end, cut: kind !== 'comment' };
      i = end;
      continue;
    }
    if (kind === 'comment') {
      const close = matchingBrace(text, bodyStart, opener === '(' ? ')' : '}', false);
      if (close < 0) {
        // An unclosed comment block: treat it as a one-line comment rather than hide the rest.
        i = lineEnd(text, at);
        continue;
      }
      yield { kind, type, start: at, end: close + 1, cut: false };
      i = close + 1;
      continue;
    }
    const close = matchingBrace(text, bodyStart, opener === '(' ? ')' : '}', true);
    if (close >= 0) {
      yield { kind, type, start: at, end: close + 1, cut: false };
      i = close + 1;
    } else {
      const end = -close - 1;
      yield { kind, type, start: at, end, cut: true };
      i = end;
    }
  }
}

function atLineStart(text: string, at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const c = text[k];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

function commentedOut(text: string, from: number, at: number): boolean {
  for (let k = at - 1; k >= from; k--) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return false;
    if (c === 37) return true;
  }
  return false;
}

/** Start of the next line that begins a block after `from`, or the end of the text. */
function nextEntryStart(text: string, from: number): number {
  for (let k = nextLineBreak(text, from); k !== -1; k = nextLineBreak(text, k + 1)) {
    NEXT_ENTRY_LINE.lastIndex = afterLineBreak(text, k);
    if (NEXT_ENTRY_LINE.test(text)) return k;
  }
  return text.length;
}

/**
 * Finds the closer of a block whose body starts at `from`. Returns its index, or, when the block is
 * not closed, `-(end + 1)` where `end` is where recovery cut it (`recover`: at a line that starts a
 * new block) or the end of the text.
 */
function matchingBrace(text: string, from: number, closer: '}' | ')', recover: boolean): number {
  let depth = 0;
  let inQuote = false;
  const n = text.length;
  for (let k = from; k < n; k++) {
    const c = text.charCodeAt(k);
    switch (c) {
      case 92: // backslash: the next character is escaped
        k++;
        break;
      case 123: // {
        depth++;
        break;
      case 125: // }
        if (depth === 0 && closer === '}') return k;
        depth--;
        break;
      case 34: // "
        if (depth === 0 && closer === ')') inQuote = !inQuote;
        break;
      case 41: // )
        if (depth === 0 && !inQuote && closer === ')') return k;
        break;
      case 10: // \n
      case 13: // \r (a line end on its own in old Mac files; before \n, the \n's turn decides)
        if (recover && !(c === 13 && text.charCodeAt(k + 1) === 10)) {
          NEXT_ENTRY_LINE.lastIndex = k + 1;
          if (NEXT_ENTRY_LINE.test(text)) return -(k + 1);
        }
        break;
    }
  }
  return -(n + 1);
}

/** One piece of a field value: `{…}`, `"…"`, a number or a macro name. */
export interface ValuePart {
  kind: 'braced' | 'quoted' | 'number' | 'macro';
  /** Inner text (without the delimiters) or the macro name. */
  text: string;
}

export interface RawField {
  /** Lower-cased field name. */
  name: string;
  /** The value expression as written (delimiters, `#` and macro names included). */
  expr: string;
  parts: ValuePart[];
  /** Offset of the field name in the file text. */
  offset: number;
}

export interface RawEntry {
  type: string;
  key: string;
  fields: RawField[];
  /** Fields given twice (the first value is kept), with the offset of the repeat. */
  duplicates: { name: string; offset: number }[];
}

/** A structural problem, at an offset in the file text. */
export interface ScanError {
  offset: number;
  message: string;
}

const NAME_CHAR = /[A-Za-z0-9_:.+\-\p{L}]/u;
/** Characters that end a citation key: BibTeX keys cannot hold them, and `{`/`@` start the next entry in a broken file. */
const KEY_STOP = new Set([',', '}', ')', '=', ' ', '\t', '\r', '\n', '{', '(', '"', '@']);

/**
 * Splits a block into its key and raw fields. For `@string` blocks the key is empty and the fields
 * are the macro definitions. Never throws; a malformed block gives a {@link ScanError}.
 */
export function scanFields(text: string, chunk: BibChunk): { entry: RawEntry } | { error: ScanError } {
  const end = chunk.end;
  let i = chunk.start;
  const ws = () => {
    while (i < end) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else if (c === '%') {
        const eol = nextLineBreak(text, i);
        i = eol === -1 || eol >= end ? end : eol + 1;
      } else break;
    }
  };
  HEAD.lastIndex = i;
  const head = HEAD.exec(text);
  const label = chunk.kind === 'string' ? '@string' : `@${chunk.type}`;
  if (!head || !head[2]) return { error: { offset: chunk.start, message: `“${label}” must be followed by “{”.` } };
  const closer = head[2] === '(' ? ')' : '}';
  i = chunk.start + head[0].length;
  const entry: RawEntry = { type: chunk.type, key: '', fields: [], duplicates: [] };
  const seen = new Set<string>();
  const where = () => (entry.key ? `Entry “${excerpt(entry.key)}”` : `This ${label} entry`);

  ws();
  if (chunk.kind === 'entry') {
    const keyStart = i;
    while (i < end && !KEY_STOP.has(text[i])) i++;
    const key = text.slice(keyStart, i);
    const afterKey = i;
    ws();
    if (text[i] === '=') {
      // No key: the first thing is already a field (the library accepts this too).
      i = keyStart;
    } else {
      entry.key = key;
      if (text[i] === ',') i++;
      else if (i < end && text[i] !== closer) {
        return { error: { offset: afterKey, message: `${where()}: expected “,” after the citation key, found “${clip(text.slice(i, Math.min(end, i + 20)))}”.` } };
      }
    }
  }

  for (;;) {
    ws();
    if (i >= end) return { error: { offset: chunk.start, message: `${where()} is not closed: a “${closer}” is missing${chunk.cut ? ' before the next entry starts' : ' at the end of the file'}.` } };
    if (text[i] === closer) break;
    const nameStart = i;
    while (i < end && NAME_CHAR.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    if (!name) return { error: { offset: i, message: `${where()}: unexpected “${clip(text.slice(i, Math.min(end, i + 20)))}” where a field name should be.` } };
    ws();
    if (text[i] !== '=') return { error: { offset: nameStart, message: `${where()}: field “${name}” has no “=”.` } };
    i++;
    ws();
    const valueStart = i;
    const parts: ValuePart[] = [];
    for (;;) {
      const c = text[i];
      if (c === '{') {
        const close = closeBrace(text, i + 1, end);
        if (close === -1) return { error: { offset: nameStart, message: `${where()}: the “{” that opens the value of “${name}” is never closed.` } };
        parts.push({ kind: 'braced', text: text.slice(i + 1, close) });
        i = close + 1;
      } else if (c === '"') {
        const close = closeQuote(text, i + 1, end);
        if (close === -1) return { error: { offset: nameStart, message: `${where()}: the quote that opens the value of “${name}” is never closed.` } };
        parts.push({ kind: 'quoted', text: text.slice(i + 1, close) });
        i = close + 1;
      } else if (c !== undefined && i < end && /[A-Za-z0-9]/.test(c)) {
        const s = i;
        while (i < end && /[A-Za-z0-9_:.+\-]/.test(text[i])) i++;
        const word = text.slice(s, i);
        parts.push({ kind: /^\d+$/.test(word) ? 'number' : 'macro', text: word });
      } else {
        return { error: { offset: nameStart, message: `${where()}: field “${name}” has no value.` } };
      }
      const valueEnd = i;
      ws();
      if (text[i] === '#') {
        i++;
        ws();
        continue;
      }
      const field: RawField = { name, expr: text.slice(valueStart, valueEnd), parts, offset: nameStart };
      if (seen.has(name)) entry.duplicates.push({ name, offset: nameStart });
      else {
        seen.add(name);
        entry.fields.push(field);
      }
      break;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === closer) break;
    if (i >= end) continue; // reported as "not closed" above
    return { error: { offset: i, message: `${where()}: a “,” is missing after the field “${name}” (before “${clip(text.slice(i, Math.min(end, i + 20)))}”).` } };
  }
  return { entry };
}

function closeBrace(text: string, from: number, end: number): number {
  let depth = 0;
  for (let k = from; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 123) depth++;
    else if (c === 125) {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

function closeQuote(text: string, from: number, end: number): number {
  let depth = 0;
  for (let k = from; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (c === 34 && depth <= 0) return k;
  }
  return -1;
}

/** The raw (still LaTeX) text of a value, with macros expanded from `macros` (upper-case names). */
export function resolveValue(parts: readonly ValuePart[], macros: ReadonlyMap<string, string>): string {
  let out = '';
  for (const p of parts) out += p.kind === 'macro' ? macros.get(p.text.toUpperCase()) ?? p.text : p.text;
  return out;
}

/**
 * Splits a field's text where `separator` occurs outside braces (the character after a backslash
 * is skipped), as BibTeX does: `','` splits `Last, First`; `' and '` splits a name list at the
 * word "and" between spaces (any case, any run of spaces).
 */
export function splitTopLevel(s: string, separator: ',' | ' and '): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0) {
      const length = separator === ',' ? (c === ',' ? 1 : 0) : andAt(s, k);
      if (length === 0) continue;
      out.push(s.slice(start, k));
      start = k + length;
      k = start - 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** The length of ` and ` (spaces around a case-insensitive "and") starting at `k`, or 0. */
function andAt(s: string, k: number): number {
  if (!/\s/.test(s[k])) return 0;
  return /^\s+and\s+/i.exec(s.slice(k, k + 40))?.[0].length ?? 0;
}

/**
 * A name or key as quoted in a message: at most 40 characters. A broken file can make a "key" of
 * the rest of the file, and quoting it whole in every message made messages grow with the square
 * of the file.
 */
export function excerpt(s: string, max = 40): string {
  const flat = s.length > max * 4 ? s.slice(0, max * 4) : s;
  const one = flat.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function clip(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 18 ? `${flat.slice(0, 17)}…` : flat;
}
