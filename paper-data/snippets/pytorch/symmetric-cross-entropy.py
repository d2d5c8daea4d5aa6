"""Symmetric cross-entropy (SCE): cross-entropy plus reverse cross-entropy.

Paper: Symmetric Cross Entropy for Robust Learning with Noisy Labels, arXiv:1908.06112
Concept: symmetric-cross-entropy

Formula
    With p = softmax(z) and one-hot target q (log 0 replaced by A = log_zero):
        CE  = -log p_y
        RCE = -sum_k p_k * log q_k = -A * (1 - p_y)
        SCE = alpha * CE + beta * RCE       (mean over the batch)

Defaults
    alpha = 0.1, beta = 1.0 are the official CIFAR-10 settings
    (YisenWang/symmetric_cross_entropy_for_noisy_labels train_models.py;
    CIFAR-100 uses alpha = 6.0, beta = 0.1, MNIST alpha = 0.01, beta = 1.0).
    A = -4 is the value the paper states for log 0.

Differences from the official code
    The official Keras loss (loss.py, symmetric_cross_entropy) clips the
    one-hot labels to [1e-4, 1] before the log, so its A is
    log(1e-4) = -9.21, not the paper's -4, and clips p to at least 1e-7 in
    the CE term. The source disagrees with the paper here; this snippet keeps
    the paper's A as the default (log_zero = -4.0) and the exact 1 - p_y.
    Pass log_zero=math.log(1e-4) to reproduce the official code's value.
"""
import torch
import torch.nn.functional as F


def symmetric_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 0.1,
    beta: float = 1.0,
    log_zero: float = -4.0,
) -> torch.Tensor:
    """SCE = alpha * CE + beta * RCE, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        alpha: weight of cross-entropy, >= 0.
        beta: weight of reverse cross-entropy, >= 0.
        log_zero: the value A that replaces log(0) in the reverse term, < 0.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits and target must be torch.Tensor")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, C) tensor, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    num_classes = logits.shape[1]
    if bool((target < 0).any()) or bool((target >= num_classes).any()):
        raise ValueError(f"target values must lie in [0, {num_classes - 1}]")
    if alpha < 0 or beta < 0:
        raise ValueError(f"alpha and beta must be >= 0, got alpha={alpha}, beta={beta}")
    if log_zero >= 0:
        raise ValueError(f"log_zero must be negative (it stands for log 0), got {log_zero}")

    log_py = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    ce = -log_py
    rce = -log_zero * -torch.expm1(log_py)
    return (alpha * ce + beta * rce).mean()
