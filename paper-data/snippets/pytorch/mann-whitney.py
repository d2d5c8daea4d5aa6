"""Mann-Whitney (pairwise AUC) loss: logistic loss on every positive-negative score difference.

Paper: Optimizing What Matters: AUC-Driven Learning for Robust Neural Retrieval, arXiv:2510.00137
Concept: mann-whitney

Formula
    For positive scores s_p (P of them) and negative scores s_n (Q of them):
        MW = 1/(P*Q) * sum_p sum_n log(1 + exp(-(s_p - s_n)))
    the binary cross-entropy of sigmoid(s_p - s_n) against label 1, a smooth
    surrogate of 1 - AUC (the Mann-Whitney U statistic counts pairs with
    s_p > s_n).

Defaults
    None: the loss has no hyperparameters. Scale the scores (e.g. a
    temperature on cosine similarities) before calling it if needed.

Differences from the reference implementations
    No official code was available; the formula follows the reference notes
    for the paper. softplus(-(s_p - s_n)) is used for numerical stability.
    All P*Q pairs are formed, so memory grows as P*Q.
"""
import torch
import torch.nn.functional as F


def mann_whitney_loss(pos_scores: torch.Tensor, neg_scores: torch.Tensor) -> torch.Tensor:
    """Mean logistic loss over all (positive, negative) score pairs.

    Args:
        pos_scores: (P,) scores of positive items, P >= 1.
        neg_scores: (Q,) scores of negative items, Q >= 1, same dtype and device.
    """
    if not isinstance(pos_scores, torch.Tensor) or not isinstance(neg_scores, torch.Tensor):
        raise TypeError("pos_scores and neg_scores must be torch.Tensor")
    if pos_scores.dim() != 1 or neg_scores.dim() != 1:
        raise ValueError(
            f"pos_scores and neg_scores must be 1-D, got shapes {tuple(pos_scores.shape)} and {tuple(neg_scores.shape)}"
        )
    if pos_scores.numel() == 0 or neg_scores.numel() == 0:
        raise ValueError("pos_scores and neg_scores must each hold at least one score")
    if not pos_scores.is_floating_point() or not neg_scores.is_floating_point():
        raise TypeError(f"scores must be floating point, got {pos_scores.dtype} and {neg_scores.dtype}")
    if pos_scores.dtype != neg_scores.dtype:
        raise TypeError(f"scores must share a dtype, got {pos_scores.dtype} and {neg_scores.dtype}")

    margins = pos_scores.unsqueeze(1) - neg_scores.unsqueeze(0)
    return F.softplus(-margins).mean()
