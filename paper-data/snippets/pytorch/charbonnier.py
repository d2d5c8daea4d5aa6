"""Charbonnier loss: a smooth, outlier-robust approximation of the L1 loss.

Paper: Deep Laplacian Pyramid Networks for Fast and Accurate Super-Resolution, arXiv:1704.03915
Concept: charbonnier

Formula
    Per element with residual d = pred - target:
        rho(d) = sqrt(d^2 + eps^2)
    It is close to eps + d^2 / (2 * eps) for |d| << eps and close to |d| for
    |d| >> eps, so 0 <= rho(d) - |d| <= eps everywhere. LapSRN trains with
    "a robust Charbonnier loss function" (abstract); the penalty itself is
    older (Charbonnier et al.), which is why LapSRN is cited as a user of it.

Defaults
    reduction = "mean" over all elements. eps has no default: its value is
    the main difference between implementations (kornia fixes it to 1 and
    subtracts 1; a widely copied PyTorch re-implementation of LapSRN's loss
    computes sqrt(d^2 + 1e-3), i.e. adds eps itself rather than eps^2), and
    the LapSRN paper's value was not checked here.

Differences from the reference implementations
    kornia.losses.charbonnier_loss computes sqrt(d^2 + 1) - 1 (Barron's
    formulation, arXiv 1701.03077, with scale 1) and defaults to
    reduction="none"; charbonnier_loss(pred, target, eps=1.0) - 1 gives the
    same values. subtract_eps=True subtracts eps so that a zero residual
    gives a zero loss, as kornia does.
"""
import torch


def charbonnier_loss(
    pred: torch.Tensor,
    target: torch.Tensor,
    eps: float,
    reduction: str = "mean",
    subtract_eps: bool = False,
) -> torch.Tensor:
    """sqrt((pred - target)^2 + eps^2), optionally minus eps, reduced over all elements.

    Args:
        pred: predictions of any shape.
        target: targets, same shape as pred.
        eps: positive scale at which the penalty turns from quadratic to linear.
        reduction: "mean", "sum" or "none" (element-wise losses).
        subtract_eps: subtract eps so that the loss is 0 at a zero residual.
    """
    if not isinstance(pred, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("pred and target must be torch.Tensor")
    if not pred.is_floating_point():
        raise TypeError(f"pred must be floating point, got {pred.dtype}")
    if pred.shape != target.shape:
        raise ValueError(f"target shape {tuple(target.shape)} must match pred shape {tuple(pred.shape)}")
    if pred.numel() == 0:
        raise ValueError("pred must not be empty")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")

    diff = pred - target.to(dtype=pred.dtype)
    loss = torch.sqrt(diff * diff + eps * eps)
    if subtract_eps:
        loss = loss - eps
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
