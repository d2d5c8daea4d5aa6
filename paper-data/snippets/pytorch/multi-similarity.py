"""Multi-Similarity loss with the paper's pair mining, on cosine similarity.

Paper: Multi-Similarity Loss with General Pair Weighting for Deep Metric Learning, arXiv:1904.06627
Concept: multi-similarity

Formula
    S_ij = cosine similarity of embeddings i and j. For anchor i, positives
    P_i = {j != i, y_j = y_i} and negatives N_i = {y_j != y_i}. Mining keeps
        negatives j in N_i with S_ij + epsilon > min_{k in P_i} S_ik
        positives j in P_i with S_ij - epsilon < max_{k in N_i} S_ik
    and the loss of an anchor with at least one mined positive and one mined
    negative is
        (1/alpha) * log(1 + sum_{mined P} exp(-alpha * (S_ij - base)))
      + (1/beta)  * log(1 + sum_{mined N} exp( beta * (S_ij - base)))
    The total is the sum over anchors divided by the batch size N (anchors
    without mined pairs contribute 0 but still count in N).

Defaults
    base (lambda) = 0.5 and epsilon = 0.1 are hard-coded in the official loss
    (MalongTech/research-ms-loss ret_benchmark/losses/multi_similarity_loss.py:
    thresh = 0.5, margin = 0.1), which reads alpha and beta from its config
    (SCALE_POS, SCALE_NEG; the reference notes give 2 and 40 for the released
    configs, not checked here). alpha = 2, beta = 50 are the defaults of
    pytorch-metric-learning's MultiSimilarityLoss, which the issue follows.

Differences from the official code
    The official loss expects already-normalised embeddings and drops
    positives with similarity >= 1 - 1e-5 (meant to remove the anchor
    itself, but it also drops exact duplicates); here embeddings are
    normalised inside and only the anchor itself is excluded. Mining is the
    same, vectorised instead of a Python loop over anchors.
"""
import torch
import torch.nn.functional as F


def multi_similarity_loss(
    embeddings: torch.Tensor,
    labels: torch.Tensor,
    alpha: float = 2.0,
    beta: float = 50.0,
    base: float = 0.5,
    epsilon: float = 0.1,
) -> torch.Tensor:
    """Multi-Similarity loss over one batch, with hard pair mining.

    Args:
        embeddings: (N, D) embeddings (L2-normalised inside).
        labels: (N,) int64 class labels.
        alpha: scale of positive pairs, > 0.
        beta: scale of negative pairs, > 0.
        base: similarity margin lambda.
        epsilon: mining margin, >= 0.
    """
    if not isinstance(embeddings, torch.Tensor) or not isinstance(labels, torch.Tensor):
        raise TypeError("embeddings and labels must be torch.Tensor")
    if embeddings.dim() != 2 or embeddings.shape[0] < 2 or embeddings.shape[1] == 0:
        raise ValueError(f"embeddings must be (N, D) with N >= 2, got shape {tuple(embeddings.shape)}")
    if not embeddings.is_floating_point():
        raise TypeError(f"embeddings must be floating point, got {embeddings.dtype}")
    if labels.dtype != torch.int64:
        raise TypeError(f"labels must be int64, got {labels.dtype}")
    if labels.shape != embeddings.shape[:1]:
        raise ValueError(f"labels must have shape ({embeddings.shape[0]},), got {tuple(labels.shape)}")
    if alpha <= 0 or beta <= 0:
        raise ValueError(f"alpha and beta must be > 0, got alpha={alpha}, beta={beta}")
    if epsilon < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")

    n = embeddings.shape[0]
    z = F.normalize(embeddings, dim=1)
    sim = z @ z.T
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(n, dtype=torch.bool, device=embeddings.device)
    pos_mask = same & ~eye
    neg_mask = ~same

    # Mining thresholds come from the unmined sets and carry no gradient.
    with torch.no_grad():
        inf = torch.tensor(float("inf"), dtype=sim.dtype, device=sim.device)
        min_pos = torch.where(pos_mask, sim, inf).min(dim=1, keepdim=True).values
        max_neg = torch.where(neg_mask, sim, -inf).max(dim=1, keepdim=True).values
    mined_neg = neg_mask & (sim + epsilon > min_pos)
    mined_pos = pos_mask & (sim - epsilon < max_neg)
    valid = mined_pos.any(dim=1) & mined_neg.any(dim=1)

    # log(1 + sum exp(x)) as a logsumexp with an extra zero column.
    zeros = sim.new_zeros(n, 1)
    neg_inf = torch.finfo(sim.dtype).min
    pos_terms = torch.where(mined_pos, -alpha * (sim - base), sim.new_full((), neg_inf))
    neg_terms = torch.where(mined_neg, beta * (sim - base), sim.new_full((), neg_inf))
    pos_loss = torch.logsumexp(torch.cat([zeros, pos_terms], dim=1), dim=1) / alpha
    neg_loss = torch.logsumexp(torch.cat([zeros, neg_terms], dim=1), dim=1) / beta
    per_anchor = torch.where(valid, pos_loss + neg_loss, torch.zeros_like(pos_loss))
    return per_anchor.sum() / n
