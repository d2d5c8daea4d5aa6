/**
 * The detector finds the preference-optimisation, RLHF and distillation losses (issue 16) with the
 * registry the product ships: TRL trainers and configs (top-level, experimental, aliased), Liger
 * kernels, a TRL static loss method, mmdet and timm distillation, and a hand-written `kd_loss`.
 * The fixture `modern_pref/train_alignment.py` marks every expected usage; other lines must stay silent.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { parseExpectations, readText } from './expectations';

const root = path.resolve(__dirname, '..', '..', '..');
const { concepts } = loadConcepts(path.join(root, 'paper-data', 'generated', 'concepts.json'));
const index = buildLossIndex(concepts);
const fixture = readText(path.join(__dirname, 'modern_pref', 'train_alignment.py'));
const usages = scanSource(fixture, index).usages;

describe('preference, RLHF and distillation losses in a training script', () => {
  test('every marked usage is found on its line with its concept, and nothing else is', () => {
    const expected = parseExpectations(fixture).map((e) => `${e.line}:${e.identifier}:${e.concept}${e.role ? `:${e.role}` : ''}`).sort();
    const found = usages
      .map((u) => {
        const marker = parseExpectations(fixture).find((e) => e.line === u.line && e.identifier === u.identifier);
        return `${u.line}:${u.identifier}:${u.conceptId}${marker?.role ? `:${u.role}` : ''}`;
      })
      .sort();
    assert.deepEqual(found, expected);
  });

  test('aliased and experimental imports resolve to the registry names', () => {
    const byIdentifier = new Map(usages.map((u) => [u.identifier, u]));
    assert.equal(byIdentifier.get('PPOArgs')?.qualifiedName, 'trl.experimental.ppo.PPOConfig');
    assert.equal(byIdentifier.get('generalized_jsd_loss')?.qualifiedName, 'trl.experimental.gkd.GKDTrainer.generalized_jsd_loss');
    assert.equal(byIdentifier.get('LigerFusedLinearDPOLoss')?.framework, 'liger-kernel');
    assert.equal(byIdentifier.get('KnowledgeDistillationKLDivLoss')?.qualifiedName, 'mmdet.models.losses.KnowledgeDistillationKLDivLoss');
  });

  test('the defining submodule spelled out still finds the loss', () => {
    const text = [
      'from trl.trainer.kto_trainer import KTOTrainer',
      'from liger_kernel.chunked_loss.orpo_loss import LigerFusedLinearORPOLoss',
      'from trl.experimental.cpo.cpo_trainer import CPOTrainer',
      'a = KTOTrainer(model)',
      'b = LigerFusedLinearORPOLoss()',
      'c = CPOTrainer(model)',
      '',
    ].join('\n');
    const calls = scanSource(text, index).usages.filter((u) => u.role === 'call').map((u) => `${u.line}:${u.conceptId}`);
    assert.deepEqual(calls, ['4:kto', '5:orpo', '6:cpo']);
  });

  test('TRL 0.x spellings: top-level ORPO/CPO/PPO/GKD trainers and the DPOTrainer.dpo_loss method', () => {
    const text = [
      'import trl',
      'from trl import ORPOTrainer, CPOConfig, PPOTrainer, GKDTrainer',
      'a = ORPOTrainer(model)',
      'b = CPOConfig(beta=0.1)',
      'c = PPOTrainer(config, model)',
      'd = GKDTrainer.generalized_jsd_loss(s, t)',
      'e = trl.DPOTrainer.dpo_loss(self, pc, pr, rc, rr)',
      '',
    ].join('\n');
    const calls = scanSource(text, index).usages.filter((u) => u.role === 'call').map((u) => `${u.line}:${u.identifier}:${u.conceptId}`);
    assert.deepEqual(calls, ['3:ORPOTrainer:orpo', '4:CPOConfig:cpo', '5:PPOTrainer:ppo-clip', '6:generalized_jsd_loss:jsd', '7:dpo_loss:dpo']);
  });

  test('look-alike names from other libraries are not taken for the generalized JSD', () => {
    const text = 'from timm.loss import JsdCrossEntropy\nfrom kornia.losses import js_div_loss_2d\na = JsdCrossEntropy()\nb = js_div_loss_2d(x, y)\n';
    assert.deepEqual(scanSource(text, index).usages.filter((u) => u.conceptId === 'jsd'), []);
  });
});
