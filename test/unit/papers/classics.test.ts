// The classics collection: its build (paper-data/classics/*.json → paper-data/generated/classics.json),
// how a bad file is reported and skipped, and how the shipped corpus joins it to the seed papers.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildClassicsText, buildCorpusText, readClassicsFiles, registryConceptIds } from '../../../scripts/buildCorpus';
import { loadConceptDir } from '../../../src/core/concepts/load';
import { ConceptRegistry } from '../../../src/core/concepts/registry';
import { loadShippedCorpus } from '../../../src/core/dataFiles';
import { buildClassics, lineOfKey, type ClassicsFile } from '../../../src/core/papers/classics';
import { paperCollection } from '../../../src/core/papers/collections';
import { mergePapers } from '../../../src/core/papers/merge';
import type { Paper } from '../../../src/core/papers/types';

const dataDir = path.join(__dirname, '../../../paper-data');
const seed = buildCorpusText(dataDir).papers;
const conceptIds = registryConceptIds(dataDir);
const focalText = readFileSync(path.join(dataDir, 'classics', '1708.02002.json'), 'utf8');
const focal = JSON.parse(focalText) as Paper;

/** The focal-loss file with `edit` applied to its record, as a file named after the (edited) id. */
function variant(edit: (p: Record<string, unknown>) => void, name?: string): ClassicsFile {
  const p = JSON.parse(focalText) as Record<string, unknown>;
  edit(p);
  return { name: `classics/${name ?? String(p.id)}.json`, text: `${JSON.stringify(p, null, 2)}\n` };
}

