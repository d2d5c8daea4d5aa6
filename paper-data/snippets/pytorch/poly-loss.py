"""Poly-1 loss: cross-entropy plus a first-order polynomial correction.

Paper: PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions, arXiv:2204.12511
Concept: poly-loss

Formula
    With p = softmax(z) and target y:
        Poly-1 = CE + epsilon * (1 - p_y) = -log p_y + epsilon * (1 - p_y)
    epsilon = 0 is plain cross-entropy; epsilon = -1 removes the first
    polynomial term of CE's Taylor expansion.

Defaults
    epsilon = 1.0 is a neutral starting point, not a value taken from the
    paper: Leng et al. tune epsilon per task and dataset (positive and
    negative values both occur), so tune it for your setting.

Differences from the reference implementations
    Mean over the batch, without label smoothing. 1 - p_y is computed as
    -expm1(log p_y) for precision when p_y is close to 1.
"""
import torch
import torch.nn.functional as F


def poly1_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    epsilon: float = 1.0,
) -> torch.Tensor:
    """Poly-1 cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        epsilon: coefficient of (1 - p_y), >= -1.
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
    if epsilon < -1:
        raise ValueError(f"epsilon must be >= -1, got {epsilon}")

    log_py = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return (-log_py - epsilon * torch.expm1(log_py)).mean()
