/**
 * Plain text from the LaTeX found in bibliography fields.
 *
 * Short fields (title, authors, venue) are converted by @retorquere/bibtex-parser, which knows all of
 * LaTeX's accents and symbols. Its LaTeX parser costs 10–80 µs per character, though, so a 2 kB
 * abstract takes ~40 ms and a 1 MB field minutes. Abstracts (and any field too long for the library)
 * therefore go through {@link latexToText}: one linear pass that handles what abstracts contain —
 * accents, escaped specials, dashes, quotes and formatting commands — and leaves `$…$` math as
 * written, since hovers show it as source.
 */

/** Lookup tables without Object.prototype's names: `\constructor` or `\toString` is a command like any other. */
const ACCENTS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A', d: '\u0323', b: '\u0331',
});

const LETTERS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  ldots: '…', dots: '…', textendash: '–', textemdash: '—', textquoteright: '’', textquoteleft: '‘',
  textquotedblleft: '“', textquotedblright: '”', textasciitilde: '~', textbackslash: '\\', textunderscore: '_',
  textless: '<', textgreater: '>', textbar: '|', textbullet: '•', S: '§', P: '¶', copyright: '©', textregistered: '®',
  texttrademark: '™', textdegree: '°', pounds: '£', euro: '€', LaTeX: 'LaTeX', TeX: 'TeX', guillemotleft: '«', guillemotright: '»',
});

/** Commands whose first argument is dropped (its text is not prose). */
const DROP_ARGUMENT = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnote', 'thanks', 'vspace', 'hspace', 'includegraphics']);

/** Commands whose first argument is a URL that the second argument's text stands for. */
const SKIP_FIRST = new Set(['href']);

/**
 * Converts a LaTeX field value to plain text. Linear in the input; never throws. Math between `$`
 * (or `\(`…`\)`) is kept verbatim, dollars included. Runs of white space become one space and the
 * ends are trimmed, as {@link collapseSpace} does.
 */
export function latexToText(input: string): string {
  const out = new TextBuilder();
  let i = 0;
  const n = input.length;
  while (i < n) {
    const code = input.charCodeAt(i);
    // The common case first: a run of characters that stand for themselves.
    if (code >= 128 || SPECIAL[code] === 0) {
      i = out.plainRun(input, i, n);
      continue;
    }
    if (code === C_DOLLAR) {
      // Inline or display math: copy through to the closing delimiter.
      const display = input.charCodeAt(i + 1) === C_DOLLAR;
      const close = display ? input.indexOf('$$', i + 2) : findUnescaped(input, '$', i + 1);
      if (close === -1) {
        out.range(input, i, n);
        break;
      }
      const end = close + (display ? 2 : 1);
      out.range(input, i, end);
      i = end;
      continue;
    }
    if (code === C_BACKSLASH) {
      const next = input[i + 1];
      if (next === undefined) {
        i++;
        continue;
      }
      if (next === '(' || next === '[') {
        const closer = next === '(' ? '\\)' : '\\]';
        const close = input.indexOf(closer, i + 2);
        const end = close === -1 ? n : close + 2;
        out.range(input, i, end);
        i = end;
        continue;
      }
      if ('&%$#_{}'.includes(next)) {
        out.text(next);
        i += 2;
        continue;
      }
      if (next === '\\') {
        out.text(' ');
        i += 2;
        continue;
      }
      if (ACCENTS[next] !== undefined && !/[a-zA-Z]/.test(next)) {
        const { base, end } = accentArgument(input, i + 2);
        out.text((base + ACCENTS[next]).normalize('NFC'));
        i = end;
        continue;
      }
      if (/[a-zA-Z]/.test(next)) {
        let j = i + 1;
        while (j < n && /[a-zA-Z]/.test(input[j])) j++;
        const name = input.slice(i + 1, j);
        if (name.length === 1 && ACCENTS[name] !== undefined && (input[j] === '{' || input[j] === ' ')) {
          const { base, end } = accentArgument(input, input[j] === ' ' ? j + 1 : j);
          out.text((base + ACCENTS[name]).normalize('NFC'));
          i = end;
          continue;
        }
        if (LETTERS[name] !== undefined) {
          out.text(LETTERS[name]);
          // `\ss{}` and `\o{}`: the empty group only ends the command name.
          if (input.startsWith('{}', j)) j += 2;
          else if (input[j] === ' ') j++;
          i = j;
          continue;
        }
        if (DROP_ARGUMENT.has(name) && input[j] === '{') {
          i = skipGroup(input, j);
          continue;
        }
        if (SKIP_FIRST.has(name) && input[j] === '{') {
          i = skipGroup(input, j);
          continue;
        }
        // Formatting and unknown commands: drop the command, keep the text of its arguments.
        i = j;
        continue;
      }
      // `\,` `\;` `\ ` and other control symbols: a space at most.
      if (next === ',' || next === ';' || next === ' ') out.text(' ');
      i += 2;
      continue;
    }
    if (code === C_LBRACE || code === C_RBRACE) {
      i++;
      continue;
    }
    if (code === C_TILDE) {
      out.text(' ');
      i++;
      continue;
    }
    const next = input.charCodeAt(i + 1);
    if (code === C_HYPHEN && next === C_HYPHEN) {
      if (input.charCodeAt(i + 2) === C_HYPHEN) {
        out.text('—');
        i += 3;
      } else {
        out.text('–');
        i += 2;
      }
      continue;
    }
    if (code === C_BACKTICK && next === C_BACKTICK) {
      out.text('“');
      i += 2;
      continue;
    }
    if (code === C_QUOTE && next === C_QUOTE) {
      out.text('”');
      i += 2;
      continue;
    }
    out.code(code);
    i++;
  }
  return out.finish();
}

