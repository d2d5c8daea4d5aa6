/**
 * Property tests: whatever a user's file looks like, the loaders return (never throw) and every
 * reported line lies within the file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { importBibtex } from '../../../src/core/papers/bibtexImport';
import { importPapersJson } from '../../../src/core/papers/userJson';
import type { LoadIssue } from '../../../src/core/papers/types';
import { conceptOptions, fixture } from './helpers';

const bib = readFileSync(fixture('bibtex', 'realWorld.bib'), 'utf8');
const json = readFileSync(fixture('json', 'team.paperlens.json'), 'utf8');

/** Characters that matter to the parsers, so that mutations hit structure, not just text. */
const SYNTAX = ['{', '}', '(', ')', '"', ',', '=', '#', '@', '%', '\\', '$', '\n', '\r\n', '[', ']', ':', ' ', 'a', '@article{', '\u0000', '\uFFFD', '\u00e9'];

/** A list of edits: insert, delete or replace a span, at positions given as fractions of the length. */
const edits = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.nat({ max: 40 }),
    kind: fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'truncate'),
    what: fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 6 })),
  }),
  { minLength: 1, maxLength: 8 },
);

function mutate(text: string, list: { at: number; len: number; kind: string; what: string }[]): string {
  let t = text;
  for (const e of list) {
    const pos = Math.floor(e.at * t.length);
    switch (e.kind) {
      case 'insert': t = t.slice(0, pos) + e.what + t.slice(pos); break;
      case 'delete': t = t.slice(0, pos) + t.slice(pos + e.len); break;
      case 'replace': t = t.slice(0, pos) + e.what + t.slice(pos + e.len); break;
      case 'duplicate': t = t.slice(0, pos + e.len) + t.slice(pos, pos + e.len) + t.slice(pos + e.len); break;
      case 'truncate': t = t.slice(0, pos); break;
    }
  }
  return t;
}

function linesOf(text: string): number {
  return text.split('\n').length;
}

function assertLinesWithin(issues: readonly LoadIssue[], text: string): void {
  const max = linesOf(text);
  for (const i of issues) {
    assert.ok(Number.isInteger(i.line) && i.line >= 1 && i.line <= max, `line ${i.line} outside 1..${max}: ${i.message}`);
    assert.ok(i.message.length > 0);
  }
}

// A hang (an input that makes a loader loop) must fail the run, not stall it.
const LIMIT = { timeout: 120_000 };

describe('loaders never throw and report lines inside the file', () => {
  it('mutated BibTeX', LIMIT, async () => {
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        const text = mutate(bib, list);
        const r = await importBibtex(text, 'm.bib', conceptOptions);
        assertLinesWithin(r.issues, text);
        for (const p of r.papers) assert.ok(p.title.trim().length > 0);
        assert.ok(r.papers.length + r.failed <= r.entries);
      }),
      { numRuns: 150 },
    );
  });

  it('mutated JSON', LIMIT, async () => {
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        const text = mutate(json, list);
        const r = await importPapersJson(text, 'm.json', conceptOptions);
        assertLinesWithin(r.issues, text);
        for (const p of r.papers) assert.ok(p.title.trim().length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text as BibTeX and as JSON', LIMIT, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300, unit: 'binary' }), async (text) => {
        assertLinesWithin((await importBibtex(text, 'a.bib')).issues, text);
        assertLinesWithin((await importPapersJson(text, 'a.json')).issues, text);
      }),
      { numRuns: 300 },
    );
  });
});
