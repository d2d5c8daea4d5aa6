"""GRPO: group-normalised advantages and the clipped token-level policy loss with a KL term.

Paper: DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models, arXiv:2402.03300
Concept: grpo

Formula
    G completions o_1..o_G of one prompt get rewards r_1..r_G and one advantage each:
        A_i = (r_i - mean(r)) / (std(r) + eps)
    Per token, with rho = exp(logp - old_logp) and the k3 KL estimate
        kl = exp(ref_logp - logp) - (ref_logp - logp) - 1,
        l_t = -[min(rho A_i, clip(rho, 1 - eps_low, 1 + eps_high) A_i) - beta kl]
    "grpo" (the paper's aggregation): mean over each completion's tokens, then
    over completions. "bnpo": sum over all tokens / number of tokens.
    "dr_grpo": sum over all tokens / (number of completions * max_completion_length).

Defaults
    epsilon = 0.2 and epsilon_high = None (= epsilon) as trl.GRPOConfig;
    beta = 0.0 as trl.GRPOConfig (liger_kernel.chunked_loss.LigerFusedLinearGRPOLoss
    uses 0.04); eps = 1e-4 added to the std and the unbiased (Bessel) group std,
    as TRL's nanstd; loss_type = "grpo" is the paper's aggregation.

Differences from the reference implementations
    trl.GRPOConfig defaults to loss_type="dapo", which normalises by the
    number of tokens across the whole accumulated global batch; on one process
    without accumulation that equals "bnpo" here. scale=False skips the division
    by the std (TRL's scale_rewards="none"). Rewards must arrive grouped: the G
    completions of a prompt in consecutive rows.
"""
import torch


def group_advantages(
    rewards: torch.Tensor,
    num_generations: int,
    scale: bool = True,
    eps: float = 1e-4,
) -> torch.Tensor:
    """Per-completion advantages normalised within each group of num_generations rows.

    Args:
        rewards: (B,) rewards, B a multiple of num_generations, groups consecutive.
        num_generations: G, the completions per prompt (>= 2 when scale=True).
        scale: divide by the group's unbiased std + eps.
        eps: added to the std.
    """
    if rewards.dim() != 1 or rewards.numel() == 0:
        raise ValueError(f"rewards must be a non-empty 1-D tensor, got shape {tuple(rewards.shape)}")
    if num_generations < 1 or rewards.numel() % num_generations != 0:
        raise ValueError(f"the number of rewards ({rewards.numel()}) must be a multiple of num_generations ({num_generations})")
    if scale and num_generations < 2:
        raise ValueError("scale=True needs num_generations >= 2 to estimate a std")
    groups = rewards.view(-1, num_generations)
    centred = groups - groups.mean(dim=1, keepdim=True)
    if scale:
        centred = centred / (groups.std(dim=1, unbiased=True, keepdim=True) + eps)
    return centred.reshape(-1)


def grpo_loss(
    logprobs: torch.Tensor,
    old_logprobs: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    epsilon: float = 0.2,
    epsilon_high: "float | None" = None,
    beta: float = 0.0,
    ref_logprobs: "torch.Tensor | None" = None,
    loss_type: str = "grpo",
    max_completion_length: "int | None" = None,
) -> torch.Tensor:
    """GRPO policy loss (to minimise).

    Args:
        logprobs: (B, T) token log-probs under the current policy.
        old_logprobs: (B, T) the same under the sampling policy (no grad).
        advantages: (B,) one advantage per completion (see group_advantages).
        mask: (B, T) bool / 0-1 mask of completion tokens.
        epsilon, epsilon_high: lower and upper clip widths (epsilon_high None = epsilon).
        beta: KL coefficient; needs ref_logprobs when > 0.
        ref_logprobs: (B, T) reference-model token log-probs.
        loss_type: "grpo", "bnpo" or "dr_grpo".
        max_completion_length: required for "dr_grpo".
    """
    if not isinstance(logprobs, torch.Tensor) or not logprobs.is_floating_point() or logprobs.dim() != 2:
        raise TypeError("logprobs must be a floating-point (B, T) torch.Tensor")
    if old_logprobs.shape != logprobs.shape or mask.shape != logprobs.shape:
        raise ValueError("logprobs, old_logprobs and mask must have the same (B, T) shape")
    if advantages.shape != logprobs.shape[:1]:
        raise ValueError(f"advantages must have shape ({logprobs.shape[0]},), got {tuple(advantages.shape)}")
    if epsilon <= 0 or (epsilon_high is not None and epsilon_high <= 0):
        raise ValueError("epsilon and epsilon_high must be > 0")
    if beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    if beta > 0 and (ref_logprobs is None or ref_logprobs.shape != logprobs.shape):
        raise ValueError("beta > 0 needs ref_logprobs of the same shape as logprobs")
    m = mask.to(logprobs.dtype)
    lengths = m.sum(dim=1)
    if bool((lengths == 0).any()):
        raise ValueError("every completion needs at least one token in mask")
    high = epsilon if epsilon_high is None else epsilon_high
    ratio = torch.exp(logprobs - old_logprobs.detach())
    adv = advantages.detach().to(logprobs.dtype).unsqueeze(1)
    per_token = -torch.min(ratio * adv, torch.clamp(ratio, 1 - epsilon, 1 + high) * adv)
    if beta > 0:
        d = ref_logprobs.detach() - logprobs
        per_token = per_token + beta * (torch.exp(d) - d - 1)
    if loss_type == "grpo":
        return ((per_token * m).sum(dim=1) / lengths).mean()
    if loss_type == "bnpo":
        return (per_token * m).sum() / lengths.sum()
    if loss_type == "dr_grpo":
        if max_completion_length is None or max_completion_length <= 0:
            raise ValueError("loss_type='dr_grpo' needs a positive max_completion_length")
        return (per_token * m).sum() / (logprobs.shape[0] * max_completion_length)
    raise ValueError(f"loss_type must be 'grpo', 'bnpo' or 'dr_grpo', got {loss_type!r}")
