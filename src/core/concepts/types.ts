/**
 * The loss-concept registry model. Data lives in `paper-data/concepts/`; this file is its schema.
 * Every fact carries a `source` (paper section, official repository file, or library docs URL).
 */
import type { ConceptRelation } from '../papers/types';

/** Frameworks and libraries whose identifiers name a loss. */
export type Framework =
  | 'pytorch'
  | 'torchvision'
  | 'tensorflow'
  | 'keras'
  | 'optax'
  | 'pytorch-metric-learning'
  | 'segmentation-models-pytorch'
  | 'monai'
  | 'transformers'
  | 'cut-cross-entropy'
  | 'liger-kernel'
  | 'trl'
  | 'lightly'
  | 'timm'
  | 'kornia'
  | 'mmdet'
  | 'ultralytics'
  | 'lpips'
  | 'piq'
  | 'open-clip'
  | 'torchgan'
  | 'pytorch-msssim'
  | 'composer'
  | 'keras-cv'
  | 'fvcore'
  | 'handwritten';

/** A fully qualified identifier that names the concept in a library. */
export interface ConceptIdentifier {
  framework: Framework;
  /** Fully qualified: `torch.nn.CrossEntropyLoss`, `keras.losses.SparseCategoricalCrossentropy`. */
  qualifiedName: string;
  kind: 'class' | 'function';
  /** Library docs URL or source file this identifier is documented in (one URL). */
  source: string;
}

/** The concept's formula, LaTeX that both KaTeX and MathJax render. */
export interface ConceptFormula {
  latex: string;
  /** The one URL the formula was checked against (official repository file, library docs, or the paper). */
  source: string;
  /** False where the formula could not be checked against its source (the reference marks it unverified). */
  verified: boolean;
  /** Where the reference and the source disagree, or the notation needs a word: what the source says. */
  note?: string;
}

export interface ConceptParameter {
  name: string;
  /** Default value per framework as source text, e.g. `{ pytorch: "0.0", keras: "0.0" }`. */
  defaults: Partial<Record<Framework | 'paper', string>>;
  meaning: string;
  /** The convention that trips people up, if any. */
  pitfall?: string;
  /**
   * Where the defaults and meaning come from: one or more URLs (or a short citation when there is
   * no URL), separated by ` ; ` when the defaults of several frameworks come from several docs.
   * Use `splitSources` from `registry.ts` to list them.
   */
  source: string;
}

export interface ConceptPaperRef {
  /** Paper id from `paper-data/papers.json`. */
  paperId: string;
  relation: ConceptRelation;
}

/** A classic origin outside the shipped corpus (e.g. Lin et al. 2017 for focal loss). */
export interface ConceptOrigin {
  title: string;
  authors: string;
  year: number;
  arxivId?: string;
  url?: string;
  source: string;
}

export interface Concept {
  /** Stable kebab-case id, e.g. `cross-entropy`, `focal`. */
  id: string;
  name: string;
  /** Natural-language names and abbreviations ("focal loss", "FL"), used for search and inference. */
  aliases: string[];
  summary: string;
  formula: ConceptFormula;
  parameters: ConceptParameter[];
  identifiers: ConceptIdentifier[];
  /** Names people give their own implementations: `focal_loss`, `FocalLoss`. */
  handwrittenNames: string[];
  /**
   * Words that name the concept inside an identifier, each a lower-case word sequence separated by
   * single spaces (`"xent"`, `"cross entropy"`, `"kl div"`). Identifiers are split into words
   * (snake_case, CamelCase, digits) and matched against these; see `core/concepts/lexicon`.
   */
  lexicon?: string[];
  /**
   * Extra string names Keras accepts for this loss in `compile(loss=...)` and `keras.losses.get`,
   * beyond the class and function names of its `keras.losses.*` identifiers (which Keras accepts
   * as strings too): the aliases of `ALL_OBJECTS_DICT` in keras/src/losses/__init__.py (`"mse"`,
   * `"MSE"`, `"bce"`, `"kld"`, `"mae"`).
   */
  kerasNames?: string[];
  related: string[];
  /**
   * Paper links stated by the registry itself. Always empty in the shipped data: which papers propose
   * or study a concept is recorded once, on the papers in `papers.json`, and derived with
   * `ConceptRegistry.papersFor(conceptId, papers)` so that a user's own papers join in.
   */
  papers: ConceptPaperRef[];
  /** Practical warnings; `source` is formatted like `ConceptParameter.source`. */
  pitfalls: { text: string; source: string }[];
  origin?: ConceptOrigin;
  /**
   * 'seed' for losses proposed by the seed papers, 'classic' for section B, 'modern' for the losses
   * people train with today (preference optimisation, distillation, self-supervised, detection,
   * generative).
   */
  category: 'classic' | 'seed' | 'modern';
}
