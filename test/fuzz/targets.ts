/**
 * The parsers the fuzz suite runs, and the inputs it feeds them. Shared by the seeded unit test
 * (test/unit/robust/fuzz.test.ts, seconds) and the long run (`npm run fuzz`, scripts/fuzz.ts).
 *
 * A target parses one text and returns every line number it reported (issues, records), so the
 * harness can check that each lies within the input. More targets (the Python detector) are added
 * by appending to {@link FUZZ_TARGETS}.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { importBibtex } from '../../src/core/papers/bibtexImport';
import { parseHfPageDump } from '../../src/core/papers/hfPageDump';
import { importPapersJson } from '../../src/core/papers/userJson';
import { renderRichText } from '../../src/webview/render';

const root = path.join(__dirname, '../..');
const read = (p: string): string => readFileSync(path.join(root, p), 'utf8');

export interface FuzzTarget {
  name: string;
  /** Real inputs that truncation and mutation start from. */
  seeds: readonly string[];
  /** Characters that mean something to this parser, so mutations hit structure. */
  syntax: readonly string[];
  /** Parses `text`; returns the 1-based line numbers it reported. Must never throw. */
  run(text: string): Promise<number[]> | number[];
}

const abstracts = (JSON.parse(read('paper-data/papers.json')) as { abstract?: string }[])
  .map((p) => p.abstract ?? '')
  .filter((a) => a.length > 0)
  .slice(0, 20);

export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    name: 'bibtex',
    seeds: [read('test/unit/userCorpus/bibtex/realWorld.bib'), read('test/unit/userCorpus/bibtex/unclosedBrace.bib')],
    syntax: ['@article{', '@string{', '@comment{', '@preamble{', '{', '}', '(', ')', '"', ',', '=', '#', '%', '\\', '$', '\n', '\r', '\r\n', ' and '],
    async run(text) {
      const r = await importBibtex(text, 'fuzz.bib');
      return [...r.issues.map((i) => i.line), ...r.papers.map((p) => Number(/:(\d+)$/.exec(p.provenance?.entry ?? '')?.[1] ?? 1))];
    },
  },
  {
    name: 'json-corpus',
    seeds: [read('test/unit/userCorpus/json/team.paperlens.json'), read('test/unit/userCorpus/json/broken.paperlens.json'), read('test/unit/userCorpus/json/bareArray.json')],
    syntax: ['{', '}', '[', ']', '"', ',', ':', '\\', '\\u', 'null', 'true', '1e999', '"title"', '"papers"', '\n', '\r', '\r\n', '\uFEFF'],
    async run(text) {
      const r = await importPapersJson(text, 'fuzz.paperlens.json');
      return r.issues.map((i) => i.line);
    },
  },
  {
    name: 'hf-page',
    seeds: [read('paper-data/sources/hf-daily-papers-loss-functions.txt'), read('test/unit/papers/hfPageDump/irregular.txt'), read('test/unit/papers/hfPageDump/truncated.txt')],
    syntax: ['\n', '\r\n', '\r', '·', 'Published on ', 'Mar 13', 'Upvote', '$', '\\', '\t', '·\n', '42', 'Submitted by'],
    run(text) {
      const page = parseHfPageDump(text, { pageYear: 2026, file: 'fuzz.txt' });
      return [...page.issues.map((i) => i.line), ...page.entries.map((e) => e.line)];
    },
  },
  {
    name: 'markdown',
    seeds: abstracts,
    syntax: ['$', '$$', '\\(', '\\)', '\\[', '\\]', '[', '](', ')', '"', '`', '<', '>', '&', '*', '_', '\n', '\r', 'https://x.org/', 'javascript:', '\\href{', '{', '}', '^', '\\frac'],
    run(text) {
      const html = renderRichText(text);
      if (typeof html !== 'string') throw new Error('renderRichText returned no string');
      // No markup may come from inside an attribute: every tag's attribute values are plain.
      for (const tag of html.matchAll(/<[a-z][^>]*>/gi)) {
        for (const v of tag[0].matchAll(/="([^"]*)"/g)) if (/[<>]/.test(v[1])) throw new Error(`markup inside an attribute: ${v[1].slice(0, 80)}`);
      }
      return [];
    },
  },
];

/** The kinds of input, each a fast-check arbitrary for a target; `scale` shrinks the big ones for the unit test. */
export const INPUT_KINDS = ['bytes', 'truncated', 'mutated', 'nesting', 'long-line', 'unicode'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export function inputArbitrary(target: FuzzTarget, kind: InputKind, scale = 1): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...target.seeds);
  const piece = fc.oneof(fc.constantFrom(...target.syntax), fc.string({ maxLength: 6 }));
  switch (kind) {
    case 'bytes':
      return fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b).toString('latin1'));
    case 'truncated':
      return fc.tuple(seed, fc.double({ min: 0, max: 1, noNaN: true })).map(([s, f]) => s.slice(0, Math.floor(s.length * f)));
    case 'mutated':
      return fc.tuple(seed, fc.array(fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        len: fc.nat({ max: 60 }),
        op: fc.constantFrom('insert', 'delete', 'replace', 'duplicate'),
        what: piece,
      }), { minLength: 1, maxLength: 10 })).map(([s, edits]) => {
        let t = s;
        for (const e of edits) {
          const at = Math.floor(t.length * e.at);
          if (e.op === 'insert') t = t.slice(0, at) + e.what + t.slice(at);
          else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
          else if (e.op === 'replace') t = t.slice(0, at) + e.what + t.slice(at + e.len);
          else t = t.slice(0, at + e.len) + t.slice(at, at + e.len) + t.slice(at + e.len);
        }
        return t;
      });
    case 'nesting':
      return fc.tuple(fc.constantFrom(...target.syntax), fc.integer({ min: 1, max: Math.max(10, Math.floor(50_000 * scale)) }), fc.boolean())
        .map(([open, n, closed]) => open.repeat(n) + (closed ? '}'.repeat(n) + ']'.repeat(n) : ''));
    case 'long-line': {
      const size = Math.max(1_000, Math.floor(1_000_000 * scale));
      return fc.array(piece.filter((p) => !/[\r\n]/.test(p)), { minLength: 1, maxLength: 8 }).map((parts) => {
        const unit = parts.join('') || 'x';
        return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
      });
    }
    case 'unicode':
      return fc.array(fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('\uD800', '\uDFFF', '\u202E', '\u0301', '\uFEFF', '\u0000', '\u2028', '\u00A0', '𝔏', '中文'),
        piece,
      ), { maxLength: 200 }).map((a) => a.join(''));
  }
}

/** Number of lines of `text` as the importers count them (`\r\n`, `\n`, `\r`). */
export function lineCount(text: string): number {
  let count = 1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) count++;
  }
  return count;
}

/** The reported lines that lie outside `text` (or are not whole numbers). */
export function outOfRange(text: string, lines: readonly number[]): number[] {
  const max = lineCount(text);
  return lines.filter((l) => !Number.isInteger(l) || l < 1 || l > max);
}
