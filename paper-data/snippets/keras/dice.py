"""Soft Dice loss for segmentation masks, in Keras 3 (keras.ops, any backend).

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

Differences from the Keras built-in
    keras.losses.dice(y_true, y_pred, axis=None) computes
    1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon) over
    the axes given, by default over the whole batch at once; this function
    computes one Dice per sample over all non-batch dimensions and averages
    them, like paper-data/snippets/pytorch/dice.py. Keras calls a loss as
    loss(y_true, y_pred): compile with loss=lambda t, p: dice_loss(p, t).
"""
import keras
from keras import ops


def dice_loss(probs, target, smooth: float = 0.0, eps: float = 1e-7):
    """Soft Dice loss, 1 - Dice per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1] (float, int or bool).
        smooth: additive smoothing in numerator and denominator, >= 0.
        eps: lower bound for the denominator, > 0.
    """
    probs = ops.convert_to_tensor(probs)
    target = ops.convert_to_tensor(target)
    if not keras.backend.is_float_dtype(probs.dtype):
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if len(probs.shape) < 2 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N, *) tensor with at least 2 dims, got {probs.shape}")
    if tuple(target.shape) != tuple(probs.shape):
        raise ValueError(f"target shape {target.shape} must match probs shape {probs.shape}")
    if isinstance(smooth, (int, float)) and smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")
    if isinstance(eps, (int, float)) and eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")

    axes = tuple(range(1, len(probs.shape)))
    t = ops.cast(target, probs.dtype)
    intersection = ops.sum(probs * t, axis=axes)
    denominator = ops.maximum(ops.sum(probs, axis=axes) + ops.sum(t, axis=axes) + smooth, eps)
    dice = (2 * intersection + smooth) / denominator
    return ops.mean(1 - dice)
