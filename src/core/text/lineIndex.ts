/**
 * Offsets ↔ lines and columns: the one line index of the project. `\r\n`, `\n` and a lone `\r`
 * (old Mac files) each end one line, as Python, VS Code and other editors count them. Offsets are
 * 0-based UTF-16 offsets into the text; lines and columns are 1-based unless a name says otherwise.
 *
 * Every line number the project reports (the Python model, the detector and the checks, the
 * BibTeX and JSON importers) comes from here.
 */

const C_LF = 10;
const C_CR = 13;

/** Whether the character code is `\n` or `\r`. */
export function isLineBreakCode(code: number): boolean {
  return code === C_LF || code === C_CR;
}

/** Offset just after the line break at `at` (`\r\n` counts as one break). */
export function afterLineBreak(text: string, at: number): number {
  return text.charCodeAt(at) === C_CR && text.charCodeAt(at + 1) === C_LF ? at + 2 : at + 1;
}

/** Offset of the first `\n` or `\r` at or after `from`, or -1. Linear in the distance scanned. */
export function nextLineBreak(text: string, from: number): number {
  const n = text.length;
  for (let k = from; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === C_LF || c === C_CR) return k;
  }
  return -1;
}

/** Offset where the line holding `offset` ends (before its line break), or the end of the text. */
export function lineEnd(text: string, offset: number): number {
  const k = nextLineBreak(text, offset);
  return k === -1 ? text.length : k;
}

/** Offset where the line holding `offset` starts, without a line index (one backward search). */
export function lineStartBefore(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** Offsets at which each line starts (`starts[0]` is 0); one entry per line. */
export function computeLineStarts(text: string): Uint32Array {
  // Count first, then fill: one exact allocation.
  // Most files have no `\r`: then `indexOf('\n')` finds every line start, several times faster than
  // looking at each character.
  const hasCr = text.indexOf('\r') !== -1;
  const n = text.length;
  let count = 1;
  if (!hasCr) {
    for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) count++;
  } else {
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === C_LF || (c === C_CR && text.charCodeAt(k + 1) !== C_LF)) count++;
    }
  }
  const starts = new Uint32Array(count);
  let line = 1;
  if (!hasCr) {
    for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) starts[line++] = k + 1;
  } else {
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === C_LF || (c === C_CR && text.charCodeAt(k + 1) !== C_LF)) starts[line++] = k + 1;
    }
  }
  return starts;
}

/** 0-based index of the line holding `offset` (binary search over `lineStarts`; clamped to the text). */
export function lineIndex(lineStarts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 1-based line and column (UTF-16 code units; a tab is one column) of a 0-based offset. */
export function lineColumn(lineStarts: ArrayLike<number>, offset: number): { line: number; column: number } {
  const line = lineIndex(lineStarts, offset);
  return { line: line + 1, column: offset - lineStarts[line] + 1 };
}

/**
 * The offset of a 0-based (line, character) position, as VS Code gives it, clamped to the line
 * (a character past the line's end lands on the next line's start at most) and to the text.
 */
export function offsetAt(lineStarts: ArrayLike<number>, length: number, line: number, character: number): number {
  if (line < 0) return 0;
  if (line >= lineStarts.length) return length;
  const lineStart = lineStarts[line];
  const next = line + 1 < lineStarts.length ? lineStarts[line + 1] : length;
  return Math.min(lineStart + Math.max(0, character), next);
}

/** The line starts of one text, with 1-based look-ups (the importers' view of `computeLineStarts`). */
export class LineIndex {
  readonly starts: Uint32Array;
  readonly lineCount: number;

  constructor(text: string) {
    this.starts = computeLineStarts(text);
    this.lineCount = this.starts.length;
  }

  /** The 1-based line holding `offset` (clamped to the text). */
  lineAt(offset: number): number {
    return lineIndex(this.starts, offset) + 1;
  }

  /** 1-based line and column of `offset`. */
  lineColumnAt(offset: number): { line: number; column: number } {
    return lineColumn(this.starts, offset);
  }

  /** Offset where the line holding `offset` starts. */
  lineStartAt(offset: number): number {
    return this.starts[lineIndex(this.starts, offset)];
  }

  /** Offset where 1-based `line` starts (clamped to the first and last line). */
  startOfLine(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.lineCount) - 1];
  }
}

/** 1-based line and column of one offset, without keeping an index (one pass up to `offset`). */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === C_LF || (c === C_CR && text.charCodeAt(k + 1) !== C_LF)) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
