"""Generalized cross-entropy (GCE, L_q loss) for learning with noisy labels.

Paper: Generalized Cross Entropy Loss for Training Deep Neural Networks with Noisy Labels, arXiv:1805.07836
Concept: generalized-cross-entropy

Formula
    With p = softmax(z) and target y:
        L_q = (1 - p_y^q) / q,   0 < q <= 1
    As q -> 0 it tends to cross-entropy -log p_y; at q = 1 it is 1 - p_y,
    half the mean absolute error between p and the one-hot target.

Defaults
    q = 0.7, the value Zhang and Sabuncu use in their experiments.

Differences from the reference implementations
    The truncated variant L_trunc (the paper's second loss, with threshold k
    and per-sample pruning weights) is not included. 1 - p_y^q is computed as
    -expm1(q * log p_y) for precision when p_y is close to 1.
"""
import torch
import torch.nn.functional as F


def generalized_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    q: float = 0.7,
) -> torch.Tensor:
    """GCE loss (1 - p_y^q) / q, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        q: exponent in (0, 1].
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
    if not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1], got {q}")

    log_py = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return (-torch.expm1(q * log_py) / q).mean()
