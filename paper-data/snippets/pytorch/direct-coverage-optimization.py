"""Direct Coverage Optimization (DCO): the pass@N-aware likelihood loss.

Paper: Rethinking Fine-Tuning when Scaling Test-Time Compute: Limiting Confidence Improves Mathematical Reasoning, arXiv:2502.07154
Concept: direct-coverage-optimization

Formula
    With p_y the probability the model gives the correct answer and N the
    number of samples drawn at test time:
        DCO = -log( 1 - (1 - p_y)^N )
    the negative log of the chance that at least one of N samples is
    correct. N = 1 is cross-entropy; larger N stops rewarding confidence
    once p_y is high enough, which limits overconfidence.

Defaults
    n = 4 is an illustrative test-time budget; N should be the number of
    samples you plan to draw (the paper matches the training N to the
    pass@N budget).

Differences from the reference implementations
    The formula is from the paper; no official code was available to
    compare against. In the paper p_y is the probability of a complete
    correct answer; this snippet applies the formula to a categorical
    prediction (N, C). It is computed stably as
        d = z_y - logsumexp_{k != y} z_k,  log(1 - p_y) = -softplus(d),
        DCO = -log(1 - exp(-n * softplus(d)))
    with a log1mexp split, so it stays finite when p_y is tiny or close to 1.
"""
import math

import torch
import torch.nn.functional as F


def _neg_log_coverage(d: torch.Tensor, n: float) -> torch.Tensor:
    """-log(1 - (1 - p)^n) where p = sigmoid(d), stable for any d.

    With s = softplus(d), (1 - p)^n = exp(a) for a = -n * s <= 0.
    For a > -log 2, log(1 - e^a) = log(n) + log(s) + log(expm1(a) / a), which
    stays finite when s underflows; otherwise log1p(-e^a) is accurate.
    Every branch gets a safe argument so no inf or nan reaches the gradient.
    """
    s = F.softplus(d)
    a = -n * s
    small = a > -math.log(2.0)

    tail = d < -30.0  # there log(softplus(d)) == d to double precision
    log_s = torch.where(tail, d, torch.log(torch.where(tail, torch.ones_like(s), s)))
    a_is_zero = a == 0
    a_safe = torch.where(a_is_zero, -torch.ones_like(a), a)
    ratio = torch.where(a_is_zero, torch.ones_like(a), torch.expm1(a_safe) / a_safe)
    small_value = math.log(n) + log_s + torch.log(ratio)

    a_large = torch.where(small, -torch.ones_like(a), a)
    large_value = torch.log1p(-torch.exp(a_large))
    return -torch.where(small, small_value, large_value)


def dco_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    n: float = 4,
) -> torch.Tensor:
    """DCO loss -log(1 - (1 - p_y)^n), mean over the batch.

    Args:
        logits: (N, C) unnormalised scores, C >= 2.
        target: (N,) int64 class indices in [0, C).
        n: number of test-time samples, >= 1.
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
    if isinstance(n, bool) or not isinstance(n, (int, float)) or n < 1:
        raise ValueError(f"n must be a number >= 1, got {n!r}")

    index = target.unsqueeze(1)
    z_y = logits.gather(1, index).squeeze(1)
    others = logits.scatter(1, index, float("-inf"))
    d = z_y - torch.logsumexp(others, dim=1)
    return _neg_log_coverage(d, float(n)).mean()
