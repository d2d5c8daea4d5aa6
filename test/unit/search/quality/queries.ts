/**
 * The search quality set: for every paper of the shipped corpus, a query a person would type, the
 * same query with typos, and the concept it is filed under. Written by hand from the titles and
 * abstracts (not generated from the index), so that the test measures the engine, not itself.
 *
 * `concept` is the paper's most specific concept tag; `null` only for the two papers the corpus
 * tags with no loss concept (the test checks that they still have none).
 */
export interface QualityCase {
  id: string;
  natural: string;
  misspelled: string;
  concept: string | null;
}

export const QUALITY_SET: readonly QualityCase[] = [
  { id: '2501.00437', natural: 'diffusion prior zero-shot image captioning', misspelled: 'difusion zero-shot captoning', concept: 'clip-weighted-cross-entropy' },
  { id: '2404.14406', natural: 'hyperbolic one class face anti-spoofing', misspelled: 'hyperbolc face antispoofing', concept: 'hyperbolic-pairwise-confusion' },
  { id: '2304.07288', natural: 'cross-entropy loss functions theoretical analysis', misspelled: 'cros-entropy theoretcal analysis', concept: 'comp-sum' },
  { id: '2603.10225', natural: 'harmonic loss non-euclidean distance', misspelled: 'harmonc loss', concept: 'harmonic' },
  { id: '2404.13016', natural: 'calibration prediction correctness', misspelled: 'calibraton correctnes', concept: 'correctness-aware-calibration' },
  { id: '2109.07740', natural: 'scaling laws neural machine translation', misspelled: 'scalling laws machine translaton', concept: 'cross-entropy' },
  { id: '2605.18607', natural: 'forecasting downstream performance proxy metrics', misspelled: 'forcasting downstream proxy metircs', concept: 'cross-entropy' },
  { id: '2010.14701', natural: 'scaling laws autoregressive generative modeling', misspelled: 'scaling autoregresive generative modelling', concept: 'cross-entropy' },
  { id: '2603.13552', natural: 'ghosts of softmax step size', misspelled: 'ghost sofmax singularities', concept: 'cross-entropy' },
  { id: '2411.09009', natural: 'cut your losses large vocabulary', misspelled: 'cut your loses large vocabluary', concept: 'cut-cross-entropy' },
  { id: '2510.00137', natural: 'AUC-driven learning neural retrieval', misspelled: 'auc driven retreival', concept: 'mann-whitney' },
  { id: '2103.14021', natural: 'orthogonal projection loss', misspelled: 'orthogonl projecton loss', concept: 'orthogonal-projection' },
  { id: '2112.14869', natural: 'label distributionally robust losses', misspelled: 'distributionaly robust label losses', concept: 'ldr-kl' },
  { id: '2502.07154', natural: 'fine-tuning test-time compute limiting confidence', misspelled: 'limiting confidance mathematical reasonig', concept: 'direct-coverage-optimization' },
  { id: '2506.12542', natural: 'list-wise knowledge distillation choice-theoretic', misspelled: 'listwise knowlege distilation', concept: 'plackett-luce-distillation' },
  { id: '1911.02855', natural: 'dice loss data-imbalanced NLP', misspelled: 'dice loss imbalaced nlp', concept: 'self-adjusting-dice' },
  { id: '2501.13341', natural: 'multi-aspect knowledge distillation large language model', misspelled: 'multi-aspect knowledge distilation', concept: 'binary-cross-entropy' },
  { id: '2511.09209', natural: 'CoCo-MILP contrastive MILP solution prediction', misspelled: 'coco-milp contrastve', concept: 'inter-variable-contrastive' },
  { id: '2301.00437', natural: 'neural collapse deep linear networks imbalanced', misspelled: 'nueral colapse linear networks', concept: 'mse' },
  { id: '1904.06627', natural: 'multi-similarity loss pair weighting metric learning', misspelled: 'multi-similarty loss pair weighing', concept: 'multi-similarity' },
  { id: '2505.22491', natural: 'large learning rates standard width scaling', misspelled: 'large learnig rates widht scaling', concept: 'mse' },
  { id: '2405.14745', natural: 'AnyLoss classification metrics into loss functions', misspelled: 'anyloss classifcation metrics', concept: 'anyloss' },
  { id: '2410.12883', natural: 'scaling laws multilingual language models', misspelled: 'scaling laws multilingal', concept: 'cross-entropy' },
  { id: '2408.11029', natural: 'scaling law learning rate annealing', misspelled: 'learning rate aneling scaling law', concept: 'cross-entropy' },
  { id: '2407.07479', natural: 'cross encoder teacher image-text retrieval', misspelled: 'cross encoder teacher image-text retrival', concept: 'contrastive' },
  { id: 'doubly-robust-instance-reweighted-adversarial-training', natural: 'doubly robust adversarial training', misspelled: 'doubly robust adversarial trainig', concept: 'kl-divergence' },
  { id: '2505.11953', natural: 'loss reweighting LLM unlearning', misspelled: 'loss reweighing llm unlearnig', concept: 'satimp' },
  { id: '2408.16673', natural: 'preserving diversity supervised fine-tuning', misspelled: 'preservng diversity supervized fine-tuning', concept: 'gem' },
  { id: '2106.04990', natural: 'mixup deep metric learning', misspelled: 'mixupp metric lerning', concept: 'proxy-anchor' },
  { id: '2203.11593', natural: 'unified negative pair generation face recognition', misspelled: 'negative pair generaton face recogniton', concept: 'unpg' },
  { id: '1604.08859', natural: 'z-loss shift scale invariant spherical family', misspelled: 'z-loss spherical famly invarient', concept: 'spherical-z-loss' },
  { id: '2409.14781', natural: 'pretraining data detection divergence calibration', misspelled: 'pretraning data detecton', concept: null },
  { id: '2512.20520', natural: 'LLMs predictive applications intensive care units', misspelled: 'intensve care unit benchmarking', concept: 'focal' },
  { id: '2407.06315', natural: 'robust classifiers energy-based models', misspelled: 'robust classifers energy-based modles', concept: 'weat' },
  { id: '2502.06733', natural: 'dynamic loss-based sample reweighting pretraining', misspelled: 'dynamic sample reweighting pretrainig', concept: 'cross-entropy' },
  { id: '2310.04691', natural: 'earth mover distance optimization language modeling', misspelled: 'earth mover distnce optimisation', concept: 'emo' },
  { id: '2310.10636', natural: 'dual-encoders extreme multi-label classification', misspelled: 'dual-encoders extrme multi-label', concept: 'decoupled-softmax' },
  { id: '2210.12579', natural: 'nearest neighbor search cross-encoder matrix factorization', misspelled: 'nearest neighbour cross-encoder matrx factorization', concept: null },
  { id: '2305.09062', natural: 'susana distancia class separability few-shot', misspelled: 'susana distancia seperability', concept: 'triplet-margin' },
  { id: '2409.00908', natural: 'EnsLoss calibrated loss ensembles overfitting', misspelled: 'ensloss calibrated ensembels', concept: 'ensloss' },
  { id: '1904.02616', natural: 'signal-to-noise ratio distance metric learning', misspelled: 'signal-to-noise ratio distnace metric', concept: 'snr-distance' },
];
