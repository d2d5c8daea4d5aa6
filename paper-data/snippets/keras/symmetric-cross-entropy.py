"""Symmetric cross-entropy (SCE) in Keras 3 (keras.ops, any backend): cross-entropy plus reverse cross-entropy.

Paper: Symmetric Cross Entropy for Robust Learning with Noisy Labels, arXiv:1908.06112
Concept: symmetric-cross-entropy

Formula
    With p = softmax(z) and one-hot target q (log 0 replaced by A = log_zero):
        CE  = -log p_y
        RCE = -sum_k p_k * log q_k = -A * (1 - p_y)
        SCE = alpha * CE + beta * RCE       (mean over the batch)

Defaults
    alpha = 0.1, beta = 1.0 are the official CIFAR-10 settings
    (YisenWang/symmetric_cross_entropy_for_noisy_labels train_models.py).
    A = -4 is the value the paper states for log 0.

Differences from the official code
    The official code is Keras too (loss.py, symmetric_cross_entropy), but it
    takes probabilities and clips the one-hot labels to [1e-4, 1] before the
    log, so its A is log(1e-4) = -9.21, not the paper's -4; pass
    log_zero=math.log(1e-4) to reproduce it. This function takes logits and
    integer class indices, like the PyTorch snippet.
"""
import keras
from keras import ops


def symmetric_cross_entropy(logits, target, alpha: float = 0.1, beta: float = 1.0, log_zero: float = -4.0):
    """SCE = alpha * CE + beta * RCE, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        alpha: weight of cross-entropy, >= 0.
        beta: weight of reverse cross-entropy, >= 0.
        log_zero: the value A that replaces log(0) in the reverse term, < 0.
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
    if isinstance(alpha, (int, float)) and isinstance(beta, (int, float)) and (alpha < 0 or beta < 0):
        raise ValueError(f"alpha and beta must be >= 0, got alpha={alpha}, beta={beta}")
    if isinstance(log_zero, (int, float)) and log_zero >= 0:
        raise ValueError(f"log_zero must be negative (it stands for log 0), got {log_zero}")

    log_py = ops.take_along_axis(ops.log_softmax(logits, axis=1), ops.expand_dims(target, 1), axis=1)[:, 0]
    ce = -log_py
    rce = -log_zero * -ops.expm1(log_py)
    return ops.mean(alpha * ce + beta * rce)
