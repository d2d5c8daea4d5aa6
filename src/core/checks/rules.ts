/** The rules: ids, default severities and the sources their claims come from. */
import type { RuleInfo } from './types';

const TORCH_DOCS = 'https://pytorch.org/docs/stable/generated';

export const RULES: readonly RuleInfo[] = [
  {
    id: 'kl-div-mean',
    title: "KL divergence with reduction='mean'",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.KLDivLoss.html`,
    description:
      "`nn.KLDivLoss` and `F.kl_div` default to `reduction='mean'`, which divides by the number of elements, not the batch size: the result is not the KL divergence. PyTorch's docs: \"reduction='mean' doesn't return the true KL divergence value, please use reduction='batchmean'\".",
  },
  {
    id: 'kl-div-input-not-log',
    title: 'KL divergence fed probabilities instead of log-probabilities',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.functional.kl_div.html`,
    description:
      '`F.kl_div(input, target)` and `nn.KLDivLoss` expect `input` as log-probabilities. Passing `softmax(...)` or `sigmoid(...)` computes something that is not a divergence; use `log_softmax`.',
  },
  {
    id: 'softmax-before-ce',
    title: 'Softmax applied before cross-entropy',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.CrossEntropyLoss.html`,
    description:
      '`nn.CrossEntropyLoss` and `F.cross_entropy` apply log-softmax themselves and expect unnormalised logits. Feeding them `softmax(...)` applies softmax twice and silently trains a different, flatter loss.',
  },
  {
    id: 'sigmoid-before-bce',
    title: 'Sigmoid followed by BCELoss',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.BCEWithLogitsLoss.html`,
    description:
      '`nn.BCELoss`/`F.binary_cross_entropy` on `sigmoid(...)` is numerically unstable for large logits. PyTorch\'s docs: BCEWithLogitsLoss "is more numerically stable than using a plain Sigmoid followed by a BCELoss". Use `BCEWithLogitsLoss`/`binary_cross_entropy_with_logits` on the logits.',
  },
  {
    id: 'sigmoid-before-bce-with-logits',
    title: 'Sigmoid applied before BCEWithLogitsLoss',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.BCEWithLogitsLoss.html`,
    description:
      '`BCEWithLogitsLoss` "combines a Sigmoid layer and the BCELoss in one single class": feeding it `sigmoid(...)` applies the sigmoid twice. Pass the logits.',
  },
  {
    id: 'log-softmax-nll-vs-ce',
    title: 'NLL loss on softmax instead of log-softmax',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: `${TORCH_DOCS}/torch.nn.NLLLoss.html`,
    description:
      '`nn.NLLLoss`/`F.nll_loss` expect log-probabilities ("obtaining log-probabilities … is easily achieved by adding a LogSoftmax layer"). On `softmax(...)` the loss is wrong; use `log_softmax`, or `cross_entropy` on the logits.',
  },
  {
    id: 'keras-from-logits',
    title: "Keras cross-entropy's from_logits disagrees with the model's output layer",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: 'https://keras.io/api/losses/probabilistic_losses/',
    description:
      'Keras cross-entropy losses assume `y_pred` is a probability distribution unless `from_logits=True` ("By default, we assume that y_pred encodes a probability distribution"). When the model\'s output layer has no activation it produces logits; when it ends in softmax or sigmoid, `from_logits=True` applies the activation a second time. Each `compile(loss=…)` (a loss object, a function, a string name such as "sparse_categorical_crossentropy", a list or a dict per output) is paired with the output layer of the model it is called on.',
  },
  {
    id: 'label-smoothing-convention',
    title: "PyTorch's label-smoothing convention",
    defaultSeverity: 'information',
    enabledByDefault: false,
    source: `${TORCH_DOCS}/torch.nn.CrossEntropyLoss.html`,
    description:
      "With `label_smoothing=ε`, PyTorch mixes the one-hot target with a uniform distribution over all K classes: the target class gets 1−ε+ε/K and every other class ε/K (not ε/(K−1) as in some papers' code).",
  },
  {
    id: 'large-vocab-ce',
    title: 'Cross-entropy over a large vocabulary materialises the logits',
    defaultSeverity: 'information',
    enabledByDefault: true,
    source: 'https://arxiv.org/abs/2411.09009',
    description:
      'With an output layer of V ≥ 32,000 classes, the (tokens × V) logits and their gradient dominate training memory. Cut Your Losses in Large-Vocabulary Language Models (Wijmans et al., arXiv:2411.09009) computes the same loss blockwise without materialising them; PaperLens ships a verified chunked implementation.',
  },
  {
    id: 'kd-temperature-squared',
    title: 'Distillation term at temperature T not multiplied by T²',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: 'https://arxiv.org/abs/1503.02531',
    description:
      'Knowledge distillation divides student and teacher logits by a temperature T before the KL (or soft-target cross-entropy) term. Distilling the Knowledge in a Neural Network (Hinton, Vinyals and Dean, arXiv:1503.02531, §2): "Since the magnitudes of the gradients produced by the soft targets scale as 1/T² it is important to multiply them by T² when using both hard and soft targets." Without the factor the soft term fades as T grows.',
  },
  {
    id: 'lm-logits-unshifted',
    title: 'Causal LM loss without the one-token shift',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    source: 'https://github.com/huggingface/transformers/blob/main/src/transformers/loss/loss_utils.py',
    description:
      "`cross_entropy(logits.view(-1, V), tokens.view(-1))` where `tokens` are the model's own input and neither side is shifted trains position t to predict token t, which the model can already see: it learns to copy, and the loss falls fast and means nothing. Next-token prediction compares `logits[..., :-1, :]` with `tokens[..., 1:]` (Hugging Face transformers, ForCausalLMLoss: \"Shift so that tokens < n predict n\"). Models named as autoencoders, encoders, VAEs, BERT/MLM or denoising models are skipped: reconstructing their input is their job.",
  },
];

export const RULES_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));
