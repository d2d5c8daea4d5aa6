"""PPO clipped surrogate policy loss, and the KL-in-reward shaping used for RLHF.

Paper: Proximal Policy Optimization Algorithms, arXiv:1707.06347
Concept: ppo-clip

Formula
    Per token t, with rho_t = exp(logp_t - old_logp_t) and advantage A_t:
        L_t = -min(rho_t * A_t, clip(rho_t, 1 - eps, 1 + eps) * A_t)
            = max(-rho_t * A_t, -clip(rho_t, 1 - eps, 1 + eps) * A_t)
    averaged over the response tokens (masked mean). With rho = 1 (first update
    on fresh rollouts) L_t = -A_t.
    RLHF reward shaping (KL penalty inside the reward, not the loss):
        reward_t = -kl_coef * kl_t, plus the sequence score at the last token,
        kl_t = logp_t - ref_logp_t ("k1") or (exp(d_t) - 1) - d_t with
        d_t = ref_logp_t - logp_t ("k3").

Defaults
    clip_range = 0.2 (trl.experimental.ppo.PPOConfig.cliprange), kl_coef = 0.05
    and estimator "k1" (PPOConfig.kl_coef, kl_estimator).

Differences from the reference implementations
    Only the policy term is here: TRL's PPOTrainer adds vf_coef * a clipped
    value loss and computes advantages with GAE and whitening, which are not
    included. kl_penalty_rewards assumes each row's response tokens are
    contiguous and start at column 0 of the mask.
"""
import torch


def _masked_mean(values: torch.Tensor, mask: "torch.Tensor | None") -> torch.Tensor:
    if mask is None:
        return values.mean()
    if mask.shape != values.shape:
        raise ValueError(f"mask must have shape {tuple(values.shape)}, got {tuple(mask.shape)}")
    m = mask.to(values.dtype)
    count = m.sum()
    if count == 0:
        raise ValueError("mask selects no tokens")
    return (values * m).sum() / count


def ppo_clip_loss(
    logprobs: torch.Tensor,
    old_logprobs: torch.Tensor,
    advantages: torch.Tensor,
    clip_range: float = 0.2,
    mask: "torch.Tensor | None" = None,
) -> torch.Tensor:
    """Clipped surrogate loss (to minimise), masked mean over tokens.

    Args:
        logprobs: (N, T) log-probs of the taken tokens under the current policy.
        old_logprobs: (N, T) the same under the policy that sampled them (no grad).
        advantages: (N, T) advantage estimates (no grad).
        clip_range: epsilon, > 0.
        mask: optional (N, T) bool / 0-1 mask of response tokens.
    """
    if not isinstance(logprobs, torch.Tensor) or not logprobs.is_floating_point():
        raise TypeError("logprobs must be a floating-point torch.Tensor")
    if old_logprobs.shape != logprobs.shape or advantages.shape != logprobs.shape:
        raise ValueError("logprobs, old_logprobs and advantages must have the same shape")
    if logprobs.numel() == 0:
        raise ValueError("logprobs must not be empty")
    if clip_range <= 0:
        raise ValueError(f"clip_range must be > 0, got {clip_range}")
    ratio = torch.exp(logprobs - old_logprobs.detach())
    adv = advantages.detach()
    unclipped = -adv * ratio
    clipped = -adv * torch.clamp(ratio, 1.0 - clip_range, 1.0 + clip_range)
    return _masked_mean(torch.maximum(unclipped, clipped), mask)


def kl_penalty_rewards(
    scores: torch.Tensor,
    logprobs: torch.Tensor,
    ref_logprobs: torch.Tensor,
    mask: torch.Tensor,
    kl_coef: float = 0.05,
    estimator: str = "k1",
) -> torch.Tensor:
    """Per-token RLHF rewards: -kl_coef * KL estimate, plus the score at each row's last response token.

    Args:
        scores: (N,) sequence-level reward-model scores.
        logprobs, ref_logprobs: (N, T) token log-probs under the sampling policy
            and the reference model.
        mask: (N, T) bool mask of response tokens, contiguous from column 0.
        kl_coef: KL penalty coefficient, >= 0.
        estimator: "k1" or "k3".
    Returns:
        (N, T) rewards, zero outside the mask.
    """
    if logprobs.shape != ref_logprobs.shape or mask.shape != logprobs.shape:
        raise ValueError("logprobs, ref_logprobs and mask must have the same (N, T) shape")
    if scores.shape != logprobs.shape[:1]:
        raise ValueError(f"scores must have shape ({logprobs.shape[0]},), got {tuple(scores.shape)}")
    if kl_coef < 0:
        raise ValueError(f"kl_coef must be >= 0, got {kl_coef}")
    mask = mask.to(torch.bool)
    lengths = mask.sum(dim=1)
    if bool((lengths == 0).any()):
        raise ValueError("every row needs at least one response token")
    d = (ref_logprobs - logprobs).detach()
    if estimator == "k1":
        kl = -d
    elif estimator == "k3":
        kl = torch.expm1(d) - d
    else:
        raise ValueError(f"estimator must be 'k1' or 'k3', got {estimator!r}")
    rewards = torch.where(mask, -kl_coef * kl, torch.zeros_like(kl))
    rows = torch.arange(rewards.shape[0], device=rewards.device)
    rewards[rows, lengths - 1] += scores.to(rewards.dtype)
    return rewards
