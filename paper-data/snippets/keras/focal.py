"""Focal loss in Keras 3 (keras.ops, any backend), softmax (multi-class) and sigmoid (multi-label) forms.

Paper: Focal Loss for Dense Object Detection, arXiv:1708.02002
Concept: focal

Formula
    Softmax form, per sample with target class y and p = softmax(z):
        FL = -alpha_y * (1 - p_y)^gamma * log(p_y)
    Sigmoid form, per element with p = sigmoid(z) and binary target t:
        p_t = p * t + (1 - p) * (1 - t)
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        FL = -alpha_t * (1 - p_t)^gamma * log(p_t)
    gamma = 0 and no alpha gives plain cross-entropy (softmax form) or binary
    cross-entropy (sigmoid form).

Defaults
    gamma = 2.0 and alpha = 0.25 are the values Lin et al. report as best for
    RetinaNet (paper, Table 1 ablations). The softmax form takes alpha=None by
    default: the paper defines alpha for the binary case only. Same names and
    defaults as the PyTorch snippet (paper-data/snippets/pytorch/focal.py).

Differences from the Keras built-ins
    keras.losses.CategoricalFocalCrossentropy (alpha=0.25, gamma=2.0) takes
    one-hot labels and probabilities unless from_logits=True, and applies
    alpha=0.25 to every class; focal_loss here takes logits and integer class
    indices with alpha=None. keras.losses.BinaryFocalCrossentropy ignores
    alpha unless apply_class_balancing=True. Keras calls a loss as
    loss(y_true, y_pred): compile with loss=lambda y, z: focal_loss(z, y).
    Values are not range-checked (they are symbolic inside a compiled step).
"""
import keras
import numpy as np
from keras import ops


def _focal_check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _focal_tiny(dtype) -> float:
    # The smallest normal number of the dtype (bfloat16 shares float32's exponent range).
    name = keras.backend.standardize_dtype(dtype)
    return float(np.finfo("float32" if name == "bfloat16" else name).tiny)


def _focal_reduce(loss, reduction: str):
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    return loss


def focal_loss(logits, target, gamma: float = 2.0, alpha=None, reduction: str = "mean"):
    """Softmax focal loss for multi-class classification.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        gamma: focusing parameter, >= 0.
        alpha: None, a float that scales every term, or a (C,) tensor of per-class weights.
        reduction: "mean" (over N), "sum" or "none" (per-sample losses).
    """
    logits = ops.convert_to_tensor(logits)
    target = ops.convert_to_tensor(target)
    if len(logits.shape) != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, C) tensor, got shape {logits.shape}")
    if not keras.backend.is_float_dtype(logits.dtype):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if not keras.backend.is_int_dtype(target.dtype):
        raise TypeError(f"target must hold integer class indices, got {target.dtype}")
    if tuple(target.shape) != tuple(logits.shape[:1]):
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {target.shape}")
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)
    num_classes = logits.shape[1]

    log_pt = ops.take_along_axis(ops.log_softmax(logits, axis=1), ops.expand_dims(target, 1), axis=1)[:, 0]
    # 1 - p_t through expm1 keeps precision when p_t is close to 1; the floor keeps the
    # gradient of (1 - p_t)^gamma finite (not nan) when p_t rounds to 1 and gamma < 1.
    one_minus_pt = ops.maximum(-ops.expm1(log_pt), _focal_tiny(logits.dtype))
    loss = -ops.power(one_minus_pt, gamma) * log_pt

    if alpha is not None:
        if isinstance(alpha, bool):
            raise TypeError("alpha must be None, a float or a (C,) tensor")
        if isinstance(alpha, (int, float)):
            if alpha < 0:
                raise ValueError(f"alpha must be >= 0, got {alpha}")
            loss = loss * alpha
        else:
            alpha = ops.cast(ops.convert_to_tensor(alpha), logits.dtype)
            if tuple(alpha.shape) != (num_classes,):
                raise ValueError(f"alpha tensor must have shape ({num_classes},), got {alpha.shape}")
            loss = loss * ops.take(alpha, target)
    return _focal_reduce(loss, reduction)


def sigmoid_focal_loss(logits, target, alpha=0.25, gamma: float = 2.0, reduction: str = "mean"):
    """Sigmoid focal loss for binary or multi-label targets (torchvision's formula).

    Args:
        logits: any shape, unnormalised scores.
        target: same shape as logits, values in [0, 1] (float, int or bool).
        alpha: weight of the positive class in [0, 1]; None disables the weighting.
        gamma: focusing parameter, >= 0.
        reduction: "mean" (over all elements), "sum" or "none".
    """
    logits = ops.convert_to_tensor(logits)
    target = ops.convert_to_tensor(target)
    if not keras.backend.is_float_dtype(logits.dtype):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if any(d == 0 for d in logits.shape):
        raise ValueError("logits must not be empty")
    if tuple(target.shape) != tuple(logits.shape):
        raise ValueError(f"target shape {target.shape} must match logits shape {logits.shape}")
    if alpha is not None and isinstance(alpha, (int, float)) and not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1] or None, got {alpha}")
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)
    target = ops.cast(target, logits.dtype)

    p = ops.sigmoid(logits)
    ce = -(target * ops.log_sigmoid(logits) + (1 - target) * ops.log_sigmoid(-logits))
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * ops.power(ops.maximum(1 - p_t, _focal_tiny(logits.dtype)), gamma)
    if alpha is not None:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _focal_reduce(loss, reduction)
