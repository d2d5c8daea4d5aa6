"""Kahneman-Tversky Optimization (KTO) loss on unpaired desirable/undesirable examples.

Paper: KTO: Model Alignment as Prospect Theoretic Optimization, arXiv:2402.01306
Concept: kto

Formula
    For a completion y of prompt x, with r = log pi_theta(y|x) - log pi_ref(y|x)
    (summed over response tokens) and z0 the reference point, an estimate of
    KL(pi_theta || pi_ref) that carries no gradient:
        desirable:   L = lambda_D * (1 - sigmoid(beta * (r - z0)))
        undesirable: L = lambda_U * (1 - sigmoid(beta * (z0 - r)))
    This is lambda_y - v(x, y) of the paper (Eq. 7 as TRL's docs write it).
    At r = z0 every example costs lambda_y / 2.

Defaults
    beta = 0.1, desirable_weight = undesirable_weight = 1.0: the defaults of
    trl.KTOConfig. TRL's docs advise choosing the weights so that
    desirable_weight * n_desirable : undesirable_weight * n_undesirable lies
    between 1:1 and 4:3.

Differences from the reference implementations
    TRL computes z0 itself, from the batch's completions paired with other
    prompts; here kto_reference_point takes those mismatched-pair log-probs
    and reproduces TRL's estimate (mean log-ratio, detached, clamped at 0 --
    TRL also averages it across processes). The loss is the mean over all
    examples, as TRL's losses.nanmean().
"""
import torch
import torch.nn.functional as F


def kto_reference_point(policy_kl_logps: torch.Tensor, ref_kl_logps: torch.Tensor) -> torch.Tensor:
    """TRL's z0: mean of log pi_theta - log pi_ref on mismatched (prompt, completion) pairs, detached, >= 0.

    Args:
        policy_kl_logps, ref_kl_logps: (M,) summed log-probs of completions
            paired with prompts they were not written for.
    """
    if policy_kl_logps.shape != ref_kl_logps.shape or policy_kl_logps.numel() == 0:
        raise ValueError("policy_kl_logps and ref_kl_logps must be non-empty and of equal shape")
    return (policy_kl_logps - ref_kl_logps).mean().detach().clamp(min=0)


def kto_loss(
    policy_logps: torch.Tensor,
    ref_logps: torch.Tensor,
    desirable: torch.Tensor,
    reference_point: "torch.Tensor | float",
    beta: float = 0.1,
    desirable_weight: float = 1.0,
    undesirable_weight: float = 1.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """KTO loss for a batch of labelled completions.

    Args:
        policy_logps, ref_logps: (N,) summed response log-probs under the policy
            and the frozen reference model.
        desirable: (N,) bool, True for desirable completions.
        reference_point: z0, a scalar (see kto_reference_point); it is detached.
        beta: scale inside the sigmoid, > 0.
        desirable_weight, undesirable_weight: lambda_D and lambda_U, >= 0.
        reduction: "mean" (over examples), "sum" or "none".
    """
    if not isinstance(policy_logps, torch.Tensor) or not policy_logps.is_floating_point():
        raise TypeError("policy_logps must be a floating-point torch.Tensor")
    if policy_logps.dim() != 1 or policy_logps.shape[0] == 0:
        raise ValueError(f"policy_logps must be a non-empty 1-D tensor, got shape {tuple(policy_logps.shape)}")
    if ref_logps.shape != policy_logps.shape:
        raise ValueError(f"ref_logps must have shape {tuple(policy_logps.shape)}, got {tuple(ref_logps.shape)}")
    if desirable.dtype != torch.bool or desirable.shape != policy_logps.shape:
        raise TypeError("desirable must be a bool tensor with the same shape as policy_logps")
    if beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    if desirable_weight < 0 or undesirable_weight < 0:
        raise ValueError("desirable_weight and undesirable_weight must be >= 0")
    z0 = torch.as_tensor(reference_point, dtype=policy_logps.dtype, device=policy_logps.device).detach()
    if z0.numel() != 1:
        raise ValueError("reference_point must be a scalar")
    r = policy_logps - ref_logps
    # Weights built in r's dtype: torch.where with Python floats would round them to float32.
    one = torch.ones_like(r)
    sign = torch.where(desirable, one, -one)
    weight = torch.where(desirable, one * desirable_weight, one * undesirable_weight)
    # 1 - sigmoid(u) = sigmoid(-u), kept in that form for precision when u is large.
    loss = weight * torch.sigmoid(-beta * sign * (r - z0.reshape(())))
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
