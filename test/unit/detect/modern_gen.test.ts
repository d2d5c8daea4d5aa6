/**
 * The detector over the shipped registry recognises the generative / image-restoration losses of
 * issue 16 in a training script written the way public code writes them: library calls through
 * every import style (lpips, piq, kornia, pytorch_msssim, torchgan, optax, MONAI) and hand-written
 * GAN losses. Fixture: modern_gen/train_sr_gan.py.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';

const root = path.resolve(__dirname, '..', '..', '..');
const { concepts } = loadConcepts(path.join(root, 'paper-data', 'generated', 'concepts.json'));
const index = buildLossIndex(concepts);
const fixture = readFileSync(path.join(__dirname, 'modern_gen', 'train_sr_gan.py'), 'utf8');
const usages = scanSource(fixture, index).usages;

/** The fixture line holding `needle` (1-based), so the expectations survive edits above it. */
function lineOf(needle: string): number {
  const i = fixture.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `fixture has no line with ${needle}`);
  return i + 1;
}

function found(needle: string, identifier: string): { conceptId: string; framework: string; role: string; qualifiedName: string }[] {
  const line = lineOf(needle);
  return usages.filter((u) => u.line === line && u.identifier === identifier);
}

describe('modern generative / image losses in a training script', () => {
  const calls: [needle: string, identifier: string, conceptId: string, framework: string, qualifiedName: string][] = [
    ['percep = lpips.LPIPS', 'LPIPS', 'lpips', 'lpips', 'lpips.LPIPS'],
    ['ssim_loss = SSIMLoss(', 'SSIMLoss', 'ssim', 'piq', 'piq.SSIMLoss'],
    ['tv = TVLoss()', 'TVLoss', 'total-variation', 'piq', 'piq.TVLoss'],
    ['gp_loss = GP(', 'GP', 'gradient-penalty', 'torchgan', 'torchgan.losses.WassersteinGradientPenalty'],
    ['radiology = PerceptualLoss(', 'PerceptualLoss', 'lpips', 'monai', 'monai.losses.PerceptualLoss'],
    ['kornia.losses.charbonnier_loss(', 'charbonnier_loss', 'charbonnier', 'kornia', 'kornia.losses.charbonnier_loss'],
    ['structure = 1 - ms_ssim(', 'ms_ssim', 'ssim', 'pytorch-msssim', 'pytorch_msssim.ms_ssim'],
    ['optax.losses.multiclass_sparsemax_loss(', 'multiclass_sparsemax_loss', 'sparsemax', 'optax', 'optax.losses.multiclass_sparsemax_loss'],
  ];
  for (const [needle, identifier, conceptId, framework, qualifiedName] of calls) {
    test(`${identifier} on "${needle}" is ${conceptId} (${framework})`, () => {
      const hits = found(needle, identifier).filter((u) => u.role === 'call');
      assert.deepEqual(
        hits.map((u) => [u.conceptId, u.framework, u.qualifiedName]),
        [[conceptId, framework, qualifiedName]],
      );
    });
  }

  test('hand-written GAN losses are found as definitions of their concepts', () => {
    assert.deepEqual(found('def hinge_d_loss(', 'hinge_d_loss').map((u) => [u.role, u.conceptId]), [['definition', 'gan-hinge']]);
    assert.deepEqual(
      found('def compute_gradient_penalty(', 'compute_gradient_penalty').map((u) => [u.role, u.conceptId]),
      [['definition', 'gradient-penalty']],
    );
  });

  test('look-alikes stay silent: MONAI DiffusionLoss is not the DDPM loss, lpips helpers are not losses', () => {
    assert.deepEqual(found('smooth = DiffusionLoss()', 'DiffusionLoss'), []);
    assert.deepEqual(found('normalized = lpips.normalize_tensor(', 'normalize_tensor'), []);
    assert.equal(usages.filter((u) => u.conceptId === 'diffusion-mse').length, 0);
  });
});
