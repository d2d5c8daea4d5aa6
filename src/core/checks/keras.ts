/**
 * Keras loss names as `compile(loss="…")` accepts them, resolved through the concept registry:
 * every class and function name of a `keras.losses.*` identifier (Keras looks strings up in
 * `ALL_OBJECTS_DICT`, which holds both, keras/src/losses/__init__.py) plus the concept's
 * `kerasNames` aliases (`"mse"`, `"bce"`).
 */
import type { Concept } from '../concepts/types';

export interface KerasLossName {
  conceptId: string;
  /** The registry's qualified name, e.g. `keras.losses.sparse_categorical_crossentropy`. */
  qualifiedName: string;
  /** The `keras.losses` class taking `from_logits` that the string stands for, when it has one. */
  fromLogitsClass?: string;
}

export type KerasLossNames = ReadonlyMap<string, KerasLossName>;

/**
 * The Keras losses with a `from_logits` argument (default False), by class and function name
 * (keras/src/losses/losses.py: BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
 * CategoricalFocalCrossentropy, SparseCategoricalCrossentropy and their functions).
 */
export const FROM_LOGITS_CLASSES: Readonly<Record<string, string>> = {
  BinaryCrossentropy: 'BinaryCrossentropy', binary_crossentropy: 'BinaryCrossentropy',
  BinaryFocalCrossentropy: 'BinaryFocalCrossentropy', binary_focal_crossentropy: 'BinaryFocalCrossentropy',
  CategoricalCrossentropy: 'CategoricalCrossentropy', categorical_crossentropy: 'CategoricalCrossentropy',
  CategoricalFocalCrossentropy: 'CategoricalFocalCrossentropy', categorical_focal_crossentropy: 'CategoricalFocalCrossentropy',
  SparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy', sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
};

/**
 * `keras.losses` exports that `keras.losses.get` does not accept as strings: they are missing from
 * `ALL_OBJECTS` in keras/src/losses/__init__.py (Keras 3.15.1). Checked by
 * test/python/keras_jax/test_keras_check_fixtures.py against the installed Keras.
 */
export const NOT_STRING_NAMES: ReadonlySet<string> = new Set(['CategoricalGeneralizedCrossEntropy']);

/** String names → concept, from the registry's Keras identifiers and `kerasNames`. */
export function kerasLossNames(concepts: readonly Concept[]): Map<string, KerasLossName> {
  const out = new Map<string, KerasLossName>();
  for (const c of concepts) {
    const keras = c.identifiers.filter((i) => i.framework === 'keras' && /^keras\.losses\.[A-Za-z_]\w*$/.test(i.qualifiedName));
    for (const i of keras) {
      const name = i.qualifiedName.slice('keras.losses.'.length);
      if (NOT_STRING_NAMES.has(name)) continue;
      if (!out.has(name)) out.set(name, { conceptId: c.id, qualifiedName: i.qualifiedName, fromLogitsClass: FROM_LOGITS_CLASSES[name] });
    }
    for (const alias of c.kerasNames ?? []) {
      const fn = keras.find((i) => i.kind === 'function') ?? keras[0];
      if (!fn || out.has(alias)) continue;
      const name = fn.qualifiedName.slice('keras.losses.'.length);
      out.set(alias, { conceptId: c.id, qualifiedName: fn.qualifiedName, fromLogitsClass: FROM_LOGITS_CLASSES[name] });
    }
  }
  return out;
}
