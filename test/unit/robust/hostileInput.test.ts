/**
 * Inputs that used to cost time or output out of proportion to their size: a JSON corpus written
 * on one line, runs of `@article{` whose messages quoted the rest of the file, files broken
 * everywhere. The slow versions took minutes on these inputs: a test's timeout is its hang guard
 * (times are `npm run bench`'s and `npm run fuzz`'s to report, never a test's to assert).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importBibtex } from '../../../src/core/papers/bibtexImport';
import { loadCorpusText, MAX_ISSUES_PER_FILE } from '../../../src/core/papers/userCorpus';
import { importPapersJson, locateRecords } from '../../../src/core/papers/userJson';

/** A hang guard, not a benchmark: fails a test that runs this long. */
const HANG = { timeout: 60_000 };

describe('JSON corpus written on one line', () => {
  const papers = Array.from({ length: 40_000 }, (_, k) => ({ title: `Paper number ${k}`, year: 2000 + (k % 25), authors: ['Ada Lovelace'] }));
  const oneLine = JSON.stringify({ papers });

  it('locates 40,000 records in linear time', HANG, () => {
    // About 0.2 s; looking back to the line start for each record took 105 s.
    const located = locateRecords(oneLine);
    assert.equal(located.records.length, 40_000);
  });

  it('recovers 60,000 broken records on one line', HANG, async () => {
    const broken = `[${Array.from({ length: 60_000 }, (_, k) => `{"title": "P${k}",}`).join(',')}]`;
    // About 0.2 s of CPU: records are checked without throwing (jsonRecords.test.ts counts the
    // exceptions); 1.5 s with an exception per record, 58 s when quadratic.
    const r = await importPapersJson(broken, 'one.paperlens.json');
    assert.equal(r.failed, 60_000);
  });
});

describe('BibTeX messages stay short', () => {
  const hostile: [string, string][] = [
    ['a run of @article{ on one line', '@article{'.repeat(9_000)],
    ['a run of @article{ on separate lines', '@article{\n'.repeat(9_000)],
    ['a key that is the rest of the file', `@article{${'k'.repeat(80_000)}`],
    ['nested braces that never close', `@article{x, title = ${'{'.repeat(80_000)}`],
    ['repeated keys', '@article{x,\n'.repeat(9_000)],
  ];
  for (const [name, text] of hostile) {
    it(`${name}: at most ${MAX_ISSUES_PER_FILE} + 1 messages of bounded length`, async () => {
      const r = await loadCorpusText(text, 'hostile.bib');
      assert.ok(r.issues.length <= MAX_ISSUES_PER_FILE + 1, `${r.issues.length} issues`);
      for (const i of r.issues) assert.ok(i.message.length < 400, `message of ${i.message.length} characters: ${i.message.slice(0, 120)}`);
      for (const i of r.issues) assert.ok(i.line >= 1 && i.line <= text.split('\n').length, `line ${i.line}`);
    });
  }

  it('counts the problems it does not list', async () => {
    const text = '@article{\n'.repeat(1_000);
    const r = await loadCorpusText(text, 'hostile.bib');
    assert.equal(r.issues.length, MAX_ISSUES_PER_FILE + 1);
    assert.match(r.issues.at(-1)!.message, /^800 more problems from this line on \(800 errors\) are not listed/);
    assert.equal(r.issues.at(-1)!.line, MAX_ISSUES_PER_FILE + 1);
  });

  it('quotes a long key as a short excerpt', async () => {
    const r = await importBibtex(`@article{${'k'.repeat(10_000)}`, 'long.bib');
    assert.equal(r.issues.length, 1);
    assert.match(r.issues[0].message, /^Entry “k{39}…” is not closed/);
  });
});

describe('isArxivId', () => {
  it('accepts identifiers that can exist and refuses impossible months and digit counts', async () => {
    const { isArxivId } = await import('../../../src/core/papers/ids');
    for (const id of ['1708.02002', '2411.09009v2', '0704.0001', '1412.8754', '1501.00001', 'hep-th/9901001', 'math.GT/0309136', 'cs/0703001']) assert.ok(isArxivId(id), id);
    for (const id of ['2242.40242', '2400.12345', '2413.12345', '0612.1234', '1708.020021', '1501.0001', '1412.87540', 'hep-th/9913001', 'cs/0704001']) assert.ok(!isArxivId(id), id);
  });
});

describe('BibTeX keys', () => {
  it('a run of @article{ closed by as many braces is not one entry with a half-megabyte key', HANG, async () => {
    const n = 60_000;
    const r = await importBibtex(`${'@article{'.repeat(n)}${'}'.repeat(n)}`, 'run.bib'); // 101 s before
    assert.equal(r.papers.length, 0);
    for (const i of r.issues) assert.ok(i.message.length < 400);
  });
});

describe('BibTeX entries without a title', () => {
  // Found by `npm run fuzz -- --cases 20000` (seed 23): a 1 MB line of `( Ml}@article{}` took 3.6 s,
  // the BibTeX library set up once for each of its 66,666 empty entries; 0.5 s now that an entry
  // without a title is skipped before any conversion. The run's time is the fuzz run's to check.
  it('a line of 66,666 empty entries: each skipped as untitled, the problems capped with a count', async () => {
    const text = '( Ml}@article{}'.repeat(66_666);
    const r = await loadCorpusText(text, 'empty.bib');
    assert.equal(r.papers.length, 0);
    assert.equal(r.entries, 66_666);
    assert.equal(r.issues.length, MAX_ISSUES_PER_FILE + 1);
    assert.ok(r.issues.slice(0, -1).every((i) => i.line === 1 && i.message === 'Entry “@article” has no title; it is skipped.'));
    assert.match(r.issues.at(-1)!.message, /^66466 more problems from this line on \(66466 errors\)/);
  });

  it('an entry that inherits its title through crossref is still converted', async () => {
    const r = await importBibtex('@inproceedings{child, crossref = {parent}, author = {Ada Lovelace}}\n@proceedings{parent, title = {Shared Title}, year = {2020}}\n', 'x.bib');
    assert.ok(r.papers.some((p) => p.provenance?.entry === 'x.bib:1'), JSON.stringify(r.papers.map((p) => [p.title, p.provenance])));
  });
});
