"""Decoupled softmax loss for multi-label retrieval (DEXML).

Paper: Dual-Encoders for Extreme Multi-Label Classification, arXiv:2310.10636
Concept: decoupled-softmax

Formula
    For row i with positive set P_i and scores s_ij, each positive competes
    only with itself and the negatives, never with the other positives:
        loss_i = -1/|P_i| * sum_{p in P_i} log( exp(s_ip / tau) / (exp(s_ip / tau) + sum_{n not in P_i} exp(s_in / tau)) )
        loss = mean over rows
    With exactly one positive per row it is InfoNCE (softmax cross-entropy).

Defaults
    temperature = 0.05, the tau of the official configs
    (nilesh2797/DEXML configs/*/dist-de-all_decoupled-softmax.yaml, tau: 0.05,
    with L2-normalised embeddings).

Differences from the official code
    The official SimLoss (losses.py, "decoupled-softmax") gathers the
    negatives' log-sum-exp across GPUs and masks positives with -100 instead
    of -inf; it divides the sum by the number of rows, so a row without
    positives counts as 0. Here every row must have at least one positive
    (ValueError otherwise), the temperature is applied inside, and the
    negatives come from the given (N, M) score matrix only.
"""
import torch


def decoupled_softmax_loss(
    scores: torch.Tensor,
    positive_mask: torch.Tensor,
    temperature: float = 0.05,
) -> torch.Tensor:
    """Decoupled softmax loss: mean over each row's positives, then over rows.

    Args:
        scores: (N, M) similarity scores (e.g. cosine similarities).
        positive_mask: (N, M) bool, True where column j is a positive of row i.
        temperature: softmax temperature tau, > 0.
    """
    if not isinstance(scores, torch.Tensor) or not isinstance(positive_mask, torch.Tensor):
        raise TypeError("scores and positive_mask must be torch.Tensor")
    if scores.dim() != 2 or scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError(f"scores must be a non-empty (N, M) tensor, got shape {tuple(scores.shape)}")
    if not scores.is_floating_point():
        raise TypeError(f"scores must be floating point, got {scores.dtype}")
    if positive_mask.dtype != torch.bool:
        raise TypeError(f"positive_mask must be a bool tensor, got {positive_mask.dtype}")
    if positive_mask.shape != scores.shape:
        raise ValueError(f"positive_mask shape {tuple(positive_mask.shape)} must match scores {tuple(scores.shape)}")
    num_positives = positive_mask.sum(dim=1)
    if bool((num_positives == 0).any()):
        raise ValueError("every row of positive_mask needs at least one positive")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    s = scores / temperature
    # The negatives' log-sum-exp; finfo.min instead of -inf keeps gradients finite
    # for rows that have no negatives.
    very_negative = torch.finfo(s.dtype).min
    negatives = s.masked_fill(positive_mask, very_negative)
    log_sum_neg = torch.logsumexp(negatives, dim=1, keepdim=True)
    log_prob = s - torch.logaddexp(s, log_sum_neg)
    per_row = log_prob.masked_fill(~positive_mask, 0.0).sum(dim=1) / num_positives.to(s.dtype)
    return -per_row.mean()
