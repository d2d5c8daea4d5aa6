"""Cross-entropy with label smoothing in Keras 3 (keras.ops, any backend), in PyTorch's convention.

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

Differences from the Keras built-in
    keras.losses.CategoricalCrossentropy(label_smoothing=eps, from_logits=True)
    smooths one-hot labels the same way (y * (1 - eps) + eps / K) and gives
    this value; SparseCategoricalCrossentropy has no label_smoothing. This
    function takes integer class indices, like the PyTorch snippet. Keras calls
    a loss as loss(y_true, y_pred): compile with
    loss=lambda y, z: label_smoothing_cross_entropy(z, y).
"""
import keras
from keras import ops


def label_smoothing_cross_entropy(logits, target, smoothing: float = 0.1):
    """Label-smoothed cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        smoothing: eps in [0, 1]; each class receives eps / C of the target mass.
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
    if isinstance(smoothing, (int, float)) and not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"smoothing must be in [0, 1], got {smoothing}")

    log_p = ops.log_softmax(logits, axis=1)
    nll = -ops.take_along_axis(log_p, ops.expand_dims(target, 1), axis=1)[:, 0]
    uniform = -ops.mean(log_p, axis=1)
    return ops.mean((1 - smoothing) * nll + smoothing * uniform)
