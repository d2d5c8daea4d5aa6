/**
 * The detector with the shipped registry on modern vision losses (issue 16): self-supervised
 * (lightly, open_clip) and box-regression losses (torchvision, mmdet, ultralytics, KerasCV), read
 * from a fixture written for this test (`modern_vision/train_ssl_and_boxes.py`).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { ConceptRegistry } from '../../../src/core/concepts/registry';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { readText } from './expectations';

const root = path.resolve(__dirname, '..', '..', '..');
const generated = path.join(root, 'paper-data', 'generated', 'concepts.json');
const concepts = existsSync(generated) ? loadConcepts(generated).concepts : [];
const index = buildLossIndex(concepts);
const VISION = ['siglip', 'clip', 'dino', 'ibot', 'koleo', 'barlow-twins', 'vicreg', 'byol', 'simsiam', 'iou-loss', 'giou', 'diou', 'ciou', 'quality-focal', 'distribution-focal', 'varifocal'];
const fixture = path.join(__dirname, 'modern_vision', 'train_ssl_and_boxes.py');

/** `line role identifier → concept (framework)` for every usage the detector reports. */
function usagesOf(text: string): string[] {
  return scanSource(text, index).usages.map((u) => `${u.line} ${u.role} ${u.identifier} → ${u.conceptId} (${u.framework})`);
}

describe('modern vision losses in a training script', () => {
  const found = usagesOf(readText(fixture));

  test('library constructors and functions are found under their concepts, aliases included', () => {
    const calls = found.filter((u) => u.includes(' call '));
    assert.deepEqual(calls, [
      '14 call DINOLoss → dino (lightly)',
      '15 call KoLeoLoss → koleo (lightly)',
      '16 call VICRegLoss → vicreg (lightly)',
      '17 call ClipLoss → clip (open-clip)',
      '18 call SigLipLoss → siglip (open-clip)',
      '19 call GIoULoss → giou (mmdet)',
      '20 call QualityFocalLoss → quality-focal (mmdet)',
      '21 call DFLoss → distribution-focal (ultralytics)',
      '22 call VFL → varifocal (ultralytics)',
      '23 call GIoULoss → giou (keras-cv)',
      '33 call generalized_box_iou_loss → giou (torchvision)',
      '34 call complete_box_iou_loss → ciou (torchvision)',
    ]);
  });

  test('imports from the defining submodule (lightly.loss.vicreg_loss) resolve like the package export', () => {
    assert.ok(found.includes('9 import VICRegLoss → vicreg (lightly)'), found.join('\n'));
  });

  test('a hand-written Barlow Twins loss is reported as a definition', () => {
    assert.ok(found.includes('26 definition barlow_twins_loss → barlow-twins (handwritten)'), found.join('\n'));
  });

  test('IoU metrics are not losses: torchvision.ops.generalized_box_iou and keras.metrics.IoU stay silent', () => {
    assert.equal(found.filter((u) => / generalized_box_iou /.test(u)).length, 0, found.join('\n'));
    const metrics = 'import keras\nm = keras.metrics.IoU(num_classes=2, target_class_ids=[0])\nfrom torchvision.ops import box_iou\nb = box_iou(p, t)\n';
    assert.deepEqual(usagesOf(metrics), []);
  });

  test('the mmdet box losses keep apart: IoULoss is iou-loss, GIoU/DIoU/CIoU their own concepts', () => {
    const text = [
      'from mmdet.models.losses import IoULoss, GIoULoss, DIoULoss, CIoULoss',
      "a = IoULoss(mode='linear')",
      'b = GIoULoss()',
      'c = DIoULoss()',
      'd = CIoULoss()',
      '',
    ].join('\n');
    const calls = usagesOf(text).filter((u) => u.includes(' call '));
    assert.deepEqual(calls, [
      '2 call IoULoss → iou-loss (mmdet)',
      '3 call GIoULoss → giou (mmdet)',
      '4 call DIoULoss → diou (mmdet)',
      '5 call CIoULoss → ciou (mmdet)',
    ]);
  });

  test('vision parameters are named by their keyword, so a keyword argument finds its default and pitfall', () => {
    const registry = new ConceptRegistry(concepts);
    const badNames = VISION.flatMap((id) => (registry.get(id)?.parameters ?? []).map((p) => p.name)).filter((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
    assert.deepEqual(badNames, []);
    assert.equal(registry.parameter('giou', 'reduction', 'torchvision')?.defaults.torchvision, "'none'");
    assert.match(registry.parameter('vicreg', 'lambda_param', 'lightly')?.pitfall ?? '', /names differ/);
    assert.equal(registry.parameter('barlow-twins', 'lambd', 'monai')?.defaults.monai, '5e-3');
  });
});
