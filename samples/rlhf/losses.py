import torch
from torch import nn


class ClippedPolicyLoss(nn.Module):
    """Policy loss for PPO: the clipped surrogate objective, averaged over the valid tokens."""

    def __init__(self, clip_eps: float = 0.2) -> None:
        super().__init__()
        self.clip_eps = clip_eps

    def forward(self, log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        ratio = (log_probs - old_log_probs).exp()
        unclipped = ratio * advantages
        clipped = ratio.clamp(1 - self.clip_eps, 1 + self.clip_eps) * advantages
        per_token = -torch.min(unclipped, clipped)
        return (per_token * mask).sum() / mask.sum().clamp(min=1)


def token_kl(log_probs: torch.Tensor, ref_log_probs: torch.Tensor) -> torch.Tensor:
    """Schulman's k3 estimate of the divergence from the reference policy, per token (a penalty, not the loss)."""
    log_ratio = ref_log_probs - log_probs
    return log_ratio.exp() - 1 - log_ratio
