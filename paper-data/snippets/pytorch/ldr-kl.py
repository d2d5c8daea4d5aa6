"""LDR-KL loss: label-distributionally-robust loss with a KL regulariser, on raw logits.

Paper: Label Distributionally Robust Losses for Multi-class Classification: Consistency, Robustness and Adaptivity, arXiv:2112.14869
Concept: ldr-kl

Formula
    With K classes, target y, margin c and temperature lambda > 0:
        LDR-KL = lambda * log( (1/K) * sum_k exp( (c * [k != y] + z_k - z_y) / lambda ) )
    (the maximum over label distributions of the margin-augmented loss,
    regularised by lambda * KL to the uniform distribution). With lambda = 1
    and c = 0 it equals cross-entropy minus log K.

Defaults
    lam = 1.0, margin = 0.0 make the identity above exact; Lambda = 1.0 is
    also LDRLoss_V1's default. The paper's experiments use margin
    (threshold) c = 0.1 and lambda = 10, and ALDR-KL adapts lambda per
    sample (alpha = 2).

Differences from the official code
    LDRLoss_V1 in the official loss.py (Optimization-AI/ICML2023_LDR; read
    here through copies of that file, the repository itself was not
    available) first transforms the logits, z <- softplus(z) / mean_k
    softplus(z), then applies the formula; the copies disagree on the
    default threshold (0.1, 1.0, 2.0). This snippet applies the formula to
    the raw logits, as the issue specifies. ALDR-KL (adaptive lambda) is not
    included.
"""
import math

import torch


def ldr_kl_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    lam: float = 1.0,
    margin: float = 0.0,
) -> torch.Tensor:
    """LDR-KL loss on raw logits, mean over the batch.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        lam: KL-regularisation strength lambda, > 0.
        margin: margin c added to every wrong class.
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
    if lam <= 0:
        raise ValueError(f"lam must be > 0, got {lam}")

    z_y = logits.gather(1, target.unsqueeze(1))
    wrong = torch.ones_like(logits).scatter(1, target.unsqueeze(1), 0.0)
    scaled = (margin * wrong + logits - z_y) / lam
    return (lam * (torch.logsumexp(scaled, dim=1) - math.log(num_classes))).mean()
