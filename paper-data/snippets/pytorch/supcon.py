"""Supervised contrastive loss (SupCon, the "L_out" form).

Paper: Supervised Contrastive Learning, arXiv:2004.11362
Concept: supcon

Formula
    Features are L2-normalised. For anchor i, A(i) = all other samples and
    P(i) = the other samples with the same label:
        loss_i = -1/|P(i)| * sum_{p in P(i)} log( exp(z_i.z_p / tau) / sum_{a in A(i)} exp(z_i.z_a / tau) )
    The loss is the mean of loss_i over anchors that have at least one
    positive. This is L^sup_out, the variant Khosla et al. recommend (eq. 2;
    the 1/|P(i)| sits outside the log).

Defaults
    temperature = 0.1, the value the reference repository's README uses to
    pre-train SupCon (main_supcon.py --temp 0.1); the SupConLoss class itself
    defaults to 0.07.

Differences from the reference implementations
    HobbitLong/SupContrast (losses.py, SupConLoss) takes (bsz, n_views, D)
    and multiplies the loss by temperature / base_temperature (0.07); this
    snippet takes the views flattened to (N, D) and omits that factor, so at
    temperature 0.1 its value is 0.7 times the reference's. Anchors without a
    positive are left out of the mean (the reference divides 0 by 0 or, in
    later versions, counts them as 0); if no anchor has a positive the loss
    is 0 and still part of the graph.
"""
import torch
import torch.nn.functional as F


def supcon_loss(
    features: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 0.1,
) -> torch.Tensor:
    """Supervised contrastive loss over a batch of embeddings.

    Args:
        features: (N, D) embeddings (normalised inside); put several views of a sample in separate rows.
        labels: (N,) int64 labels; rows with equal labels are positives of each other.
        temperature: softmax temperature tau, > 0.
    """
    if not isinstance(features, torch.Tensor) or not isinstance(labels, torch.Tensor):
        raise TypeError("features and labels must be torch.Tensor")
    if features.dim() != 2 or features.shape[0] < 2 or features.shape[1] == 0:
        raise ValueError(f"features must be (N, D) with N >= 2, got shape {tuple(features.shape)}")
    if not features.is_floating_point():
        raise TypeError(f"features must be floating point, got {features.dtype}")
    if labels.dtype != torch.int64:
        raise TypeError(f"labels must be int64, got {labels.dtype}")
    if labels.shape != features.shape[:1]:
        raise ValueError(f"labels must have shape ({features.shape[0]},), got {tuple(labels.shape)}")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    n = features.shape[0]
    z = F.normalize(features, dim=1)
    self_mask = torch.eye(n, dtype=torch.bool, device=features.device)
    logits = (z @ z.T / temperature).masked_fill(self_mask, float("-inf"))
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    positives = (labels.unsqueeze(0) == labels.unsqueeze(1)) & ~self_mask
    num_positives = positives.sum(dim=1)
    has_positive = num_positives > 0
    if not bool(has_positive.any()):
        return features.sum() * 0.0
    summed = log_prob.masked_fill(~positives, 0.0).sum(dim=1)
    mean_log_prob_pos = summed[has_positive] / num_positives[has_positive].to(features.dtype)
    return -mean_log_prob_pos.mean()
