"""Soft Dice loss for segmentation masks.

Paper: V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation, arXiv:1606.04797
Concept: dice

Formula
    Per sample, summing over every non-batch position i:
        Dice = (2 * sum_i p_i * t_i + smooth) / (sum_i p_i + sum_i t_i + smooth)
        loss = mean over the batch of (1 - Dice)
    V-Net (Milletari et al.) squares the terms of the denominator; this
    snippet uses the plain sums, the form of most libraries (MONAI
    squared_pred=False, segmentation_models_pytorch DiceLoss).

Defaults
    smooth = 0.0 keeps the value exactly the Dice coefficient; eps = 1e-7 only
    guards the division (the denominator is clamped to at least eps), so an
    empty prediction against an empty mask scores loss 1 unless smooth > 0.

Differences from the reference implementations
    Libraries differ in where they sum: segmentation_models_pytorch sums over
    the batch too (one Dice per class), MONAI per sample and channel. Here the
    Dice is per sample over all non-batch dimensions, then averaged over the
    batch. For multi-class masks pass one-hot targets of shape (N, C, ...) and
    probabilities from a softmax.
"""
import torch


def dice_loss(
    probs: torch.Tensor,
    target: torch.Tensor,
    smooth: float = 0.0,
    eps: float = 1e-7,
) -> torch.Tensor:
    """Soft Dice loss, 1 - Dice per sample, averaged over the batch.

    Args:
        probs: (N, *) predicted probabilities in [0, 1], at least 2-D.
        target: (N, *) ground truth of the same shape, values in [0, 1] (float, int or bool).
        smooth: additive smoothing in numerator and denominator, >= 0.
        eps: lower bound for the denominator, > 0.
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
    if smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")

    p = probs.flatten(1)
    t = target.flatten(1)
    intersection = (p * t).sum(dim=1)
    denominator = (p.sum(dim=1) + t.sum(dim=1) + smooth).clamp_min(eps)
    dice = (2 * intersection + smooth) / denominator
    return (1 - dice).mean()
