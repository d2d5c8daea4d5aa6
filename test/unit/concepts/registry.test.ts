// Integrity of the shipped concept registry (paper-data/concepts → paper-data/generated/concepts.json).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  REQUIRED_CONCEPT_IDS,
  checkRegistry,
  katexError,
  mathJaxError,
  missingSources,
  unknownPaperConcepts,
} from '../../../src/core/concepts/integrity';
import { loadConceptDir, loadConcepts, serializeConcepts } from '../../../src/core/concepts/load';
import { ConceptRegistry } from '../../../src/core/concepts/registry';
import { CONCEPT_ID_PATTERN } from '../../../src/core/concepts/validate';
import type { Paper } from '../../../src/core/papers/types';

const root = path.resolve(__dirname, '..', '..', '..');
const sourceDir = path.join(root, 'paper-data', 'concepts');
const generatedFile = path.join(root, 'paper-data', 'generated', 'concepts.json');
const corpusFile = path.join(root, 'paper-data', 'papers.json');

const loaded = loadConceptDir(sourceDir);
const registry = new ConceptRegistry(loaded.concepts);

/** Every library identifier named in section C of the loss reference (shared/reference/losses.md). */
const SECTION_C_IDENTIFIERS: readonly string[] = [
  ...[
    'CrossEntropyLoss', 'NLLLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss', 'MSELoss', 'L1Loss',
    'SmoothL1Loss', 'HuberLoss', 'MultiMarginLoss', 'MultiLabelMarginLoss', 'MultiLabelSoftMarginLoss',
    'TripletMarginLoss', 'TripletMarginWithDistanceLoss', 'CosineEmbeddingLoss', 'MarginRankingLoss',
    'HingeEmbeddingLoss', 'SoftMarginLoss', 'CTCLoss', 'PoissonNLLLoss', 'GaussianNLLLoss',
  ].map((n) => `torch.nn.${n}`),
  ...[
    'cross_entropy', 'nll_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'kl_div',
    'mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss', 'multi_margin_loss', 'triplet_margin_loss', 'ctc_loss',
  ].map((n) => `torch.nn.functional.${n}`),
  'torchvision.ops.sigmoid_focal_loss',
  ...[
    'CategoricalCrossentropy', 'SparseCategoricalCrossentropy', 'BinaryCrossentropy', 'BinaryFocalCrossentropy',
    'CategoricalFocalCrossentropy', 'KLDivergence', 'Huber', 'MeanSquaredError', 'MeanAbsoluteError', 'Hinge',
    'SquaredHinge', 'CategoricalHinge', 'LogCosh', 'Poisson', 'CosineSimilarity', 'Dice', 'Tversky', 'CTC',
    'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy',
    'binary_focal_crossentropy', 'categorical_focal_crossentropy', 'kl_divergence', 'huber',
    'mean_squared_error', 'mean_absolute_error', 'hinge', 'squared_hinge', 'categorical_hinge', 'log_cosh',
    'poisson', 'cosine_similarity', 'dice', 'tversky', 'ctc',
  ].map((n) => `keras.losses.${n}`),
  'tensorflow.nn.softmax_cross_entropy_with_logits',
  'tensorflow.nn.sparse_softmax_cross_entropy_with_logits',
  'tensorflow.nn.sigmoid_cross_entropy_with_logits',
  ...[
    'softmax_cross_entropy', 'softmax_cross_entropy_with_integer_labels', 'safe_softmax_cross_entropy',
    'sigmoid_binary_cross_entropy', 'sigmoid_focal_loss', 'poly_loss_cross_entropy', 'kl_divergence',
    'kl_divergence_with_log_targets', 'smooth_labels', 'l2_loss', 'squared_error', 'huber_loss', 'log_cosh',
    'cosine_distance', 'hinge_loss', 'multiclass_hinge_loss', 'ctc_loss', 'dice_loss', 'ntxent',
    'triplet_margin_loss',
  ].flatMap((n) => [`optax.${n}`, `optax.losses.${n}`]),
  ...[
    'MultiSimilarityLoss', 'TripletMarginLoss', 'ContrastiveLoss', 'NTXentLoss', 'SupConLoss', 'CircleLoss',
    'ArcFaceLoss', 'CosFaceLoss', 'ProxyAnchorLoss',
  ].map((n) => `pytorch_metric_learning.losses.${n}`),
  ...['DiceLoss', 'FocalLoss', 'TverskyLoss', 'JaccardLoss', 'LovaszLoss', 'SoftBCEWithLogitsLoss', 'SoftCrossEntropyLoss'].map(
    (n) => `segmentation_models_pytorch.losses.${n}`,
  ),
  ...['DiceLoss', 'GeneralizedDiceLoss', 'FocalLoss', 'TverskyLoss', 'DiceCELoss', 'DiceFocalLoss'].map((n) => `monai.losses.${n}`),
  'cut_cross_entropy.linear_cross_entropy',
];

/** Hand-written names listed in section C. */
const SECTION_C_HANDWRITTEN: readonly string[] = [
  'focal_loss', 'FocalLoss', 'dice_loss', 'DiceLoss', 'soft_dice', 'tversky_loss', 'z_loss', 'router_z_loss',
  'LabelSmoothingCrossEntropy', 'info_nce', 'InfoNCE', 'nt_xent', 'clip_loss', 'supcon_loss', 'SupConLoss',
  'triplet_loss', 'gce', 'GCELoss', 'sce', 'poly1', 'opl', 'OrthogonalProjectionLoss', 'ms_loss', 'gem_loss', 'LDRLoss',
];

