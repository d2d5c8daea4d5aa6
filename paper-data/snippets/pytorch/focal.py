"""Focal loss, softmax (multi-class) and sigmoid (multi-label) forms.

Paper: Focal Loss for Dense Object Detection, arXiv:1708.02002
Concept: focal

Formula
    Softmax form, per sample with target class y and p = softmax(z):
        FL = -alpha_y * (1 - p_y)^gamma * log(p_y)
    Sigmoid form, per element with p = sigmoid(z) and binary target t:
        p_t = p * t + (1 - p) * (1 - t)
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        FL = -alpha_t * (1 - p_t)^gamma * log(p_t)
    gamma = 0 and no alpha gives plain cross-entropy (softmax form) or binary
    cross-entropy (sigmoid form).

Defaults
    gamma = 2.0 and alpha = 0.25 are the values Lin et al. report as best for
    RetinaNet (paper, Table 1 ablations) and the defaults of
    torchvision.ops.sigmoid_focal_loss. The softmax form takes alpha=None by
    default: the paper defines alpha for the binary case only.

Differences from the reference implementations
    torchvision.ops.sigmoid_focal_loss defaults to reduction="none"; here the
    default is "mean" (mean over every element), and alpha=None switches the
    weighting off where torchvision uses alpha=-1. In the softmax form a float
    alpha scales every term and a per-class tensor weights each sample by
    alpha[target]; "mean" divides by N, unlike F.cross_entropy(weight=...),
    which divides by the sum of the weights.
"""
import torch
import torch.nn.functional as F


def _focal_check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _focal_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    gamma: float = 2.0,
    alpha: "float | torch.Tensor | None" = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """Softmax focal loss for multi-class classification.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        gamma: focusing parameter, >= 0.
        alpha: None, a float that scales every term, or a (C,) tensor of per-class weights.
        reduction: "mean" (over N), "sum" or "none" (per-sample losses).
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
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)

    log_pt = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    # 1 - p_t through expm1 keeps precision when p_t is close to 1; the clamp keeps the
    # gradient of (1 - p_t)^gamma finite (not nan) when p_t rounds to 1 and gamma < 1.
    one_minus_pt = (-torch.expm1(log_pt)).clamp_min(torch.finfo(logits.dtype).tiny)
    loss = -torch.pow(one_minus_pt, gamma) * log_pt

    if alpha is not None:
        if isinstance(alpha, torch.Tensor):
            if alpha.shape != (num_classes,):
                raise ValueError(f"alpha tensor must have shape ({num_classes},), got {tuple(alpha.shape)}")
            loss = loss * alpha.to(device=logits.device, dtype=logits.dtype)[target]
        elif isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
            if alpha < 0:
                raise ValueError(f"alpha must be >= 0, got {alpha}")
            loss = loss * alpha
        else:
            raise TypeError("alpha must be None, a float or a (C,) tensor")
    return _focal_reduce(loss, reduction)


def sigmoid_focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    alpha: "float | None" = 0.25,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """Sigmoid focal loss for binary or multi-label targets (torchvision's formula).

    Args:
        logits: any shape, unnormalised scores.
        target: same shape as logits, values in [0, 1] (float, int or bool).
        alpha: weight of the positive class in [0, 1]; None disables the weighting.
        gamma: focusing parameter, >= 0.
        reduction: "mean" (over all elements), "sum" or "none".
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits and target must be torch.Tensor")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if logits.numel() == 0:
        raise ValueError("logits must not be empty")
    if target.shape != logits.shape:
        raise ValueError(f"target shape {tuple(target.shape)} must match logits shape {tuple(logits.shape)}")
    if target.is_complex():
        raise TypeError("target must be real-valued")
    target = target.to(dtype=logits.dtype)
    if bool((target < 0).any()) or bool((target > 1).any()):
        raise ValueError("target values must lie in [0, 1]")
    if alpha is not None and not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1] or None, got {alpha}")
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)

    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * torch.pow((1 - p_t).clamp_min(torch.finfo(logits.dtype).tiny), gamma)
    if alpha is not None:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _focal_reduce(loss, reduction)
