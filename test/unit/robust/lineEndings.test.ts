/**
 * CR-only (old Mac) and CRLF line endings count lines like LF ones everywhere the importers report
 * a line, and BibTeX recovery still cuts a broken entry at the next line that starts an entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importBibtex } from '../../../src/core/papers/bibtexImport';
import { importPapersJson } from '../../../src/core/papers/userJson';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSource } from '../../../src/core/checks/analyze';
import { pythonSyntaxError } from '../../../src/core/checks/syntax';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { parseJsonWithLines, JsonSyntaxError } from '../../../src/core/concepts/jsonLines';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { jsonErrorLine } from '../../../src/core/papers/validate';
import { computeLineStarts, lineColumnOf, LineIndex, nextLineBreak } from '../../../src/core/text/lineIndex';

const root = path.resolve(__dirname, '..', '..', '..');
const lossIndex = buildLossIndex(parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json').concepts);

const BIB_LINES = [
  '@article{good1,',
  '  title = {First Good Paper},',
  '  year = {2020}',
  '}',
  '@article{broken,',
  '  title = {Broken Paper',
  '  year = {2021}',
  '@article{good2,',
  '  title = {Second Good Paper},',
  '  year = {2022}',
  '}',
  '@article{good3,',
  '  title = {Third Good Paper},',
  '  year = {2023}',
  '}',
];

describe('LineIndex', () => {
  it('counts \\n, \\r\\n and a lone \\r as one line break each', () => {
    const text = 'a\nb\r\nc\rd';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual([...text].map((_, k) => lines.lineAt(k)), [1, 1, 2, 2, 2, 3, 3, 4]);
    assert.equal(lines.lineStartAt(text.indexOf('d')), text.indexOf('d'));
    assert.equal(lines.startOfLine(3), text.indexOf('c'));
  });
  it('is the one index: the class, the line starts and the one-off look-up agree on every offset', () => {
    const text = 'ab\r\ncd\ref\n\rg\r\r\nh';
    const lines = new LineIndex(text);
    assert.deepEqual([...lines.starts], [...computeLineStarts(text)]);
    assert.deepEqual([...computeLineStarts(text)], [0, 4, 7, 10, 11, 13, 15]);
    for (let k = 0; k <= text.length; k++) assert.deepEqual(lineColumnOf(text, k), lines.lineColumnAt(k), `offset ${k}`);
  });
  it('finds the next break of either kind', () => {
    assert.equal(nextLineBreak('ab\rc\nd', 0), 2);
    assert.equal(nextLineBreak('ab\rc\nd', 3), 4);
    assert.equal(nextLineBreak('abc', 0), -1);
  });
});

for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
  describe(`BibTeX with ${name} line endings`, () => {
    it('loads every good entry and reports the broken one at its own line', async () => {
      const r = await importBibtex(BIB_LINES.join(eol) + eol, 'refs.bib');
      assert.deepEqual(r.papers.map((p) => p.title), ['First Good Paper', 'Second Good Paper', 'Third Good Paper']);
      const errors = r.issues.filter((i) => i.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(r.issues));
      assert.equal(errors[0].line, 6); // the title whose brace is never closed
      assert.deepEqual(r.papers.map((p) => p.provenance?.entry), ['refs.bib:1', 'refs.bib:8', 'refs.bib:12']);
    });
    it('ends a % comment at the line end', async () => {
      const text = ['% a comment line', '@misc{c, title = {Commented Neighbour}}'].join(eol);
      const r = await importBibtex(text, 'refs.bib');
      assert.deepEqual(r.papers.map((p) => p.title), ['Commented Neighbour']);
      assert.equal(r.papers[0].provenance?.entry, 'refs.bib:2');
    });
  });

  describe(`Python with ${name} line endings`, () => {
    const src = ['import torch.nn.functional as F', '', 'def step(x, y):', '    probs = F.softmax(x, dim=1)', '    loss = F.cross_entropy(probs, y)', '    return loss', ''].join(eol);
    it('puts detector usages and check findings on their own lines, and names the line a finding refers to', () => {
      const scan = scanSource(src, lossIndex);
      assert.deepEqual(scan.usages.map((u) => [u.conceptId, u.line, u.column]), [['cross-entropy', 5, 14]]);
      const findings = checkSource(src, scan).filter((f) => f.rule === 'softmax-before-ce');
      assert.deepEqual(findings.map((f) => [f.line, f.column]), [[5, 28]]);
      assert.match(findings[0].message, /assigned on line 4\b/);
    });
    it('reports a syntax error at its line and names the opening bracket’s line', () => {
      assert.deepEqual(pythonSyntaxError(['x = 1', '', 'y = (2', 'z = ]'].join(eol)), {
        line: 4, column: 5, message: "closing parenthesis ']' does not match opening parenthesis '(' on line 3",
      });
    });
  });

  describe(`concept and seed JSON with ${name} line endings`, () => {
    const bad = ['{', '  "a": 1,', '  "b": [1, 2', '  "c": 3', '}'].join(eol);
    it('names the line of a JSON syntax error', () => {
      let err: unknown;
      try {
        JSON.parse(bad);
      } catch (e) {
        err = e;
      }
      assert.equal(jsonErrorLine(bad, err), 4);
      assert.throws(() => parseJsonWithLines(bad), (e: unknown) => e instanceof JsonSyntaxError && e.line === 4);
    });
    it('names the line of a value', () => {
      const located = parseJsonWithLines(['{', '  "a": 1,', '', '  "b": {"c": true}', '}'].join(eol));
      assert.equal(located.lineOf(['b', 'c']), 4);
    });
  });

  describe(`PaperLens JSON with ${name} line endings`, () => {
    it('reports a syntax error at its line and keeps the other records', async () => {
      const text = [
        '{"papers": [',
        '  {"title": "One"},',
        '  {"title": "Two",, "year": 2020},',
        '  {"title": "Three"}',
        ']}',
      ].join(eol);
      const r = await importPapersJson(text, 'team.paperlens.json');
      assert.deepEqual(r.papers.map((p) => p.title), ['One', 'Three']);
      const errors = r.issues.filter((i) => i.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(r.issues));
      assert.equal(errors[0].line, 3);
    });
    it('reports a field problem at the field’s line', async () => {
      const text = ['{"papers": [', '  {"title": "One",', '   "year": "soon"}', ']}'].join(eol);
      const r = await importPapersJson(text, 'team.paperlens.json');
      const yearIssue = r.issues.find((i) => i.message.includes('“year”'));
      assert.equal(yearIssue?.line, 3);
    });
  });
}

describe('appending to a file with CR-only line endings', () => {
  it('keeps \\r as the line ending for BibTeX and JSON', async () => {
    const { appendBibtexEntries, appendJsonRecords, lineEnding } = await import('../../../src/core/papers/corpusAppend');
    const bib = '@misc{a,\r  title = {A}\r}\r';
    assert.equal(lineEnding(bib), '\r');
    const out = appendBibtexEntries(bib, ['@misc{b,\n  title = {B}\n}']);
    assert.doesNotMatch(out, /\n/);
    const back = await importBibtex(out, 'refs.bib');
    assert.deepEqual(back.papers.map((p) => p.title), ['A', 'B']);
    const json = '{"papers": [\r  {"title": "A"}\r]}\r';
    const r = appendJsonRecords(json, [{ title: 'B' }]);
    assert.ok('text' in r);
    assert.doesNotMatch(r.text, /\n/);
    assert.deepEqual((JSON.parse(r.text) as { papers: { title: string }[] }).papers.map((p) => p.title), ['A', 'B']);
    assert.match(r.text, /\r  \{\r    "title": "B"\r  \}\r\]/);
  });
});
