import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NameLexicon, splitIdentifier } from '../../../src/core/concepts/lexicon';

describe('splitIdentifier', () => {
  it('splits snake_case, CamelCase, acronyms and dimensions, keeping digits with their letters', () => {
    const cases: [string, string][] = [
      ['sigmoid_binary_cross_entropy', 'sigmoid binary cross entropy'],
      ['SoftTargetCrossEntropy', 'soft target cross entropy'],
      ['NTXentLoss', 'nt xent loss'],
      ['BCEWithLogitsLoss', 'bce with logits loss'],
      ['DeepLabCE', 'deep lab ce'],
      ['l2Loss', 'l2 loss'],
      ['poly1_focal', 'poly1 focal'],
      ['SSIM3DLoss', 'ssim 3d loss'],
      ['kl_div2d', 'kl div 2d'],
      ['__all__', 'all'],
    ];
    for (const [name, words] of cases) assert.equal(splitIdentifier(name).join(' '), words, name);
  });
});

describe('NameLexicon', () => {
  const lexicon = new NameLexicon([
    { id: 'cross-entropy', lexicon: ['cross entropy', 'xent', 'ce', 'softmax xent'] },
    { id: 'binary-cross-entropy', lexicon: ['binary cross entropy', 'bce'] },
    { id: 'label-smoothing', lexicon: ['label smoothed cross entropy', 'label smoothing'] },
    { id: 'dice', lexicon: ['dice'] },
    { id: 'kl-divergence', lexicon: ['kl', 'kl divergence'] },
    { id: 'mse', lexicon: ['l2', 'squared error'] },
  ]);
  const def = (name: string) => lexicon.conceptOf(name, 'definition');

  it('names a loss by the entry that ends the name, the longest one, and the first of two', () => {
    assert.equal(def('softmax_xent'), 'cross-entropy');
    assert.equal(def('chunked_cross_entropy'), 'cross-entropy');
    assert.equal(def('sigmoid_binary_cross_entropy'), 'binary-cross-entropy');
    assert.equal(def('LabelSmoothedCrossEntropyCriterion'), 'label-smoothing');
    assert.equal(def('kl_divergence'), 'kl-divergence');
    assert.equal(def('squared_error'), 'mse');
    assert.equal(def('bce_dice_loss'), 'binary-cross-entropy');
    assert.equal(def('crossentropy'), 'cross-entropy');
  });

  it('needs a loss word, a modifier or a loss base for the words that also name other things', () => {
    assert.equal(def('dice'), undefined);
    assert.equal(def('compute_dice'), undefined);
    assert.equal(def('dice_loss'), 'dice');
    assert.equal(def('naive_dice_loss'), 'dice');
    assert.equal(def('masked_l2'), 'mse');
    assert.equal(def('l2'), undefined);
    assert.equal(def('loss_ce'), 'cross-entropy');
    assert.equal(lexicon.conceptOf('DeepLabCE', 'module-class'), 'cross-entropy');
    assert.equal(lexicon.conceptOf('Dice', 'module-class'), undefined);
    assert.equal(lexicon.conceptOf('Dice', 'loss-class'), 'dice');
    assert.equal(lexicon.conceptOf('u_ce', 'attribute'), undefined);
  });

  it('names no loss when the concept is not last, or the name is about a loss', () => {
    for (const name of ['l2_normalize', 'dice_coefficient', 'kl_weight', 'test_cross_entropy', 'plot_kl_divergence', 'labels_to_bce', 'run_xent', 'ce_forward']) assert.equal(def(name), undefined, name);
    assert.equal(lexicon.conceptOf('KlDivergence', 'class'), undefined, 'a class named by a concept alone is a model');
  });

  it('reports an entry claimed by two concepts and keeps the first', () => {
    const twice = new NameLexicon([{ id: 'a', lexicon: ['kl'] }, { id: 'b', lexicon: ['kl'] }]);
    assert.equal(twice.problems.length, 1);
    assert.equal(twice.conceptOf('kl_loss', 'definition'), 'a');
  });
});
