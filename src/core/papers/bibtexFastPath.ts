/**
 * A fast path in front of @retorquere/bibtex-parser for the fields PaperLens shows.
 *
 * The library parses every value with a full LaTeX grammar, which costs about a millisecond per
 * entry; most entries hold only plain text, case-protecting braces, accents such as `{\"u}` or
 * `\v{S}`, special letters such as `{\O}` and dashes. For those this module gives the library's
 * result directly, in the shape the library returns it (strings, name objects, sorted keywords).
 * Inline math (`$\ell_1$`) is converted by the library one formula at a time, cached, since a
 * formula converts the same wherever it stands.
 *
 * Anything the fast path does not fully understand — an unknown command, an accent on a
 * non-letter, a command followed by a space (which LaTeX swallows), `%`, `&`, `#`, `^`, `_` outside
 * math, crossref, a macro from outside the file, extended name syntax — makes it return undefined,
 * and the entry goes to the library as before. test/unit/userCorpus/fastPath.test.ts proves the two
 * agree on the benchmark's entries, the fixtures and generated entries.
 *
 * Mirrors @retorquere/bibtex-parser 9.0.29 (`BibTeXParser.field`, `parseCreator`, `split`,
 * `reparse`) with `english: false`, `sentenceCase: false`.
 */
import type { RawEntry, RawField } from './bibtexScan';
import { protectAngles } from './latexText';

/** Converts one inline formula (`$…$`, delimiters included) as the library would, or undefined. */
export type MathConverter = (math: string) => string | undefined;

/** The library's field modes, for the fields PaperLens converts. */
type Mode = 'text' | 'verbatim' | 'keywords' | 'creators' | 'list';

const MODES: Record<string, Mode> = {
  url: 'verbatim', doi: 'verbatim', eprint: 'verbatim', pdf: 'verbatim', code: 'verbatim', arxiv: 'verbatim', arxivid: 'verbatim',
  keywords: 'keywords',
  author: 'creators',
  institution: 'list', organization: 'list',
};

/** Accent commands whose combining mark the library appends to a one-letter argument. */
const ACCENT_SYMBOLS: Record<string, string> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
};
const ACCENT_LETTERS: Record<string, string> = {
  u: '\u0306', r: '\u030A', H: '\u030B', v: '\u030C', d: '\u0323', c: '\u0327', k: '\u0328',
};

/** Commands that stand for one letter. */
const LETTERS: Record<string, string> = {
  O: 'Ø', o: 'ø', ss: 'ß', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};

const MONTHS: Record<string, string> = {
  jan: '1', january: '1', feb: '2', february: '2', mar: '3', march: '3', apr: '4', april: '4', may: '5',
  jun: '6', june: '6', jul: '7', july: '7', aug: '8', august: '8', sep: '9', september: '9',
  oct: '10', october: '10', nov: '11', november: '11', dec: '12', december: '12',
};

/** Characters that stand for themselves in the library's text mode. */
const PLAIN = /[\p{L}\p{M}\p{N} .,:;()/+*=[\]!?@"|\uE000\uE001\u2013\u2014\u2018\u2019\u201C\u201D\u2026]/u;
const ASCII_LETTER = /[A-Za-z]/;
const PARAGRAPH = /[\r\n][ \t]*[\r\n]/;

/** Thrown inside the fast path when the library is needed; caught at the top. */
class NeedsLibrary extends Error {}
const needsLibrary = new NeedsLibrary();
function bail(): never {
  throw needsLibrary;
}

/**
 * The fields the library would return for `raw`, for the fields `converts` accepts, or undefined
 * when the entry needs the library.
 */
export function fastFields(
  raw: RawEntry,
  macros: ReadonlyMap<string, string>,
  converts: (f: RawField) => boolean,
  math: MathConverter,
): Record<string, unknown> | undefined {
  // The library finds the entry by its key in its own parse of the entry's text.
  if (!/^[A-Za-z0-9_:.+/-]+$/.test(raw.key)) return undefined;
  try {
    const out: Record<string, unknown> = {};
    for (const f of raw.fields) {
      if (!converts(f)) continue;
      if (f.name === 'crossref') return undefined;
      const value = fieldValue(f, macros);
      if (!value.trim()) continue; // the library skips empty fields
      const mode = MODES[f.name] ?? 'text';
      // Two line breaks (`\r` and `\n` each count) make a paragraph break: one space in text, but
      // not white space where the library splits names and lists.
      if (mode !== 'text' && PARAGRAPH.test(value)) return undefined;
      switch (mode) {
        case 'verbatim':
          out[f.name] = verbatim(value).trim();
          break;
        case 'keywords':
          out.keywords = keywords(value);
          break;
        case 'creators':
          out.author = creators(value);
          break;
        case 'list':
          out[f.name] = andSplit(value).map((item) => text(item, math).trim());
          break;
        case 'text': {
          let s = text(value, math).trim();
          // The library's number and month handling (`stringField`, `reparse`).
          if ((f.name === 'year' || f.name === 'month') && /^-?\d+$/.test(s)) s = `${parseInt(s, 10)}`;
          if (f.name === 'month') s = MONTHS[s.toLowerCase()] ?? s;
          out[f.name] = s;
          break;
        }
      }
    }
    return out;
  } catch (err) {
    if (err === needsLibrary) return undefined;
    throw err;
  }
}

/** The raw value as the library sees it: macros expanded, angle brackets protected (see dietText). */
function fieldValue(f: RawField, macros: ReadonlyMap<string, string>): string {
  let value = '';
  for (const p of f.parts) {
    if (p.kind === 'macro') {
      const m = macros.get(p.text.toUpperCase());
      // An undefined or empty macro falls back to the library's own (month names); `<` in a macro
      // is not protected from the library.
      if (!m || /[<>]/.test(m)) bail();
      value += m;
    } else value += protectAngles(p.text);
  }
  // Control characters; a command followed by white space, which LaTeX swallows (and with it the
  // word boundary that splits names).
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\\[A-Za-z]+[ \t\r\n]/.test(value)) bail();
  return value;
}

