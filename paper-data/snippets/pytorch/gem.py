"""GEM loss: entropy-regularised distribution matching for supervised fine-tuning (linear h).

Paper: Preserving Diversity in Supervised Fine-tuning of Large Language Models, arXiv:2408.16673
Concept: gem

Formula
    With p = softmax(z), target y and q = softmax(z / beta) held constant
    (stop-gradient):
        GEM = -sum_v sg[q_v] * h(log p_y - log p_v),   h linear: h(u) = u
    At beta = 1 the value is CE - H(p), cross-entropy minus the entropy of p;
    beta < 1 sharpens q. The gradient differs from that of CE - H(p) because
    q carries no gradient.

Defaults
    beta = 0.7, the default of gem_loss in the official trainer
    (liziniu/GEM sft_trainer.py, gem_loss(..., beta=0.7); read through copies
    of that file).

Differences from the official code
    The official gem_loss shifts logits and labels for causal LM training,
    drops positions with label -100, and offers h = "logsigmoid", which it
    implements as the weights sigmoid(0.01 * (z_v - z_y)) (the function's
    default); this snippet takes (N, C) logits that are already shifted and
    filtered, and implements the linear h that the issue specifies.
"""
import torch
import torch.nn.functional as F


def gem_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    beta: float = 0.7,
) -> torch.Tensor:
    """GEM loss with linear h, mean over the batch (tokens).

    Args:
        logits: (N, C) unnormalised scores (one row per token).
        target: (N,) int64 class (token) indices in [0, C).
        beta: temperature of the stop-gradient distribution q, > 0.
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
    if beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")

    log_p = F.log_softmax(logits, dim=1)
    q = F.softmax(logits.detach() / beta, dim=1)
    log_py = log_p.gather(1, target.unsqueeze(1))
    return -(q * (log_py - log_p)).sum(dim=1).mean()
