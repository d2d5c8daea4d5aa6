/**
 * The BibTeX fast path's LaTeX-to-text conversion (`bibtexFastPath.ts` converts fields with it):
 * text-mode LaTeX as @retorquere/bibtex-parser 9.0.29 renders it (`stringify`, `restoreMarkup`),
 * with `english: false`, `sentenceCase: false` — groups, white space, ligatures, accents, special
 * letters, formatting commands and switches as the library's markup, `\url`, `\LaTeX`, and the
 * pieces only the library converts (formulas, unknown commands, some groups) through converters
 * the importer passes in. Anything it cannot render exactly as the library does makes it `bail`,
 * and the field goes to the library.
 */
/** Converts one inline formula (`$…$`, delimiters included) as the library would, or undefined. */
export type MathConverter = (math: string) => string | undefined;

/** A lookup table without Object.prototype's names (`\\constructor` is a command like any other). */
export function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** Accent commands whose combining mark the library appends to a one-letter argument. */
const ACCENT_SYMBOLS: Record<string, string> = table({
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
});
const ACCENT_LETTERS: Record<string, string> = table({
  u: '\u0306', r: '\u030A', H: '\u030B', v: '\u030C', d: '\u0323', c: '\u0327', k: '\u0328',
});

/** Commands that stand for one letter. */
const LETTERS: Record<string, string> = table({
  O: 'Ø', o: 'ø', ss: 'ß', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
});

