"""Generalized Jensen-Shannon divergence between teacher and student token distributions (GKD).

Paper: On-Policy Distillation of Language Models: Learning from Self-Generated Mistakes, arXiv:2306.13649
Concept: jsd

Formula
    P = softmax(teacher / T), Q = softmax(student / T), M = beta P + (1 - beta) Q:
        JSD_beta = beta KL(P || M) + (1 - beta) KL(Q || M)
    summed over the vocabulary at every position. beta = 0.5 is the
    Jensen-Shannon divergence, symmetric and at most log 2; for disjoint P and
    Q it equals the binary entropy -beta log beta - (1 - beta) log(1 - beta).
    As in TRL and Liger, beta = 0 returns KL(P || Q) and beta = 1 returns
    KL(Q || P) instead of the formula's limit 0.

Defaults
    beta = 0.5 and temperature = 1.0: the defaults of
    trl.experimental.gkd.GKDTrainer.generalized_jsd_loss and of
    liger_kernel.transformers.LigerJSD (beta).

Differences from the reference implementations
    reduction="mean" divides the sum over positions by the number of positions
    kept (labels != ignore_index when labels are given), as TRL's "batchmean"
    does with labels; without labels TRL's "batchmean" divides by the batch size
    only, here by the number of positions. Logits may be (N, V) or (B, S, V).
"""
import math

import torch
import torch.nn.functional as F


def generalized_jsd_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    beta: float = 0.5,
    temperature: float = 1.0,
    labels: "torch.Tensor | None" = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> torch.Tensor:
    """Generalized JSD distillation loss.

    Args:
        student_logits, teacher_logits: (..., V) logits of the same shape.
        beta: mixture weight in [0, 1].
        temperature: T, > 0.
        labels: optional (...) int64 tensor; positions equal to ignore_index are dropped.
        ignore_index: label value of positions to drop.
        reduction: "mean" (over kept positions), "sum" or "none" (per position, dropped ones 0).
    """
    if not isinstance(student_logits, torch.Tensor) or not student_logits.is_floating_point():
        raise TypeError("student_logits must be a floating-point torch.Tensor")
    if student_logits.dim() < 2 or student_logits.numel() == 0:
        raise ValueError(f"student_logits must be a non-empty (..., V) tensor, got shape {tuple(student_logits.shape)}")
    if teacher_logits.shape != student_logits.shape:
        raise ValueError(f"teacher_logits must have shape {tuple(student_logits.shape)}, got {tuple(teacher_logits.shape)}")
    if not 0.0 <= beta <= 1.0:
        raise ValueError(f"beta must lie in [0, 1], got {beta}")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits.to(student_logits.dtype) / temperature, dim=-1)

    def kl(log_a: torch.Tensor, log_b: torch.Tensor) -> torch.Tensor:
        # KL(a || b) = sum a (log a - log b); exp(log_a) = 0 contributes 0 even where log_a = -inf.
        a = log_a.exp()
        return torch.where(a > 0, a * (log_a - log_b), torch.zeros_like(a)).sum(dim=-1)

    if beta == 0.0:
        per_position = kl(log_p, log_q)
    elif beta == 1.0:
        per_position = kl(log_q, log_p)
    else:
        log_m = torch.logsumexp(torch.stack([log_p + math.log(beta), log_q + math.log(1 - beta)]), dim=0)
        per_position = beta * kl(log_p, log_m) + (1 - beta) * kl(log_q, log_m)

    if labels is not None:
        if labels.shape != per_position.shape:
            raise ValueError(f"labels must have shape {tuple(per_position.shape)}, got {tuple(labels.shape)}")
        keep = labels != ignore_index
        per_position = torch.where(keep, per_position, torch.zeros_like(per_position))
        count = keep.sum()
    else:
        count = torch.tensor(per_position.numel(), device=per_position.device)
    if reduction == "none":
        return per_position
    if reduction == "sum":
        return per_position.sum()
    if reduction == "mean":
        return per_position.sum() / count.clamp_min(1).to(per_position.dtype)
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
