"""Poly-1 loss in Keras 3 (keras.ops, any backend): cross-entropy plus a first-order polynomial correction.

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

Differences from the PyTorch snippet
    Same value and parameters; Keras has no PolyLoss built-in. 1 - p_y is
    computed as -expm1(log p_y) for precision. Keras calls a loss as
    loss(y_true, y_pred): compile with loss=lambda y, z: poly1_cross_entropy(z, y).
"""
import keras
from keras import ops


def poly1_cross_entropy(logits, target, epsilon: float = 1.0):
    """Poly-1 cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        epsilon: coefficient of (1 - p_y), >= -1.
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
    if isinstance(epsilon, (int, float)) and epsilon < -1:
        raise ValueError(f"epsilon must be >= -1, got {epsilon}")

    log_py = ops.take_along_axis(ops.log_softmax(logits, axis=1), ops.expand_dims(target, 1), axis=1)[:, 0]
    return ops.mean(-log_py - epsilon * ops.expm1(log_py))
