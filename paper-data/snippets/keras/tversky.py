"""Tversky loss in Keras 3 (keras.ops, any backend): Dice with separate weights for false positives and false negatives.

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

Differences from the Keras built-in
    keras.losses.tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None) has
    the same weights but adds backend.epsilon() to the denominator and, by
    default, sums over the whole batch at once. Here the index is per sample
    over all non-batch dimensions and the denominator is floored at 1e-7, as
    in paper-data/snippets/pytorch/tversky.py. Keras calls a loss as
    loss(y_true, y_pred): compile with loss=lambda t, p: tversky_loss(p, t).
"""
import keras
from keras import ops

_TVERSKY_MIN_DENOMINATOR = 1e-7


def tversky_loss(probs, target, alpha: float = 0.5, beta: float = 0.5, smooth: float = 0.0):
    """Tversky loss, 1 - Tversky index per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1].
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        smooth: additive smoothing, >= 0.
    """
    probs = ops.convert_to_tensor(probs)
    target = ops.convert_to_tensor(target)
    if not keras.backend.is_float_dtype(probs.dtype):
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if len(probs.shape) < 2 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N, *) tensor with at least 2 dims, got {probs.shape}")
    if tuple(target.shape) != tuple(probs.shape):
        raise ValueError(f"target shape {target.shape} must match probs shape {probs.shape}")
    if isinstance(alpha, (int, float)) and isinstance(beta, (int, float)) and (alpha < 0 or beta < 0):
        raise ValueError(f"alpha and beta must be >= 0, got alpha={alpha}, beta={beta}")
    if isinstance(smooth, (int, float)) and smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")

    axes = tuple(range(1, len(probs.shape)))
    t = ops.cast(target, probs.dtype)
    tp = ops.sum(probs * t, axis=axes)
    fp = ops.sum(probs * (1 - t), axis=axes)
    fn = ops.sum((1 - probs) * t, axis=axes)
    denominator = ops.maximum(tp + alpha * fp + beta * fn + smooth, _TVERSKY_MIN_DENOMINATOR)
    index = (tp + smooth) / denominator
    return ops.mean(1 - index)
