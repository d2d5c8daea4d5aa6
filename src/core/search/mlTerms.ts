/**
 * Words of machine learning that a search must never "correct" into another word because the corpus
 * lacks them: model and method names, library names, metrics, objectives and the people they are
 * named after. Hand-written for PaperLens (not derived from the corpus), lower-case; compounds are
 * listed in their compact form (`ntxent`) as well as by part when the parts are words people type.
 * The registry's own names, aliases, identifiers, lexicon words and parameter names are protected
 * separately (see `protectedWords.ts`), so this list is for everything around them.
 */
export const ML_TERMS: readonly string[] = [
  // Preference optimisation and RL from feedback.
  'reward', 'rewards', 'preference', 'preferences', 'bradley', 'terry', 'kahneman', 'tversky', 'prospect',
  'dpo', 'ipo', 'kto', 'orpo', 'simpo', 'cpo', 'grpo', 'ppo', 'rlhf', 'rlaif', 'rloo', 'reinforce', 'policy',
  'policies', 'critic', 'advantage', 'rollout', 'rollouts', 'chosen', 'rejected', 'pairwise', 'listwise',
  'pointwise', 'plackett', 'luce', 'elo', 'judge', 'verifier', 'verifiers',
  // Language models and tokens.
  'llm', 'llms', 'vlm', 'vlms', 'gpt', 'bert', 'roberta', 'deberta', 'electra', 'llama', 'gemma', 'mistral',
  'mixtral', 'qwen', 'phi', 'falcon', 'bloom', 'opt', 'pythia', 'chinchilla', 'palm', 'gemini', 'claude',
  'token', 'tokens', 'tokenizer', 'tokenizers', 'tokenization', 'tokenisation', 'padding', 'pad', 'unpadded',
  'vocabulary', 'vocab', 'logit', 'logits', 'softcap', 'softcapping', 'perplexity', 'pretraining', 'pretrained',
  'finetuning', 'finetuned', 'instruction', 'sft', 'lora', 'qlora', 'peft', 'adapter', 'adapters', 'prompt',
  'prompts', 'prompting', 'decoding', 'sampling', 'beam', 'greedy', 'nucleus', 'speculative', 'kv', 'rope',
  'alibi', 'moe', 'router', 'routing', 'gating', 'seq2seq', 'autoregressive', 'causal', 'masked', 'mlm',
  // Vision, detection, segmentation.
  'vit', 'deit', 'swin', 'convnext', 'resnet', 'resnets', 'vgg', 'unet', 'yolo', 'yolov8', 'retinanet', 'rcnn',
  'detr', 'fcos', 'atss', 'gfl', 'mmdet', 'mmdetection', 'bbox', 'bboxes', 'iou', 'giou', 'diou', 'ciou', 'eiou',
  'siou', 'anchor', 'anchors', 'nms', 'varifocal', 'dice', 'jaccard', 'lovasz', 'tversky', 'segmentation',
  'semantic', 'instance', 'panoptic', 'keypoint', 'keypoints', 'pose', 'optical', 'depth', 'stereo',
  // Self-supervised and contrastive.
  'dino', 'dinov2', 'ibot', 'koleo', 'byol', 'simsiam', 'simclr', 'moco', 'swav', 'barlow', 'twins', 'vicreg',
  'clip', 'siglip', 'openclip', 'align', 'infonce', 'ntxent', 'xent', 'supcon', 'triplet', 'triplets',
  'contrastive', 'siamese', 'negatives', 'positives', 'augmentation', 'augmentations', 'mixup', 'cutmix',
  'distillation', 'distill', 'distilled', 'teacher', 'student', 'centering', 'sharpening',
  // Generative models and image losses.
  'gan', 'gans', 'wgan', 'stylegan', 'vae', 'vaes', 'vqvae', 'elbo', 'diffusion', 'denoising', 'ddpm', 'ddim',
  'score', 'wasserstein', 'lipschitz', 'discriminator', 'generator', 'perceptual', 'lpips', 'ssim', 'msssim',
  'psnr', 'fid', 'gram', 'style', 'charbonnier', 'variation', 'inpainting', 'superresolution',
  // Objectives, divergences and their authors.
  'entropy', 'crossentropy', 'kullback', 'leibler', 'jensen', 'shannon', 'jsd', 'kld', 'mmd', 'sinkhorn',
  'optimal', 'transport', 'earth', 'mover', 'hinge', 'huber', 'quantile', 'pinball', 'sparsemax', 'entmax',
  'softmax', 'sigmoid', 'logsumexp', 'lse', 'focal', 'arcface', 'cosface', 'sphereface', 'adaface', 'circle',
  'hadsell', 'chopra', 'lecun', 'sorensen', 'nll', 'mle', 'ctc', 'mse', 'mae', 'rmse', 'bce', 'poly',
  'calibration', 'calibrated', 'temperature', 'label', 'smoothing', 'regularization', 'regularisation',
  'regularizer', 'penalty', 'margin', 'margins', 'reduction', 'gamma', 'alpha', 'beta', 'lambda', 'epsilon',
  'delta', 'sigma', 'tau', 'kappa', 'weight', 'weights', 'weighting', 'reweighting', 'imbalance', 'imbalanced',
  // Training machinery.
  'optimizer', 'optimiser', 'adam', 'adamw', 'sgd', 'lion', 'lamb', 'adafactor', 'sophia', 'shampoo', 'muon',
  'momentum', 'warmup', 'scheduler', 'cosine', 'annealing', 'dropout', 'batchnorm', 'layernorm', 'rmsnorm',
  'normalization', 'normalisation', 'relu', 'gelu', 'silu', 'swish', 'tanh', 'gradient', 'gradients',
  'backprop', 'backpropagation', 'hessian', 'jacobian', 'quantization', 'quantized', 'pruning', 'sparsity',
  'embedding', 'embeddings', 'encoder', 'decoder', 'transformer', 'transformers', 'attention', 'convolution',
  'convolutional', 'recurrent', 'lstm', 'gru', 'rnn', 'cnn', 'mlp', 'perceptron',
  // Evaluation.
  'accuracy', 'precision', 'recall', 'auc', 'auroc', 'auprc', 'roc', 'ece', 'ndcg', 'mrr', 'bleu', 'rouge',
  'meteor', 'wer', 'benchmark', 'benchmarks', 'retrieval', 'reranking', 'reranker',
  // Libraries and frameworks.
  'pytorch', 'torch', 'torchvision', 'jax', 'flax', 'optax', 'keras', 'tensorflow', 'timm', 'kornia',
  'ultralytics', 'lightly', 'liger', 'trl', 'monai', 'huggingface', 'numpy', 'scipy', 'sklearn', 'cuda',
  'triton', 'fp16', 'bf16', 'fp8', 'vllm', 'deepspeed', 'fsdp',
];