/** A verbatim field: printed as written, runs of white space as one space. */
function verbatim(value: string): string {
  if (/[\\{}%$]/.test(value)) bail();
  return value.replace(/[ \t\r\n]+/g, ' ');
}

/** `keywords`: split on `,` and `;`, trimmed, de-duplicated, sorted without regard to case. */
function keywords(value: string): string[] {
  const list = verbatim(value).split(/\s*[,;]\s*/).map((k) => k.trim()).filter((k) => k);
  return [...new Set(list)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

/** A top-level unit of a value: a run of white space, or the text between two such runs. */
interface Unit {
  space: boolean;
  text: string;
}

/** Splits at white space outside braces. Braces must balance; math is refused (a formula is one unit to the library). */
function units(value: string): Unit[] {
  const out: Unit[] = [];
  let depth = 0;
  let start = 0;
  let space = false;
  for (let k = 0; k < value.length; k++) {
    const c = value[k];
    const ws = depth === 0 && (c === ' ' || c === '\t' || c === '\n' || c === '\r');
    if (k === 0) space = ws;
    else if (ws !== space) {
      out.push({ space, text: value.slice(start, k) });
      start = k;
      space = ws;
    }
    if (c === '\\') k++; // an escaped character is never white space or a brace
    else if (c === '$') bail();
    else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) bail();
  }
  if (depth !== 0) bail();
  if (value.length) out.push({ space, text: value.slice(start) });
  return out;
}

/**
 * The library's `split` on the word `and` (any case) between spaces: the separator pattern
 * `(^& | & | &$)` over one character per unit, as in the library.
 */
function andSplitUnits(list: Unit[]): Unit[][] {
  const types = list.map((u) => (u.space ? ' ' : /^and$/i.test(u.text) ? '&' : '.')).join('');
  const roots: Unit[][] = [];
  let at = 0;
  types.split(/(^& | & | &$)/).forEach((match, i) => {
    const content = list.slice(at, at + match.length);
    at += match.length;
    if (i % 2 === 0) roots.push(content);
  });
  return roots;
}

function andSplit(value: string): string[] {
  return andSplitUnits(units(value)).map((root) => root.map((u) => u.text).join(''));
}

/** Name objects as the library's `parseCreator` makes them. */
function creators(value: string): Readonly<Record<string, string>>[] {
  if (value.includes('=')) bail(); // biblatex's extended name format (`family=…, given=…`)
  const out: Readonly<Record<string, string>>[] = [];
  for (const root of andSplitUnits(units(value))) {
    const raw = root.map((u) => u.text).join('');
    // The same names recur all through a bibliography: each is converted once (read-only objects).
    const known = creatorCache.get(raw);
    if (known !== undefined) {
      if (known) out.push(known);
      continue;
    }
    const commaParts = splitTopLevelCommas(raw);
    let creator: Record<string, string | undefined>;
    if (commaParts.length > 1) {
      const parts = commaParts.map((p) => text(p, noMath).trim());
      if (parts.length === 3 && parts[2] === '') parts.pop();
      if (parts.length > 3) bail(); // the library reports these
      let [lastName, suffix, firstName] = parts.length === 2 ? [parts[0], undefined, parts[1]] : parts;
      let prefix: string | undefined;
      const m = /^([a-z'. ]+) (.+)/.exec(lastName);
      if (m) {
        prefix = m[1];
        lastName = m[2];
      }
      creator = { lastName, firstName, prefix, suffix };
    } else {
      const parts = root.filter((u) => !u.space).map((u) => text(u.text, noMath)).filter((n) => n);
      if (parts.length === 1) creator = { lastName: parts[0] };
      else {
        const prefix = parts.findIndex((n) => /^[a-z]/.test(n));
        const postfix = prefix <= 0 ? -1 : parts.findIndex((n, i) => i > prefix && !/^[a-z]/.test(n));
        if (postfix === -1) {
          const lastName = parts.pop();
          creator = { lastName, firstName: parts.join(' ') };
        } else {
          creator = { firstName: parts.slice(0, prefix).join(' '), prefix: parts.slice(prefix, postfix).join(' '), lastName: parts.slice(postfix).join(' ') };
        }
      }
    }
    // The library's `trimCreator`: strings trimmed, empty ones dropped; empty names dropped.
    const trimmed: Record<string, string> = {};
    for (const [k, v] of Object.entries(creator)) if (typeof v === 'string' && v.trim()) trimmed[k] = v.trim();
    const made = Object.keys(trimmed).length ? Object.freeze(trimmed) : null;
    if (creatorCache.size >= CREATOR_CACHE_MAX) creatorCache.clear();
    creatorCache.set(raw, made);
    if (made) out.push(made);
  }
  return out;
}

/** Name objects by the name's source text (null: the name is empty); shared by all imports. */
const creatorCache = new Map<string, Readonly<Record<string, string>> | null>();
const CREATOR_CACHE_MAX = 20_000;

function splitTopLevelCommas(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, k));
      start = k + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const noMath: MathConverter = () => bail();

/**
 * Text-mode LaTeX to text, as the library's `stringify` gives it (before trimming): groups
 * dissolve, white space runs become one space, `~` a no-break space, `--`/`---` and quote
 * ligatures their characters, accents combining marks after their letter.
 */
function text(s: string, math: MathConverter): string {
  let out = '';
  let depth = 0;
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s[i];
    switch (c) {
      case '{':
        depth++;
        i++;
        continue;
      case '}':
        if (--depth < 0) bail();
        i++;
        continue;
      case ' ': case '\t': case '\n': case '\r': {
        let j = i + 1;
        while (j < n && (s[j] === ' ' || s[j] === '\t' || s[j] === '\n' || s[j] === '\r')) j++;
        out += ' ';
        i = j;
        continue;
      }
      case '~':
        out += '\u00A0';
        i++;
        continue;
      case '-':
        if (s[i + 1] === '-') {
          if (s[i + 2] === '-') {
            out += '\u2014';
            i += 3;
          } else {
            out += '\u2013';
            i += 2;
          }
        } else {
          out += '-';
          i++;
        }
        continue;
      case '`':
      case "'":
        if (s[i + 1] === c) {
          out += c === '`' ? '\u201C' : '\u201D';
          i += 2;
        } else {
          out += c;
          i++;
        }
        continue;
      case '$': {
        const close = mathEnd(s, i);
        const converted = math(s.slice(i, close + 1));
        if (converted === undefined) bail();
        out += converted;
        i = close + 1;
        continue;
      }
      case '\\': {
        const { text: t, end } = command(s, i);
        out += t;
        i = end;
        continue;
      }
      default:
        if (!PLAIN.test(c)) bail();
        out += c;
        i++;
    }
  }
  if (depth !== 0) bail();
  return out;
}

/** Index of the `$` that closes the inline formula opening at `at`; only simple formulas. */
function mathEnd(s: string, at: number): number {
  if (s[at + 1] === '$') bail(); // display math
  let depth = 0;
  for (let k = at + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') {
      if (/^\\(?:newcommand|ProvideTextCommandDefault|def)(?![A-Za-z])/.test(s.slice(k, k + 30))) bail();
      k++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (--depth < 0) bail();
    } else if (c === '%' || c === '\n' || c === '\r') bail();
    else if (c === '$') {
      if (depth !== 0 || k === at + 1) bail();
      return k;
    }
  }
  return bail();
}

