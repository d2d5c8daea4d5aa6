import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseHfDate, parseHfPageDump, repairStrayLatex } from '../../../src/core/papers/hfPageDump';

const here = path.join(__dirname, 'hfPageDump');
const fixture = (name: string) => readFileSync(path.join(here, name), 'utf8');
const seedText = readFileSync(path.join(__dirname, '../../../paper-data/sources/hf-daily-papers-loss-functions.txt'), 'utf8');
const seedTitles = JSON.parse(fixture('seedTitles.json')) as string[];

describe('HF page dump importer on the real seed page', () => {
  const page = parseHfPageDump(seedText, { pageYear: 2026, file: 'seed.txt' });

  it('finds all 41 entries, in page order, none merged or split', () => {
    assert.deepEqual(page.entries.map((e) => e.title), seedTitles);
  });

  it('reports no problems', () => {
    assert.deepEqual(page.issues, []);
  });

  it('reads the page header date with the page year', () => {
    assert.equal(page.pageDate, '2026-06-15');
  });

  it('gives every entry an abstract of real length', () => {
    for (const e of page.entries) assert.ok(e.abstract.length > 500, `${e.title}: ${e.abstract.length} chars`);
  });

  it('keeps the entry that has no author/date line', () => {
    const e = page.entries.find((x) => x.title.startsWith('Forecasting Downstream Performance'))!;
    assert.equal(e.date, null);
    assert.equal(e.authorCount, null);
    assert.match(e.abstract, /^Progress in language model development/);
    assert.equal(page.entries[page.entries.indexOf(e) + 1].title, 'Scaling Laws for Autoregressive Generative Modeling');
  });

  it('reads an organisation line in place of authors', () => {
    const e = page.entries.find((x) => x.title.startsWith('Optimizing What Matters'))!;
    assert.equal(e.organization, 'ServiceNow-AI');
    assert.equal(e.authorCount, null);
    assert.equal(e.date, '2025-09-30');
    assert.equal(e.upvotes, 2);
  });

  it('separates the upvote count from the date', () => {
    const e = page.entries.find((x) => x.title === 'Cut Your Losses in Large-Vocabulary Language Models')!;
    assert.equal(e.date, '2024-11-13');
    assert.equal(e.upvotes, 4);
    assert.equal(e.authorCount, 5);
  });

  it('puts dates without a year in the page year', () => {
    const harmonic = page.entries.find((x) => x.title.startsWith('Rethinking the Harmonic Loss'))!;
    assert.equal(harmonic.date, '2026-03-10');
    const ghosts = page.entries.find((x) => x.title.startsWith('Ghosts of Softmax'))!;
    assert.equal(ghosts.date, '2026-03-13');
  });

  it('takes the page year as an input', () => {
    const other = parseHfPageDump(seedText, { pageYear: 2025 });
    assert.equal(other.entries.find((x) => x.title.startsWith('Ghosts of Softmax'))!.date, '2025-03-13');
    assert.equal(other.entries.find((x) => x.title.startsWith('Cut Your Losses'))!.date, '2024-11-13');
  });

  it('repairs the stray LaTeX in abstracts', () => {
    const forecasting = page.entries.find((x) => x.title.startsWith('Forecasting'))!;
    assert.match(forecasting.abstract, /roughly 10,000× less compute/);
    const ghosts = page.entries.find((x) => x.title.startsWith('Ghosts of Softmax'))!;
    assert.match(ghosts.abstract, /“ghosts of softmax”/);
    assert.match(ghosts.abstract, /a_k=∇z_k·v/);
    assert.doesNotMatch(ghosts.abstract, /cdot|nabla|\{,\}/);
    const ar = page.entries.find((x) => x.title.startsWith('Scaling Laws for Autoregressive'))!;
    assert.match(ar.abstract, /image↔text/);
  });

  it('records the line of each title', () => {
    const lines = seedText.split('\n');
    for (const e of page.entries) assert.equal(lines[e.line - 1].trim(), e.title);
  });
});

