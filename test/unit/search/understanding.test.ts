// Issue 19: a search that knows ML words (no "correcting" real words), understands identifiers and
// loss names (the loss first, its introducer first), and says when the corpus has nothing.
// Every misreading the issue lists is a case here, on small corpora built to provoke it and on the
// shipped data.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../src/core/concepts/load';
import type { Concept } from '../../../src/core/concepts/types';
import type { Paper } from '../../../src/core/papers/types';
import { parseEnglishWords } from '../../../src/core/search/englishWords';
import { noAnswerMessage, oneLine, verbatimQuery } from '../../../src/core/search/explain';
import { buildSearchIndex, type SearchResult } from '../../../src/core/search/searchIndex';
import { searchConcepts } from './fixtures/concepts';
import { paper, shippedPapers } from './fixtures/papers';

const root = path.resolve(__dirname, '..', '..', '..');
const englishFile = path.join(root, 'paper-data', 'generated', 'english-words.json');
const english = parseEnglishWords(readFileSync(englishFile, 'utf8'), englishFile);
const registry = loadConceptDir(path.join(root, 'paper-data', 'concepts')).concepts;

const ids = (r: SearchResult): string[] => r.hits.map((h) => h.paper.id);
const corrected = (r: SearchResult): string[] => r.corrections.map((c) => `${c.word}→${c.suggestions.join('|')}`);

/** A corpus where every wrong correction the issue saw is one edit away and common. */
function lookalikeCorpus(): Paper[] {
  const out: Paper[] = [
    paper({ id: 'gemma', title: 'Gemma: open models', abstract: 'Gemma gemma gemma language models.' }),
    paper({ id: 'regard', title: 'With regard to calibration', abstract: 'We regard the loss broadly, adding terms.' }),
    paper({ id: 'dice', title: 'Dice loss for segmentation', abstract: 'DiceLoss.', concepts: [{ id: 'dice', relation: 'proposes' }] }),
    paper({ id: 'focal', title: 'Focal loss for dense detection', abstract: 'The focal loss with alpha and gamma.', concepts: [{ id: 'focal', relation: 'proposes' }] }),
  ];
  for (let i = 0; i < 30; i++) out.push(paper({ id: `filler${i}`, title: `A loss study ${i}`, abstract: 'We regard this broadly, adding a loss.' }));
  return out;
}

describe('protected words are searched as typed (issue 19 misreadings)', () => {
  const index = buildSearchIndex(lookalikeCorpus(), searchConcepts, { englishWords: english });

  it('"focal loss alpha gamma" does not search "gemma"', () => {
    // "gamma" is in this corpus's focal paper; drop it to be sure it is protection, not presence.
    const bare = buildSearchIndex(lookalikeCorpus().filter((p) => p.id !== 'focal'), searchConcepts, { englishWords: english });
    const r = bare.search('focal loss alpha gamma');
    assert.deepEqual(corrected(r), []);
    assert.ok(!ids(r).includes('gemma'), 'the Gemma paper must not match');
  });

  it('"reward" is not "regard", "bradley" not "broadly", "padding" not "adding"', () => {
    for (const q of ['reward model', 'bradley terry', 'padding', 'padding tokens']) {
      const r = index.search(q);
      assert.deepEqual(corrected(r), [], q);
      assert.equal(r.strongTotal, 0, `${q}: nothing here is about it`);
      assert.ok(!ids(r).includes('regard'), q);
    }
  });

  it('"DINOLoss" is not "DiceLoss"', () => {
    const r = index.search('DINOLoss');
    assert.deepEqual(corrected(r), []);
    assert.ok(r.hits.every((h) => h.match === 'weak'), 'papers that only share "loss" are weak matches');
    assert.equal(noAnswerMessage(r), 'No paper in your corpus is about DINOLoss');
  });

  it('"z-loss" is not "loss"', () => {
    const papers = [paper({ id: 'z', title: 'The Z-loss' }), ...Array.from({ length: 40 }, (_, i) => paper({ id: `l${i}`, title: `A loss ${i}` }))];
    const r = buildSearchIndex(papers, registry, { englishWords: english }).search('z-loss');
    assert.deepEqual(corrected(r), []);
    assert.deepEqual(ids(r), ['z']);
  });

  it('protects the registry\'s words and the ML terms even without the English list', () => {
    const bare = buildSearchIndex(lookalikeCorpus(), registry);
    for (const word of ['gamma', 'reward', 'bradley', 'padding', 'dino', 'kto', 'ciou', 'giou', 'preference', 'terry', 'temperature', 'margin', 'reduction', 'logits']) {
      assert.ok(bare.isProtected(word), word);
    }
    assert.deepEqual(corrected(bare.search('gamma')), []);
  });

  it('still corrects words that are neither protected nor in the corpus', () => {
    const r = index.search('focl loss');
    assert.deepEqual(corrected(r), ['focl→focal']);
    assert.equal(ids(r)[0], 'focal');
    assert.equal(verbatimQuery('focl loss', ['focl']), '"focl" loss');
  });
});

