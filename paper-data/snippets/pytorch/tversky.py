"""Tversky loss: Dice with separate weights for false positives and false negatives.

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

Differences from the reference implementations
    The denominator is clamped to at least 1e-7 to avoid 0/0 on empty masks
    (loss 1 then, unless smooth > 0). Like dice.py, the index is computed per
    sample over all non-batch dimensions, then averaged over the batch.
"""
import torch

_MIN_DENOMINATOR = 1e-7


def tversky_loss(
    probs: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 0.5,
    beta: float = 0.5,
    smooth: float = 0.0,
) -> torch.Tensor:
    """Tversky loss, 1 - Tversky index per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1].
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        smooth: additive smoothing, >= 0.
    """
    if not isinstance(probs, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("probs and target must be torch.Tensor")
    if not probs.is_floating_point():
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if probs.dim() < 2 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N, *) tensor with at least 2 dims, got {tuple(probs.shape)}")
    if target.shape != probs.shape:
        raise ValueError(f"target shape {tuple(target.shape)} must match probs shape {tuple(probs.shape)}")
    if target.is_complex():
        raise TypeError("target must be real-valued")
    target = target.to(dtype=probs.dtype)
    if bool((probs < 0).any()) or bool((probs > 1).any()):
        raise ValueError("probs must lie in [0, 1]; apply sigmoid or softmax to logits first")
    if bool((target < 0).any()) or bool((target > 1).any()):
        raise ValueError("target values must lie in [0, 1]")
    if alpha < 0 or beta < 0:
        raise ValueError(f"alpha and beta must be >= 0, got alpha={alpha}, beta={beta}")
    if smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")

    p = probs.flatten(1)
    t = target.flatten(1)
    tp = (p * t).sum(dim=1)
    fp = (p * (1 - t)).sum(dim=1)
    fn = ((1 - p) * t).sum(dim=1)
    denominator = (tp + alpha * fp + beta * fn + smooth).clamp_min(_MIN_DENOMINATOR)
    index = (tp + smooth) / denominator
    return (1 - index).mean()
