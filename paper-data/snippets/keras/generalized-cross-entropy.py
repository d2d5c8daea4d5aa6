"""Generalized cross-entropy (GCE, L_q loss) in Keras 3 (keras.ops, any backend), for learning with noisy labels.

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
    Same value and parameters; Keras has no GCE built-in. The truncated
    variant L_trunc is not included. 1 - p_y^q is computed as
    -expm1(q * log p_y) for precision. Keras calls a loss as loss(y_true, y_pred):
    compile with loss=lambda y, z: generalized_cross_entropy(z, y).
"""
import keras
from keras import ops


def generalized_cross_entropy(logits, target, q: float = 0.7):
    """GCE loss (1 - p_y^q) / q, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        q: exponent in (0, 1].
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
    if isinstance(q, (int, float)) and not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1], got {q}")

    log_py = ops.take_along_axis(ops.log_softmax(logits, axis=1), ops.expand_dims(target, 1), axis=1)[:, 0]
    return ops.mean(-ops.expm1(q * log_py) / q)
