/**
 * A fast path in front of @retorquere/bibtex-parser for the fields PaperLens shows.
 *
 * The library parses every value with a full LaTeX grammar, which costs about a millisecond per
 * entry. Most of what bibliographies hold this module converts itself, with the library's result
 * in the shape the library returns it (strings, name objects, sorted keywords): plain text,
 * case-protecting braces, accents (`{\"u}`, `\v{S}`, `{\'\i}`), special letters (`{\O}`), dashes
 * and quotes, `\&`-style escapes, formatting (`\emph{…}`, `\textbf{…}`, `{\em …}`, nested as the
 * library nests it, as its `<i>`/`<b>` markup), `\url{…}`, `\LaTeX`, the space LaTeX swallows after
 * a command name, the library's own @string macros (`jan`) and crossref (the importer adds what
 * the parent gives).
 *
 * What it does not know is converted by the library one piece at a time, through converters the
 * importer passes in: a formula (`$\ell_1$`, `$$x$$`), a command with the arguments the library
 * gives it (`\foo{x}`, `\bar{x}`), a top-level group (`{\bf …}`). A piece converts the same
 * wherever it stands, so the importer caches pieces and converts many in one library call.
 * Anything else — a comment (`%`), markup the library would merge differently
 * (small capitals, two `\enquote`s in a row), a command followed by a space in a name, extended
 * name syntax, a macro from outside the file — leaves its field to the library (the importer has
 * it convert only that field), or without that option the whole entry.
 * test/unit/userCorpus/fastPath.test.ts proves the two agree on the benchmark's entries, realistic
 * generated files, the fixtures and generated entries; bench/bibtexFastPathReport.ts tells why
 * entries of a file are left to the library.
 *
 * The LaTeX-to-text conversion itself is in `bibtexFastText.ts`.
 *
 * Mirrors @retorquere/bibtex-parser 9.0.29 (`BibTeXParser.field`, `parseCreator`, `split`,
 * `reparse`, `restoreMarkup`) with `english: false`, `sentenceCase: false`.
 */
import { splitTopLevel, type RawEntry, type RawField } from './bibtexScan';
import { bail, needsTheLibrary, PARAGRAPH, refuse, table, text, type MathConverter } from './bibtexFastText';
import { protectAngles } from './latexText';

export { lastRefusal, type MathConverter } from './bibtexFastText';


/**
 * Converts one command with its arguments (`\foo{x}`, `\bar{x}`, `\\`), as the library would in
 * the named field, or undefined.
 */
export type FragmentConverter = (field: string, tex: string) => string | undefined;

/** What else {@link fastFields} may use. */
export interface FastOptions {
  /**
   * When given, a field the fast path does not understand is added here and the others are still
   * converted (the library converts each field on its own, so the caller can have it convert only
   * these); without it, such a field makes the whole entry undefined.
   */
  left?: RawField[];
  /** Converts a command the fast path does not know, with its arguments; without it, such a field needs the library. */
  fragment?: FragmentConverter;
}

/** The library's field modes, for the fields PaperLens converts. */
type Mode = 'text' | 'verbatim' | 'keywords' | 'creators' | 'list';

const MODES: Record<string, Mode> = {
  url: 'verbatim', doi: 'verbatim', eprint: 'verbatim', pdf: 'verbatim', code: 'verbatim', arxiv: 'verbatim', arxivid: 'verbatim',
  keywords: 'keywords',
  author: 'creators',
  institution: 'list', organization: 'list',
};

const MONTHS: Record<string, string> = {
  jan: '1', january: '1', feb: '2', february: '2', mar: '3', march: '3', apr: '4', april: '4', may: '5',
  jun: '6', june: '6', jul: '7', july: '7', aug: '8', august: '8', sep: '9', september: '9',
  oct: '10', october: '10', nov: '11', november: '11', dec: '12', december: '12',
};

/**
 * The library's own @string macros (`default_strings` in its verbatim.js, 9.0.29): month names as
 * two-digit numbers and some journal names; a file's @string of the same name takes precedence.
 */
const LIBRARY_STRINGS: Record<string, string> = table({
  JAN: '01', JANUARY: '01', FEB: '02', FEBRUARY: '02', MAR: '03', MARCH: '03', APR: '04', APRIL: '04', MAY: '05',
  JUN: '06', JUNE: '06', JUL: '07', JULY: '07', AUG: '08', AUGUST: '08', SEP: '09', SEPTEMBER: '09',
  OCT: '10', OCTOBER: '10', NOV: '11', NOVEMBER: '11', DEC: '12', DECEMBER: '12',
  ACMCS: 'ACM Computing Surveys', ACTA: 'Acta Informatica', CACM: 'Communications of the ACM',
  IBMJRD: 'IBM Journal of Research and Development', IBMSJ: 'IBM Systems Journal', IEEESE: 'IEEE Transactions on Software Engineering',
  IEEETC: 'IEEE Transactions on Computers', IEEETCAD: 'IEEE Transactions on Computer-Aided Design of Integrated Circuits',
  IPL: 'Information Processing Letters', JACM: 'Journal of the ACM', JCSS: 'Journal of Computer and System Sciences',
  SCP: 'Science of Computer Programming', SICOMP: 'SIAM Journal on Computing', TOCS: 'ACM Transactions on Computer Systems',
  TODS: 'ACM Transactions on Database Systems', TOG: 'ACM Transactions on Graphics', TOMS: 'ACM Transactions on Mathematical Software',
  TOOIS: 'ACM Transactions on Office Information Systems', TOPLAS: 'ACM Transactions on Programming Languages and Systems',
  TCS: 'Theoretical Computer Science',
});


