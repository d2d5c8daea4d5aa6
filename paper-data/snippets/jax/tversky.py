"""Tversky loss in JAX: Dice with separate weights for false positives and false negatives.

Paper: Tversky loss function for image segmentation using 3D fully convolutional deep networks, arXiv:1706.05721
Concept: tversky

Formula
    Per sample, summing over every non-batch position i:
        TP = sum_i p_i * t_i
        FP = sum_i p_i * (1 - t_i)
        FN = sum_i (1 - p_i) * t_i
        TI = (TP + smooth) / (TP + alpha * FP + beta * FN + smooth)
        loss = mean over the batch of (1 - TI)
    alpha weights false positives and beta false negatives (Salehi et al.).
    alpha = beta = 0.5 with smooth = 0 is exactly the Dice loss.

Defaults
    alpha = beta = 0.5 (the Dice special case) and smooth = 0.0. Salehi et al.
    report alpha = 0.3, beta = 0.7 as their best trade-off for lesion
    segmentation; raise beta to penalise missed foreground more.

Differences from the optax built-in
    optax.losses.dice_loss also has alpha and beta (a Tversky form) but applies
    a softmax by default and smooths with smooth=1.0, one index per class.
    Here the index is per sample over all non-batch dimensions, the
    denominator is floored at 1e-7 (loss 1 on empty masks unless smooth > 0),
    as in paper-data/snippets/pytorch/tversky.py. Values are not range-checked
    (they are traced under jax.jit).
"""
import jax
import jax.numpy as jnp

_TVERSKY_MIN_DENOMINATOR = 1e-7


def tversky_loss(
    probs: jax.Array,
    target: jax.Array,
    alpha: float = 0.5,
    beta: float = 0.5,
    smooth: float = 0.0,
) -> jax.Array:
    """Tversky loss, 1 - Tversky index per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1].
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        smooth: additive smoothing, >= 0.
    """
    probs = jnp.asarray(probs)
    target = jnp.asarray(target)
    if not jnp.issubdtype(probs.dtype, jnp.floating):
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if probs.ndim < 2 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N, *) array with at least 2 dims, got {probs.shape}")
    if target.shape != probs.shape:
        raise ValueError(f"target shape {target.shape} must match probs shape {probs.shape}")
    if isinstance(alpha, (int, float)) and isinstance(beta, (int, float)) and (alpha < 0 or beta < 0):
        raise ValueError(f"alpha and beta must be >= 0, got alpha={alpha}, beta={beta}")
    if isinstance(smooth, (int, float)) and smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")

    p = probs.reshape(probs.shape[0], -1)
    t = target.astype(probs.dtype).reshape(probs.shape[0], -1)
    tp = jnp.sum(p * t, axis=1)
    fp = jnp.sum(p * (1 - t), axis=1)
    fn = jnp.sum((1 - p) * t, axis=1)
    denominator = jnp.maximum(tp + alpha * fp + beta * fn + smooth, _TVERSKY_MIN_DENOMINATOR)
    index = (tp + smooth) / denominator
    return jnp.mean(1 - index)
