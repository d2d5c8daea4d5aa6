/**
 * Names by their words: which loss concept a hand-written identifier names (`softmax_xent`,
 * `SoftTargetCrossEntropy`, `LabelSmoothedCrossEntropyCriterion`, `naive_dice_loss`), from the
 * `lexicon` of each concept (lower-case word sequences, `paper-data/concepts/*.json`) and the
 * grammar below, which is shared by every concept:
 *
 *   [any words] [modifiers] ENTRY [suffix words]
 *
 * - An identifier is split into lower-case words (`splitIdentifier`): snake_case, CamelCase,
 *   acronyms (`NTXentLoss` → nt xent loss, `BCEWithLogits` → bce with logits), digits stay with
 *   the letters before them (`l2`, `poly1`, `v2`).
 * - ENTRY is a lexicon entry; it matches a run of whole words whose letters, joined, spell the
 *   entry's words joined (`crossentropy`, `CrossEntropy`, `cross_entropy` all meet "cross entropy";
 *   `GIoU` → g io u meets "giou"). The longest entry that ends where the suffix words begin wins, so
 *   `sigmoid_binary_cross_entropy` is binary cross-entropy and `LabelSmoothedCrossEntropy` the
 *   label-smoothing entry "label smoothed cross entropy", not cross-entropy.
 * - The concept must come last: `dice_coefficient`, `l2_normalize`, `kl_weight`, `ce_forward` (a
 *   model's forward) name no loss. Only suffix words may follow it (`loss`, `criterion`, `fn`,
 *   `impl`, `with logits`, `2d`…).
 * - Some entries are also everyday words of ML code that name other things (`ce`, `l1`, `l2`, `kl`,
 *   `dice`, `cosine`…: a norm, a metric, a similarity). They name a loss only with a loss word in
 *   the identifier (`dice_loss`, `KLCriterion`, `loss_ce`), after a modifier that only losses take
 *   (`masked_l1`, `weighted_ce`), or, for a class, when a base is a loss (`class Dice(LossFunctionWrapper)`)
 *   or, after other words, a module (`class DeepLabCE(nn.Module)`; a bare `class MAE(LightningModule)`
 *   is a masked autoencoder).
 *
 * The modifiers and suffix words below are part of the registry's vocabulary, not of any concept:
 * they keep whatever concept the entry names (`sigmoid_`, `weighted_`, `chunked_`, `fused_linear_`…).
 */
import type { Concept } from './types';

/** Words that make an identifier name a loss on their own account. */
export const LOSS_WORDS: ReadonlySet<string> = new Set(['loss', 'losses', 'criterion', 'criterions', 'objective']);

/**
 * Words that may follow the concept's entry without changing what is named: loss words, the
 * callable's role (`fn`, `forward`, `impl`), the logits form (`with logits`), versions (`v2`).
 */
export const SUFFIX_WORDS: ReadonlySet<string> = new Set([
  ...LOSS_WORDS, 'fn', 'func', 'function', 'impl', 'with', 'logits', 'logit', 'module',
  'layer', 'op', 'v1', 'v2', 'v3', '1d', '2d', '3d', 'nd', 'pytorch', 'torch', 'tf', 'jax', 'np', 'numpy', 'fused', 'kernel',
  // The form of the computation (`_lovasz_hinge_flat`) and a loss added as a regulariser
  // (`KLDivergenceRegularizer`): still the concept.
  'flat', 'flattened', 'regularizer', 'regulariser', 'regularization', 'regularisation',
  // A module that wraps a model to train it with the concept (`DistillWrapper`: the student's loss
  // plus the distillation term).
  'wrapper',
]);

/**
 * Words that keep the concept they qualify (`sigmoid_focal`, `weighted_ce`, `masked_l1`): before an
 * ambiguous entry they make it a loss, as only a loss takes them.
 */
export const MODIFIER_WORDS: ReadonlySet<string> = new Set([
  'sigmoid', 'softmax', 'log', 'logsoftmax', 'weighted', 'masked', 'generalized', 'generalised', 'chunked',
  'fused', 'linear', 'soft', 'target', 'naive', 'smoothed', 'sparse', 'binary', 'categorical', 'multiclass',
  'multilabel', 'pixelwise', 'tokenwise', 'per', 'token', 'pixel', 'sample', 'class', 'balanced', 'vanilla',
  'batch', 'mean', 'reduced', 'unreduced', 'stable', 'safe', 'symmetric', 'symmetrical', 'focal', 'normal',
  'gaussian', 'diag', 'diagonal', 'bernoulli', 'discretized',
]);