const C_DOLLAR = 36;
const C_QUOTE = 39;
const C_HYPHEN = 45;
const C_BACKSLASH = 92;
const C_BACKTICK = 96;
const C_LBRACE = 123;
const C_RBRACE = 125;
const C_TILDE = 126;

/** ASCII characters {@link latexToText} looks at; every other character stands for itself. */
const SPECIAL = new Uint8Array(128);
for (const c of [C_DOLLAR, C_QUOTE, C_HYPHEN, C_BACKSLASH, C_BACKTICK, C_LBRACE, C_RBRACE, C_TILDE]) SPECIAL[c] = 1;

/** Whether a UTF-16 code unit is white space as `\s` and `trim()` define it. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Collects text as UTF-16 code units, runs of white space as one space and the ends trimmed, and
 * makes one string at the end. Appending one-character strings instead built a rope of one node per
 * character (most of the time of converting an abstract went to allocating and flattening it); and
 * a string made from code units is one-byte when every unit fits, which halves what a worker sends.
 */
class TextBuilder {
  /** Shared by every builder (one at a time: a conversion never starts another). */
  private static shared = new Uint16Array(4096);
  private units = TextBuilder.shared;
  private length = 0;
  private pendingSpace = false;

  /** Appends the characters from `from` up to the first one {@link latexToText} looks at; returns where it stopped. */
  plainRun(s: string, from: number, to: number): number {
    if (this.units.length < this.length + (to - from) + 1) this.grow(this.length + (to - from) + 1);
    const units = this.units;
    let length = this.length;
    let pending = this.pendingSpace;
    let k = from;
    for (; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c < 128 && SPECIAL[c] === 1) break;
      if (c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 0xa0 && isSpace(c)) {
        if (length > 0) pending = true;
        continue;
      }
      if (pending) {
        pending = false;
        units[length++] = 32;
      }
      units[length++] = c;
    }
    this.length = length;
    this.pendingSpace = pending;
    return k;
  }

  code(c: number): void {
    if (isSpace(c)) {
      if (this.length > 0) this.pendingSpace = true;
      return;
    }
    if (this.pendingSpace) {
      this.pendingSpace = false;
      this.push(32);
    }
    this.push(c);
  }

  text(s: string): void {
    for (let k = 0; k < s.length; k++) this.code(s.charCodeAt(k));
  }

  range(s: string, from: number, to: number): void {
    for (let k = from; k < to; k++) this.code(s.charCodeAt(k));
  }

  finish(): string {
    const CHUNK = 8192;
    let s = '';
    for (let k = 0; k < this.length; k += CHUNK) {
      s += String.fromCharCode.apply(null, this.units.subarray(k, Math.min(this.length, k + CHUNK)) as unknown as number[]);
    }
    return s;
  }

  private push(c: number): void {
    if (this.length === this.units.length) this.grow(this.length + 1);
    this.units[this.length++] = c;
  }

  private grow(needed: number): void {
    let size = this.units.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint16Array(size);
    grown.set(this.units.subarray(0, this.length));
    this.units = grown;
    TextBuilder.shared = grown;
  }
}

