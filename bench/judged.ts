/**
 * The judged query set of the paper search (issue 19): queries a person types — exact titles,
 * paraphrases, authors, library identifiers, parameter names, typos of real words, loss names, and
 * queries no paper in the corpus answers — each with the papers that answer it, best first, or none.
 * Written by hand from the shipped papers' titles and abstracts and the concept registry, not
 * generated from the engine's answers.
 *
 * `classicOf` names the concepts whose introducing papers (the classics collection,
 * `paper-data/classics/`, relation `introduces-classic`) also answer the query when they are in the
 * corpus: the bench then counts them as relevant (the search puts them first). A query with no `expect`
 * and no such paper in the corpus is a no-answer query: the search must say so (no strong match).
 */
export type JudgedKind = 'title' | 'paraphrase' | 'author' | 'identifier' | 'parameter' | 'typo' | 'concept' | 'none';

export interface JudgedQuery {
  query: string;
  kind: JudgedKind;
  /** Paper ids that answer the query, best first; empty: none in the seed corpus. */
  expect: string[];
  classicOf?: string | readonly string[];
}

const CE_THEORY = '2304.07288';
const CE_GHOSTS = '2603.13552';
const FOCAL_ICU = '2512.20520';
const KL = ['2010.14701', '2506.12542', 'doubly-robust-instance-reweighted-adversarial-training'];
const INFO_NCE = ['2510.00137', '2511.09209', '2310.10636'];
const TRIPLET = ['2305.09062', '1904.02616', '1904.06627'];
const BCE = ['2405.14745', '2501.13341'];

