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
    const bold = (text.match(/\{\\bf \{?Bold/g) ?? []).length;
    assert.ok(bold > 40, `${bold} with {\\bf …}`);
    // No entry whole; of the fields only the titles with {\bf …}.
    assert.equal(stats.libraryEntries, 0);
    assert.equal(stats.libraryFields, bold);
    // Formulas (one distinct per entry that has one) and unknown commands in batches of 64, the
    // fields in batches of 32: a few dozen calls for some 200 entries, not one or more per entry.
    const formulas = (text.match(/\$\\sum_/g) ?? []).length;
    assert.ok(stats.libraryCalls <= Math.ceil(formulas / 64) + Math.ceil(bold / 32) + 2 * Math.ceil(r.entries / 128) + 2, `${stats.libraryCalls} calls for ${r.entries} entries`);
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