describe('no answer looks like no answer (shipped corpus)', () => {
  const shipped = buildSearchIndex(shippedPapers(), registry, { englishWords: english });
  const issueQueries = ['direct preference optimization', 'KTO kahneman tversky', 'CIoU bounding box regression', 'style transfer content loss'];

  for (const q of issueQueries) {
    it(`"${q}": says so first, and lists only weak matches`, () => {
      const r = shipped.search(q, { limit: 50 });
      assert.equal(r.strongTotal, 0);
      assert.equal(noAnswerMessage(r), `No paper in your corpus is about ${q}`);
      assert.ok(r.hits.every((h) => h.match === 'weak'));
    });
  }

  it('strong matches always come before weak ones, and paging keeps the cut', () => {
    const r = shipped.search('harmonc loss', { limit: 50 });
    assert.ok(r.strongTotal >= 1 && r.total > r.strongTotal);
    const firstWeak = r.hits.findIndex((h) => h.match === 'weak');
    assert.equal(firstWeak, r.strongTotal);
    assert.ok(r.hits.slice(firstWeak).every((h) => h.match === 'weak'));
    const page2 = shipped.search('harmonc loss', { offset: r.strongTotal, limit: 5 });
    assert.ok(page2.hits.every((h) => h.match === 'weak'));
  });

  it('a query the corpus answers is not a no-answer', () => {
    for (const q of ['harmonic loss', 'scaling laws machine translation', 'Brébisson Vincent', 'concept:focal', 'year:2024']) {
      const r = shipped.search(q);
      assert.ok(r.strongTotal > 0, q);
      assert.equal(noAnswerMessage(r), undefined, q);
    }
  });
});

describe('identifiers and loss names resolve to the loss first', () => {
  const shipped = buildSearchIndex(shippedPapers(), registry, { englishWords: english });

  for (const q of ['sparse_categorical_crossentropy', 'optax.softmax_cross_entropy_with_integer_labels']) {
    it(`"${q}" names cross-entropy and ranks the theoretical cross-entropy paper in the top five`, () => {
      const r = shipped.search(q, { limit: 5 });
      assert.deepEqual(r.named.map((n) => n.id), ['cross-entropy']);
      assert.ok(ids(r).includes('2304.07288'), ids(r).join(', '));
      for (const h of r.hits) assert.ok(h.paper.concepts.some((c) => c.id === 'cross-entropy'), `${h.paper.id} is not a cross-entropy paper`);
    });
  }

  it('"BCEWithLogitsLoss pos_weight" names binary cross-entropy and puts its papers first', () => {
    const r = shipped.search('BCEWithLogitsLoss pos_weight', { limit: 5 });
    assert.deepEqual(r.named.map((n) => n.id), ['binary-cross-entropy']);
    assert.ok(r.hits[0].paper.concepts.some((c) => c.id === 'binary-cross-entropy'), `${r.hits[0].paper.id} first`);
    assert.notEqual(r.hits[0].paper.id, '1904.06627', 'not the metric-learning paper');
  });

  it('"softmax_xent" reads "xent" as the cross-entropy lexicon word, not NT-Xent', () => {
    const concepts: Concept[] = searchConcepts.map((c) => (c.id === 'cross-entropy' ? { ...c, lexicon: ['xent', 'cross entropy'] } : c));
    concepts.push({ ...searchConcepts[0], id: 'info-nce', name: 'InfoNCE / NT-Xent', aliases: ['NT-Xent'], identifiers: [], handwrittenNames: ['nt_xent'], lexicon: ['info nce', 'nt xent'] });
    const index = buildSearchIndex([
      paper({ id: 'ce', title: 'A study of softmax cross-entropy', concepts: [{ id: 'cross-entropy', relation: 'studies' }] }),
      paper({ id: 'nce', title: 'NT-Xent for contrastive learning', abstract: 'softmax xent', concepts: [{ id: 'info-nce', relation: 'proposes' }] }),
    ], concepts);
    const r = index.search('softmax_xent');
    assert.deepEqual(r.named.map((n) => [n.id, n.via]), [['cross-entropy', 'lexicon']]);
    assert.equal(ids(r)[0], 'ce');
    assert.deepEqual(index.search('nt_xent').named.map((n) => n.id), ['info-nce']);
  });

  it('a parameter name next to a loss is a modifier, not another loss', () => {
    const r = shipped.search('CrossEntropyLoss label_smoothing');
    assert.deepEqual(r.named.map((n) => n.id), ['cross-entropy']);
    const kto = shipped.search('KTO kahneman tversky').named.map((n) => n.id);
    if (registry.some((c) => c.id === 'kto')) assert.ok(!kto.includes('tversky'), kto.join(', '));
  });

  it('a loss name inside a longer title query does not reorder the title\'s paper', () => {
    const r = shipped.search('Multi-aspect Knowledge Distillation with Large Language Model');
    assert.equal(ids(r)[0], '2501.13341');
  });

  it('cards read one line of the summary', () => {
    assert.equal(oneLine('Cross-entropy scaled by (1-p_t)^γ. Introduced for RetinaNet.'), 'Cross-entropy scaled by (1-p_t)^γ.');
    assert.ok(oneLine('word '.repeat(100)).length <= 181);
  });
});

