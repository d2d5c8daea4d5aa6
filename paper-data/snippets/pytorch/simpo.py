"""SimPO: reference-free preference loss with a length-normalised reward and a target margin.

Paper: SimPO: Simple Preference Optimization with a Reference-Free Reward, arXiv:2405.14734
Concept: simpo

Formula
    With |y| the number of response tokens and log pi(y|x) summed over them:
        L = -log sigmoid( beta / |y_w| * log pi_theta(y_w|x)
                          - beta / |y_l| * log pi_theta(y_l|x) - gamma )
    With label smoothing eps (as TRL and Liger implement it):
        L = -(1 - eps) log sigmoid(z) - eps log sigmoid(-z), z the argument above.
    No reference model is involved.

Defaults
    beta = 2.0 and gamma = 0.5 follow the official SimPOConfig (beta = 2.0,
    gamma_beta_ratio = 0.25). trl.experimental.cpo.CPOConfig (loss_type="simpo")
    and liger_kernel.chunked_loss.LigerFusedLinearSimPOLoss default to
    beta = 0.1 and gamma = 0.5.

Differences from the reference implementations
    The official code sets gamma through gamma_beta_ratio; here gamma is given
    directly, like TRL's simpo_gamma and Liger's gamma. There is no NLL term
    (Liger's compute_nll_loss defaults to True, TRL's cpo_alpha to 1.0; both
    must be switched off to get SimPO). The loss is averaged over pairs.
"""
import torch
import torch.nn.functional as F


def simpo_loss(
    chosen_logps: torch.Tensor,
    rejected_logps: torch.Tensor,
    chosen_lengths: torch.Tensor,
    rejected_lengths: torch.Tensor,
    beta: float = 2.0,
    gamma: float = 0.5,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """SimPO loss for a batch of preference pairs.

    Args:
        chosen_logps, rejected_logps: (N,) summed response log-probs under the policy.
        chosen_lengths, rejected_lengths: (N,) positive response token counts.
        beta: reward scale, > 0.
        gamma: target reward margin, >= 0.
        label_smoothing: in [0, 0.5).
        reduction: "mean" (over pairs), "sum" or "none".
    """
    for name, t in (("chosen_logps", chosen_logps), ("rejected_logps", rejected_logps)):
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            raise TypeError(f"{name} must be a floating-point torch.Tensor")
        if t.dim() != 1 or t.shape[0] == 0 or t.shape != chosen_logps.shape:
            raise ValueError("chosen_logps and rejected_logps must be non-empty 1-D tensors of equal shape")
    for name, t in (("chosen_lengths", chosen_lengths), ("rejected_lengths", rejected_lengths)):
        if t.shape != chosen_logps.shape:
            raise ValueError(f"{name} must have shape {tuple(chosen_logps.shape)}, got {tuple(t.shape)}")
        if bool((t <= 0).any()):
            raise ValueError(f"{name} must be positive token counts")
    if beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    if not 0 <= label_smoothing < 0.5:
        raise ValueError(f"label_smoothing must lie in [0, 0.5), got {label_smoothing}")
    z = beta * (chosen_logps / chosen_lengths.to(chosen_logps.dtype) - rejected_logps / rejected_lengths.to(rejected_logps.dtype)) - gamma
    loss = -F.logsigmoid(z) * (1 - label_smoothing)
    if label_smoothing > 0:
        loss = loss - F.logsigmoid(-z) * label_smoothing
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
