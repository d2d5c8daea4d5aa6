"""Direct Preference Optimization (DPO) loss on sequence log-probabilities.

Paper: Direct Preference Optimization: Your Language Model is Secretly a Reward Model, arXiv:2305.18290
Concept: dpo

Formula
    For a prompt x with chosen response y_w and rejected response y_l, and
    log pi(y|x) the SUM of the response tokens' log-probabilities:
        h = [log pi_theta(y_w|x) - log pi_ref(y_w|x)] - [log pi_theta(y_l|x) - log pi_ref(y_l|x)]
        L = -log sigmoid(beta * h)
    Conservative DPO (label_smoothing = eps, the assumed fraction of flipped labels):
        L = -(1 - eps) * log sigmoid(beta * h) - eps * log sigmoid(-beta * h)
    When the policy equals the reference (h = 0) the loss is log 2 for any beta.

Defaults
    beta = 0.1 is the default of trl.DPOConfig and of
    liger_kernel.chunked_loss.LigerFusedLinearDPOLoss; the official
    implementation (eric-mitchell/direct-preference-optimization) leaves beta
    unset. label_smoothing = 0 gives the original DPO loss (official config).

Differences from the reference implementations
    The official preference_loss and TRL's DPOTrainer take the four
    log-probability tensors; here sequence_log_probs builds them from logits,
    labels and a response mask, summing over the response tokens as the official
    _get_batch_logps(average_log_prob=False) does. TRL's loss_type="robust" is a
    different label-noise correction (divided by 1 - 2*eps); the form here is the
    official implementation's. The loss is averaged over pairs ("mean").
"""
import torch
import torch.nn.functional as F


def _dpo_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _check_pair_tensors(**tensors: torch.Tensor) -> None:
    shape = None
    for name, t in tensors.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor")
        if not t.is_floating_point():
            raise TypeError(f"{name} must be floating point, got {t.dtype}")
        if t.dim() != 1 or t.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty 1-D tensor of per-sequence log-probs, got shape {tuple(t.shape)}")
        if shape is None:
            shape = t.shape
        elif t.shape != shape:
            raise ValueError(f"{name} has shape {tuple(t.shape)}, expected {tuple(shape)} like the other inputs")


def sequence_log_probs(
    logits: torch.Tensor,
    labels: torch.Tensor,
    response_mask: torch.Tensor,
    average: bool = False,
) -> torch.Tensor:
    """Log-probability of each sequence's response tokens under a causal LM.

    Args:
        logits: (N, T, V) next-token logits, logits[:, t] predicts labels[:, t]
            (shift them yourself if your model predicts t + 1).
        labels: (N, T) int64 token ids.
        response_mask: (N, T) bool or 0/1 mask, true on the response tokens
            (prompt and padding excluded).
        average: False sums over the response tokens (DPO); True divides by
            their number (SimPO, IPO as TRL computes it).
    Returns:
        (N,) log-probabilities.
    """
    if logits.dim() != 3:
        raise ValueError(f"logits must have shape (N, T, V), got {tuple(logits.shape)}")
    if labels.shape != logits.shape[:2] or response_mask.shape != logits.shape[:2]:
        raise ValueError("labels and response_mask must have shape (N, T) matching logits")
    if labels.dtype != torch.int64:
        raise TypeError(f"labels must hold int64 token ids, got {labels.dtype}")
    mask = response_mask.to(dtype=logits.dtype)
    token_logps = F.log_softmax(logits, dim=-1).gather(-1, labels.clamp_min(0).unsqueeze(-1)).squeeze(-1)
    total = (token_logps * mask).sum(-1)
    if not average:
        return total
    counts = mask.sum(-1)
    if bool((counts == 0).any()):
        raise ValueError("a sequence has no response tokens; cannot average its log-probability")
    return total / counts


def dpo_loss(
    policy_chosen_logps: torch.Tensor,
    policy_rejected_logps: torch.Tensor,
    ref_chosen_logps: torch.Tensor,
    ref_rejected_logps: torch.Tensor,
    beta: float = 0.1,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """DPO loss for a batch of preference pairs.

    Args:
        policy_chosen_logps, policy_rejected_logps: (N,) summed log-probs of the
            chosen / rejected responses under the policy being trained.
        ref_chosen_logps, ref_rejected_logps: (N,) the same under the frozen
            reference model (computed without gradient).
        beta: scale of the implicit reward, > 0.
        label_smoothing: assumed fraction of flipped labels in [0, 0.5).
        reduction: "mean" (over pairs), "sum" or "none".
    """
    _check_pair_tensors(
        policy_chosen_logps=policy_chosen_logps,
        policy_rejected_logps=policy_rejected_logps,
        ref_chosen_logps=ref_chosen_logps,
        ref_rejected_logps=ref_rejected_logps,
    )
    if beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    if not 0 <= label_smoothing < 0.5:
        raise ValueError(f"label_smoothing must lie in [0, 0.5), got {label_smoothing}")
    h = (policy_chosen_logps - ref_chosen_logps) - (policy_rejected_logps - ref_rejected_logps)
    loss = -F.logsigmoid(beta * h) * (1 - label_smoothing)
    if label_smoothing > 0:
        loss = loss - F.logsigmoid(-beta * h) * label_smoothing
    return _dpo_reduce(loss, reduction)