/**
 * Entries that are also ordinary words for something other than a loss (a norm, a metric, a
 * similarity, a layer): they need a loss word, a modifier, or a module class to name a loss.
 */
export const AMBIGUOUS_ENTRIES: ReadonlySet<string> = new Set([
  'ce', 'l1', 'l2', 'kl', 'z', 'dice', 'jaccard', 'iou', 'cosine', 'cosine similarity', 'cosine distance',
  'contrastive', 'ctc', 'poly', 'gce', 'sce',
  'circle', 'harmonic', 'poisson', 'logistic', 'soft margin', 'ldr', 'mae', 'triplet', 'margin', 'ranking',
  'nce', 'gaussian', 'heteroscedastic', 'tversky', 'arc margin', 'add margin', 'mse', 'rmse', 'root mean squared error',
  // The IoU family and image-quality indices are metrics first (`compute_ciou`, `ssim(img1, img2)`).
  'giou', 'diou', 'ciou', 'siou', 'eiou', 'box iou', 'ssim', 'ms ssim', 'psnr',
  // An odds ratio is a statistic before it is ORPO's loss; sparsemax is an activation (as softmax)
  // before it is a loss.
  'odds ratio', 'sparsemax',
  // A language model and a reward model are models before they are their losses (`lm_head`,
  // `reward_model = …`); `lm_loss`, `GPTLMLoss`, `RewardModelLoss` name the loss.
  'lm', 'language model', 'reward model',
]);

/**
 * Last words of an entry that make it a metric first, however it is spelled out
 * (`generalized_box_iou`, `complete_box_iou`, `ms_ssim` compute the index, not a loss).
 */
const METRIC_LAST_WORDS: ReadonlySet<string> = new Set(['iou', 'ssim', 'psnr']);

/**
 * Entries that name a model before its loss (`class NanoLM(nn.Module)` is a language model): like a
 * metric, only a loss word or a loss base makes them the loss (`GPTLMLoss`, `lm_loss`).
 */
const MODEL_ENTRIES: ReadonlySet<string> = new Set(['lm', 'language model', 'reward model']);
const METRIC_SPELLING = /(?:iou|ssim|psnr)$/;

/**
 * First words of functions that work on a loss without computing it (`test_cross_entropy`,
 * `plot_kl_divergence`): such a definition names no loss.
 */
const NON_LOSS_VERBS: ReadonlySet<string> = new Set([
  'test', 'tests', 'plot', 'print', 'show', 'visualize', 'visualise', 'draw', 'save', 'load', 'check',
  'assert', 'bench', 'benchmark', 'profile', 'register', 'parse', 'set', 'is', 'has', 'use', 'init', 'setup',
  'reset', 'update', 'report', 'summarize', 'describe', 'export', 'run', 'train', 'fit', 'eval', 'evaluate',
  'predict', 'main', 'validate', 'compute', 'calc', 'calculate', 'measure', 'metric', 'metrics', 'get',
]);

/**
 * Verbs of a computation (`compute_cross_entropy`, `calc_weighted_bce`): among the verbs above, these
 * compute what follows them, so with only modifiers between the verb and an entry that names a loss
 * on its own (not `compute_dice`, a metric, nor `get_rewards_ppo`, something else) the name is that loss.
 */
const COMPUTE_VERBS: ReadonlySet<string> = new Set(['compute', 'calc', 'calculate', 'get']);

/**
 * Last words of a kernel's forward half (`_cross_entropy_forward`, `_chunked_cross_entropy_fwd`): after
 * an entry that names a loss on its own they keep it (after an everyday word, `ce_forward` is a
 * model's forward). The backward half computes the gradient, not the loss.
 */
const KERNEL_WORDS: ReadonlySet<string> = new Set(['forward', 'fwd']);

/**
 * Words for the parts of a training method other than its loss (`DataAugmentationDINO`,
 * `SimCLRProjectionHead`-like names with the method last): before the concept and without a loss
 * word they make the name about that part.
 */
