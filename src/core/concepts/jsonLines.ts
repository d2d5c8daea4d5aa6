/**
 * JSON parsing that remembers where things are, so that a validation problem can name the line of
 * the offending field instead of only the file. Pure: no fs, no vscode.
 */
import { lineColumnOf } from '../text/lineIndex';

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** The result of {@link parseJsonWithLines}. */
export interface LocatedJson {
  value: unknown;
  /** 1-based line where the value at `path` starts (its key's line for object members). */
  lineOf(path: JsonPath): number;
}

/** A JSON syntax error with the 1-based line and column it was found at. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/**
 * Parses `text` as JSON. On malformed input throws {@link JsonSyntaxError} carrying the line and
 * column. On success, `lineOf(path)` answers the line of any value; a path that does not exist
 * answers the line of its nearest existing ancestor.
 */
export function parseJsonWithLines(text: string): LocatedJson {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const offset = pos ? Number(pos[1]) : body.length;
    const { line, column } = lineColumnOf(body, offset);
    throw new JsonSyntaxError(message.replace(/\s*\(line \d+ column \d+\)/, ''), line, column);
  }
  // Lines are indexed on the first question: valid data asks none (the shipped concepts.json
  // took a tenth of a short `paperlens scan` to index, issue 23).
  let lines: Map<string, number> | undefined;
  return {
    value,
    lineOf(path: JsonPath): number {
      lines ??= indexLines(body);
      for (let n = path.length; n >= 0; n--) {
        const hit = lines.get(pathKey(path.slice(0, n)));
        if (hit !== undefined) return hit;
      }
      return 1;
    },
  };
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/**
 * Walks already-validated JSON text once and records the line of every value. Because JSON.parse
 * accepted the text, the walker can be simple: it never has to report errors.
 */
function indexLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  let line = 1;

  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      // `\n`, `\r\n` and a lone `\r` each end a line, as in the shared line index.
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) break;
      else i++;
    }
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const walk = (path: (string | number)[], keyLine: number): void => {
    skipWs();
    out.set(pathKey(path), keyLine);
    const c = text[i];
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        const memberLine = line;
        const key = readString();
        skipWs();
        i++; // colon
        path.push(key);
        walk(path, memberLine);
        path.pop();
        skipWs();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        skipWs();
        path.push(index);
        walk(path, line);
        path.pop();
        skipWs();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
  };
  walk([], 1);
  return out;
}
