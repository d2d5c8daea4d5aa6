/**
 * The detector's view of the concept registry: fully qualified names → concept, hand-written
 * names → concept. Built from `Concept[]` so the registry can grow without code changes here.
 *
 * Qualified names are compared in the registry's canonical form (`concepts/qualifiedName.ts`), applied both to the registry's names and to
 * the names the detector resolves from imports, so that `tf.keras.losses.X`, `tensorflow.keras.losses.X`,
 * `tf_keras.losses.X` and `keras.losses.X` all meet, and `optax.X` meets `optax.losses.X` whichever
 * of the two the registry lists.
 */
import { canonicalQualifiedName, REWRITTEN_PACKAGES } from '../concepts/qualifiedName';
import { NameLexicon, splitIdentifier } from '../concepts/lexicon';
import type { Concept, ConceptIdentifier, Framework } from '../concepts/types';

/** One registry identifier the detector can match. */
export interface IndexedIdentifier {
  conceptId: string;
  framework: Framework;
  /** The registry's own spelling of the name. */
  qualifiedName: string;
  kind: 'class' | 'function';
}

/** A hand-written name (`focal_loss`, `DiceLoss`) and the concept it names. */
export interface IndexedHandwrittenName {
  conceptId: string;
  name: string;
}

export interface LossIndex {
  /** Looks up a resolved dotted name (any spelling); undefined when it names no known loss. */
  lookup(qualifiedName: string): IndexedIdentifier | undefined;
  /** True when the dotted name is a package or module that contains an indexed identifier. */
  isKnownModule(qualifiedName: string): boolean;
  /**
   * True when some indexed name ends in this component (`cross_entropy`, `CrossEntropyLoss`).
   * A cheap filter: a dotted chain can only name a loss at a component that passes it.
   */
  mayEndWith(lastComponent: string): boolean;
  /**
   * False when no indexed name can start with this dotted target (`numpy`, `jax.numpy`, `os`):
   * its chains need no lookups.
   */
  mayContain(target: string): boolean;
  /** The concept a hand-written definition of this name would implement. */
  handwritten(name: string): IndexedHandwrittenName | undefined;
  /**
   * The concept of the library loss class named exactly `name` (`RewardTrainer` as `trl.RewardTrainer`,
   * `SigmoidFocalLoss`), when the name ends with `Loss`, `Criterion`, `Objective` or `Trainer` (not
   * `CosineSimilarity`, a distance too) after another word and one concept owns it: a class of the
   * user's (or the library's own source) named so is that loss.
   */
  libraryClass(name: string): string | undefined;
  /**
   * The concept a keyword argument of this name stands for: a concept id spelled as a Python name
   * (`label_smoothing` → `label-smoothing`).
   */
  parameterConcept(keyword: string): string | undefined;
  /**
   * The loss a Keras string names (`"sparse_categorical_crossentropy"`, `"mse"`): the class and
   * function names of the registry's `keras.losses.*` identifiers, which Keras accepts as strings,
   * and each concept's `kerasNames`. Case-sensitive, as Keras's lookup is.
   */
  kerasString(value: string): IndexedIdentifier | undefined;
  /** Identifiers → concept by their words (the concepts' `lexicon`), see `concepts/lexicon.ts`. */
  readonly lexicon: NameLexicon;
  /** Top-level packages of all indexed identifiers (`torch`, `keras`, `optax`…). */
  readonly libraryPackages: ReadonlySet<string>;
  /** Registry entries that could not be indexed, and names claimed by two concepts. */
  readonly problems: string[];
  readonly conceptIds: ReadonlySet<string>;
}

function topLevelPackage(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot === -1 ? dotted : dotted.slice(0, dot);
}

/**
 * Metric and utility packages whose names collide with hand-written loss names (torchmetrics'
 * `KLDivergence`, scikit-learn's `log_loss`…): names imported from them are never treated as
 * hand-written losses.
 */
const NON_LOSS_PACKAGES = new Set([
  'torchmetrics', 'sklearn', 'torcheval', 'evaluate', 'ignite', 'scipy', 'numpy', 'pandas',
  'jax', 'flax', 'haiku', 'transformers', 'datasets', 'lightning', 'pytorch_lightning',
]);