const METHOD_PART_WORDS: ReadonlySet<string> = new Set([
  'data', 'dataset', 'datasets', 'augmentation', 'augmentations', 'augment', 'aug', 'transform', 'transforms',
  'collator', 'collate', 'sampler', 'loader', 'dataloader', 'backbone', 'encoder', 'decoder', 'projector',
  'projection', 'head', 'model', 'network', 'net', 'config', 'args', 'arguments', 'scheduler', 'optimizer',
  // A model named after the loss it trains with (`AutoencoderKL`, `VAEKL`-like names).
  'autoencoder', 'autoencoders', 'vae', 'vqvae',
]);

/**
 * Words for a hyperparameter of a loss (`lambda_kd`, `kl_coef`, `alpha_dice`, `num_ce_steps`): before
 * the concept they make the name a setting, not the loss, whatever follows.
 */
const HYPERPARAMETER_WORDS: ReadonlySet<string> = new Set([
  'lambda', 'lam', 'lmbda', 'coef', 'coeff', 'coefs', 'coeffs', 'coefficient', 'weight', 'weights', 'w', 'factor', 'alpha', 'beta', 'temperature', 'temp', 'tau', 'num', 'max', 'min', 'eps', 'epsilon', 'threshold',
  'thresh', 'lr', 'warmup', 'schedule', 'every', 'freq', 'interval', 'enable', 'enabled', 'disable', 'no',
]);

/** How a trainer trains, before the method it trains (`OnlineDPOTrainer`, `IterativeDPOTrainer`). */
const TRAINER_REGIME_WORDS: ReadonlySet<string> = new Set(['online', 'offline', 'iterative', 'async', 'distributed', 'multi', 'turn']);

/** Words that, right before the concept, make the name about something else (`labels_to_hinge`). */
const CONNECTIVES: ReadonlySet<string> = new Set(['to', 'for', 'from', 'into', 'as', 'of', 'vs']);

/** Words of a name that holds whichever loss it is given (`loss_fn`, `criterion`, `loss_object`). */
const HOLDER_WORDS: ReadonlySet<string> = new Set([...LOSS_WORDS, ...SUFFIX_WORDS, 'object', 'obj', 'fct', 'fcn', 'callable']);

/**
 * True when every word of `name` is a loss word or a role (`loss_fn`, `criterion`, `loss_object`):
 * a variable that holds a loss, not a name for one (`loss_fn = keras.losses.mse` is a value).
 */
export function isLossHolderName(name: string): boolean {
  const words = splitIdentifier(name);
  return words.length > 0 && words.every((w) => HOLDER_WORDS.has(w)) && words.some((w) => LOSS_WORDS.has(w));
}

/**
 * Words of a loss's name that do not say which loss it is: verbs and roles (`compute_loss`,
 * `get_loss`, `loss_fn`) and the parts of a total (`total_loss`, `aux_loss`, `reg_loss`).
 */
const GENERIC_LOSS_NAME_WORDS: ReadonlySet<string> = new Set([
  ...NON_LOSS_VERBS, ...HOLDER_WORDS, ...HYPERPARAMETER_WORDS, ...MODIFIER_WORDS, ...CONNECTIVES,
  'total', 'reduce', 'reduction', 'aggregate', 'apply', 'sum', 'avg', 'average', 'final', 'base', 'main', 'my', 'custom',
  'val', 'valid', 'validation', 'step', 'steps', 'epoch', 'forward', 'backward', 'the', 'and', 'all', 'aux', 'auxiliary',
  'extra', 'reg', 'other', 'raw', 'new', 'old', 'default', 'simple', 'dummy', 'fake', 'mock', 'scaled', 'scale',
  'do', 'make', 'build', 'create', 'wrapped', 'wrap', 'inner', 'outer', 'helper', 'single', 'multi', 'a', 'b', 'x', 'y',
  // The loss of another part of a method (PPO's `ValueLoss` trains the critic, not the policy).
  'value', 'critic',
]);

/**
 * True when `name` names a loss (a loss word) together with a word of its own that is no verb, role
 * or part of a total (`variance_loss`, `PolicyLoss`, `GPTLMLoss`), whatever the lexicon makes of it:
 * such a definition may take its concept from its docstring or its class.
 */
export function isNamedLoss(name: string): boolean {
  if (name.length < 6 || (name.indexOf('oss') === -1 && name.indexOf('riterion') === -1 && name.indexOf('bjective') === -1)) return false;
  const words = splitIdentifier(name);
  // `test_grpo_loss_with_delta`, `plot_focal_loss`: about a loss, not one (a computation's verb may lead).
  if (words.length === 0 || (NON_LOSS_VERBS.has(words[0]) && !COMPUTE_VERBS.has(words[0]))) return false;
  let lossWord = false;
  let own = false;
  for (const w of words) {
    if (LOSS_WORDS.has(w)) lossWord = true;
    else if (!GENERIC_LOSS_NAME_WORDS.has(w) && !/^\d/.test(w)) own = true;
  }
  return lossWord && own;
}