/**
 * The fields the library would return for `raw`, for the fields `converts` accepts, or undefined
 * when the entry needs the library.
 */
export function fastFields(
  raw: RawEntry,
  macros: ReadonlyMap<string, string>,
  converts: (f: RawField) => boolean,
  math: MathConverter,
  { left, fragment }: FastOptions = {},
): Record<string, unknown> | undefined {
  // The library finds the entry by its key in its own parse of the entry's text.
  if (!/^[A-Za-z0-9_:.+/-]+$/.test(raw.key)) {
    refuse('citation key');
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const f of raw.fields) {
    if (!converts(f)) continue;
    try {
      convertField(f, macros, math, fragment, out);
    } catch (err) {
      if (!needsTheLibrary(err)) throw err;
      if (!left) return undefined;
      left.push(f);
    }
  }
  return out;
}

/** Converts one field into `out` (under the library's name for it), or bails (`bibtexFastText.ts`). */
function convertField(f: RawField, macros: ReadonlyMap<string, string>, math: MathConverter, fragment: FragmentConverter | undefined, out: Record<string, unknown>): void {
  const value = fieldValue(f, macros);
  if (!value.trim()) return; // the library skips empty fields
  if (f.name === 'crossref') {
    // Verbatim to the library; what the entry inherits is added by the importer (bibtexImport.ts).
    out.crossref = verbatim(value).trim();
    return;
  }
  const mode = MODES[f.name] ?? 'text';
  // Two line breaks (`\r` and `\n` each count) make a paragraph break: one space in text, but
  // not white space where the library splits names and lists.
  if (mode !== 'text' && PARAGRAPH.test(value)) bail('paragraph break in a name or list');
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
      let s = text(value, math, 'text', fragment && ((tex) => fragment(f.name, tex))).trim();
      // The library's number and month handling (`stringField`, `reparse`).
      if ((f.name === 'year' || f.name === 'month') && /^-?\d+$/.test(s)) s = `${parseInt(s, 10)}`;
      if (f.name === 'month') s = MONTHS[s.toLowerCase()] ?? s;
      out[f.name] = s;
      break;
    }
  }
}

/** The raw value as the library sees it: macros expanded, angle brackets protected (see dietText). */
function fieldValue(f: RawField, macros: ReadonlyMap<string, string>): string {
  let value = '';
  for (const p of f.parts) {
    if (p.kind === 'macro') {
      const name = p.text.toUpperCase();
      // An undefined or empty macro falls back to the library's own (month names, some journals);
      // `<` in a macro is not protected from the library.
      const m = macros.get(name) || LIBRARY_STRINGS[name];
      if (!m || /[<>]/.test(m)) bail('macro undefined or holds <>');
      value += m;
    } else value += protectAngles(p.text);
  }
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) bail('control character');
  return value;
}

/** A verbatim field: printed as written, runs of white space as one space. */
function verbatim(value: string): string {
  if (/[\\{}%$]/.test(value)) bail('verbatim field with \\ { } % $');
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
    else if (c === '$') bail('math in a name or list');
    else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) bail('unbalanced braces');
  }
  if (depth !== 0) bail('unbalanced braces');
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

/** A command followed by white space, which LaTeX swallows, and with it the word boundary where names and lists split. */
const SPACED_COMMAND = /\\[A-Za-z]+[ \t\r\n]/;

function andSplit(value: string): string[] {
  if (SPACED_COMMAND.test(value)) bail('command before white space in a list');
  return andSplitUnits(units(value)).map((root) => root.map((u) => u.text).join(''));
}

/** Name objects as the library's `parseCreator` makes them. */
function creators(value: string): Readonly<Record<string, string>>[] {
  if (SPACED_COMMAND.test(value)) bail('command before white space in a name');
  if (value.includes('=')) bail('extended name format'); // biblatex's `family=…, given=…`
  const out: Readonly<Record<string, string>>[] = [];
  for (const root of andSplitUnits(units(value))) {
    const raw = root.map((u) => u.text).join('');
    // The same names recur all through a bibliography: each is converted once (read-only objects).
    const known = creatorCache.get(raw);
    if (known !== undefined) {
      if (known) out.push(known);
      continue;
    }
    const commaParts = splitTopLevel(raw, ',');
    let creator: Record<string, string | undefined>;
    if (commaParts.length > 1) {
      const parts = commaParts.map((p) => text(p, noMath).trim());
      if (parts.length === 3 && parts[2] === '') parts.pop();
      if (parts.length > 3) bail('name with more than 3 parts'); // the library reports these
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

const noMath: MathConverter = () => bail('math in a name');