describe('classics build', () => {
  it('reproduces paper-data/generated/classics.json byte for byte from paper-data/classics, with no problems', () => {
    const built = buildClassicsText(dataDir, seed);
    assert.deepEqual(built.issues, []);
    const committed = readFileSync(path.join(dataDir, 'generated', 'classics.json'), 'utf8');
    assert.ok(built.text === committed, 'paper-data/generated/classics.json is stale: run `npm run corpus`');
    assert.equal(built.count, readClassicsFiles(dataDir).length, 'every classics file loads');
  });

  it('is deterministic: the same files in any order give the same output, sorted by id', () => {
    const files = readClassicsFiles(dataDir);
    const a = buildClassics({ files, seed, conceptIds });
    const b = buildClassics({ files: [...files].reverse(), seed, conceptIds });
    assert.deepEqual(a, b);
    const ids = a.papers.map((p) => p.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(a.papers.every((p) => p.collection === 'classics' && p.sources.length === 1 && p.sources[0] === 'shipped:classics'));
  });

  it('skips a malformed file, naming the file and the line, and loads the others', () => {
    const broken = { name: 'classics/broken.json', text: '{\n  "id": "broken",\n  "title": "x",\n  oops\n}\n' };
    const badYear = variant((p) => { p.year = 'seventeen'; p.id = 'bad-year'; p.arxivId = null; }, 'bad-year');
    const good = { name: 'classics/1708.02002.json', text: focalText };
    const { papers, issues } = buildClassics({ files: [broken, badYear, good], seed, conceptIds });
    assert.deepEqual(papers.map((p) => p.id), ['1708.02002']);
    const byFile = new Map(issues.map((i) => [i.file, i]));
    assert.equal(byFile.get('classics/broken.json')?.line, 4);
    assert.match(byFile.get('classics/broken.json')!.message, /Invalid JSON/);
    const year = byFile.get('classics/bad-year.json');
    assert.equal(year?.line, lineOfKey(badYear.text, 'year'));
    assert.ok(year!.line > 1);
    assert.match(year!.message, /"year" must be a year or null/);
    assert.ok(issues.every((i) => i.severity === 'error'));
  });

  it('refuses a file that breaks a rule of the collection: unknown concept, no concept, unexplained empty abstract, bad arXiv id, no provenance', () => {
    const cases: [ClassicsFile, RegExp][] = [
      [variant((p) => { p.concepts = [{ id: 'not-a-loss', relation: 'introduces-classic' }]; }), /Concept "not-a-loss" is not in the registry/],
      [variant((p) => { p.concepts = []; }), /names the concept it introduced/],
      [variant((p) => { p.abstract = ''; p.provenance = { title: 'x' }; }), /provenance\.abstract" must say why/],
      [variant((p) => { p.arxivId = 'arXiv 1708'; }), /is not an arXiv identifier/],
      [variant((p) => { delete p.provenance; }), /"provenance" must map each field/], // no line to point at: the field is missing
    ];
    for (const [file, message] of cases) {
      const { papers, issues } = buildClassics({ files: [file], seed, conceptIds });
      assert.deepEqual(papers, [], file.name);
      assert.ok(issues.some((i) => i.severity === 'error' && message.test(i.message) && (i.line > 1 || /"provenance" must map/.test(i.message))), `${file.name}: ${JSON.stringify(issues)}`);
    }
  });

  it('loads a paper with lesser slips, repaired, and warns with the line: file name, stray field, bad link, other sources, author count', () => {
    const cases: [ClassicsFile, RegExp, (p: Paper) => void][] = [
      [variant(() => {}, 'focal'), /file is named focal\.json/, (p) => assert.equal(p.id, '1708.02002')],
      [variant((p) => { p.abstarct = 'x'; }), /Unknown field "abstarct"/, (p) => assert.ok(!('abstarct' in p))],
      [variant((p) => { p.links = { arxiv: 'javascript:alert(1)', pdf: 'https://arxiv.org/pdf/1708.02002' }; }), /Link "arxiv" is not an http\(s\) URL/, (p) => assert.deepEqual(p.links, { pdf: 'https://arxiv.org/pdf/1708.02002' })],
      [variant((p) => { p.sources = ['shipped:papers.json']; }), /"sources" must be \["shipped:classics"\]/, (p) => assert.deepEqual(p.sources, ['shipped:classics'])],
      [variant((p) => { p.authorCount = 9; }), /"authorCount" is 9 but 5 authors are listed/, (p) => assert.equal(p.authors.length, 5)],
    ];
    for (const [file, message, check] of cases) {
      const { papers, issues } = buildClassics({ files: [file], seed, conceptIds });
      assert.equal(papers.length, 1, `${file.name}: ${JSON.stringify(issues)}`);
      check(papers[0]);
      assert.ok(issues.some((i) => i.severity === 'warning' && message.test(i.message) && i.line > 1), `${file.name}: ${JSON.stringify(issues)}`);
      assert.ok(issues.every((i) => i.severity === 'warning'));
    }
  });

  it('leaves out a paper the seed corpus already has, and folds a second file for the same paper into the first', () => {
    const ms = seed.find((p) => p.id === '1904.06627')!;
    const dupOfSeed = variant((p) => { p.id = ms.id; p.arxivId = ms.arxivId; p.title = ms.title; p.concepts = [{ id: 'multi-similarity', relation: 'introduces-classic' }]; });
    // A second file on the same paper, named after another loss it introduced (as DIoU and CIoU share one).
    const twin = variant((p) => { p.concepts = [{ id: 'cross-entropy', relation: 'studies' }]; }, 'zz-focal-again');
    const { papers, issues } = buildClassics({ files: [dupOfSeed, { name: 'classics/1708.02002.json', text: focalText }, twin], seed, conceptIds });
    assert.deepEqual(papers.map((p) => p.id), ['1708.02002']);
    assert.deepEqual(papers[0].concepts, [{ id: 'focal', relation: 'introduces-classic' }, { id: 'cross-entropy', relation: 'studies' }]);
    const seedIssue = issues.find((i) => i.file.endsWith('1904.06627.json'))!;
    assert.equal(seedIssue.severity, 'error');
    assert.match(seedIssue.message, /Already in the seed corpus as 1904\.06627/);
    const twinIssue = issues.find((i) => i.file.endsWith('zz-focal-again.json') && /Same paper/.test(i.message))!;
    assert.equal(twinIssue.severity, 'warning');
    assert.match(twinIssue.message, /Same paper as classics\/1708\.02002\.json .*concept tags \(cross-entropy\) were added/);
  });
});

describe('shipped corpus with the classics collection', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'paperlens-classics-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('sets the collection of every paper: seed for papers.json, classics for classics.json', () => {
    const { corpus, issues } = loadShippedCorpus(dataDir);
    assert.deepEqual(issues, []);
    const classics = corpus.papers.filter((p) => p.collection === 'classics');
    assert.equal(classics.length, readClassicsFiles(dataDir).length);
    assert.equal(corpus.papers.filter((p) => p.collection === 'seed').length, seed.length);
    assert.equal(corpus.size, seed.length + classics.length);
    assert.equal(corpus.get('1708.02002')?.collection, 'classics');
    assert.equal(corpus.get('arXiv:1708.02002v2')?.title, 'Focal Loss for Dense Object Detection');
  });

  it('skips a malformed classics record with an issue naming classics.json, keeps the rest, and survives a missing file', () => {
    const dir = path.join(tmp, 'data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'papers.json'), JSON.stringify(seed.slice(0, 2)));
    const withoutClassics = loadShippedCorpus(dir);
    assert.equal(withoutClassics.corpus.size, 2);
    assert.deepEqual(withoutClassics.issues.map((i) => i.severity), ['warning']);
    assert.match(withoutClassics.issues[0].message, /classics collection is missing/);

    writeFileSync(path.join(dir, 'classics.json'), JSON.stringify([focal, { id: 'no-title' }, { ...seed[0], collection: 'classics' }], null, 2));
    const { corpus, issues } = loadShippedCorpus(dir);
    assert.deepEqual(corpus.papers.map((p) => [p.id, p.collection]), [[seed[0].id, 'seed'], [seed[1].id, 'seed'], ['1708.02002', 'classics']]);
    assert.ok(issues.some((i) => i.file.endsWith('classics.json') && i.severity === 'error' && /Paper #2 skipped/.test(i.message)));
    assert.ok(issues.some((i) => i.file.endsWith('classics.json') && i.severity === 'warning' && /already among the shipped papers/.test(i.message)));
  });

  it('links concepts to their classic paper through the papers: the classic comes first in papersFor', () => {
    const { corpus } = loadShippedCorpus(dataDir);
    const registry = new ConceptRegistry(loadConceptDir(path.join(dataDir, 'concepts')).concepts);
    const focalPapers = registry.papersFor('focal', corpus.papers);
    assert.equal(focalPapers[0].paper.id, '1708.02002');
    assert.equal(focalPapers[0].relation, 'introduces-classic');
    assert.ok(focalPapers.some((l) => l.paper.id === '2512.20520' && l.relation === 'studies'), 'the seed study stays listed, after the classic');
    // Harmonic loss: the original paper (classics) before the seed paper that proposes a variant.
    assert.deepEqual(registry.papersFor('harmonic', corpus.papers).map((l) => l.paper.id).slice(0, 2), ['2502.01628', '2603.10225']);
    assert.equal(registry.papersFor('triplet-margin-with-distance', corpus.papers)[0].paper.id, '1503.03832');
  });

  it('keeps a shipped classic in its collection when a user\'s file has the same paper', async () => {
    const { corpus } = loadShippedCorpus(dataDir);
    const mine: Paper = { id: 'lin2017focal', title: 'Focal loss for dense object detection', abstract: '', authors: ['T. Lin'], authorCount: 1, date: null, year: 2017, venue: 'ICCV', arxivId: '1708.02002', links: {}, concepts: [], sources: ['/home/me/refs.bib'], citationKey: 'lin2017focal' };
    const other: Paper = { ...mine, id: 'mine', title: 'A paper of my own on losses', arxivId: null, citationKey: 'me2024' };
    const merged = await mergePapers(corpus.papers, [{ file: '/home/me/refs.bib', papers: [mine, other] }]);
    const focalMerged = merged.find((p) => p.id === '1708.02002')!;
    assert.equal(focalMerged.collection, 'classics');
    assert.equal(paperCollection(focalMerged), 'classics');
    assert.deepEqual(focalMerged.sources, ['/home/me/refs.bib', 'shipped:classics']);
    assert.equal(paperCollection(merged.find((p) => p.id === 'mine')!), 'user');
    assert.equal(paperCollection(merged.find((p) => p.id === '2411.09009')!), 'seed');
  });
});
