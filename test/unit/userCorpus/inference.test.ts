import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConceptMatcher, splitRelation } from '../../../src/core/papers/conceptInference';
import { matcher } from './helpers';

describe('concept inference from title and abstract', () => {
  it('matches names and aliases as whole phrases, ignoring case, accents and hyphens', () => {
    assert.deepEqual(matcher.infer('Rethinking Cross Entropy', '').map((c) => c.id), ['cross-entropy']);
    assert.deepEqual(matcher.infer('', 'We compare the Focal-Loss with the Kullback–Leibler divergence.').map((c) => c.id), ['focal', 'kl-divergence']);
    assert.deepEqual(matcher.infer('', 'Über die Kullback Leibler Divergenz').map((c) => c.id), []);
  });

  it('marks every inferred tag as inferred, with the weakest relation', () => {
    assert.deepEqual(matcher.infer('Dice loss for segmentation', ''), [{ id: 'dice', relation: 'studies', inferred: true }]);
  });

  it('prefers the longest phrase at a position', () => {
    assert.deepEqual(matcher.infer('A binary cross entropy loss study', '').map((c) => c.id), ['binary-cross-entropy']);
  });

  it('does not infer from short aliases, one-word ids or words inside other words', () => {
    assert.deepEqual(matcher.infer('FL and CE and MSE everywhere', 'a focal point; dicey results; focalloss'), []);
  });

  it('lists title matches first and stops at five', () => {
    const tags = matcher.infer('Triplet loss', 'focal loss, dice loss, label smoothing, cross entropy, mean squared error, poly loss');
    assert.equal(tags[0].id, 'triplet-margin');
    assert.equal(tags.length, 5);
  });

  it('an empty registry infers nothing', () => {
    assert.deepEqual(new ConceptMatcher([]).infer('Focal loss', 'cross entropy'), []);
  });
});

describe('explicit concept tags', () => {
  it('resolve ids, names and aliases, with an optional relation', () => {
    assert.deepEqual(matcher.explicit(['focal: proposes', 'Cross-entropy loss', 'SupCon', 'not a concept']), {
      concepts: [{ id: 'focal', relation: 'proposes' }, { id: 'cross-entropy', relation: 'studies' }, { id: 'contrastive', relation: 'studies' }],
      unknown: ['not a concept'],
    });
  });

  it('split a relation suffix only when it is a known relation', () => {
    assert.deepEqual(splitRelation('dice = introduces-classic'), { name: 'dice', relation: 'introduces-classic' });
    assert.deepEqual(splitRelation('ratio: 2'), { name: 'ratio: 2', relation: 'studies' });
  });
});