describe('HF page dump importer on hand-made irregular pages', () => {
  it('handles each irregularity in one page', () => {
    const page = parseHfPageDump(fixture('irregular.txt'), { pageYear: 2026, file: 'irregular.txt' });
    assert.deepEqual(page.issues, []);
    assert.deepEqual(page.entries.map((e) => [e.title, e.date, e.upvotes, e.authorCount, e.organization]), [
      ['A Paper With Everything', '2024-11-13', 4, 3, null],
      ['A Paper Without Metadata', null, null, null, null],
      ['A Paper From An Organisation', '2025-09-30', 2, null, 'Acme-AI'],
      ['A Paper Dated This Year', '2026-03-10', null, 1, null],
    ]);
  });

  it('joins multi-paragraph abstracts and accepts CRLF line endings', () => {
    const page = parseHfPageDump(fixture('crlf.txt'), { pageYear: 2026 });
    assert.equal(page.entries.length, 1);
    assert.match(page.entries[0].abstract, /at all\.\n\nThe second paragraph/);
    assert.equal(page.entries[0].date, '2023-01-01');
  });

  it('warns, naming the line, when a yearless date has no page year', () => {
    const page = parseHfPageDump(fixture('irregular.txt'), { file: 'irregular.txt' });
    const dated = page.entries.find((e) => e.title === 'A Paper Dated This Year')!;
    assert.equal(dated.date, null);
    const issue = page.issues.find((i) => i.message.includes('no year'))!;
    assert.equal(issue.file, 'irregular.txt');
    assert.equal(fixture('irregular.txt').split('\n')[issue.line - 1], 'Mar 10');
  });

  it('repairs stray LaTeX with named rules', () => {
    const page = parseHfPageDump(fixture('latex.txt'), { pageYear: 2026 });
    const e = page.entries[0];
    assert.equal(
      e.abstract,
      'We need roughly 10,000× less compute, an 18× horizon, image↔text models, and “ghosts of softmax” with a_k=∇z_k·v for all k ≥ 1 using ℓ_2 distances.',
    );
    assert.ok(e.repairs.includes('\\times after a number'));
  });
});

describe('HF page dump importer on malformed input', () => {
  it('keeps the readable entries of a truncated page and warns at the cut', () => {
    const page = parseHfPageDump(fixture('truncated.txt'), { pageYear: 2026, file: 'truncated.txt' });
    assert.deepEqual(page.entries.map((e) => e.title), ['A Complete Paper', 'A Paper Cut Off']);
    assert.equal(page.entries[1].authorCount, 4);
    assert.equal(page.issues.length, 1);
    assert.match(page.issues[0].message, /no date.*truncated/);
    assert.equal(page.issues[0].line, 13); // the "• 4 authors" line whose block never got its date
  });

  it('reports an empty file as an error, without throwing', () => {
    for (const text of ['', '\n\n  \n']) {
      const page = parseHfPageDump(text, { file: 'empty.txt' });
      assert.equal(page.entries.length, 0);
      assert.equal(page.issues.length, 1);
      assert.equal(page.issues[0].severity, 'error');
      assert.match(page.issues[0].message, /No papers found/);
    }
  });

  it('refuses binary garbage with a clear error', () => {
    const bytes = readFileSync(path.join(here, 'garbage.bin'));
    const page = parseHfPageDump(bytes.toString('utf8'), { file: 'garbage.bin' });
    assert.equal(page.entries.length, 0);
    assert.match(page.issues[0].message, /not text/);
    assert.equal(page.issues[0].file, 'garbage.bin');
  });

  it('leaves an impossible date empty and says so', () => {
    const page = parseHfPageDump(fixture('baddate.txt'), { file: 'baddate.txt' });
    assert.equal(page.entries.length, 1);
    assert.equal(page.entries[0].date, null);
    assert.equal(page.issues[0].line, 7);
    assert.match(page.issues[0].message, /Feb 30, 2024/);
  });

  it('never throws on any prefix of the real page', () => {
    const lines = seedText.split('\n');
    for (let n = 0; n <= lines.length; n += 7) {
      const page = parseHfPageDump(lines.slice(0, n).join('\n'), { pageYear: 2026 });
      for (const issue of page.issues) assert.ok(issue.line >= 1 && issue.line <= Math.max(1, n));
      assert.ok(page.entries.length <= 41);
    }
  });
});

describe('parseHfDate', () => {
  it('parses dates with and without year and upvotes', () => {
    assert.deepEqual(parseHfDate('Dec 30, 2024'), { date: '2024-12-30', upvotes: null, yearMissing: false });
    assert.deepEqual(parseHfDate('Aug 20, 2024 1'), { date: '2024-08-20', upvotes: 1, yearMissing: false });
    assert.deepEqual(parseHfDate('Mar 10', 2026), { date: '2026-03-10', upvotes: null, yearMissing: false });
    assert.deepEqual(parseHfDate('Mar 10'), { date: null, upvotes: null, yearMissing: true });
    assert.equal(parseHfDate('Feb 29, 2023'), null);
    assert.equal(parseHfDate('Dual-Encoders'), null);
  });

  it('leaves ordinary prose alone when repairing LaTeX', () => {
    const prose = 'Sometimes the leader gets cdots wrong; alpha testing and ellipses stay.';
    assert.equal(repairStrayLatex(prose).text, prose);
  });
});
