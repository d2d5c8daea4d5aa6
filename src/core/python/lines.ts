/**
 * Offsets ↔ lines and columns, the one line index of the project: `\r\n`, `\r` and `\n` all end a
 * line (as Python and VS Code count them). Offsets are 0-based UTF-16 offsets into the text.
 */

const C_LF = 10;
const C_CR = 13;

/** Offsets at which each line starts (`starts[0]` is 0). */
export function computeLineStarts(text: string): Uint32Array {
  let capacity = 1024;
  let starts = new Uint32Array(capacity);
  let count = 1; // starts[0] = 0
  const add = (offset: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const s2 = new Uint32Array(capacity);
      s2.set(starts);
      starts = s2;
    }
    starts[count++] = offset;
  };
  if (text.indexOf('\r') === -1) {
    // The common case: jump from newline to newline with the native search.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) add(i + 1);
  } else {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === C_LF || c === C_CR) {
        if (c === C_CR && text.charCodeAt(i + 1) === C_LF) i++;
        add(i + 1);
      }
    }
  }
  return starts.subarray(0, count);
}

/** 0-based index of the line holding `offset` (binary search over `lineStarts`). */
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

/** Offset where the line holding `offset` starts, without a line index (one backward search). */
export function lineStartBefore(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** Offset where the line starting at `lineStart` ends (before its line break), or the text's end. */
export function lineEndFrom(text: string, lineStart: number): number {
  for (let i = lineStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === C_LF || c === C_CR) return i;
  }
  return text.length;
}