/** Splits an identifier into lower-case words: `NTXentLoss` → nt xent loss, `kl_div2` → kl div2. */
export function splitIdentifier(name: string): string[] {
  const words: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current) words.push(current.toLowerCase());
    current = '';
  };
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    const c = name.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (!upper && !lower && !digit) {
      flush();
      continue;
    }
    if (upper && current) {
      const prev = name.charCodeAt(i - 1);
      const prevLower = prev >= 97 && prev <= 122;
      const prevDigit = prev >= 48 && prev <= 57;
      const prevUpper = prev >= 65 && prev <= 90;
      const next = name.charCodeAt(i + 1);
      const nextLower = next >= 97 && next <= 122;
      // fooBar → foo|Bar; l2Loss → l2|Loss; NTXent → NT|Xent (an acronym ends before Upper+lower);
      // SSIM3DLoss → ssim|3d|loss (a dimension stays with its digits).
      const dimension = prevDigit && (ch === 'D' || ch === 'd') && !nextLower;
      if (!dimension && (prevLower || prevDigit || (prevUpper && nextLower))) flush();
    }
    current += ch;
  }
  flush();
  // `ssim3d`, `kl_div2d`: the dimension is a word of its own.
  for (let w = 0; w < words.length; w++) {
    const m = /^([a-z]+)(\d+d)$/.exec(words[w]);
    if (m) words.splice(w, 1, m[1], m[2]);
  }
  return words;
}

/** One lexicon entry of a concept. */
interface Entry {
  conceptId: string;
  /** The entry as written in the data (`cross entropy`). */
  words: string;
  ambiguous: boolean;
  /** A metric or a model first (its spelling ends with `iou`, `ssim`, `psnr`: `ms_ssim`, `dssim`, `giou`; `lm`). */
  metric: boolean;
}

/**
 * How an identifier is used where it is met; a class may use its bases to settle ambiguous entries.
 * `loss-class`: a class with a loss base; `loss-module`: a name imported from a losses module
 * (`from .giou_loss import giou`), which settles every ambiguous entry but is not a class named by a
 * method alone (`from timm.loss import JsdCrossEntropy` is not settled by it); `loss-method`: a method
 * of a loss class (`def ce(self, …)` in `class DiceCELoss(_Loss)`), which settles every ambiguous
 * entry but a metric's or a single letter's.
 */
export type NameSite = 'definition' | 'class' | 'module-class' | 'loss-class' | 'loss-module' | 'loss-method' | 'import' | 'attribute';

/** The lexicon of a registry: identifier → concept by its words. */
export class NameLexicon {
  private readonly byKey = new Map<string, Entry>();
  /** Most words an entry spans once joined (an identifier run longer than this cannot match). */
  private maxKeyLength = 0;
  /** Answers per site, by name (the same few hundred names recur across scans). */
  private readonly memos = new Map<NameSite, Map<string, string | null>>();
  /** Entries claimed by two concepts (the first keeps it). */
  readonly problems: string[] = [];

  /**
   * Class names of the registry's library identifiers, lower-cased without underscores
   * (`binarycrossentropy` from `keras.losses.BinaryCrossentropy`): a class of the user's named
   * exactly like one of them is that loss, not a method's model.
   */
  private readonly libraryClassNames = new Set<string>();

  /**
   * Concepts a library trains with a trainer of their own (`trl.DPOTrainer`): a training procedure
   * more than a loss term, so `<Method>Trainer` names its objective (a `FocalTrainer` does not).
   */
  private readonly trainerConcepts = new Set<string>();

