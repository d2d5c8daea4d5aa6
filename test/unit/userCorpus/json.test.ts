import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { importPapersJson, locateRecords } from '../../../src/core/papers/userJson';
import { loadCorpusFile } from '../../../src/core/papers/userCorpus';
import { brief, conceptOptions, fixture } from './helpers';

describe('PaperLens JSON import', () => {
  it('loads a team file: arXiv ids, DOIs and links normalised, concepts stated or inferred', async () => {
    const r = await loadCorpusFile(fixture('json', 'team.paperlens.json'), conceptOptions, 'team.paperlens.json');
    assert.deepEqual(brief(r.issues), []);
    assert.equal(r.papers.length, 3);
    const [focal, poly, report] = r.papers;
    assert.equal(focal.id, '1708.02002');
    assert.equal(focal.arxivId, '1708.02002', 'the arXiv: prefix and version are dropped');
    assert.equal(focal.links.code, 'https://github.com/facebookresearch/Detectron');
    assert.deepEqual(focal.concepts, [{ id: 'focal', relation: 'proposes' }]);
    assert.equal(poly.date, '2022-04-26');
    assert.deepEqual(poly.concepts.map((c) => [c.id, c.inferred]), [['poly-loss', true], ['cross-entropy', true], ['focal', true]]);
    assert.equal(report.doi, '10.5555/internal.2025.1', 'the resolver prefix is dropped');
    assert.equal(report.links.doi, 'https://doi.org/10.5555/internal.2025.1');
    assert.equal(report.citationKey, 'team2025calibrated');
    assert.deepEqual(report.concepts, [{ id: 'label-smoothing', relation: 'studies' }, { id: 'cross-entropy', relation: 'studies' }]);
    assert.equal(focal.provenance?.entry, 'team.paperlens.json:4');
  });

  it('a broken file loses only its broken records, each reported at its line (or field’s line)', async () => {
    const r = await loadCorpusFile(fixture('json', 'broken.paperlens.json'), conceptOptions, 'broken.paperlens.json');
    assert.deepEqual(r.papers.map((p) => p.title), ['A Good First Record', 'Wrong Types Still Load', 'The Last Record Loads']);
    assert.deepEqual(brief(r.issues), [
      '9 error Paper #2 is not valid JSON (Expected double-quoted property name (is there a trailing comma?)); it is skipped.',
      '11 warning Paper #3 (“Wrong Types Still Load”): Link “javascript:alert(1)” (url) is not an http(s) URL; it is ignored.',
      '13 warning Paper #3 (“Wrong Types Still Load”): “year” must be a year such as 2021; it is ignored.',
      '14 warning Paper #3 (“Wrong Types Still Load”): “authors” must be a list of names, e.g. ["Ada Lovelace"]; it is ignored.',
      '15 warning Paper #3 (“Wrong Types Still Load”): unknown field “titel” is ignored (did you mean “title”?).',
      '18 error Paper #4 has no “title”; it is skipped.',
      '21 error Paper #5 is not an object (found a string); it is skipped.',
      '24 warning Paper #6 (“The Last Record Loads”): concept relation “invents” is not one of proposes, studies, introduces-classic; “studies” is used.',
    ]);
    assert.equal(r.failed, 3);
  });

  it('accepts a bare list of papers (the shape of papers.json)', async () => {
    const r = await loadCorpusFile(fixture('json', 'bareArray.json'), {}, 'bareArray.json');
    assert.deepEqual(r.papers.map((p) => [p.title, p.year]), [['A Bare Array Of Papers Works Too', 2018]]);
    assert.deepEqual(r.issues, []);
  });

  it('reads the shipped papers.json as a user file without complaint', async () => {
    const r = await loadCorpusFile(fixture('../../../paper-data/papers.json'), {}, 'papers.json');
    assert.deepEqual(brief(r.issues.filter((i) => i.severity === 'error')), []);
    assert.equal(r.papers.length, 41);
  });

  it('an empty file, an empty list, and the wrong shape', async () => {
    assert.deepEqual(brief((await importPapersJson('  \n', 'e.json')).issues), ['1 warning The file is empty (expected {"papers": [ … ]}).']);
    assert.deepEqual(brief((await importPapersJson('{"papers": []}', 'e.json')).issues), ['1 warning The file lists no papers.']);
    const wrong = await importPapersJson('{"items": []}', 'w.json');
    assert.deepEqual(brief(wrong.issues), ['1 error Expected {"papers": [ … ]} or a list of papers.']);
    assert.equal(wrong.failed, 1);
  });

  it('recovers records after one that is never closed, using the indentation', async () => {
    const text = ['{', '  "papers": [', '    {', '      "title": "Before"', '    },', '    {', '      "title": "Unclosed",', '    {', '      "title": "After"', '    }', '  ]', '}'].join('\n');
    const r = await importPapersJson(text, 'u.json');
    assert.deepEqual(r.papers.map((p) => p.title), ['Before', 'After']);
    assert.deepEqual(brief(r.issues), ['6 error Paper #2 is not closed: a “}” is missing before the next paper starts; it is skipped.']);
  });

  it('a truncated file keeps the records before the cut', async () => {
    const text = '{"papers": [\n  {"title": "One"},\n  {"title": "Two"},\n  {"title": "Thr';
    const r = await importPapersJson(text, 't.json');
    assert.deepEqual(r.papers.map((p) => p.title), ['One', 'Two']);
    assert.ok(r.issues.every((i) => i.line >= 1 && i.line <= 4));
    assert.ok(r.issues.some((i) => i.severity === 'error'));
  });

  it('locates records and their fields without parsing values', () => {
    const text = readFileSync(fixture('json', 'team.paperlens.json'), 'utf8');
    const { records, container } = locateRecords(text);
    assert.equal(container, 'papers');
    assert.equal(records.length, 3);
    assert.deepEqual([...records[0].keys.keys()], ['title', 'arxiv', 'venue', 'code', 'concepts']);
    assert.equal(JSON.parse(text.slice(records[1].start, records[1].end)).arxiv, '2204.12511');
  });
});
