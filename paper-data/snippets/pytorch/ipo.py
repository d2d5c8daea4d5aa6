"""Identity Preference Optimization (IPO) loss.

Paper: A General Theoretical Paradigm to Understand Learning from Human Preferences, arXiv:2310.12036
Concept: ipo

Formula
    With the log-ratio gap between chosen y_w and rejected y_l
        h = [log pi_theta(y_w|x) - log pi_ref(y_w|x)] - [log pi_theta(y_l|x) - log pi_ref(y_l|x)]
    IPO regresses h onto 1 / (2 tau):
        L = (h - 1 / (2 * tau))^2
    The loss is 0 exactly when h = 1 / (2 tau), and 1 / (4 tau^2) when the
    policy equals the reference (h = 0).

Defaults
    tau = 0.1, the default of trl.DPOConfig.beta, which TRL uses as tau for
    loss_type="ipo".

Differences from the reference implementations
    TRL's DPOTrainer divides each response's log-ratio by its number of
    completion tokens before taking h (pass chosen_lengths / rejected_lengths to
    do the same); the official DPO repository's ipo=True branch uses summed
    log-probs (leave the lengths out). The loss is averaged over pairs ("mean").
"""
import torch


def _ipo_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def ipo_loss(
    policy_chosen_logps: torch.Tensor,
    policy_rejected_logps: torch.Tensor,
    ref_chosen_logps: torch.Tensor,
    ref_rejected_logps: torch.Tensor,
    tau: float = 0.1,
    chosen_lengths: "torch.Tensor | None" = None,
    rejected_lengths: "torch.Tensor | None" = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """IPO loss for a batch of preference pairs.

    Args:
        policy_chosen_logps, policy_rejected_logps, ref_chosen_logps,
            ref_rejected_logps: (N,) summed response log-probs.
        tau: IPO regularisation parameter, > 0 (TRL's beta).
        chosen_lengths, rejected_lengths: optional (N,) response token counts;
            when given, each log-ratio is divided by its length (TRL's form).
            Give both or neither.
        reduction: "mean" (over pairs), "sum" or "none".
    """
    tensors = (policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps)
    for t in tensors:
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            raise TypeError("the four log-prob inputs must be floating-point torch.Tensor")
        if t.dim() != 1 or t.shape != policy_chosen_logps.shape or t.shape[0] == 0:
            raise ValueError("the four log-prob inputs must be non-empty 1-D tensors of equal shape")
    if tau <= 0:
        raise ValueError(f"tau must be > 0, got {tau}")
    if (chosen_lengths is None) != (rejected_lengths is None):
        raise ValueError("give both chosen_lengths and rejected_lengths, or neither")
    chosen = policy_chosen_logps - ref_chosen_logps
    rejected = policy_rejected_logps - ref_rejected_logps
    if chosen_lengths is not None:
        for name, lengths in (("chosen_lengths", chosen_lengths), ("rejected_lengths", rejected_lengths)):
            if lengths.shape != chosen.shape:
                raise ValueError(f"{name} must have shape {tuple(chosen.shape)}, got {tuple(lengths.shape)}")
            if bool((lengths <= 0).any()):
                raise ValueError(f"{name} must be positive token counts")
        chosen = chosen / chosen_lengths.to(chosen.dtype)
        rejected = rejected / rejected_lengths.to(rejected.dtype)
    loss = (chosen - rejected - 1 / (2 * tau)) ** 2
    return _ipo_reduce(loss, reduction)