/** Characters that stand for themselves in the library's text mode. */
const PLAIN = /[\p{L}\p{M}\p{N} .,:;()/+*=[\]!?@"|&#_^\uE000\uE001\u2013\u2014\u2018\u2019\u201C\u201D\u2026]/u;
const ASCII_LETTER = /[A-Za-z]/;
export const PARAGRAPH = /[\r\n][ \t]*[\r\n]/;

/** Thrown inside the fast path when the library is needed; caught at the top. */
class NeedsLibrary extends Error {}
const needsLibrary = new NeedsLibrary();
/** Why the last refused entry was refused (for the tests and bench/bibtexFastPathReport.ts, never shown to users). */
let refusal = '';
export function bail(why: string): never {
  refusal = why;
  throw needsLibrary;
}

/** Notes why an entry is refused without converting it (a key the library cannot find). */
export function refuse(why: string): void {
  refusal = why;
}

/** True for what {@link bail} throws: the field needs the library. */
export function needsTheLibrary(err: unknown): boolean {
  return err === needsLibrary;
}

/** Why `fastFields` (bibtexFastPath.ts) last returned undefined: a short description of what it met. */
export function lastRefusal(): string {
  return refusal;
}

/**
 * How a value is converted: `text` for a plain field (title, venue), where formatting commands,
 * `\url` and a command's swallowed white space are understood; `strict` for name parts and list
 * items, whose splitting at white space was done before conversion and which keep only letters.
 */
export type TextMode = 'text' | 'strict';

/** The library's markup delimiters (its `restoreMarkup` turns them into `<` and `>`). */
const MO = '\x0E';
const MC = '\x0F';

/** Formatting commands with one argument, and the library's markup tag for each ('' for none). */
const MARKUP_COMMANDS: Record<string, string> = table({
  emph: 'i', textit: 'i', mkbibemph: 'i', textbf: 'b', mkbibbold: 'b', textsc: 'sc', texttt: 'code',
  textup: '', textrm: '', mbox: '', hbox: '',
});
/** Font switches: the rest of the group takes the markup. */
const MARKUP_SWITCHES: Record<string, string> = table({ em: 'i', it: 'i', sl: 'i', sc: 'sc', tt: 'code', rm: '' });
/** Commands whose text holds markup: the library's rendering of `\LaTeX` (its `ncx` wrapper is dropped). */
const MARKED_COMMANDS: Record<string, string> = table({ LaTeX: `L\u1D2CT${MO}sub${MC}E${MO}/sub${MC}X` });
/** A `\url{…}` argument the library prints as written (no comment, escape, group, math or space). */
const URL_ARG = /^[A-Za-z0-9:/.?=&_#~+@!,;*()'-]+$/;

const COMMAND_NAME = /[A-Za-z]+/y;

const WS = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * Text-mode LaTeX to text, as the library's `stringify` gives it (before trimming): groups
 * dissolve, white space runs become one space, `~` a no-break space, `--`/`---` and quote
 * ligatures their characters, accents combining marks after their letter; in `text` mode also
 * `\emph{…}`-style commands and `{\em …}`-style switches as the library's markup (`<i>…</i>`),
 * `\url{…}` as a link, and the white space after a command name dropped, as LaTeX does.
 */
export function text(s: string, math: MathConverter, mode: TextMode = 'strict', fragment?: (tex: string) => string | undefined): string {
  const out = markedText(s, math, mode, fragment);
  return out.includes(MO) ? restoreMarkup(out) : out;
}

/**
 * A piece the library converted alone, in the fast path's markup delimiters so that it merges with
 * the markup around it as in the library; undefined when it holds markup that would not merge the
 * same way (small capitals, which the library has already turned into a `<span>`).
 */
function libraryPiece(tex: string, convert: (tex: string) => string | undefined): string | undefined {
  // A comment (`%`) runs to the end of the line, past the piece's end in its field; a `$` may pair
  // with one outside the piece.
  if (tex.includes('%') || tex.includes('$')) return undefined;
  const converted = convert(tex);
  if (converted === undefined || !converted.includes('<')) return converted;
  return converted.includes('<span') ? undefined : converted.replace(/</g, MO).replace(/>/g, MC);
}

/** {@link text} before the markup is restored (`\x0Ei\x0F…`). */
function markedText(s: string, math: MathConverter, mode: TextMode, fragment: ((tex: string) => string | undefined) | undefined): string {
  let out = '';
  // Quotes from the library's `\enquote` merge when two meet (`“a” “b”` is “a b” there).
  let quotes = false;
  // Top-level groups are converted on their own only where a command could need the library.
  const groupPieces = fragment !== undefined && mode === 'text' && s.includes('\\');
  let depth = 0;
  const n = s.length;
  // The markup in force, innermost last: its tag, the group depth it ends with, whether a switch
  // opened it, and where its opening is in `out`.
  const marks: { tag: string; depth: number; isSwitch: boolean; openAt: number; contentAt: number }[] = [];
  const openMark = (tag: string, at: number, isSwitch: boolean): void => {
    const openAt = out.length;
    if (tag) out += `${MO}${tag}${MC}`;
    marks.push({ tag, depth: at, isSwitch, openAt, contentAt: out.length });
  };
  /** Closes the markup that ends with the group at `at` (all of it at the end of the value). */
  const closeMarks = (at: number): void => {
    while (marks.length && marks[marks.length - 1].depth >= at) {
      const mark = marks.pop()!;
      // The library wraps only text that is not empty.
      if (mark.tag) out = out.length === mark.contentAt ? out.slice(0, mark.openAt) : `${out}${MO}/${mark.tag}${MC}`;
    }
  };
  /** After a command name: LaTeX swallows the white space that follows it (the library too). */
  const afterName = (j: number): number => {
    if (!WS(s[j])) return j;
    if (mode === 'strict') bail('command before white space');
    let k = j;
    while (WS(s[k])) k++;
    if (PARAGRAPH.test(s.slice(j, k))) bail('paragraph break after a command');
    return k;
  };
  for (let i = 0; i < n; ) {
    const c = s[i];
    switch (c) {
      case '{':
        if (groupPieces && depth === 0 && !marks.length) {
          // A top-level group converts the same wherever it stands: the fast path's conversion,
          // or else the library's of the group alone.
          const end = groupEnd(s, i);
          let inner: string | undefined;
          try {
            inner = markedText(s.slice(i + 1, end - 1), math, mode, fragment);
          } catch (err) {
            if (err !== needsLibrary) throw err;
            inner = libraryPiece(s.slice(i, end), fragment);
            if (inner === undefined) bail('group the library reports or marks up');
          }
          quotes ||= /[\u201C\u201D]/.test(inner);
          out += inner;
          i = end;
          continue;
        }
        depth++;
        i++;
        continue;
      case '}':
        if (marks.length) closeMarks(depth);
        if (--depth < 0) bail('unbalanced braces');
        i++;
        continue;
      case ' ': case '\t': case '\n': case '\r': {
        let j = i + 1;
        while (j < n && WS(s[j])) j++;
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
        if (converted === undefined) bail('formula the library reports');
        // The formula's markup (`<sub>`) back in the library's delimiters, to be restored with the rest.
        out += converted.includes('<') ? converted.replace(/</g, MO).replace(/>/g, MC) : converted;
        i = close + 1;
        continue;
      }
      case '\\': {
        COMMAND_NAME.lastIndex = i + 1;
        const name = COMMAND_NAME.exec(s)?.[0];
        if (name !== undefined && mode === 'text') {
          const tag = MARKUP_COMMANDS[name];
          const switchTag = MARKUP_SWITCHES[name];
          if (tag !== undefined) {
            // `\emph{…}`: the argument must be a group (a bare first character is left to the library).
            const j = afterName(i + 1 + name.length);
            if (s[j] !== '{') bail(`\\${name} without a group`);
            depth++;
            openMark(tag, depth, false);
            i = j + 1;
            continue;
          }
          if (switchTag !== undefined) {
            // The rest of the group takes the markup, unless it has it already (the library skips
            // a switch inside the same markup); inside another switch the library nests the two
            // the other way round, so that is left to it.
            if (switchTag && !marks.some((m) => m.tag === switchTag)) {
              if (marks.some((m) => m.isSwitch)) bail('font switch inside another');
              openMark(switchTag, depth, true);
            }
            i = afterName(i + 1 + name.length);
            continue;
          }
          const marked = MARKED_COMMANDS[name];
          if (marked !== undefined) {
            out += marked;
            const j = afterName(i + 1 + name.length);
            i = j === i + 1 + name.length && s.startsWith('{}', j) ? j + 2 : j;
            continue;
          }
          if (name === 'url') {
            const j = afterName(i + 4);
            const close = s.indexOf('}', j);
            const url = s.slice(j + 1, close);
            if (s[j] !== '{' || close < 0 || !URL_ARG.test(url)) bail('\\url with special characters');
            out += `<a href="${url}">${url}</a>`;
            i = close + 1;
            continue;
          }
        }
        if (fragment && mode === 'text' && !known(s, i, name)) {
          // A command the fast path does not know, with the arguments the library gives it: the
          // library converts it alone (the same wherever it stands; see fragmentEnd).
          const end = fragmentEnd(s, i, name);
          const converted = libraryPiece(s.slice(i, end), fragment);
          if (converted === undefined) bail(`command \\${name ?? s[i + 1]} the library reports or marks up`);
          quotes ||= /[\u201C\u201D]/.test(converted);
          out += converted;
          i = name !== undefined && end === i + 1 + name.length ? afterName(end) : end;
          continue;
        }
        const { text: t, end } = command(s, i);
        out += t;
        // `\ss x`: the space after a bare command name is swallowed.
        i = name !== undefined && end === i + 1 + name.length ? afterName(end) : end;
        continue;
      }
      default:
        if (!PLAIN.test(c)) bail(`special character ${c}`);
        out += c;
        i++;
    }
  }
  if (depth !== 0) bail('unbalanced braces');
  closeMarks(0);
  if (quotes && /\u201D\s*\u201C/.test(out)) bail('quotes that the library would merge');
  return out;
}

/** Whether {@link command} converts the command at `at` itself. */
function known(s: string, at: number, name: string | undefined): boolean {
  const next = s[at + 1];
  if (name === undefined) {
    if (next === undefined || '&%$#_{}'.includes(next)) return true;
    if (ACCENT_SYMBOLS[next] === undefined) return false;
    const arg = s[at + 2];
    return (arg !== undefined && ASCII_LETTER.test(arg)) || /^(?:\{[A-Za-z]\}|\\[ij](?![A-Za-z \t\r\n])|\{\\[ij]\})/.test(s.slice(at + 2, at + 7));
  }
  if (ACCENT_LETTERS[name] !== undefined) return /^\{[A-Za-z]\}/.test(s.slice(at + 1 + name.length, at + 4 + name.length));
  return LETTERS[name] !== undefined;
}

/**
 * Commands the library gives arguments to in text mode (`narguments` in its index.js, 9.0.29,
 * and the accents of unicode2latex's `combining.tounicode`, one argument each).
 */
const ARGUMENTS: Record<string, number> = table({
  advance: 1, ElsevierGlyph: 1, bar: 1, bibcyr: 1, bibstring: 1, chsf: 1, cite: 1, citeauthor: 1, cyrchar: 1, ding: 1, emph: 1,
  enquote: 1, frac: 2, hbox: 1, href: 2, hskip: 1, hspace: 1, ht: 1, mathrm: 1, mbox: 1, mkbibbold: 1, mkbibemph: 1,
  mkbibitalic: 1, mkbibquote: 1, newcommand: 2, noopsort: 1, ocirc: 1, overline: 1, ProvideTextCommandDefault: 2, rlap: 1,
  sb: 1, section: 1, sp: 1, subsection: 1, subsubsection: 1, subsubsubsection: 1, t: 1, textbf: 1, textcite: 1, textit: 1,
  textrm: 1, textsc: 1, textsl: 1, textsubscript: 1, textsuperscript: 1, texttt: 1, textup: 1, url: 1, vphantom: 1,
  vspace: 1, wd: 1,
});
for (const accent of ('grave acute widetilde tilde overbar bar wideoverbar overline widebreve breve dot ddot ocirc mathring widecheck check candra droang '
  + 'utilde wideutilde underbar widehat hat ` textgravemacron textgravedot \' ´ textacutemacron textacutewedge textcircumdot ^ ~ texttildedot = u '
  + 'textbrevemacron . textdotacute " r textringmacron H v textvbaraccent textdoublevbaraccent textdoublegrave textdotbreve textsubgrave '
  + 'textadvancing textretracting textcorner textsublhalfring textraising textlowering textsubplus d textsubumlaut textsubring textcommabelow c k '
  + 'textsyllabic textsubbridge textsubwedge textsubarch textsubtilde textsubbar textsuperimposetilde textsubrhalfring textinvsubbridge '
  + 'textsubsquare textseagull textovercross').split(' ')) ARGUMENTS[accent] = 1;

/**
 * Commands whose conversion depends on what surrounds them: font switches (the rest of the group),
 * definitions (the rest of the field), conditionals, verbatim.
 */
const CONTEXTUAL = new Set(['newcommand', 'renewcommand', 'ProvideTextCommandDefault', 'def', 'ifdefined', 'else', 'fi', 'path', 'verb',
  'em', 'it', 'sl', 'bf', 'sc', 'tt', 'rm', 'bfseries', 'itshape', 'scshape', 'ttfamily', 'rmfamily', 'sffamily', 'mdseries', 'upshape', 'normalfont', 'begin', 'end']);

/**
 * The end of the command at `at` and the arguments the library gives it: each argument a group
 * right after the command (a bare character, or white space before the group, is left to the
 * library); refuses commands whose conversion depends on their surroundings.
 */
function fragmentEnd(s: string, at: number, name: string | undefined): number {
  if (name === undefined) {
    // `\\`, `\,`, `\ `, or an accent with a group (`\"{ab}`); not `\(`/`\[` (math) or a line break.
    const c = s[at + 1];
    if (c === undefined || /[\r\n[\]()]/.test(c)) bail('command \\( \\[ or at a line break');
    if (ARGUMENTS[c] === undefined) return at + 2;
    if (s[at + 2] !== '{') bail('accent with a bare argument');
    return groupEnd(s, at + 2);
  }
  // The library looks names up in plain objects, so `\\toString` finds Object.prototype's function.
  if (CONTEXTUAL.has(name) || name in Object.prototype) bail(`command \\${name}`);
  let end = at + 1 + name.length;
  for (let n = ARGUMENTS[name] ?? 0; n > 0; n--) {
    if (s[end] !== '{') bail(`\\${name} without a group`);
    end = groupEnd(s, end);
  }
  return end;
}

/** The index after the group that opens at `at`. */
function groupEnd(s: string, at: number): number {
  let depth = 0;
  for (let k = at; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return k + 1;
  }
  return bail('unbalanced braces');
}

/** The library's `restoreMarkup` for the markup the fast path makes: adjacent equal tags merged, delimiters to `<` `>`. */
function restoreMarkup(s: string): string {
  let prev: string;
  let cur = s;
  do {
    prev = cur;
    cur = cur.replace(/\x0E\/([a-z]+)\x0F(\s*)\x0E\1\x0F/gi, '$2');
  } while (cur !== prev);
  return cur
    .replace(/\x0Esc\x0F/gi, '<span style="font-variant:small-caps;">').replace(/\x0E\/sc\x0F/gi, '</span>')
    .replace(/\x0E/g, '<').replace(/\x0F/g, '>');
}

/**
 * Index of the (last) `$` that closes the formula opening at `at`, inline `$…$` or display
 * `$$…$$`; only simple formulas (on one line, braces balanced, no comment or definition).
 */
function mathEnd(s: string, at: number): number {
  const display = s[at + 1] === '$';
  let depth = 0;
  for (let k = at + (display ? 2 : 1); k < s.length; k++) {
    const c = s[k];
    if (c === '\\') {
      if (/^\\(?:newcommand|ProvideTextCommandDefault|def)(?![A-Za-z])/.test(s.slice(k, k + 30))) bail('command definition in math');
      k++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (--depth < 0) bail('unbalanced braces in math');
    } else if (c === '%' || c === '\n' || c === '\r') bail('comment or line break in math');
    else if (c === '$') {
      if (depth !== 0 || k === at + (display ? 2 : 1) || (display && s[k + 1] !== '$')) bail('odd formula');
      return display ? k + 1 : k;
    }
  }
  return bail('unclosed formula');
}

/** One command at `at` (a backslash): its text and where the text after it starts. */
function command(s: string, at: number): { text: string; end: number } {
  const next = s[at + 1];
  if (next === undefined) bail('backslash at end');
  const symbolAccent = ACCENT_SYMBOLS[next];
  if (symbolAccent !== undefined) {
    // `\"u` (the first letter of the next word) or `\"{u}`.
    const arg = s[at + 2];
    if (arg !== undefined && ASCII_LETTER.test(arg)) return { text: arg + symbolAccent, end: at + 3 };
    if (arg === '{' && ASCII_LETTER.test(s[at + 3] ?? '') && s[at + 4] === '}') return { text: s[at + 3] + symbolAccent, end: at + 5 };
    // A dotless i or j: `\'\i` (not followed by a letter or white space) or `\'{\i}`.
    const dotless = /^(?:\\([ij])(?![A-Za-z \t\r\n])|\{\\([ij])\})/.exec(s.slice(at + 2, at + 7));
    if (dotless) return { text: LETTERS[dotless[1] ?? dotless[2]] + symbolAccent, end: at + 2 + dotless[0].length };
    bail('accent on a non-letter');
  }
  if ('&%$#_{}'.includes(next)) return { text: next, end: at + 2 };
  if (!ASCII_LETTER.test(next)) bail(`command \\${next}`);
  let j = at + 1;
  while (j < s.length && ASCII_LETTER.test(s[j])) j++;
  const name = s.slice(at + 1, j);
  const letterAccent = ACCENT_LETTERS[name];
  if (letterAccent !== undefined) {
    if (s[j] === '{' && ASCII_LETTER.test(s[j + 1] ?? '') && s[j + 2] === '}') return { text: s[j + 1] + letterAccent, end: j + 3 };
    bail('accent on a non-letter');
  }
  const letter = LETTERS[name];
  if (letter === undefined) bail(`command \\${name}`);
  return { text: letter, end: s.startsWith('{}', j) ? j + 2 : j };
}
