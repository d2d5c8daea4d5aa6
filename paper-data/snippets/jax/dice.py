"""Soft Dice loss for segmentation masks, in JAX.

Paper: V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation, arXiv:1606.04797
Concept: dice

Formula
    Per sample, summing over every non-batch position i:
        Dice = (2 * sum_i p_i * t_i + smooth) / (sum_i p_i + sum_i t_i + smooth)
        loss = mean over the batch of (1 - Dice)
    V-Net (Milletari et al.) squares the terms of the denominator; this
    snippet uses the plain sums, as the PyTorch snippet does.

Defaults
    smooth = 0.0 keeps the value exactly the Dice coefficient; eps = 1e-7 only
    guards the division (the denominator is floored at eps), so an empty
    prediction against an empty mask scores loss 1 unless smooth > 0.

Differences from the optax built-in
    optax.losses.dice_loss applies a softmax to its predictions by default
    (apply_softmax=True), smooths with smooth=1.0 and computes one Dice per
    class; this function takes probabilities and computes one Dice per sample
    over all non-batch dimensions, like paper-data/snippets/pytorch/dice.py.
    Under jax.jit the values are traced, so probabilities outside [0, 1] are
    not rejected as the PyTorch snippet does; shapes and dtypes are checked.
"""
import jax
import jax.numpy as jnp


def dice_loss(
    probs: jax.Array,
    target: jax.Array,
    smooth: float = 0.0,
    eps: float = 1e-7,
) -> jax.Array:
    """Soft Dice loss, 1 - Dice per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1] (float, int or bool).
        smooth: additive smoothing in numerator and denominator, >= 0.
        eps: lower bound for the denominator, > 0.
    """
    probs = jnp.asarray(probs)
    target = jnp.asarray(target)
    if not jnp.issubdtype(probs.dtype, jnp.floating):
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if probs.ndim < 2 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N, *) array with at least 2 dims, got {probs.shape}")
    if target.shape != probs.shape:
        raise ValueError(f"target shape {target.shape} must match probs shape {probs.shape}")
    if isinstance(smooth, (int, float)) and smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")
    if isinstance(eps, (int, float)) and eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")

    p = probs.reshape(probs.shape[0], -1)
    t = target.astype(probs.dtype).reshape(probs.shape[0], -1)
    intersection = jnp.sum(p * t, axis=1)
    denominator = jnp.maximum(jnp.sum(p, axis=1) + jnp.sum(t, axis=1) + smooth, eps)
    dice = (2 * intersection + smooth) / denominator
    return jnp.mean(1 - dice)