  constructor(concepts: readonly (Pick<Concept, 'id' | 'lexicon'> & { identifiers?: Concept['identifiers'] })[]) {
    for (const concept of concepts) {
      for (const identifier of Array.isArray(concept?.identifiers) ? concept.identifiers : []) {
        const name = typeof identifier?.qualifiedName === 'string' ? identifier.qualifiedName.slice(identifier.qualifiedName.lastIndexOf('.') + 1) : '';
        if (/^[A-Z]/.test(name)) this.libraryClassNames.add(name.replace(/_/g, '').toLowerCase());
        if (/[a-z]Trainer$|[A-Z]Trainer$/.test(name)) this.trainerConcepts.add(concept.id);
      }
    }
    for (const concept of concepts) {
      if (!concept || !Array.isArray(concept.lexicon)) continue;
      for (const entry of concept.lexicon) {
        if (typeof entry !== 'string' || entry.trim() === '') continue;
        const words = entry.trim().toLowerCase().split(/\s+/).join(' ');
        const key = words.replace(/ /g, '');
        const owner = this.byKey.get(key);
        if (owner && owner.conceptId !== concept.id) {
          this.problems.push(`lexicon entry "${entry}" of ${concept.id} is already "${owner.words}" of ${owner.conceptId}; keeping ${owner.conceptId}`);
          continue;
        }
        if (owner) continue;
        // The spelling decides, not the spacing: `msssim` is `ms ssim`, `dssim` ends with `ssim`.
        const metric = METRIC_LAST_WORDS.has(words.slice(words.lastIndexOf(' ') + 1)) || METRIC_SPELLING.test(key) || MODEL_ENTRIES.has(words);
        this.byKey.set(key, { conceptId: concept.id, words, ambiguous: metric || AMBIGUOUS_ENTRIES.has(words), metric });
        this.maxKeyLength = Math.max(this.maxKeyLength, key.length);
      }
    }
  }

  /** True when no concept has a lexicon (nothing can be recognised by its words). */
  get empty(): boolean {
    return this.byKey.size === 0;
  }

  /**
   * The concept `name` names by its words at a place of kind `site`, or undefined. Pure and
   * memoised per (site, name).
   */
  conceptOf(name: string, site: NameSite): string | undefined {
    if (this.byKey.size === 0 || name.length < 2) return undefined;
    let memo = this.memos.get(site);
    if (!memo) {
      memo = new Map();
      this.memos.set(site, memo);
    }
    const known = memo.get(name);
    if (known !== undefined) return known ?? undefined;
    const hit = this.match(name, splitIdentifier(name), site);
    if (memo.size >= 20_000) memo.clear();
    memo.set(name, hit ?? null);
    return hit;
  }

  /**
   * The one concept that the summary line of a docstring (its first line, to the first sentence's end) names (`"""Returns VICReg invariance
   * loss."""`, `"""Policy Loss for PPO"""`, `"""Implementation of the iBOT++ patch loss"""`), or
   * undefined when it names none or several. Words are runs of letters and digits (`Bradley-Terry`
   * is "bradley terry"); an entry that is also an everyday word (`dice`, `kl`, `reward model`)
   * counts only next to a loss word ("dice loss", "loss for reward model").
   */
  conceptMentioned(doc: string): string | undefined {
    if (this.byKey.size === 0) return undefined;
    // The summary line: the first line that holds anything, up to its first sentence's end.
    const first = /\S[^\r\n]*/.exec(doc);
    if (!first) return undefined;
    const stop = first[0].search(/[.!?](?:\s|$)/);
    const summary = (stop >= 0 ? first[0].slice(0, stop) : first[0]).slice(0, 300);
    const words = summary.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
    let found: string | undefined;
    for (let i = 0; i < words.length; i++) {
      let hit: Entry | undefined;
      let hitEnd = i;
      let joined = '';
      for (let j = i; j < words.length; j++) {
        joined += words[j];
        if (joined.length > this.maxKeyLength) break;
        const entry = this.byKey.get(joined);
        if (entry) {
          hit = entry;
          hitEnd = j + 1;
        }
      }
      if (!hit) continue;
      // "dice loss", "Pairwise loss for reward model": an everyday word counts next to a loss word.
      const lossBefore = i >= 2 && (words[i - 1] === 'for' || words[i - 1] === 'of') && LOSS_WORDS.has(words[i - 2]);
      i = hitEnd - 1;
      if (hit.ambiguous && !lossBefore && !(hitEnd < words.length && LOSS_WORDS.has(words[hitEnd]))) continue;
      if (found !== undefined && found !== hit.conceptId) return undefined;
      found = hit.conceptId;
    }
    return found;
  }

