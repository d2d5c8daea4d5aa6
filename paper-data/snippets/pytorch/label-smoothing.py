"""Cross-entropy with label smoothing, in PyTorch's convention.

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

Differences from the reference implementations
    The value equals F.cross_entropy(logits, target, label_smoothing=eps)
    (PyTorch >= 1.10) with the default mean reduction. Some codebases
    (e.g. PCM-Net's weighted label smoothing, see clip-weighted-cross-entropy)
    spread eps over the K - 1 wrong classes instead; that is a different
    target distribution.
"""
import torch
import torch.nn.functional as F


def label_smoothing_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    smoothing: float = 0.1,
) -> torch.Tensor:
    """Label-smoothed cross-entropy, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        smoothing: eps in [0, 1]; each class receives eps / C of the target mass.
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
    if not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"smoothing must be in [0, 1], got {smoothing}")

    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target.unsqueeze(1)).squeeze(1)
    uniform = -log_p.mean(dim=1)
    return ((1 - smoothing) * nll + smoothing * uniform).mean()
