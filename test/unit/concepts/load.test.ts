// The concept loader and the registry's lookups, on small concepts written for the test.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseJsonWithLines } from '../../../src/core/concepts/jsonLines';
import { loadConceptDir, loadConcepts, parseConceptBundle, serializeConcepts } from '../../../src/core/concepts/load';
import { ConceptRegistry, splitSources } from '../../../src/core/concepts/registry';
import { canonicalQualifiedName } from '../../../src/core/concepts/qualifiedName';
import type { Concept } from '../../../src/core/concepts/types';
import type { Paper, PaperConcept } from '../../../src/core/papers/types';

function concept(id: string, extra: Partial<Concept> = {}): Record<string, unknown> {
  return {
    id,
    name: `Loss ${id}`,
    aliases: [],
    category: 'classic',
    summary: 'A loss for the test.',
    formula: { latex: 'x^2', source: 'https://example.org/formula', verified: true },
    parameters: [{ name: 'margin', defaults: { pytorch: '1.0' }, meaning: 'A margin.', source: 'https://example.org/p' }],
    identifiers: [],
    handwrittenNames: [],
    related: [],
    pitfalls: [],
    ...extra,
  };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-concepts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function paper(id: string, year: number | null, tags: PaperConcept[]): Paper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: '',
    authors: [],
    authorCount: null,
    date: null,
    year,
    venue: null,
    arxivId: null,
    links: {},
    concepts: tags,
    sources: ['test'],
  };
}

describe('parseJsonWithLines', () => {
  it('reports the line of a syntax error', () => {
    assert.throws(() => parseJsonWithLines('{\n  "a": 1,\n}\n'), (err: Error & { line?: number }) => err.line === 3);
  });

  it('maps paths to the line of their key', () => {
    const located = parseJsonWithLines('{\n  "a": [\n    {"b": 1},\n    {"b": 2}\n  ],\n  "c": "x"\n}');
    assert.equal(located.lineOf(['a']), 2);
    assert.equal(located.lineOf(['a', 1, 'b']), 4);
    assert.equal(located.lineOf(['c']), 6);
    assert.equal(located.lineOf(['a', 1, 'missing']), 4, 'falls back to the nearest existing ancestor');
  });
});

describe('loadConceptDir', () => {
  it('skips a malformed file, names it and its line, and loads the rest', () => {
    const dir = tempDir({
      'good.json': JSON.stringify(concept('good'), null, 2),
      'broken.json': '{\n  "id": "broken",\n  "name": "x",\n}\n',
    });
    const { concepts, issues } = loadConceptDir(dir);
    assert.deepEqual(concepts.map((c) => c.id), ['good']);
    assert.equal(issues.length, 1);
    assert.equal(path.basename(issues[0]!.file), 'broken.json');
    assert.equal(issues[0]!.line, 4);
    assert.match(issues[0]!.message, /malformed JSON/);
  });

  it('names the line of a field with the wrong shape', () => {
    const text = JSON.stringify(concept('shape', { formula: { latex: 'x', source: '', verified: true } }), null, 2);
    const dir = tempDir({ 'shape.json': text });
    const { concepts, issues } = loadConceptDir(dir);
    assert.equal(concepts.length, 0);
    const issue = issues.find((i) => /formula\.source/.test(i.message));
    assert.ok(issue, JSON.stringify(issues));
    assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('"source": ""')) + 1);
  });

  it('rejects unknown fields, non-kebab ids, a file name that is not the id, duplicates and paper links', () => {
    const dir = tempDir({
      'a.json': JSON.stringify({ ...concept('a'), colour: 'red' }, null, 2),
      'Bad_Id.json': JSON.stringify(concept('Bad_Id'), null, 2),
      'c.json': JSON.stringify(concept('not-c'), null, 2),
      'd.json': JSON.stringify({ ...concept('d'), papers: [{ paperId: '1', relation: 'proposes' }] }, null, 2),
      'e.json': JSON.stringify(concept('e'), null, 2),
    });
    const { concepts, issues } = loadConceptDir(dir);
    assert.deepEqual(concepts.map((c) => c.id), ['e']);
    const text = issues.map((i) => `${path.basename(i.file)}: ${i.message}`).join('\n');
    assert.match(text, /a\.json: unknown field "colour"/);
    assert.match(text, /Bad_Id\.json: id "Bad_Id" is not kebab-case/);
    assert.match(text, /c\.json: file name must match the concept id/);
    assert.match(text, /d\.json: papers must be left out/);
  });

  it('reports an unreadable directory instead of throwing', () => {
    const { concepts, issues } = loadConcepts(path.join(os.tmpdir(), 'paperlens-no-such-dir-x'));
    assert.equal(concepts.length, 0);
    assert.match(issues[0]!.message, /cannot read/);
  });
});

describe('combined concepts file', () => {
  it('round-trips through serializeConcepts, sorted by id, with papers defaulted to []', () => {
    const dir = tempDir({ 'b.json': JSON.stringify(concept('b')), 'a.json': JSON.stringify(concept('a')) });
    const { concepts } = loadConceptDir(dir);
    const text = serializeConcepts([...concepts].reverse());
    assert.equal(text, serializeConcepts(concepts), 'order of the input does not matter');
    const back = loadConcepts(text);
    assert.deepEqual(back.issues, []);
    assert.deepEqual(back.concepts.map((c) => c.id), ['a', 'b']);
    assert.deepEqual(back.concepts[0]!.papers, []);
  });

  it('skips a bad entry of a bundle and names its line', () => {
    const text = JSON.stringify({ schemaVersion: 1, concepts: [concept('ok'), { ...concept('bad'), category: 'other' }] }, null, 2);
    const { concepts, issues } = parseConceptBundle(text, 'bundle.json');
    assert.deepEqual(concepts.map((c) => c.id), ['ok']);
    assert.equal(issues[0]!.file, 'bundle.json');
    assert.equal(issues[0]!.line, text.split('\n').findIndex((l) => l.includes('"category": "other"')) + 1);
  });

  it('refuses a schema version it does not know', () => {
    const { concepts, issues } = parseConceptBundle(JSON.stringify({ schemaVersion: 99, concepts: [] }), 'x.json');
    assert.equal(concepts.length, 0);
    assert.match(issues[0]!.message, /schemaVersion 99/);
  });
});

