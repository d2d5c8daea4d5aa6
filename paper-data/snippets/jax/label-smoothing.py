"""Cross-entropy with label smoothing in JAX, in PyTorch's convention.

Paper: Rethinking the Inception Architecture for Computer Vision, arXiv:1512.00567
Concept: label-smoothing

Formula
    With K classes, p = softmax(z) and smoothing eps, the target distribution
    gives eps / K to every class and the extra 1 - eps to the true class:
        q_k = (1 - eps) * [k == y] + eps / K
        loss = -sum_k q_k * log p_k
             = (1 - eps) * CE(z, y) + eps * mean_k(-log p_k)
    The true class therefore gets 1 - eps + eps / K, not 1 - eps.

Defaults
    smoothing = 0.1, the value Szegedy et al. use for ImageNet (Section 7,
    eps = 0.1 with K = 1000).

Differences from the optax built-in
    optax.smooth_labels(one_hot, alpha) builds the same target distribution
    ((1 - alpha) * labels + alpha / K); with optax.softmax_cross_entropy and a
    mean over the batch it gives this value. This function takes integer
    class indices, like paper-data/snippets/pytorch/label-smoothing.py. Index
    values are not range-checked (they are traced under jax.jit).
"""
import jax
import jax.numpy as jnp


def label_smoothing_cross_entropy(
    logits: jax.Array,
    target: jax.Array,
    smoothing: float = 0.1,
) -> jax.Array:
    """Label-smoothed cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        smoothing: eps in [0, 1]; each class receives eps / C of the target mass.
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
    if isinstance(smoothing, (int, float)) and not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"smoothing must be in [0, 1], got {smoothing}")

    log_p = jax.nn.log_softmax(logits, axis=1)
    nll = -jnp.take_along_axis(log_p, target[:, None], axis=1, mode="fill")[:, 0]
    uniform = -jnp.mean(log_p, axis=1)
    return jnp.mean((1 - smoothing) * nll + smoothing * uniform)