/** The papers of the classics collection, when it exists (paper-data/classics/<id>.json). */
function classics(): Paper[] {
  const dir = path.join(root, 'paper-data', 'classics');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as Paper);
}

describe('a search for a loss\'s name puts the paper that introduced it first', () => {
  it('with classics-style papers beside papers that propose a variant and papers that study the loss', () => {
    const index = buildSearchIndex([
      paper({ id: 'study', title: 'Focal loss in medical imaging: a study', abstract: 'Focal loss focal loss.', year: 2024, concepts: [{ id: 'focal', relation: 'studies' }] }),
      paper({ id: 'variant', title: 'Focal loss with adaptive gamma', abstract: 'A focal loss variant.', year: 2023, concepts: [{ id: 'focal', relation: 'proposes' }] }),
      paper({ id: '1708.02002', title: 'Focal Loss for Dense Object Detection', abstract: 'We propose the focal loss.', year: 2017, concepts: [{ id: 'focal', relation: 'introduces-classic' }] }),
      paper({ id: 'dice-classic', title: 'V-Net', abstract: 'A Dice objective.', year: 2016, concepts: [{ id: 'dice', relation: 'introduces-classic' }] }),
    ], searchConcepts);
    for (const q of ['focal loss', 'Focal loss', 'FocalLoss', 'sigmoid_focal_loss', 'torchvision.ops.sigmoid_focal_loss']) {
      assert.equal(ids(index.search(q))[0], '1708.02002', q);
    }
    assert.deepEqual(ids(index.search('focal loss')).slice(0, 3), ['1708.02002', 'variant', 'study']);
    assert.equal(ids(index.search('dice loss'))[0], 'dice-classic');
    assert.equal(ids(index.search('DiceLoss'))[0], 'dice-classic');
  });

  it('for every concept of the registry with an introducing paper in the shipped corpus and classics', () => {
    const corpus = [...shippedPapers()];
    const seen = new Set(corpus.map((p) => p.id));
    for (const p of classics()) if (!seen.has(p.id)) corpus.push(p);
    const index = buildSearchIndex(corpus, registry, { englishWords: english });
    let checked = 0;
    for (const concept of registry) {
      const introducers = corpus.filter((p) => p.concepts.some((c) => c.id === concept.id && c.relation === 'introduces-classic')).map((p) => p.id);
      if (introducers.length === 0) continue;
      const bare = concept.name.replace(/\s*\([^)]*\)\s*$/, '');
      for (const q of new Set([concept.name, bare])) {
        const first = ids(index.search(q))[0];
        assert.ok(introducers.includes(first), `"${q}" → ${first}, expected one of ${introducers.join(', ')}`);
      }
      checked++;
    }
    if (classics().length > 0) assert.ok(checked > 0, 'classics exist but none introduces a registry concept');
  });
});
