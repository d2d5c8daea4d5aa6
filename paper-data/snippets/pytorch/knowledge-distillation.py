"""Knowledge distillation: temperature-softened teacher targets with the T^2 factor, plus the hard-label loss.

Paper: Distilling the Knowledge in a Neural Network, arXiv:1503.02531
Concept: knowledge-distillation

Formula
    p_t = softmax(z_t / T), p_s = softmax(z_s / T):
        soft = T^2 * KL(p_t || p_s) = T^2 * sum_k p_t,k (log p_t,k - log p_s,k)
        L = hard_weight * CE(z_s, y) + soft_weight * soft
    averaged over the batch. The T^2 factor keeps the soft term's gradient
    magnitude roughly constant as T changes (Hinton et al.). With T = 1 and a
    one-hot teacher the soft term equals the cross-entropy with the teacher's class.

Defaults
    temperature = 1.0, hard_weight = soft_weight = 1.0: the defaults of
    timm.task.LogitDistillationTask (temperature=1.0; both weights 1.0 when
    neither is given). The hard term is skipped when target is None.

Differences from the reference implementations
    timm computes the soft term as F.kl_div(..., reduction="batchmean",
    log_target=True) * T**2, the same value. mmdet's KnowledgeDistillationKLDivLoss
    averages the KL over classes as well (divides by the number of classes) and
    defaults to T = 10. Here the teacher's probabilities use xlogy so that exact
    zeros (hard teachers) give 0 * log 0 = 0 instead of nan; the teacher logits
    are detached.
"""
import torch
import torch.nn.functional as F


def soft_target_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Per-sample T^2 * KL(softmax(teacher / T) || softmax(student / T)), shape (N,).

    Args:
        student_logits, teacher_logits: (N, C) logits; the teacher is detached.
        temperature: T, > 0.
    """
    if not isinstance(student_logits, torch.Tensor) or not student_logits.is_floating_point():
        raise TypeError("student_logits must be a floating-point torch.Tensor")
    if student_logits.dim() != 2 or student_logits.shape[0] == 0:
        raise ValueError(f"student_logits must be a non-empty (N, C) tensor, got shape {tuple(student_logits.shape)}")
    if teacher_logits.shape != student_logits.shape:
        raise ValueError(f"teacher_logits must have shape {tuple(student_logits.shape)}, got {tuple(teacher_logits.shape)}")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    log_p_s = F.log_softmax(student_logits / temperature, dim=-1)
    p_t = F.softmax(teacher_logits.detach().to(student_logits.dtype) / temperature, dim=-1)
    kl = (torch.xlogy(p_t, p_t) - p_t * log_p_s).sum(dim=-1)
    return kl * temperature**2


def knowledge_distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    target: "torch.Tensor | None" = None,
    temperature: float = 1.0,
    hard_weight: float = 1.0,
    soft_weight: float = 1.0,
) -> torch.Tensor:
    """Hinton et al. distillation loss, averaged over the batch.

    Args:
        student_logits, teacher_logits: (N, C) logits.
        target: optional (N,) int64 class indices for the hard-label term.
        temperature: T applied to both logits in the soft term, > 0.
        hard_weight, soft_weight: weights of the two terms, >= 0.
    """
    if hard_weight < 0 or soft_weight < 0:
        raise ValueError("hard_weight and soft_weight must be >= 0")
    loss = soft_weight * soft_target_kl(student_logits, teacher_logits, temperature).mean()
    if target is not None:
        if target.dtype != torch.int64 or target.shape != student_logits.shape[:1]:
            raise TypeError(f"target must be int64 class indices of shape ({student_logits.shape[0]},)")
        loss = loss + hard_weight * F.cross_entropy(student_logits, target)
    return loss
