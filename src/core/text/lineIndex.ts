/**
 * Lines of a text where `\r\n`, `\n` and a lone `\r` (old Mac files) each end a line, as editors
 * count them. The papers importers use it for every line number they report.
 *
 * The Python model (src/core/python) keeps its own line index with the same rule; the two are
 * meant to be one, and this file is where the shared one lives until they are merged.
 */

/** Whether the character code is `\n` or `\r`. */
export function isLineBreakCode(code: number): boolean {
  return code === 10 || code === 13;
}

/** Offset just after the line break at `at` (`\r\n` counts as one break). */
export function afterLineBreak(text: string, at: number): number {
  return text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
}

/** Offset of the first `\n` or `\r` at or after `from`, or -1. Linear in the distance scanned. */
export function nextLineBreak(text: string, from: number): number {
  const n = text.length;
  for (let k = from; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return k;
  }
  return -1;
}

/** Offset where the line holding `offset` ends (its line break, or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const k = nextLineBreak(text, offset);
  return k === -1 ? text.length : k;
}

/** Line breaks in `text`, `\r\n` counted once. */
function countBreaks(text: string): number {
  let count = 0;
  const n = text.length;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) count++;
  }
  return count;
}

/** 1-based line numbers (and line starts) for offsets of one text, by binary search over its line starts. */
export class LineIndex {
  private readonly starts: Uint32Array;
  readonly lineCount: number;

  constructor(text: string) {
    // Most files have no lone `\r`: then `indexOf('\n')` finds every line start, several times
    // faster than looking at each character.
    const hasCr = text.indexOf('\r') !== -1;
    let count = 1;
    if (!hasCr) for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) count++;
    else count += countBreaks(text);
    const starts = new Uint32Array(count);
    let line = 1;
    if (!hasCr) {
      for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) starts[line++] = k + 1;
    } else {
      const n = text.length;
      for (let k = 0; k < n; k++) {
        const c = text.charCodeAt(k);
        if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) starts[line++] = k + 1;
      }
    }
    this.starts = starts;
    this.lineCount = count;
  }

  /** The 1-based line holding `offset` (clamped to the text). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset where the line holding `offset` starts. */
  lineStartAt(offset: number): number {
    return this.starts[this.lineAt(offset) - 1];
  }

  /** Offset where 1-based `line` starts (clamped to the first and last line). */
  startOfLine(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.lineCount) - 1];
  }
}