export const JUDGED_QUERIES: readonly JudgedQuery[] = [
  // Exact titles (one per seed paper).
  { kind: 'title', query: 'Unleashing Text-to-Image Diffusion Prior for Zero-Shot Image Captioning', expect: ['2501.00437'] },
  { kind: 'title', query: 'Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing', expect: ['2404.14406'] },
  { kind: 'title', query: 'Cross-Entropy Loss Functions: Theoretical Analysis and Applications', expect: [CE_THEORY] },
  { kind: 'title', query: 'Rethinking the Harmonic Loss via Non-Euclidean Distance Layers', expect: ['2603.10225'] },
  { kind: 'title', query: 'Optimizing Calibration by Gaining Aware of Prediction Correctness', expect: ['2404.13016'] },
  { kind: 'title', query: 'Scaling Laws for Neural Machine Translation', expect: ['2109.07740'] },
  { kind: 'title', query: 'Forecasting Downstream Performance of LLMs With Proxy Metrics', expect: ['2605.18607'] },
  { kind: 'title', query: 'Scaling Laws for Autoregressive Generative Modeling', expect: ['2010.14701'] },
  { kind: 'title', query: 'Ghosts of Softmax: Complex Singularities That Limit Safe Step Sizes in Cross-Entropy', expect: [CE_GHOSTS] },
  { kind: 'title', query: 'Cut Your Losses in Large-Vocabulary Language Models', expect: ['2411.09009'] },
  { kind: 'title', query: 'Optimizing What Matters: AUC-Driven Learning for Robust Neural Retrieval', expect: ['2510.00137'] },
  { kind: 'title', query: 'Orthogonal Projection Loss', expect: ['2103.14021'] },
  { kind: 'title', query: 'Label Distributionally Robust Losses for Multi-class Classification', expect: ['2112.14869'] },
  { kind: 'title', query: 'Rethinking Fine-Tuning when Scaling Test-Time Compute', expect: ['2502.07154'] },
  { kind: 'title', query: 'PLD: A Choice-Theoretic List-Wise Knowledge Distillation', expect: ['2506.12542'] },
  { kind: 'title', query: 'Dice Loss for Data-imbalanced NLP Tasks', expect: ['1911.02855'] },
  { kind: 'title', query: 'Multi-aspect Knowledge Distillation with Large Language Model', expect: ['2501.13341'] },
  { kind: 'title', query: 'CoCo-MILP: Inter-Variable Contrastive and Intra-Constraint Competitive MILP Solution Prediction', expect: ['2511.09209'] },
  { kind: 'title', query: 'Neural Collapse in Deep Linear Networks: From Balanced to Imbalanced Data', expect: ['2301.00437'] },
  { kind: 'title', query: 'Multi-Similarity Loss with General Pair Weighting for Deep Metric Learning', expect: ['1904.06627'] },
  { kind: 'title', query: 'On the Surprising Effectiveness of Large Learning Rates under Standard Width Scaling', expect: ['2505.22491'] },
  { kind: 'title', query: 'AnyLoss: Transforming Classification Metrics into Loss Functions', expect: ['2405.14745'] },
  { kind: 'title', query: 'Scaling Laws for Multilingual Language Models', expect: ['2410.12883'] },
  { kind: 'title', query: 'Scaling Law with Learning Rate Annealing', expect: ['2408.11029'] },
  { kind: 'title', query: 'How to Make Cross Encoder a Good Teacher for Efficient Image-Text Retrieval?', expect: ['2407.07479'] },
  { kind: 'title', query: 'Doubly Robust Instance-Reweighted Adversarial Training', expect: ['doubly-robust-instance-reweighted-adversarial-training'] },
  { kind: 'title', query: 'Exploring Criteria of Loss Reweighting to Enhance LLM Unlearning', expect: ['2505.11953'] },
  { kind: 'title', query: 'Preserving Diversity in Supervised Fine-Tuning of Large Language Models', expect: ['2408.16673'] },
  { kind: 'title', query: 'It Takes Two to Tango: Mixup for Deep Metric Learning', expect: ['2106.04990'] },
  { kind: 'title', query: 'Unified Negative Pair Generation toward Well-discriminative Feature Space for Face Recognition', expect: ['2203.11593'] },
  { kind: 'title', query: 'The Z-loss: a shift and scale invariant classification loss belonging to the Spherical Family', expect: ['1604.08859'] },
  { kind: 'title', query: 'Pretraining Data Detection for Large Language Models: A Divergence-based Calibration Method', expect: ['2409.14781'] },
  { kind: 'title', query: 'Benchmarking LLMs for Predictive Applications in the Intensive Care Units', expect: [FOCAL_ICU] },
  { kind: 'title', query: 'Shedding More Light on Robust Classifiers under the lens of Energy-based Models', expect: ['2407.06315'] },
  { kind: 'title', query: 'Dynamic Loss-Based Sample Reweighting for Improved Large Language Model Pretraining', expect: ['2502.06733'] },
  { kind: 'title', query: 'EMO: Earth Mover Distance Optimization for Auto-Regressive Language Modeling', expect: ['2310.04691'] },
  { kind: 'title', query: 'Dual-Encoders for Extreme Multi-Label Classification', expect: ['2310.10636'] },
  { kind: 'title', query: 'Efficient Nearest Neighbor Search for Cross-Encoder Models using Matrix Factorization', expect: ['2210.12579'] },
  { kind: 'title', query: 'SuSana Distancia is all you need: Enforcing class separability in metric learning', expect: ['2305.09062'] },
  { kind: 'title', query: 'EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing Overfitting in Classification', expect: ['2409.00908'] },
  { kind: 'title', query: 'Signal-to-Noise Ratio: A Robust Distance Metric for Deep Metric Learning', expect: ['1904.02616'] },

  // Paraphrases: what the paper is about, in other words.
  { kind: 'paraphrase', query: 'zero-shot captioning with a text-to-image diffusion model', expect: ['2501.00437'] },
  { kind: 'paraphrase', query: 'face anti-spoofing in hyperbolic space', expect: ['2404.14406'] },
  { kind: 'paraphrase', query: 'theory of cross-entropy consistency bounds', expect: [CE_THEORY] },
  { kind: 'paraphrase', query: 'harmonic loss instead of softmax with distance layers', expect: ['2603.10225'] },
  { kind: 'paraphrase', query: 'calibration loss aware of whether predictions are correct', expect: ['2404.13016'] },
  { kind: 'paraphrase', query: 'how translation quality scales with model size', expect: ['2109.07740'] },
  { kind: 'paraphrase', query: 'predict downstream LLM performance from proxy metrics', expect: ['2605.18607'] },
  { kind: 'paraphrase', query: 'softmax cross-entropy step size singularities', expect: [CE_GHOSTS] },
  { kind: 'paraphrase', query: 'memory efficient cross-entropy for huge vocabularies', expect: ['2411.09009'] },
  { kind: 'paraphrase', query: 'AUC objective for dense retrieval', expect: ['2510.00137'] },
  { kind: 'paraphrase', query: 'orthogonal features for classification loss', expect: ['2103.14021'] },
  { kind: 'paraphrase', query: 'pass@N training overconfidence test-time compute', expect: ['2502.07154'] },
  { kind: 'paraphrase', query: 'listwise distillation Plackett-Luce teacher ranking', expect: ['2506.12542'] },
  { kind: 'paraphrase', query: 'dice loss for imbalanced NLP tasks', expect: ['1911.02855'] },
  { kind: 'paraphrase', query: 'contrastive learning for mixed integer linear programs', expect: ['2511.09209'] },
  { kind: 'paraphrase', query: 'neural collapse with imbalanced classes', expect: ['2301.00437'] },
  { kind: 'paraphrase', query: 'learning rate width scaling cross-entropy', expect: ['2505.22491'] },
  { kind: 'paraphrase', query: 'turn classification metrics into differentiable losses', expect: ['2405.14745'] },
  { kind: 'paraphrase', query: 'unlearning by reweighting the loss per token', expect: ['2505.11953'] },
  { kind: 'paraphrase', query: 'keep output diversity when fine-tuning LLMs', expect: ['2408.16673'] },
  { kind: 'paraphrase', query: 'mixup for metric learning embeddings', expect: ['2106.04990'] },
  { kind: 'paraphrase', query: 'detect whether text was in the pretraining data', expect: ['2409.14781'] },
  { kind: 'paraphrase', query: 'earth mover distance instead of maximum likelihood for language models', expect: ['2310.04691'] },
  { kind: 'paraphrase', query: 'extreme multi-label classification with dual encoders', expect: ['2310.10636'] },
  { kind: 'paraphrase', query: 'LLMs on ICU clinical prediction tasks', expect: [FOCAL_ICU] },

  // Authors.
  { kind: 'author', query: 'Mao Mohri Zhong', expect: [CE_THEORY] },
  { kind: 'author', query: 'Brébisson Vincent', expect: ['1604.08859'] },
  { kind: 'author', query: 'Brebisson z-loss', expect: ['1604.08859'] },
  { kind: 'author', query: 'Henighan Kaplan scaling', expect: ['2010.14701'] },
  { kind: 'author', query: 'Ghorbani Firat translation', expect: ['2109.07740'] },
  { kind: 'author', query: 'Wijmans Huval', expect: ['2411.09009'] },
  { kind: 'author', query: 'Ranasinghe Naseer', expect: ['2103.14021'] },
  { kind: 'author', query: 'Venkataramanan Psomas Kijak', expect: ['2106.04990'] },
  { kind: 'author', query: 'Sheikholeslami retrieval', expect: ['2510.00137'] },
  { kind: 'author', query: 'Mendez-Ruiz few-shot', expect: ['2305.09062'] },
  { kind: 'author', query: 'author:ganguli', expect: ['2502.07154'] },
  { kind: 'author', query: 'Narayan Patel anti-spoofing', expect: ['2404.14406'] },

  // Library identifiers: the loss they name, then its papers.
  { kind: 'identifier', query: 'sparse_categorical_crossentropy', expect: [CE_THEORY, CE_GHOSTS], classicOf: 'cross-entropy' },
  { kind: 'identifier', query: 'optax.softmax_cross_entropy_with_integer_labels', expect: [CE_THEORY, CE_GHOSTS], classicOf: 'cross-entropy' },
  { kind: 'identifier', query: 'torch.nn.CrossEntropyLoss', expect: [CE_THEORY, CE_GHOSTS], classicOf: 'cross-entropy' },
  { kind: 'identifier', query: 'F.cross_entropy', expect: [CE_THEORY, CE_GHOSTS], classicOf: 'cross-entropy' },
  { kind: 'identifier', query: 'BCEWithLogitsLoss', expect: BCE, classicOf: 'binary-cross-entropy' },
  { kind: 'identifier', query: 'MultiSimilarityLoss', expect: ['1904.06627'] },
  { kind: 'identifier', query: 'torchvision.ops.sigmoid_focal_loss', expect: [FOCAL_ICU], classicOf: 'focal' },
  { kind: 'identifier', query: 'keras.losses.BinaryFocalCrossentropy', expect: [FOCAL_ICU], classicOf: 'focal' },
  { kind: 'identifier', query: 'nn.KLDivLoss', expect: KL, classicOf: 'kl-divergence' },
  { kind: 'identifier', query: 'TripletMarginLoss', expect: TRIPLET, classicOf: 'triplet-margin' },
  { kind: 'identifier', query: 'NTXentLoss', expect: INFO_NCE, classicOf: 'info-nce' },
  { kind: 'identifier', query: 'optax.ntxent', expect: INFO_NCE, classicOf: 'info-nce' },
  { kind: 'identifier', query: 'segmentation_models_pytorch.losses.DiceLoss', expect: ['1911.02855'], classicOf: 'dice' },
  { kind: 'identifier', query: 'LigerCrossEntropyLoss', expect: [CE_THEORY, CE_GHOSTS, '2411.09009'], classicOf: 'cross-entropy' },

  // Parameter names next to the loss they belong to.
  { kind: 'parameter', query: 'focal loss alpha gamma', expect: [FOCAL_ICU], classicOf: 'focal' },
  { kind: 'parameter', query: 'BCEWithLogitsLoss pos_weight', expect: BCE, classicOf: 'binary-cross-entropy' },
  { kind: 'parameter', query: 'CrossEntropyLoss label_smoothing ignore_index', expect: [CE_THEORY, CE_GHOSTS], classicOf: 'cross-entropy' },
  { kind: 'parameter', query: 'KLDivLoss log_target reduction', expect: KL, classicOf: 'kl-divergence' },
  { kind: 'parameter', query: 'triplet margin loss swap', expect: TRIPLET, classicOf: 'triplet-margin' },
  { kind: 'parameter', query: 'InfoNCE temperature', expect: INFO_NCE, classicOf: 'info-nce' },
  { kind: 'parameter', query: 'multi-similarity loss alpha beta base', expect: ['1904.06627'] },
  { kind: 'parameter', query: 'harmonic loss eps', expect: ['2603.10225'], classicOf: 'harmonic' },

  // Typos of real words.
  { kind: 'typo', query: 'harmonc loss', expect: ['2603.10225'], classicOf: 'harmonic' },
  { kind: 'typo', query: 'focl loss', expect: [FOCAL_ICU], classicOf: 'focal' },
  { kind: 'typo', query: 'orthogonl projecton loss', expect: ['2103.14021'] },
  { kind: 'typo', query: 'mixupp metric lerning', expect: ['2106.04990'] },
  { kind: 'typo', query: 'listwise knowlege distilation', expect: ['2506.12542'] },
  { kind: 'typo', query: 'calibraton correctnes', expect: ['2404.13016'] },
  { kind: 'typo', query: 'scalling laws machine translaton', expect: ['2109.07740'] },
  { kind: 'typo', query: 'preservng diversity supervized fine-tuning', expect: ['2408.16673'] },
  { kind: 'typo', query: 'doubly robust adversarial trainig', expect: ['doubly-robust-instance-reweighted-adversarial-training'] },
  { kind: 'typo', query: 'robust classifers energy-based modles', expect: ['2407.06315'] },
  { kind: 'typo', query: 'earth mover distnce optimisation', expect: ['2310.04691'] },
  { kind: 'typo', query: 'nueral colapse linear networks', expect: ['2301.00437'] },
  { kind: 'typo', query: 'cros-entropy theoretcal analysis', expect: [CE_THEORY] },
  { kind: 'typo', query: 'multi-similarty loss pair weighing', expect: ['1904.06627'] },
  { kind: 'typo', query: 'hyperbolc face antispoofing', expect: ['2404.14406'] },

  // Loss names: the proposer (or the classic that introduced it) first.
  { kind: 'concept', query: 'harmonic loss', expect: ['2603.10225'], classicOf: 'harmonic' },
  { kind: 'concept', query: 'z-loss', expect: ['1604.08859'], classicOf: 'z-loss' },
  { kind: 'concept', query: 'focal loss', expect: [FOCAL_ICU], classicOf: 'focal' },
  { kind: 'concept', query: 'dice loss', expect: ['1911.02855'], classicOf: 'dice' },
  { kind: 'concept', query: 'label smoothing', expect: ['2501.00437'], classicOf: 'label-smoothing' },
  { kind: 'concept', query: 'triplet loss', expect: TRIPLET, classicOf: 'triplet-margin' },
  { kind: 'concept', query: 'ArcFace additive angular margin', expect: ['2203.11593'], classicOf: 'arcface' },
  { kind: 'concept', query: 'proxy anchor loss', expect: ['2106.04990'], classicOf: 'proxy-anchor' },
  { kind: 'concept', query: 'cut cross-entropy', expect: ['2411.09009'] },
  { kind: 'concept', query: 'Mann-Whitney AUC loss', expect: ['2510.00137'] },
  { kind: 'concept', query: 'Plackett-Luce distillation', expect: ['2506.12542'] },
  { kind: 'concept', query: 'generalized cross entropy', expect: [CE_THEORY], classicOf: 'generalized-cross-entropy' },
  { kind: 'concept', query: 'KL divergence', expect: KL, classicOf: 'kl-divergence' },
  { kind: 'concept', query: 'signal-to-noise ratio distance', expect: ['1904.02616'] },

  // No paper in the seed corpus is about these.
  { kind: 'none', query: 'direct preference optimization', expect: [], classicOf: 'dpo' },
  { kind: 'none', query: 'KTO kahneman tversky', expect: [], classicOf: 'kto' },
  { kind: 'none', query: 'CIoU bounding box regression', expect: [], classicOf: 'ciou' },
  { kind: 'none', query: 'style transfer content loss', expect: [], classicOf: ['style-gram', 'perceptual'] },
  { kind: 'none', query: 'bradley terry reward model', expect: [], classicOf: 'bradley-terry-reward' },
  { kind: 'none', query: 'DINOLoss', expect: [], classicOf: 'dino' },
  { kind: 'none', query: 'wasserstein gan gradient penalty', expect: [], classicOf: 'gradient-penalty' },
  { kind: 'none', query: 'variational autoencoder evidence lower bound', expect: [], classicOf: 'vae-kl' },
  { kind: 'none', query: 'perceptual loss super resolution', expect: [], classicOf: 'perceptual' },
  { kind: 'none', query: 'barlow twins redundancy reduction', expect: [], classicOf: 'barlow-twins' },
  { kind: 'none', query: 'sparsemax sparse attention', expect: [], classicOf: 'sparsemax' },
  { kind: 'none', query: 'group relative policy optimization', expect: [], classicOf: 'grpo' },
  { kind: 'none', query: 'quantile regression pinball loss', expect: [], classicOf: 'quantile' },
  { kind: 'none', query: 'graph neural network molecule generation', expect: [] },
  { kind: 'none', query: 'reinforcement learning robot locomotion', expect: [], classicOf: ['ppo-clip', 'bradley-terry-reward'] },
  { kind: 'none', query: 'protein structure prediction', expect: [] },
  { kind: 'none', query: 'weather forecasting transformer', expect: [] },
  { kind: 'none', query: 'music generation audio', expect: [] },
  { kind: 'none', query: 'point cloud segmentation lidar', expect: [] },
  { kind: 'none', query: 'federated learning differential privacy', expect: [] },
  { kind: 'none', query: 'medical image segmentation unet', expect: [], classicOf: ['dice', 'tversky'] },
  { kind: 'none', query: 'padding tokens attention mask', expect: [] },
  { kind: 'none', query: 'gemma rotary position embeddings', expect: [] },
  { kind: 'none', query: 'reward hacking', expect: [] },
  { kind: 'none', query: 'optical flow estimation', expect: [] },
  { kind: 'none', query: 'speech synthesis vocoder', expect: [] },
  { kind: 'none', query: 'collaborative filtering recommender systems', expect: [] },
  { kind: 'none', query: 'time series anomaly detection', expect: [] },
  { kind: 'none', query: 'neural architecture search', expect: [] },
  { kind: 'none', query: 'autonomous driving trajectory forecasting', expect: [] },
  { kind: 'none', query: 'retrieval augmented generation hallucination', expect: [] },
  { kind: 'none', query: 'bayesian optimization of hyperparameters', expect: [] },
  { kind: 'none', query: 'spiking neural networks neuromorphic', expect: [] },
  { kind: 'none', query: 'knowledge graph link prediction', expect: [] },
  { kind: 'none', query: 'sentiment analysis of tweets', expect: [] },
  { kind: 'none', query: 'wavelet image compression', expect: [] },
];
