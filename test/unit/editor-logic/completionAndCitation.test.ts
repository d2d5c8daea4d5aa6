// When completions offer loss implementations, and where a citation comment goes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionTrigger, squash, typedNamesLoss } from '../../../src/services/insertion/completionTrigger';
import { citationEdit, commentPrefixFor } from '../../../src/services/insertion/citation';

describe('completionTrigger', () => {
  it('reads `loss:` alone on a line as a request for a definition', () => {
    assert.deepEqual(completionTrigger('loss:'), { kind: 'trigger', start: 0, query: '' });
    assert.deepEqual(completionTrigger('    loss:foc'), { kind: 'trigger', start: 4, query: 'foc' });
  });

  it('does not fire on `loss:` inside code (`if loss:`, annotations, dict keys)', () => {
    assert.notEqual(completionTrigger('if loss:')?.kind, 'trigger');
    assert.equal(completionTrigger('if loss:'), undefined, 'nothing typed after the colon');
    assert.notEqual(completionTrigger('def f(loss: ')?.kind, 'trigger');
    assert.notEqual(completionTrigger('x = {"loss": ')?.kind, 'trigger');
  });

  it('reads a word being typed where code goes', () => {
    assert.deepEqual(completionTrigger('    loss = foc'), { kind: 'word', start: 11, word: 'foc' });
    assert.deepEqual(completionTrigger('focal'), { kind: 'word', start: 0, word: 'focal' });
    assert.deepEqual(completionTrigger('f(x, dice_'), { kind: 'word', start: 5, word: 'dice_' });
  });

  it('offers nothing after a dot, in definitions, imports and decorators', () => {
    for (const prefix of ['F.foc', 'def focal', 'class Dice', 'import foc', 'from losses import foc', 'import x as foc', '@foc', 'x = ', '']) {
      assert.equal(completionTrigger(prefix), undefined, prefix);
    }
  });
});

describe('typedNamesLoss', () => {
  const focal = ['focal_loss', 'focal', 'Focal loss', 'FL', 'FocalLoss'];
  it('matches prefixes of names and of words in them, ignoring case and underscores', () => {
    assert.equal(typedNamesLoss('foc', focal), true);
    assert.equal(typedNamesLoss('FocalL', focal), true);
    assert.equal(typedNamesLoss('focal_l', focal), true);
    assert.equal(typedNamesLoss('focal', ['sigmoid_focal_loss']), true);
    assert.equal(typedNamesLoss('Loss', ['FocalLoss']), false);
  });

  it('needs three characters and ignores the generic word `loss`', () => {
    assert.equal(typedNamesLoss('fo', focal), false);
    assert.equal(typedNamesLoss('loss', focal), false);
    assert.equal(typedNamesLoss('los', ['dice_loss']), false);
    assert.equal(typedNamesLoss('xyz', focal), false);
  });

  it('squashes spellings together', () => {
    assert.equal(squash('Focal_Loss-x y'), 'focallossxy');
  });
});

describe('citations', () => {
  it('fills an empty line, keeping its indentation, or goes above a non-empty one', () => {
    assert.deepEqual(citationEdit('    ', '# Lin et al.', '\n'), { start: 4, end: 4, text: '# Lin et al.' });
    assert.deepEqual(citationEdit('\tloss = f(x)', '# Lin et al.', '\r\n'), { start: 0, end: 0, text: '\t# Lin et al.\r\n' });
  });

  it('uses the language’s line comment', () => {
    assert.equal(commentPrefixFor('python'), '#');
    assert.equal(commentPrefixFor('typescript'), '//');
    assert.equal(commentPrefixFor('latex'), '%');
    assert.equal(commentPrefixFor('unknown'), '#');
  });
});