/** True when names imported from this package should never count as hand-written losses. */
export function isNonLossPackage(topLevel: string, index: LossIndex): boolean {
  return NON_LOSS_PACKAGES.has(topLevel) || index.libraryPackages.has(topLevel);
}

function isValidIdentifier(value: unknown): value is ConceptIdentifier {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<ConceptIdentifier>;
  return typeof v.qualifiedName === 'string' && v.qualifiedName.length > 0 && typeof v.framework === 'string';
}

/**
 * Builds the lookup tables from the registry. Malformed entries are skipped and listed in
 * `problems` rather than thrown, because the registry is data that may be edited by hand.
 */
export function buildLossIndex(concepts: readonly Concept[]): LossIndex {
  const byName = new Map<string, IndexedIdentifier>();
  const lastComponents = new Set<string>();
  const modules = new Set<string>();
  const handwritten = new Map<string, IndexedHandwrittenName>();
  const packages = new Set<string>();
  const problems: string[] = [];
  const conceptIds = new Set<string>();
  const byKeyword = new Map<string, string>();
  const kerasStrings = new Map<string, IndexedIdentifier>();
  const kerasAliases: { name: string; conceptId: string }[] = [];
  /** Class names of library identifiers → their concept (null: claimed by two concepts). */
  const libraryClasses = new Map<string, string | null>();

  for (const [position, concept] of (Array.isArray(concepts) ? concepts : []).entries()) {
    if (!concept || typeof concept.id !== 'string' || concept.id.length === 0) {
      problems.push(`concept #${position} has no id`);
      continue;
    }
    conceptIds.add(concept.id);
    byKeyword.set(concept.id.replace(/-/g, '_'), concept.id);
    for (const identifier of Array.isArray(concept.identifiers) ? concept.identifiers : []) {
      if (!isValidIdentifier(identifier)) {
        problems.push(`${concept.id}: an identifier has no qualifiedName or framework`);
        continue;
      }
      const key = canonicalQualifiedName(identifier.qualifiedName.trim());
      const existing = byName.get(key);
      if (existing && existing.conceptId !== concept.id) {
        problems.push(`${identifier.qualifiedName} is listed by both ${existing.conceptId} and ${concept.id}; keeping ${existing.conceptId}`);
        continue;
      }
      if (existing) continue;
      const indexed: IndexedIdentifier = {
        conceptId: concept.id,
        framework: identifier.framework,
        qualifiedName: identifier.qualifiedName.trim(),
        kind: identifier.kind === 'function' ? 'function' : 'class',
      };
      byName.set(key, indexed);
      // Keras's loss lookup accepts the class and function names of keras.losses as strings.
      if (key.startsWith('keras.losses.') && key.indexOf('.', 'keras.losses.'.length) === -1) {
        const short = key.slice('keras.losses.'.length);
        if (!kerasStrings.has(short)) kerasStrings.set(short, indexed);
      }
      const parts = key.split('.');
      const last = identifier.qualifiedName.slice(identifier.qualifiedName.lastIndexOf('.') + 1).trim();
      if (indexed.kind === 'class' && /^[A-Z]/.test(last) && /(?:Loss|Criterion|Objective|Trainer)$/.test(last) && splitIdentifier(last).length >= 2) {
        const owner = libraryClasses.get(last);
        libraryClasses.set(last, owner === undefined || owner === concept.id ? concept.id : null);
      }
      packages.add(parts[0]);
      lastComponents.add(parts[parts.length - 1]);
      for (let k = 1; k < parts.length; k++) modules.add(parts.slice(0, k).join('.'));
    }
    for (const name of Array.isArray(concept.kerasNames) ? concept.kerasNames : []) {
      if (typeof name === 'string' && name.length > 0) kerasAliases.push({ name, conceptId: concept.id });
    }
    for (const name of Array.isArray(concept.handwrittenNames) ? concept.handwrittenNames : []) {
      if (typeof name !== 'string' || name.length === 0) continue;
      const existing = handwritten.get(name);
      if (existing && existing.conceptId !== concept.id) {
        problems.push(`hand-written name ${name} is listed by both ${existing.conceptId} and ${concept.id}; keeping ${existing.conceptId}`);
        continue;
      }
      handwritten.set(name, { conceptId: concept.id, name });
    }
  }

  // An alias (`"mse"`) stands for the concept's Keras function (else class) under its own name.
  for (const { name, conceptId } of kerasAliases) {
    if (kerasStrings.has(name)) continue;
    const keras = [...kerasStrings.values()].filter((k) => k.conceptId === conceptId);
    const target = keras.find((k) => k.kind === 'function') ?? keras[0];
    kerasStrings.set(name, target ?? { conceptId, framework: 'keras', qualifiedName: `keras.losses.${name}`, kind: 'function' });
  }
  // Keras 2's module aliases (`keras.losses.mae`, `MAE`) can end a chain (see `lookupUncached`).
  for (const name of kerasStrings.keys()) {
    lastComponents.add(name);
    if (/^[a-z]{2,5}$/.test(name)) lastComponents.add(name.toUpperCase());
  }
  const lexicon = new NameLexicon(Array.isArray(concepts) ? concepts.filter((c) => c && typeof c.id === 'string') : []);
  problems.push(...lexicon.problems);

  const lookups = new Map<string, IndexedIdentifier | null>();
  /** Exact key, then the defining submodule dropped (see `lookup`). */
  function lookupUncached(qualifiedName: string): IndexedIdentifier | undefined {
    const key = canonicalQualifiedName(qualifiedName);
    const hit = byName.get(key);
    if (hit) return hit;
    // `tf.keras.losses.mae`, `keras.losses.MSE`: Keras 2's module aliases of its loss strings
    // (tf.keras.losses.MAE lists `mae` and `mean_absolute_error` as aliases), the loss the string names.
    if (key.startsWith('keras.losses.') && key.indexOf('.', 'keras.losses.'.length) === -1) {
      const short = key.slice('keras.losses.'.length);
      const alias = kerasStrings.get(short) ?? (/^[A-Z]+$/.test(short) ? kerasStrings.get(short.toLowerCase()) : undefined);
      if (alias) return alias;
    }
    // The defining submodule spelled out: `torchvision.ops.focal_loss.sigmoid_focal_loss`,
    // `monai.losses.dice.DiceLoss`. Drop one lower-case component when its parent is a package
    // the registry knows.
    const last = key.lastIndexOf('.');
    if (last <= 0) return undefined;
    const parentEnd = key.lastIndexOf('.', last - 1);
    if (parentEnd <= 0) return undefined;
    const submodule = key.slice(parentEnd + 1, last);
    if (submodule !== submodule.toLowerCase()) return undefined;
    const parent = key.slice(0, parentEnd);
    if (!modules.has(parent)) return undefined;
    return byName.get(parent + key.slice(last));
  }

  return {
    lookup(qualifiedName: string): IndexedIdentifier | undefined {
      const memo = lookups.get(qualifiedName);
      if (memo !== undefined) return memo ?? undefined;
      const hit = lookupUncached(qualifiedName);
      // Bounded: the same few hundred names recur across scans and keystrokes.
      if (lookups.size >= 20_000) lookups.clear();
      lookups.set(qualifiedName, hit ?? null);
      return hit;
    },
    mayContain(target: string): boolean {
      const top = topLevelPackage(target);
      return packages.has(top) || REWRITTEN_PACKAGES.has(top);
    },
    mayEndWith(lastComponent: string): boolean {
      return lastComponents.has(lastComponent);
    },
    isKnownModule(qualifiedName: string): boolean {
      return modules.has(canonicalQualifiedName(qualifiedName));
    },
    handwritten(name: string): IndexedHandwrittenName | undefined {
      return handwritten.get(name);
    },
    libraryClass(name: string): string | undefined {
      return libraryClasses.get(name) ?? undefined;
    },
    parameterConcept(keyword: string): string | undefined {
      return byKeyword.get(keyword);
    },
    kerasString(value: string): IndexedIdentifier | undefined {
      return kerasStrings.get(value);
    },
    lexicon,
    libraryPackages: packages,
    problems,
    conceptIds,
  };
}