  /** The longest entry whose words end at `end` (exclusive) of `words`: its first word and the entry. */
  private entryEndingAt(words: readonly string[], end: number): { start: number; entry: Entry } | undefined {
    let found: { start: number; entry: Entry } | undefined;
    let joined = '';
    for (let s = end - 1; s >= 0; s--) {
      joined = words[s] + joined;
      if (joined.length > this.maxKeyLength) break;
      const hit = this.byKey.get(joined);
      if (hit) found = { start: s, entry: hit };
    }
    return found;
  }

  /**
   * When no entry ends at `end`, the concept may still be in the words before it, in three shapes
   * that real code writes (each needs an entry that names a loss on its own):
   * - a modifier after the entry that, put first, spells another entry (`cross_entropy_sigmoid` is
   *   "sigmoid cross entropy", binary cross-entropy);
   * - one word of the method's own between the entry and a loss word (`GRPOSimpleLoss`,
   *   `GRPOCompletionLoss`), unless that word makes the name a setting, a part or a conversion, or
   *   spells an entry with the loss word (`DistillClipLoss`: "clip loss");
   * - the entry at the end of a run of capitals (`VQLPIPSWithDiscriminator`: VQ + LPIPS).
   */
  private entryInside(name: string, words: readonly string[], end: number, lossWordAfter: boolean): { start: number; entry: Entry } | undefined {
    const last = words[end - 1];
    if (end > 1) {
      const before = this.entryEndingAt(words, end - 1);
      if (before && !before.entry.ambiguous) {
        if (MODIFIER_WORDS.has(last)) {
          const reordered = this.byKey.get(last + words.slice(before.start, end - 1).join(''));
          if (reordered && !reordered.ambiguous) return { start: before.start, entry: reordered };
        } else if (lossWordAfter && !this.byKey.has(last + words[end]) && !HYPERPARAMETER_WORDS.has(last) && !METHOD_PART_WORDS.has(last) && !CONNECTIVES.has(last) && !NON_LOSS_VERBS.has(last)) {
          return before;
        }
      }
    }
    // A run of capitals (`VQLPIPS`): its longest ending that is an entry of four letters or more.
    if (last.length >= 5 && name.includes(last.toUpperCase())) {
      for (let cut = 1; last.length - cut >= 4; cut++) {
        const hit = this.byKey.get(last.slice(cut));
        if (hit) return hit.ambiguous ? undefined : { start: end - 1, entry: hit };
      }
    }
    return undefined;
  }