/** Names that must never light up as a loss (section C, "Not losses"). */
const NOT_LOSSES: readonly string[] = ['loss', 'ce_loss', 'loss_fn', 'entropy', 'dice_score', 'focal_length', 'KLDivergence'];

describe('concept registry data', () => {
  it('loads every concept file without issues', () => {
    assert.deepEqual(
      loaded.issues.map((i) => `${path.relative(root, i.file)}:${i.line}: ${i.message}`),
      [],
    );
    assert.ok(loaded.concepts.length >= REQUIRED_CONCEPT_IDS.length);
  });

  it('has unique kebab-case ids', () => {
    const ids = loaded.concepts.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, CONCEPT_ID_PATTERN);
  });

  it('has every required concept id', () => {
    const missing = REQUIRED_CONCEPT_IDS.filter((id) => !registry.has(id));
    assert.deepEqual(missing, []);
  });

  it('passes the whole-registry integrity checks (identifiers, related ids, sources, KaTeX, MathJax)', () => {
    assert.deepEqual(checkRegistry(loaded.concepts), []);
  });

  it('maps every identifier to exactly one concept', () => {
    const owners = new Map<string, string[]>();
    for (const c of loaded.concepts) {
      for (const i of c.identifiers) owners.set(i.qualifiedName, [...(owners.get(i.qualifiedName) ?? []), c.id]);
    }
    const shared = [...owners].filter(([, ids]) => ids.length > 1);
    assert.deepEqual(shared, []);
    assert.deepEqual(registry.problems, []);
  });

  it('knows every library identifier of the reference, section C', () => {
    const missing = SECTION_C_IDENTIFIERS.filter((n) => !registry.byQualifiedName(n));
    assert.deepEqual(missing, []);
  });

  it('knows the reference hand-written names, and never a non-loss', () => {
    const missing = SECTION_C_HANDWRITTEN.filter((n) => !registry.byHandwrittenName(n));
    assert.deepEqual(missing, []);
    for (const name of NOT_LOSSES) {
      assert.equal(registry.byHandwrittenName(name), undefined, `${name} must not be a hand-written loss name`);
    }
    for (const c of loaded.concepts) {
      for (const i of c.identifiers) assert.doesNotMatch(i.qualifiedName, /^torchmetrics\./, `${c.id} lists a metric class`);
    }
  });

  it('parses every formula with KaTeX and MathJax', () => {
    for (const c of loaded.concepts) {
      assert.equal(katexError(c.formula.latex), undefined, `${c.id}: KaTeX`);
      assert.equal(mathJaxError(c.formula.latex), undefined, `${c.id}: MathJax`);
    }
  });

  it('names a source for every fact', () => {
    for (const c of loaded.concepts) assert.deepEqual(missingSources(c), [], c.id);
  });

  it('puts the reference conventions on the right parameters', () => {
    const pitfall = (id: string, name: string, framework: Parameters<ConceptRegistry['parameter']>[2]) =>
      registry.parameter(id, name, framework)?.pitfall ?? '';
    assert.match(pitfall('label-smoothing', 'label_smoothing', 'pytorch'), /ε\/K/);
    assert.match(pitfall('cross-entropy', 'label_smoothing', 'pytorch'), /ε\/K/);
    assert.match(pitfall('kl-divergence', 'reduction', 'pytorch'), /batchmean/);
    assert.match(pitfall('kl-divergence', 'input', 'pytorch'), /log-prob/);
    assert.match(pitfall('cross-entropy', 'input', 'pytorch'), /logits/);
    assert.match(pitfall('cross-entropy', 'ignore_index', 'pytorch'), /-100/);
    assert.match(pitfall('cross-entropy', 'weight', 'pytorch'), /sum of .*weights/);
    assert.match(pitfall('cross-entropy', 'from_logits', 'keras'), /probabilit/);
    assert.match(pitfall('mse', 'reduction', 'optax'), /per-element/);
    assert.match(pitfall('mse', 'reduction', 'optax'), /½/);
    assert.match(pitfall('triplet-margin', 'margin', 'pytorch-metric-learning'), /0\.05/);
    assert.match(pitfall('huber', 'delta', 'pytorch'), /SmoothL1Loss/);
    assert.equal(registry.parameter('triplet-margin', 'margin', 'pytorch')?.defaults.pytorch, '1.0');
    assert.equal(registry.parameter('triplet-margin', 'margin', 'pytorch-metric-learning')?.defaults['pytorch-metric-learning'], '0.05');
  });

  it('commits a generated concepts.json that is current with the sources', () => {
    assert.ok(existsSync(generatedFile), 'run npx tsx scripts/buildConcepts.ts');
    const committed = readFileSync(generatedFile, 'utf8');
    assert.equal(committed, serializeConcepts(loaded.concepts), 'stale: run npx tsx scripts/buildConcepts.ts');
    const reloaded = loadConcepts(committed);
    assert.deepEqual(reloaded.issues, []);
    assert.deepEqual(reloaded.concepts, [...loaded.concepts].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('knows every concept id the paper corpus uses', () => {
    const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as { papers?: Paper[] } | Paper[];
    const papers = Array.isArray(corpus) ? corpus : corpus.papers ?? [];
    assert.ok(papers.length > 0, 'papers.json holds no papers');
    const unknown = Object.fromEntries(unknownPaperConcepts(loaded.concepts, papers));
    assert.deepEqual(unknown, {});
  });
});
