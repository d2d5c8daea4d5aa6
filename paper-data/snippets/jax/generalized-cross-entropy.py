"""Generalized cross-entropy (GCE, L_q loss) in JAX, for learning with noisy labels.

Paper: Generalized Cross Entropy Loss for Training Deep Neural Networks with Noisy Labels, arXiv:1805.07836
Concept: generalized-cross-entropy

Formula
    With p = softmax(z) and target y:
        L_q = (1 - p_y^q) / q,   0 < q <= 1
    As q -> 0 it tends to cross-entropy -log p_y; at q = 1 it is 1 - p_y,
    half the mean absolute error between p and the one-hot target.

Defaults
    q = 0.7, the value Zhang and Sabuncu use in their experiments.

Differences from the PyTorch snippet
    Same value and parameters; optax has no GCE. The truncated variant L_trunc
    is not included. 1 - p_y^q is computed as -expm1(q * log p_y) for
    precision when p_y is close to 1. Index values are not range-checked
    (they are traced under jax.jit).
"""
import jax
import jax.numpy as jnp


def generalized_cross_entropy(
    logits: jax.Array,
    target: jax.Array,
    q: float = 0.7,
) -> jax.Array:
    """GCE loss (1 - p_y^q) / q, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        q: exponent in (0, 1].
    """
    logits = jnp.asarray(logits)
    target = jnp.asarray(target)
    if logits.ndim != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, C) array, got shape {logits.shape}")
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if not jnp.issubdtype(target.dtype, jnp.integer):
        raise TypeError(f"target must hold integer class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {target.shape}")
    if isinstance(q, (int, float)) and not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1], got {q}")

    log_py = jnp.take_along_axis(jax.nn.log_softmax(logits, axis=1), target[:, None], axis=1, mode="fill")[:, 0]
    return jnp.mean(-jnp.expm1(q * log_py) / q)
