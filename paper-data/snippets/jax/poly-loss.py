"""Poly-1 loss in JAX: cross-entropy plus a first-order polynomial correction.

Paper: PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions, arXiv:2204.12511
Concept: poly-loss

Formula
    With p = softmax(z) and target y:
        Poly-1 = CE + epsilon * (1 - p_y) = -log p_y + epsilon * (1 - p_y)
    epsilon = 0 is plain cross-entropy; epsilon = -1 removes the first
    polynomial term of CE's Taylor expansion.

Defaults
    epsilon = 1.0, as in the PyTorch snippet: a neutral starting point, not a
    value taken from the paper (Leng et al. tune epsilon per task).

Differences from the optax built-in
    optax.losses.poly_loss_cross_entropy(logits, labels, epsilon=2.0) takes
    one-hot (or soft) labels, defaults to epsilon = 2.0 (its docstring's
    ImageNet value) and returns one loss per example; this function takes
    integer class indices, defaults to epsilon = 1.0 and averages over the
    batch. 1 - p_y is computed as -expm1(log p_y) for precision.
"""
import jax
import jax.numpy as jnp


def poly1_cross_entropy(
    logits: jax.Array,
    target: jax.Array,
    epsilon: float = 1.0,
) -> jax.Array:
    """Poly-1 cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        epsilon: coefficient of (1 - p_y), >= -1.
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
    if isinstance(epsilon, (int, float)) and epsilon < -1:
        raise ValueError(f"epsilon must be >= -1, got {epsilon}")

    log_py = jnp.take_along_axis(jax.nn.log_softmax(logits, axis=1), target[:, None], axis=1, mode="fill")[:, 0]
    return jnp.mean(-log_py - epsilon * jnp.expm1(log_py))
