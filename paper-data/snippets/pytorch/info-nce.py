"""InfoNCE: softmax cross-entropy that picks the positive among candidates.

Paper: Representation Learning with Contrastive Predictive Coding, arXiv:1807.03748
Paper: Momentum Contrast for Unsupervised Visual Representation Learning, arXiv:1911.05722
Concept: info-nce

Formula
    For row i with similarities s_i1..s_iM and positive index p_i:
        loss_i = -log( exp(s_ip / tau) / sum_j exp(s_ij / tau) )
    i.e. cross-entropy over similarities / tau; the loss is the batch mean.

Defaults
    temperature = 0.07, the value of MoCo (He et al., implementation details) and the
    initial temperature of CLIP. CPC (van den Oord et al.) has no temperature
    (tau = 1).

Differences from the reference implementations
    The function takes a precomputed (N, M) similarity matrix, so it covers
    in-batch negatives (positive_index = arange(N) for a square matrix, as in
    CLIP/SimCLR-style losses) and queue-based negatives (MoCo: column 0 is the
    positive). Normalise embeddings before computing cosine similarities.
"""
import torch
import torch.nn.functional as F


def info_nce_loss(
    similarities: torch.Tensor,
    positive_index: torch.Tensor,
    temperature: float = 0.07,
) -> torch.Tensor:
    """InfoNCE loss, mean over rows.

    Args:
        similarities: (N, M) similarity of each anchor to M candidates.
        positive_index: (N,) int64 column of the positive candidate in each row.
        temperature: softmax temperature tau, > 0.
    """
    if not isinstance(similarities, torch.Tensor) or not isinstance(positive_index, torch.Tensor):
        raise TypeError("similarities and positive_index must be torch.Tensor")
    if similarities.dim() != 2 or similarities.shape[0] == 0 or similarities.shape[1] == 0:
        raise ValueError(f"similarities must be a non-empty (N, M) tensor, got shape {tuple(similarities.shape)}")
    if not similarities.is_floating_point():
        raise TypeError(f"similarities must be floating point, got {similarities.dtype}")
    if positive_index.dtype != torch.int64:
        raise TypeError(f"positive_index must be int64, got {positive_index.dtype}")
    if positive_index.shape != similarities.shape[:1]:
        raise ValueError(
            f"positive_index must have shape ({similarities.shape[0]},), got {tuple(positive_index.shape)}"
        )
    num_candidates = similarities.shape[1]
    if bool((positive_index < 0).any()) or bool((positive_index >= num_candidates).any()):
        raise ValueError(f"positive_index values must lie in [0, {num_candidates - 1}]")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    return F.cross_entropy(similarities / temperature, positive_index)