/** One command at `at` (a backslash): its text and where the text after it starts. */
function command(s: string, at: number): { text: string; end: number } {
  const next = s[at + 1];
  if (next === undefined) bail();
  const symbolAccent = ACCENT_SYMBOLS[next];
  if (symbolAccent !== undefined) {
    // `\"u` (the first letter of the next word) or `\"{u}`.
    const arg = s[at + 2];
    if (arg !== undefined && ASCII_LETTER.test(arg)) return { text: arg + symbolAccent, end: at + 3 };
    if (arg === '{' && ASCII_LETTER.test(s[at + 3] ?? '') && s[at + 4] === '}') return { text: s[at + 3] + symbolAccent, end: at + 5 };
    bail();
  }
  if ('&%$#_{}'.includes(next)) return { text: next, end: at + 2 };
  if (!ASCII_LETTER.test(next)) bail();
  let j = at + 1;
  while (j < s.length && ASCII_LETTER.test(s[j])) j++;
  const name = s.slice(at + 1, j);
  const letterAccent = ACCENT_LETTERS[name];
  if (letterAccent !== undefined) {
    if (s[j] === '{' && ASCII_LETTER.test(s[j + 1] ?? '') && s[j + 2] === '}') return { text: s[j + 1] + letterAccent, end: j + 3 };
    bail();
  }
  const letter = LETTERS[name];
  if (letter === undefined) bail();
  // The library drops the space after a command name; that changes how names split, so leave it.
  const after = s[j];
  if (after === ' ' || after === '\t' || after === '\n' || after === '\r') bail();
  return { text: letter, end: s.startsWith('{}', j) ? j + 2 : j };
}
