import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { appendBibtexEntries, appendJsonRecords, atomicWriteFile, newPapersJson, paperToRecord, uniqueKey, withCitationKey } from '../../../src/core/papers/corpusAppend';
import { importBibtex } from '../../../src/core/papers/bibtexImport';
import { importPapersJson } from '../../../src/core/papers/userJson';
import type { Paper } from '../../../src/core/papers/types';

const paper: Paper = {
  id: '1708.02002', title: 'Focal Loss for Dense Object Detection', abstract: 'Abstract.', authors: ['Tsung-Yi Lin'], authorCount: 1,
  date: null, year: 2017, venue: 'ICCV 2017', arxivId: '1708.02002', doi: null, links: { arxiv: 'https://arxiv.org/abs/1708.02002', code: 'https://github.com/x/y' },
  concepts: [{ id: 'focal', relation: 'proposes' }, { id: 'cross-entropy', relation: 'studies', inferred: true }], sources: ['a.bib'],
};

describe('appending to a BibTeX file', () => {
  it('adds entries after one blank line and ends with a newline, keeping CRLF files CRLF', () => {
    assert.equal(appendBibtexEntries('@misc{a, title={A}}\n\n\n', ['@misc{b,\n title={B}}']), '@misc{a, title={A}}\n\n@misc{b,\n title={B}}\n');
    assert.equal(appendBibtexEntries('@misc{a, title={A}}\r\n', ['@misc{b,\n title={B}}']), '@misc{a, title={A}}\r\n\r\n@misc{b,\r\n title={B}}\r\n');
    assert.equal(appendBibtexEntries('', ['@misc{b, title={B}}']), '@misc{b, title={B}}\n');
  });

  it('renames a citation key that the file already uses', () => {
    assert.equal(uniqueKey('lin2017', new Set(['Lin2017', 'lin2017a'])), 'lin2017b');
    assert.equal(uniqueKey('new', new Set(['old'])), 'new');
    assert.equal(withCitationKey('@article{ lin2017,\n title={x}}', 'lin2017b'), '@article{ lin2017b,\n title={x}}');
  });
});

describe('appending to a PaperLens JSON file', () => {
  it('inserts records into the papers list, keeping the file’s formatting', async () => {
    const existing = '{\n    "$schema": "x",\n    "papers": [\n        { "title": "Kept As Written" }\n    ]\n}\n';
    const out = appendJsonRecords(existing, [paperToRecord(paper)]);
    assert.ok('text' in out);
    assert.ok(out.text.startsWith('{\n    "$schema": "x",\n    "papers": [\n        { "title": "Kept As Written" },\n        {\n          "title": "Focal Loss'));
    const r = await importPapersJson(out.text, 'x.json');
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.papers.map((p) => p.title), ['Kept As Written', 'Focal Loss for Dense Object Detection']);
    assert.deepEqual(r.papers[1].concepts, [{ id: 'focal', relation: 'proposes' }], 'inferred tags are not written as stated ones');
  });

  it('fills an empty list, a bare array and an empty file', async () => {
    for (const existing of ['{"papers": []}', '[]', '', '{\n  "papers": [\n  ]\n}']) {
      const out = appendJsonRecords(existing, [{ title: 'One' }, { title: 'Two' }]);
      assert.ok('text' in out, existing);
      const r = await importPapersJson(out.text, 'x.json');
      assert.deepEqual(r.papers.map((p) => p.title), ['One', 'Two'], out.text);
      assert.deepEqual(r.issues, [], out.text);
    }
  });

  it('refuses a file that is not valid JSON or not a papers file', () => {
    assert.match((appendJsonRecords('{"papers": [', [{ title: 'x' }]) as { error: string }).error, /not valid JSON/);
    assert.match((appendJsonRecords('{"other": 1}', [{ title: 'x' }]) as { error: string }).error, /not a PaperLens papers file/);
  });

  it('a new file names its schema', () => {
    assert.equal(JSON.parse(newPapersJson([{ title: 'A' }], 'https://example.org/s.json')).$schema, 'https://example.org/s.json');
  });
});

describe('atomic writes', () => {
  it('replaces the file in one rename, keeps its mode, and leaves no temporary file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-atomic-'));
    const file = path.join(dir, 'refs.bib');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    await atomicWriteFile(file, 'new');
    assert.equal(readFileSync(file, 'utf8'), 'new');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['refs.bib']);
  });

  it('leaves the original untouched when the write fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-atomic-'));
    await assert.rejects(atomicWriteFile(path.join(dir, 'missing-dir', 'refs.bib'), 'x'));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('an appended BibTeX entry parses back', async () => {
    const text = appendBibtexEntries('@misc{a, title={A}}\n', ['@article{b, title={B}, year=2020}']);
    assert.deepEqual((await importBibtex(text, 'x.bib')).papers.map((p) => p.title), ['A', 'B']);
  });
});