describe('ConceptRegistry', () => {
  const focal = concept('focal', {
    identifiers: [
      { framework: 'keras', qualifiedName: 'keras.losses.BinaryFocalCrossentropy', kind: 'class', source: 'https://keras.io' },
      { framework: 'torchvision', qualifiedName: 'torchvision.ops.sigmoid_focal_loss', kind: 'function', source: 'https://pytorch.org/vision' },
    ],
    handwrittenNames: ['focal_loss', 'FocalLoss'],
    related: ['dice', 'missing'],
  }) as unknown as Concept;
  const dice = concept('dice', { handwrittenNames: ['dice_loss'] }) as unknown as Concept;
  const registry = new ConceptRegistry([{ ...focal, papers: [] }, { ...dice, papers: [] }]);

  it('finds concepts by id, qualified name (with re-export spellings) and hand-written name', () => {
    assert.equal(registry.get('dice')?.name, 'Loss dice');
    assert.equal(registry.byQualifiedName('torchvision.ops.sigmoid_focal_loss')?.concept.id, 'focal');
    assert.equal(registry.byQualifiedName('tf.keras.losses.BinaryFocalCrossentropy')?.identifier.framework, 'keras');
    assert.equal(registry.byQualifiedName('tensorflow.keras.losses.BinaryFocalCrossentropy')?.concept.id, 'focal');
    assert.equal(registry.byQualifiedName('keras.losses.Nope'), undefined);
    assert.equal(registry.byHandwrittenName('FocalLoss')?.id, 'focal');
    assert.equal(registry.byHandwrittenName('focalLoss')?.id, 'focal', 'case and underscores are ignored as a fallback');
    assert.equal(registry.byHandwrittenName('Dice_Loss')?.id, 'dice');
    assert.equal(registry.byHandwrittenName('dice_score'), undefined);
  });

  it('canonicalises re-export spellings', () => {
    assert.equal(canonicalQualifiedName('tf.nn.softmax_cross_entropy_with_logits'), 'tensorflow.nn.softmax_cross_entropy_with_logits');
    assert.equal(canonicalQualifiedName('torch.nn.modules.loss.MSELoss'), 'torch.nn.MSELoss');
    assert.equal(canonicalQualifiedName('optax.l2_loss'), 'optax.l2_loss');
  });

  it('lists only related concepts that exist, finds parameters, searches', () => {
    assert.deepEqual(registry.related('focal').map((c) => c.id), ['dice']);
    assert.equal(registry.parameter('focal', 'margin', 'pytorch')?.defaults.pytorch, '1.0');
    assert.equal(registry.parameter('focal', 'nope'), undefined);
    assert.equal(registry.search('focal')[0]?.id, 'focal');
    assert.equal(registry.search('sigmoid_focal_loss')[0]?.id, 'focal');
    assert.deepEqual(registry.search(''), []);
  });

  it('reports an identifier or hand-written name claimed by two concepts, keeping the first', () => {
    const clash = new ConceptRegistry([
      { ...focal, papers: [] },
      { ...(concept('other', { handwrittenNames: ['focal_loss'], identifiers: focal.identifiers }) as unknown as Concept), papers: [] },
    ]);
    assert.equal(clash.byHandwrittenName('focal_loss')?.id, 'focal');
    assert.equal(clash.byQualifiedName('torchvision.ops.sigmoid_focal_loss')?.concept.id, 'focal');
    assert.ok(clash.problems.length >= 3, JSON.stringify(clash.problems));
  });

  it('ranks papers: the classic that introduced the loss, then proposals, then studies; newest first within each', () => {
    const papers = [
      paper('old-study', 2017, [{ id: 'focal', relation: 'studies' }]),
      paper('new-study', 2024, [{ id: 'focal', relation: 'studies', inferred: true }]),
      paper('origin', 2017, [{ id: 'focal', relation: 'introduces-classic' }]),
      paper('proposal', 2019, [{ id: 'focal', relation: 'proposes' }]),
      paper('unrelated', 2025, [{ id: 'dice', relation: 'proposes' }]),
      paper('no-year', null, [{ id: 'focal', relation: 'studies' }]),
      paper('twice', 2020, [{ id: 'focal', relation: 'studies' }, { id: 'focal', relation: 'proposes' }]),
    ];
    const links = registry.papersFor('focal', papers);
    assert.deepEqual(links.map((l) => l.paper.id), ['origin', 'twice', 'proposal', 'new-study', 'old-study', 'no-year']);
    assert.equal(links[0]!.relation, 'introduces-classic');
    assert.equal(links[1]!.relation, 'proposes', 'a paper tagged twice keeps its strongest relation');
    assert.equal(links.find((l) => l.paper.id === 'new-study')?.inferred, true);
    assert.deepEqual(registry.papersFor('nope', papers), []);
  });

  it('splits multi-source fields', () => {
    assert.deepEqual(splitSources('https://a ; https://b ; a citation'), ['https://a', 'https://b', 'a citation']);
  });
});