function findUnescaped(text: string, ch: string, from: number): number {
  let k = text.indexOf(ch, from);
  while (k > 0 && text[k - 1] === '\\') k = text.indexOf(ch, k + 1);
  return k;
}

/** The letter an accent applies to: `{o}`, `o`, `{\i}` or `\i`. */
function accentArgument(input: string, at: number): { base: string; end: number } {
  let j = at;
  if (input[j] === '{') {
    const close = input.indexOf('}', j + 1);
    if (close === -1) return { base: '', end: j + 1 };
    const inner = input.slice(j + 1, close).trim();
    const base = inner === '\\i' ? 'i' : inner === '\\j' ? 'j' : inner;
    return { base, end: close + 1 };
  }
  if (input[j] === '\\' && (input[j + 1] === 'i' || input[j + 1] === 'j') && !/[a-zA-Z]/.test(input[j + 2] ?? '')) {
    return { base: input[j + 1], end: j + 2 };
  }
  if (j < input.length) return { base: input[j], end: j + 1 };
  return { base: '', end: j };
}

/** Index just past the group that starts at `at` (which holds `{`), honouring nesting and escapes. */
function skipGroup(input: string, at: number): number {
  let depth = 0;
  for (let k = at; k < input.length; k++) {
    const c = input[k];
    if (c === '\\') {
      k++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return input.length;
}

/** Collapses runs of whitespace (BibTeX values wrap across lines) and trims. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Removes the HTML-like markup that @retorquere/bibtex-parser puts in converted text (`<i>`,
 * `<span class="nocase">`, `<a href>`…). Literal `<` and `>` never reach the library as such:
 * {@link protectAngles} swaps them for private-use characters first, and {@link restoreAngles}
 * swaps them back after the markup is gone.
 */
export function stripMarkup(text: string): string {
  return restoreAngles(text.replace(/<\/?[a-z][^<>]*>/gi, ''));
}

/**
 * Plain text from the library's converted output: markup removed, and an accent on a dotless i
 * (`{\'\i}`, which the library renders as "ı́") moved onto a plain i, so "María" compares equal to
 * the same name typed directly.
 */
export function cleanLibraryText(text: string): string {
  return collapseSpace(stripMarkup(text).replace(/ı([\u0300-\u036f])/g, 'i$1').normalize('NFC'));
}

const PROTECTED = /[\uE000-\uE002]/;
const LT = '\uE000';
const GT = '\uE001';
const DOLLAR = '\uE002';

/** Hides literal angle brackets from the library, which would otherwise turn `<` into `¡` (OT1). */
export function protectAngles(text: string): string {
  if (!text.includes('<') && !text.includes('>')) return text;
  return text.replace(/</g, LT).replace(/>/g, GT);
}

/**
 * Also hides `$` in a field the library keeps verbatim (url, doi, code…): the library reads `$`
 * even there as the start of math, so a URL with one `$` failed the whole field ("Unclosed math
 * section") and an exported paper did not read back.
 */
export function protectVerbatim(text: string): string {
  return protectAngles(text).replace(/\$/g, DOLLAR);
}

/** Undoes {@link protectAngles} and {@link protectVerbatim}. */
export function restoreAngles(text: string): string {
  if (!PROTECTED.test(text)) return text;
  return text.replace(/\uE000/g, '<').replace(/\uE001/g, '>').replace(/\uE002/g, '$');
}
