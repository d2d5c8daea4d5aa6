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

const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A', d: '\u0323', b: '\u0331',
};

const LETTERS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  ldots: '…', dots: '…', textendash: '–', textemdash: '—', textquoteright: '’', textquoteleft: '‘',
  textquotedblleft: '“', textquotedblright: '”', textasciitilde: '~', textbackslash: '\\', textunderscore: '_',
  textless: '<', textgreater: '>', textbar: '|', textbullet: '•', S: '§', P: '¶', copyright: '©', textregistered: '®',
  texttrademark: '™', textdegree: '°', pounds: '£', euro: '€', LaTeX: 'LaTeX', TeX: 'TeX', guillemotleft: '«', guillemotright: '»',
};

/** Commands whose first argument is dropped (its text is not prose). */
const DROP_ARGUMENT = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnote', 'thanks', 'vspace', 'hspace', 'includegraphics']);

/** Commands whose first argument is a URL that the second argument's text stands for. */
const SKIP_FIRST = new Set(['href']);

/**
 * Converts a LaTeX field value to plain text. Linear in the input; never throws. Math between `$`
 * (or `\(`…`\)`) is kept verbatim, dollars included.
 */
export function latexToText(input: string): string {
  let out = '';
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i];
    if (ch === '$') {
      // Inline or display math: copy through to the closing delimiter.
      const display = input[i + 1] === '$';
      const close = display ? input.indexOf('$$', i + 2) : findUnescaped(input, '$', i + 1);
      if (close === -1) {
        out += input.slice(i);
        break;
      }
      const end = close + (display ? 2 : 1);
      out += input.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '\\') {
      const next = input[i + 1];
      if (next === undefined) {
        i++;
        continue;
      }
      if (next === '(' || next === '[') {
        const closer = next === '(' ? '\\)' : '\\]';
        const close = input.indexOf(closer, i + 2);
        const end = close === -1 ? n : close + 2;
        out += input.slice(i, end);
        i = end;
        continue;
      }
      if ('&%$#_{}'.includes(next)) {
        out += next;
        i += 2;
        continue;
      }
      if (next === '\\') {
        out += ' ';
        i += 2;
        continue;
      }
      if (ACCENTS[next] !== undefined && !/[a-zA-Z]/.test(next)) {
        const { base, end } = accentArgument(input, i + 2);
        out += (base + ACCENTS[next]).normalize('NFC');
        i = end;
        continue;
      }
      if (/[a-zA-Z]/.test(next)) {
        let j = i + 1;
        while (j < n && /[a-zA-Z]/.test(input[j])) j++;
        const name = input.slice(i + 1, j);
        if (name.length === 1 && ACCENTS[name] !== undefined && (input[j] === '{' || input[j] === ' ')) {
          const { base, end } = accentArgument(input, input[j] === ' ' ? j + 1 : j);
          out += (base + ACCENTS[name]).normalize('NFC');
          i = end;
          continue;
        }
        if (LETTERS[name] !== undefined) {
          out += LETTERS[name];
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
      out += next === ',' || next === ';' || next === ' ' || next === '@' ? (next === '@' ? '' : ' ') : '';
      i += 2;
      continue;
    }
    if (ch === '{' || ch === '}') {
      i++;
      continue;
    }
    if (ch === '~') {
      out += ' ';
      i++;
      continue;
    }
    if (ch === '-' && input[i + 1] === '-') {
      if (input[i + 2] === '-') {
        out += '—';
        i += 3;
      } else {
        out += '–';
        i += 2;
      }
      continue;
    }
    if (ch === '`' && input[i + 1] === '`') {
      out += '“';
      i += 2;
      continue;
    }
    if (ch === "'" && input[i + 1] === "'") {
      out += '”';
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  return collapseSpace(out);
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

const LT = '\uE000';
const GT = '\uE001';

/** Hides literal angle brackets from the library, which would otherwise turn `<` into `¡` (OT1). */
export function protectAngles(text: string): string {
  return text.replace(/</g, LT).replace(/>/g, GT);
}

export function restoreAngles(text: string): string {
  return text.replace(/\uE000/g, '<').replace(/\uE001/g, '>');
}
