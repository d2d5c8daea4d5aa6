"""One PPO update of a policy over a batch of rollouts (the loss comes from the package)."""
import torch

from rlhf import ClippedPolicyLoss, token_kl


def ppo_step(policy, optimizer, batch, kl_coef: float = 0.05) -> dict[str, float]:
    policy_loss_fn = ClippedPolicyLoss(clip_eps=0.2)
    logits = policy(batch["input_ids"])
    log_probs = torch.log_softmax(logits, dim=-1).gather(-1, batch["actions"].unsqueeze(-1)).squeeze(-1)
    loss = policy_loss_fn(log_probs, batch["old_log_probs"], batch["advantages"], batch["mask"])
    kl = (token_kl(log_probs, batch["ref_log_probs"]) * batch["mask"]).sum() / batch["mask"].sum()
    total = loss + kl_coef * kl
    optimizer.zero_grad(set_to_none=True)
    total.backward()
    optimizer.step()
    return {"loss": loss.item(), "kl": kl.item()}
