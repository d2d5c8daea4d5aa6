"""Harmonic loss: cross-entropy over inverse-distance "probabilities" to class prototypes.

Paper: Rethinking the Harmonic Loss via Non-Euclidean Distance Layers, arXiv:2603.10225
Paper: Harmonic Loss Trains Interpretable AI Models, arXiv:2502.01628
Concept: harmonic

Formula
    With class prototypes w_c (rows of weights), a distance d and exponent n:
        p_c = d(x, w_c)^(-n) / sum_j d(x, w_j)^(-n)
        L = -log p_y            (mean over the batch)
    i.e. cross-entropy on logits -n * log d(x, w_c). Distances:
        "euclidean": d = ||x - w_c||_2
        "cosine":    d = 1 - cos(x, w_c)

Defaults
    n = 1.0, plain inverse-distance weighting. The harmonic-loss papers
    treat n as a hyperparameter (their code base also has runs with n tied
    to sqrt of the embedding dimension); tune it for your model.

Differences from the official code
    The original DistLayer (KindXiaoming/grow-crystals src/utils/model.py,
    read through the fork maxwellmg/grow-crystals-distance-experiments) and
    the Euclidean layer of the non-Euclidean follow-up raise the squared distance
    ||x - w||^2 + 1e-4 to the power -n, so their n is this snippet's n / 2
    (official n = 1 is n = 2 here); the cosine layer there uses
    (1 - cos + 1e-4)^(-n), the same exponent convention as here. Both divide
    by the row minimum first, which cancels in p. Here the paper's d^(-n) is
    used with a 1e-12 guard only, so p is exact up to rounding.
"""
import torch
import torch.nn.functional as F

_DISTANCE_GUARD = 1e-12


def harmonic_loss(
    x: torch.Tensor,
    weights: torch.Tensor,
    target: torch.Tensor,
    n: float = 1.0,
    distance: str = "euclidean",
) -> torch.Tensor:
    """Harmonic loss with Euclidean or cosine distance, mean over the batch.

    Args:
        x: (N, D) embeddings.
        weights: (C, D) class prototypes (the unembedding of a harmonic layer).
        target: (N,) int64 class indices in [0, C).
        n: harmonic exponent, > 0.
        distance: "euclidean" or "cosine".
    """
    if not isinstance(x, torch.Tensor) or not isinstance(weights, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("x, weights and target must be torch.Tensor")
    if x.dim() != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must be a non-empty (N, D) tensor, got shape {tuple(x.shape)}")
    if weights.dim() != 2 or weights.shape[0] < 2 or weights.shape[1] != x.shape[1]:
        raise ValueError(f"weights must be (C, {x.shape[1]}) with C >= 2, got shape {tuple(weights.shape)}")
    if not x.is_floating_point() or not weights.is_floating_point():
        raise TypeError(f"x and weights must be floating point, got {x.dtype} and {weights.dtype}")
    if x.dtype != weights.dtype:
        raise TypeError(f"x and weights must share a dtype, got {x.dtype} and {weights.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 class indices, got {target.dtype}")
    if target.shape != x.shape[:1]:
        raise ValueError(f"target must have shape ({x.shape[0]},), got {tuple(target.shape)}")
    num_classes = weights.shape[0]
    if bool((target < 0).any()) or bool((target >= num_classes).any()):
        raise ValueError(f"target values must lie in [0, {num_classes - 1}]")
    if n <= 0:
        raise ValueError(f"n must be > 0, got {n}")

    if distance == "euclidean":
        squared = (x * x).sum(dim=1, keepdim=True) + (weights * weights).sum(dim=1) - 2 * x @ weights.T
        log_d = 0.5 * torch.log(squared.clamp_min(0.0) + _DISTANCE_GUARD)
    elif distance == "cosine":
        cosine = F.normalize(x, dim=1) @ F.normalize(weights, dim=1).T
        log_d = torch.log((1 - cosine).clamp_min(0.0) + _DISTANCE_GUARD)
    else:
        raise ValueError(f"distance must be 'euclidean' or 'cosine', got {distance!r}")
    return F.cross_entropy(-n * log_d, target)
