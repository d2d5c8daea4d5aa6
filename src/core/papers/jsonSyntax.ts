/**
 * The first JSON syntax error in a range of a text, found without throwing: JSON.parse reports an
 * error only by throwing, and a throw (with its error object) costs about ten times the parse of a
 * small record, so a papers file whose every record is broken spent nearly all its time in throws.
 * The papers importer checks each record here first and parses only the ones that are valid.
 *
 * The grammar is RFC 8259's, as V8's JSON.parse applies it; the error position and the wording
 * follow V8's messages (src/common/message-template.h, kJsonParse*), so a record reports the same
 * line and text whichever path found the error. One pass, no recursion (nesting depth is bounded
 * only by memory, as in JSON.parse).
 */

export interface JsonSyntaxProblem {
  /** Offset into the text of the character at fault, or undefined at the end of the input. */
  offset: number | undefined;
  /** V8's message without " in JSON at position N" (e.g. `Expected ',' or '}' after property value`). */
  message: string;
}

const C_QUOTE = 34;
const C_BACKSLASH = 92;
const C_COMMA = 44;
const C_COLON = 58;
const C_LBRACE = 123;
const C_RBRACE = 125;
const C_LBRACK = 91;
const C_RBRACK = 93;
const C_MINUS = 45;
const C_DOT = 46;
const C_0 = 48;
const C_9 = 57;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function isHex(c: number): boolean {
  return (c >= C_0 && c <= C_9) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The first syntax error of the JSON text `text.slice(start, end)`, or undefined when it is valid JSON. */
export function jsonSyntaxProblem(text: string, start = 0, end = text.length): JsonSyntaxProblem | undefined {
  let i = start;
  const ws = (): void => {
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
    }
  };
  const eos = (): JsonSyntaxProblem => ({ offset: undefined, message: 'Unexpected end of JSON input' });
  const at = (offset: number, message: string): JsonSyntaxProblem => ({ offset, message });
  const unexpected = (offset: number): JsonSyntaxProblem => {
    const c = text.charCodeAt(offset);
    if (c === C_QUOTE) return at(offset, 'Unexpected string');
    if (isDigit(c) || c === C_MINUS) return at(offset, 'Unexpected number');
    return at(offset, `Unexpected token '${text.charAt(offset)}'`);
  };

  /** i at the opening quote; leaves i after the closing one. */
  const string = (): JsonSyntaxProblem | undefined => {
    i++;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === C_QUOTE) {
        i++;
        return undefined;
      }
      if (c < 0x20) return at(i, 'Bad control character in string literal');
      if (c === C_BACKSLASH) {
        if (i + 1 >= end) return eos();
        const e = text.charCodeAt(i + 1);
        if (e === 117 /* u */) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= end) return at(i + k, 'Bad Unicode escape');
            if (!isHex(text.charCodeAt(i + k))) return at(i + k, 'Bad Unicode escape');
          }
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== C_QUOTE && e !== C_BACKSLASH && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) {
          return at(i + 1, 'Bad escaped character');
        }
        i += 2;
        continue;
      }
      i++;
    }
    return at(end, 'Unterminated string');
  };

  /** i at `-` or a digit; leaves i after the number. */
  const number = (): JsonSyntaxProblem | undefined => {
    if (text.charCodeAt(i) === C_MINUS) {
      i++;
      if (i >= end || !isDigit(text.charCodeAt(i))) return at(i, 'No number after minus sign');
    }
    if (text.charCodeAt(i) === C_0) {
      i++;
      // A leading zero followed by a digit.
      if (i < end && isDigit(text.charCodeAt(i))) return at(i, 'Unexpected number');
    } else {
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < end && text.charCodeAt(i) === C_DOT) {
      i++;
      if (i >= end || !isDigit(text.charCodeAt(i))) return at(i, 'Unterminated fractional number');
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (i < end && (e === 101 || e === 69)) {
      i++;
      const s = text.charCodeAt(i);
      if (i < end && (s === 43 || s === C_MINUS)) i++;
      if (i >= end || !isDigit(text.charCodeAt(i))) return at(i, 'Exponent part is missing a number');
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
    return undefined;
  };

  const literal = (word: string): JsonSyntaxProblem | undefined => {
    for (let k = 0; k < word.length; k++) {
      if (i + k >= end) return eos();
      if (text.charCodeAt(i + k) !== word.charCodeAt(k)) return unexpected(i + k);
    }
    i += word.length;
    return undefined;
  };

  // The containers open at i, innermost last: true for an object, false for an array.
  const stack: boolean[] = [];
  for (;;) {
    // A value is expected at i.
    ws();
    if (i >= end) return eos();
    const c = text.charCodeAt(i);
    let problem: JsonSyntaxProblem | undefined;
    let opened = false;
    if (c === C_QUOTE) problem = string();
    else if (c === C_MINUS || isDigit(c)) problem = number();
    else if (c === 116) problem = literal('true');
    else if (c === 102) problem = literal('false');
    else if (c === 110) problem = literal('null');
    else if (c === C_LBRACK) {
      i++;
      ws();
      if (i < end && text.charCodeAt(i) === C_RBRACK) i++;
      else {
        stack.push(false);
        opened = true;
      }
    } else if (c === C_LBRACE) {
      i++;
      ws();
      const k = i < end ? text.charCodeAt(i) : -1;
      if (k === C_RBRACE) i++;
      else if (k !== C_QUOTE) return at(i, "Expected property name or '}'");
      else {
        problem = memberName(true);
        if (problem) return problem;
        stack.push(true);
        opened = true;
      }
    } else return unexpected(i);
    if (problem) return problem;
    if (opened) continue;

    // After a complete value: close containers or move on to the next element.
    for (;;) {
      ws();
      if (stack.length === 0) return i < end ? at(i, 'Unexpected non-whitespace character after JSON') : undefined;
      const inObject = stack[stack.length - 1];
      const k = i < end ? text.charCodeAt(i) : -1;
      if (k === C_COMMA) {
        i++;
        if (inObject) {
          ws();
          if (i >= end || text.charCodeAt(i) !== C_QUOTE) return at(i, 'Expected double-quoted property name');
          const p = memberName(false);
          if (p) return p;
        }
        break;
      }
      if (inObject ? k === C_RBRACE : k === C_RBRACK) {
        i++;
        stack.pop();
        continue;
      }
      return at(i, inObject ? "Expected ',' or '}' after property value" : "Expected ',' or ']' after array element");
    }
  }

  /**
   * i at the quote of a member name: reads the name and the `:` after it. V8 words a missing `:`
   * after an object's first name as such, and after a later one as the token it found instead.
   */
  function memberName(first: boolean): JsonSyntaxProblem | undefined {
    const p = string();
    if (p) return p;
    ws();
    if (i < end && text.charCodeAt(i) === C_COLON) {
      i++;
      return undefined;
    }
    if (first) return at(i, "Expected ':' after property name");
    return i >= end ? eos() : unexpected(i);
  }
}
