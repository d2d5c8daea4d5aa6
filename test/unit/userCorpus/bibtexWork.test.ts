/**
 * How much of a BibTeX import goes to @retorquere/bibtex-parser, whose LaTeX grammar is the costly
 * part (about a millisecond an entry). Counted, not timed: the import's `stats` say how many
 * entries, fields and pieces the library converted and in how many calls. That the results equal
 * the library's own is fastPath.test.ts's job.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateRealisticBib } from '../../../bench/bibtexRealistic';
import { importBibtex, type BibtexImportStats } from '../../../src/core/papers/bibtexImport';
import { brief, conceptOptions } from './helpers';

const newStats = (): BibtexImportStats => ({ libraryEntries: 0, libraryCalls: 0, libraryFields: 0, libraryPieces: 0 });

describe('work the library does in a BibTeX import', () => {
  it('a realistic file (Google Scholar, DBLP, Zotero, hand-written, crossref) needs it for no entry and no field', async () => {
    const text = generateRealisticBib(300_000);
    const stats = newStats();
    const r = await importBibtex(text, 'real.bib', { ...conceptOptions, stats });
    assert.ok(r.entries > 600, `${r.entries} entries`);
    assert.equal(r.papers.length, r.entries);
    // \emph, {\em}, \url, \LaTeX, {\'\i}, month macros and crossref were each an entry for the library before.
    assert.deepEqual([stats.libraryEntries, stats.libraryFields], [0, 0]);
    // Only the few distinct formulas (when not converted already by an earlier import in this process).
    assert.ok(stats.libraryCalls <= 2, `${stats.libraryCalls} calls`);
    // The count is real: without the fast path, every entry is one library call.
    const libraryOnly = newStats();
    await importBibtex(text, 'real.bib', { ...conceptOptions, stats: libraryOnly, libraryOnly: true });
    assert.deepEqual([libraryOnly.libraryEntries, libraryOnly.libraryCalls], [r.entries, r.entries]);
  });

  it('a file whose every entry needs it converts only the fields and pieces that do, in batches', async () => {
    const text = generateRealisticBib(100_000, { hard: true });
    const stats = newStats();
    const r = await importBibtex(text, 'hard.bib', { ...conceptOptions, stats });
    assert.equal(r.papers.length, r.entries);
    const count = (re: RegExp) => (text.match(re) ?? []).length;
    const [formulas, bold, display, quoted] = [count(/\$\\sum_/g), count(/\{\\bf \{?Bold/g), count(/\$\$x_/g), count(/\\enquote\{\{?Twice/g)];
    assert.ok(Math.min(formulas, bold, display, quoted) > 40, `${[formulas, bold, display, quoted]}`);
    // No entry whole; of the fields only the titles with quotes the library merges; formulas,
    // display math, groups and \enquote{…}s alone (the one that recurs once; that the quotes would
    // merge shows only after).
    assert.equal(stats.libraryEntries, 0);
    assert.equal(stats.libraryFields, quoted);
    assert.equal(stats.libraryPieces, formulas + display + bold + quoted + 1);
    // Pieces in batches of 64, fields in batches of 32, a window of 128 entries at a time: a few
    // calls per window, not one or more per entry.
    assert.ok(stats.libraryCalls <= 4 * Math.ceil(r.entries / 128), `${stats.libraryCalls} calls for ${r.entries} entries`);
  });

  it('an entry the library reports a problem for is found in its batch and converted alone, the problem at its line', async () => {
    const entries = Array.from({ length: 40 }, (_, i) =>
      `@article{k${i},\n  title = {With {\\bf B ${i}}},\n  author = {${i === 17 ? 'a, b, c, d' : 'Doe, Jane'}}\n}\n`);
    const stats = newStats();
    const r = await importBibtex(entries.join(''), 'x.bib', { ...conceptOptions, stats });
    assert.equal(r.papers.length, 40);
    assert.equal(stats.libraryEntries, 1);
    assert.deepEqual(brief(r.issues), [`69 warning Entry “k17”: @k17: unexpected 4-part name "a, b, c, d", dropping "d".`]);
  });
});
