"""Bradley-Terry pairwise loss for training a reward model from preferences.

Paper: Deep reinforcement learning from human preferences, arXiv:1706.03741
Paper: Training language models to follow instructions with human feedback, arXiv:2203.02155
Concept: bradley-terry-reward

Formula
    The reward model r scores the chosen y_w and rejected y_l responses; under the
    Bradley-Terry model P(y_w > y_l) = sigmoid(r_w - r_l), so
        L = -log sigmoid(r_w - r_l - m)
    with an optional per-pair margin m (0 in the papers). Optional centring:
        L += c * mean((r_w + r_l)^2)
    Equal rewards give log 2; the loss is binary cross-entropy with logits on
    r_w - r_l with target 1.

Defaults
    margin = None and center_rewards_coefficient = None, as in trl.RewardTrainer
    (the margin is used when the data set has a "margin" column).

Differences from the reference implementations
    Same computation as trl.RewardTrainer.compute_loss on the two reward
    tensors; the reward model's forward pass is not included. reduction may
    also be "sum" or "none" (the centring term is only added to "mean").
"""
import torch
import torch.nn.functional as F


def bradley_terry_loss(
    rewards_chosen: torch.Tensor,
    rewards_rejected: torch.Tensor,
    margin: "torch.Tensor | None" = None,
    center_rewards_coefficient: "float | None" = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """Pairwise reward-model loss.

    Args:
        rewards_chosen, rewards_rejected: (N,) scalar rewards of the chosen and
            rejected responses (a reward head's output, squeezed).
        margin: optional (N,) margins subtracted from the reward difference.
        center_rewards_coefficient: optional weight of mean((r_w + r_l)^2),
            only with reduction="mean".
        reduction: "mean" (over pairs), "sum" or "none".
    """
    if not isinstance(rewards_chosen, torch.Tensor) or not rewards_chosen.is_floating_point():
        raise TypeError("rewards_chosen must be a floating-point torch.Tensor")
    if rewards_chosen.dim() != 1 or rewards_chosen.shape[0] == 0:
        raise ValueError(f"rewards_chosen must be a non-empty 1-D tensor, got shape {tuple(rewards_chosen.shape)}; squeeze the reward head's last dim")
    if rewards_rejected.shape != rewards_chosen.shape:
        raise ValueError(f"rewards_rejected must have shape {tuple(rewards_chosen.shape)}, got {tuple(rewards_rejected.shape)}")
    diff = rewards_chosen - rewards_rejected
    if margin is not None:
        if margin.shape != diff.shape:
            raise ValueError(f"margin must have shape {tuple(diff.shape)}, got {tuple(margin.shape)}")
        diff = diff - margin.to(diff.dtype)
    loss = -F.logsigmoid(diff)
    if reduction == "none":
        if center_rewards_coefficient is not None:
            raise ValueError("center_rewards_coefficient needs reduction='mean'")
        return loss
    if reduction == "sum":
        if center_rewards_coefficient is not None:
            raise ValueError("center_rewards_coefficient needs reduction='mean'")
        return loss.sum()
    if reduction != "mean":
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    out = loss.mean()
    if center_rewards_coefficient is not None:
        out = out + center_rewards_coefficient * torch.mean((rewards_chosen + rewards_rejected) ** 2)
    return out
