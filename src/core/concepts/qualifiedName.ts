/**
 * The one canonical spelling of a library's qualified name. Libraries re-export the same object
 * under several paths (`tf.keras.losses.Huber`, `tensorflow.keras.losses.Huber`, `tf_keras.losses.Huber`
 * and `keras.losses.Huber`; `optax.losses.l2_loss` and `optax.l2_loss`); the registry indexes its
 * identifiers under this spelling and the detector looks resolved names up under it, so both sides
 * meet whichever form the data or the user's code uses.
 */

/**
 * Prefix rewrites applied in order until none matches. Each says where a library re-exports the
 * same object under another path.
 */
const PREFIX_REWRITES: ReadonlyArray<readonly [string, string]> = [
  // `tf` is TensorFlow's conventional alias, written out in docs and in hand-typed names.
  ['tf.', 'tensorflow.'],
  ['tensorflow.compat.v2.', 'tensorflow.'],
  ['tensorflow.compat.v1.nn.', 'tensorflow.nn.'],
  ['tensorflow.compat.v1.keras.', 'keras.'],
  ['tensorflow.python.keras.', 'keras.'],
  ['tensorflow.keras.', 'keras.'],
  // In TF 2 `tf.losses` is an alias of `tf.keras.losses`.
  ['tensorflow.losses.', 'keras.losses.'],
  // The Keras 2 package kept for TF >= 2.16.
  ['tf_keras.', 'keras.'],
  ['keras.src.', 'keras.'],
  ['keras.api.', 'keras.'],
  // keras/src/losses/losses.py, the module that defines the loss classes and functions.
  ['keras.losses.losses.', 'keras.losses.'],
  ['optax.losses.', 'optax.'],
  ['optax._src.loss.', 'optax.'],
  ['torch.nn.modules.loss.', 'torch.nn.'],
  ['torch.nn.modules.', 'torch.nn.'],
];

/** Top-level packages that a rewrite can turn into another (`tf_keras` → `keras`). */
export const REWRITTEN_PACKAGES: ReadonlySet<string> = new Set(PREFIX_REWRITES.map(([from]) => from.slice(0, from.indexOf('.'))));

/**
 * Maps any spelling of a dotted name onto the one spelling used as a key: `tf.keras.losses.X` →
 * `keras.losses.X`, `tf.nn.X` → `tensorflow.nn.X`, `torch.nn.modules.loss.X` → `torch.nn.X`,
 * `optax.losses.X` → `optax.X`. Other names pass through unchanged (trimmed).
 */
export function canonicalQualifiedName(name: string): string {
  let out = name.trim();
  for (let guard = 0; guard < 8; guard++) {
    let changed = false;
    for (const [from, to] of PREFIX_REWRITES) {
      if (out.startsWith(from)) {
        out = to + out.slice(from.length);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}
