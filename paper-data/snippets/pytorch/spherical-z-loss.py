"""Spherical Z-loss: a shift- and scale-invariant classification loss on standardised logits.

Paper: The Z-loss: a shift and scale invariant classification loss belonging to the Spherical Family, arXiv:1604.08859
Concept: spherical-z-loss

Formula
    For logits o (C values), standardise over the classes with the
    population standard deviation:
        mu = mean_k o_k,  sigma = sqrt(mean_k (o_k - mu)^2)
        z_c = (o_c - mu) / sigma
        L = (1/a) * softplus(a * (b - z_c))
    Because only z enters, L is unchanged by o -> s*o + t for any s > 0.

Defaults
    a = 1.0, b = 0.0 are neutral placeholders, not the paper's values: de
    Brebisson and Vincent treat a and b as hyperparameters tuned per task.
    b sets where the softplus hinge sits on the standardised scale and a its
    sharpness; z_c is bounded by sqrt(C - 1).

Differences from the reference implementations
    No official code was available; the formula follows the paper.
    sigma is clamped below by the dtype's smallest normal number so that a
    row of identical logits gives z = 0 instead of 0/0. This is not the
    auxiliary "z-loss" penalty on log Z (see z-loss).
"""
import torch
import torch.nn.functional as F


def spherical_z_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    a: float = 1.0,
    b: float = 0.0,
) -> torch.Tensor:
    """Z-loss (1/a) * softplus(a * (b - z_target)), mean over the batch.

    Args:
        logits: (N, C) unnormalised scores, C >= 2.
        target: (N,) int64 class indices in [0, C).
        a: sharpness, > 0.
        b: offset on the standardised scale.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits and target must be torch.Tensor")
    if logits.dim() != 2 or logits.shape[0] == 0 or logits.shape[1] < 2:
        raise ValueError(f"logits must be a non-empty (N, C) tensor with C >= 2, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    num_classes = logits.shape[1]
    if bool((target < 0).any()) or bool((target >= num_classes).any()):
        raise ValueError(f"target values must lie in [0, {num_classes - 1}]")
    if a <= 0:
        raise ValueError(f"a must be > 0, got {a}")

    centred = logits - logits.mean(dim=1, keepdim=True)
    variance = centred.pow(2).mean(dim=1, keepdim=True)
    sigma = variance.clamp_min(torch.finfo(logits.dtype).tiny).sqrt()
    z_target = (centred / sigma).gather(1, target.unsqueeze(1)).squeeze(1)
    return (F.softplus(a * (b - z_target)) / a).mean()