  private match(name: string, split: string[], site: NameSite): string | undefined {
    // A loss word glued to the concept (`pairwise_circleloss`, `focalloss`) is a word of its own.
    let words = split;
    if (words.some((w) => w.length > 5 && w.endsWith('loss'))) {
      words = [];
      for (const w of split) {
        if (w.length > 5 && w.endsWith('loss')) words.push(w.slice(0, -4), 'loss');
        else words.push(w);
      }
    }
    // `…_with_logits`, `…_with_integer_labels`, `…_with_log_targets`: what follows `with` is the
    // form of the inputs, not the concept.
    const withAt = words.indexOf('with');
    let end = withAt > 0 ? withAt : words.length;
    // `DPOTrainer`, `GRPOTrainer`: the trainer named after a method a library trains with a trainer
    // (`trainerConcepts`) is that method's objective; a trainer of the user's built on it (`CustomDPOTrainer`, `ActorPPOTrainer`) is
    // named by the base it extends, not by its words.
    const trainer = end === words.length && end > 1 && words[end - 1] === 'trainer';
    if (trainer) end--;
    // A kernel's half (`_cross_entropy_forward_impl`) keeps only an entry that names a loss on its own.
    let kernel = false;
    while (end > 0 && (SUFFIX_WORDS.has(words[end - 1]) || (!trainer && KERNEL_WORDS.has(words[end - 1]) && end > 1))) {
      if (KERNEL_WORDS.has(words[end - 1])) kernel = true;
      end--;
    }
    if (end === 0) return undefined;
    const hasLossWord = words.some((w) => LOSS_WORDS.has(w));
    // The longest entry ending at `end`, or one that ends with a loss word among the suffix words
    // (`clip_loss`, `tv_loss`, `log_loss`: "clip loss", "tv loss", "log loss") when it starts no later.
    let found = this.entryEndingAt(words, end);
    let spelledWithLossWord = false;
    for (let e = end + 1; e <= words.length; e++) {
      if (!LOSS_WORDS.has(words[e - 1])) continue;
      const withLossWord = this.entryEndingAt(words, e);
      if (withLossWord && withLossWord.start < end && (!found || withLossWord.start <= found.start)) {
        found = withLossWord;
        spelledWithLossWord = true;
      }
    }
    if (!found && !trainer) found = this.entryInside(name, words, end, words.slice(end).some((w) => LOSS_WORDS.has(w)));
    if (!found || (kernel && found.entry.ambiguous)) return undefined;
    let start = found.start;
    let entry: Entry | undefined = found.entry;
    let joined = '';
    // Only the regime may come before the method (`OnlineDPOTrainer`); `CustomDPOTrainer` is named by its base.
    let regime = true;
    for (let w = 0; w < start && regime; w++) regime = TRAINER_REGIME_WORDS.has(words[w]);
    if (!entry || (trainer && (!regime || entry.ambiguous || !this.trainerConcepts.has(entry.conceptId)))) return undefined;
    // Two concepts in a row (`bce_dice_loss`, `BCEDice`): the first one names it, as the registry
    // does for its hand-written names (`DiceBCELoss` is dice).
    let allAmbiguous = entry.ambiguous;
    // An entry spelled with its loss word is the name's head (`DistillClipLoss` is the CLIP loss).
    for (let more = !spelledWithLossWord; more && start > 0; ) {
      more = false;
      joined = '';
      // A loss word between the two does not separate them (`poly_loss_cross_entropy`).
      const before = LOSS_WORDS.has(words[start - 1]) ? start - 1 : start;
      for (let s = before - 1; s >= 0; s--) {
        joined = words[s] + joined;
        if (joined.length > this.maxKeyLength) break;
        const hit = this.byKey.get(joined);
        if (hit) {
          start = s;
          entry = hit;
          more = true;
        }
      }
      if (more) allAmbiguous = allAmbiguous && entry.ambiguous;
    }
    // `convert_labels_to_hinge`, `weights_for_dice`: a conversion towards a loss, not one.
    if (start > 0 && CONNECTIVES.has(words[start - 1])) return undefined;
    // `lambda_kd`, `kl_coef_loss`… (`kl_coef`: the concept is not last): a setting of the loss.
    for (let w = 0; w < start; w++) if (HYPERPARAMETER_WORDS.has(words[w])) return undefined;
    // `test_cross_entropy`, `plot_kl_divergence`: about a loss, not one.
    // `compute_weighted_cross_entropy` computes the loss: a computation's verb, only modifiers, an entry that is a loss on its own.
    if (start > 0 && NON_LOSS_VERBS.has(words[0]) && !hasLossWord) {
      let computes = COMPUTE_VERBS.has(words[0]) && !allAmbiguous;
      for (let w = 1; w < start && computes; w++) computes = MODIFIER_WORDS.has(words[w]);
      if (!computes) return undefined;
    }
    if (start > 0 && (words[0] === 'test' || words[0] === 'tests')) return undefined;
    // `class BarlowTwins(nn.Module)`, `SimSiam`, `DINO`, `MAE`: a class named by the concept alone is
    // the method's model; the loss is `BarlowTwinsLoss`. A loss base makes it the loss, and so does
    // a library's loss class of the same name (`BinaryCrossEntropy` like Keras's `BinaryCrossentropy`).
    const bare = start === 0 && end === words.length && /^[A-Z]/.test(name);
    if (bare) return site === 'loss-class' || (!entry.ambiguous && this.libraryClassNames.has(words.join(''))) ? entry.conceptId : undefined;
    // `DataAugmentationDINO`, `dino_transform_pipeline`: with a word for another part of a method
    // (its data, its augmentations, its model) and no loss word, the method's name names that part.
    if (!hasLossWord) for (let w = 0; w < start; w++) if (METHOD_PART_WORDS.has(words[w])) return undefined;
    if (!allAmbiguous || hasLossWord) return entry.conceptId;
    // A metric first (`information_weighted_ssim`, `box_iou`) or a single letter (`sample_z`): a
    // modifier or a method's class does not make it a loss; a loss word or a loss base does.
    const weak = entry.metric || entry.words.length === 1;
    if (!weak && start > 0 && MODIFIER_WORDS.has(words[start - 1]) && site !== 'attribute') return entry.conceptId;
    if (site === 'loss-class' || site === 'loss-module' || (!weak && site === 'loss-method') || (!entry.metric && site === 'module-class' && start > 0)) return entry.conceptId;
    return undefined;
  }
}
