"""Barlow Twins loss: drive the cross-correlation of two views towards the identity.

Paper: Barlow Twins: Self-Supervised Learning via Redundancy Reduction, arXiv:2103.03230
Concept: barlow-twins

Formula
    Each embedding dimension is standardised over the batch (batch norm without
    affine parameters, biased variance): za = BN(z_a), zb = BN(z_b). With N
    samples, the D x D cross-correlation is C = za^T zb / N and
        loss = sum_i (1 - C_ii)^2 + lambd * sum_i sum_{j != i} C_ij^2
    (invariance term on the diagonal, redundancy-reduction term off it).

Defaults
    lambd = 0.0051, the default of the official code (facebookresearch/
    barlowtwins main.py, --lambd); lightly and MONAI default to 5e-3.
    eps = 1e-5 is the batch-norm epsilon of nn.BatchNorm1d, which the official
    code uses for the normalisation.

Differences from the reference implementations
    Single device: the official code all-reduces C over GPUs (dividing by the
    global batch size first); lightly does so with gather_distributed=True.
    MONAI's BarlowTwinsLoss standardises with the unbiased std + 1e-6 instead
    of batch norm, so its value differs slightly for the same inputs.
"""
import torch
import torch.nn.functional as F


def barlow_twins_loss(
    z_a: torch.Tensor,
    z_b: torch.Tensor,
    lambd: float = 0.0051,
    eps: float = 1e-5,
) -> torch.Tensor:
    """Barlow Twins loss between two batches of embeddings of the same samples.

    Args:
        z_a: (N, D) embeddings of the first view, N >= 2.
        z_b: (N, D) embeddings of the second view.
        lambd: weight of the off-diagonal (redundancy-reduction) term, >= 0.
        eps: batch-norm epsilon added to the variance, >= 0.
    """
    if not isinstance(z_a, torch.Tensor) or not isinstance(z_b, torch.Tensor):
        raise TypeError("z_a and z_b must be torch.Tensor")
    if z_a.dim() != 2 or z_a.shape[0] < 2 or z_a.shape[1] == 0:
        raise ValueError(f"z_a must be (N, D) with N >= 2, got shape {tuple(z_a.shape)}")
    if z_b.shape != z_a.shape:
        raise ValueError(f"z_b shape {tuple(z_b.shape)} must match z_a shape {tuple(z_a.shape)}")
    if not z_a.is_floating_point() or not z_b.is_floating_point():
        raise TypeError("z_a and z_b must be floating point")
    if lambd < 0:
        raise ValueError(f"lambd must be >= 0, got {lambd}")
    if eps < 0:
        raise ValueError(f"eps must be >= 0, got {eps}")

    n, d = z_a.shape
    za = F.batch_norm(z_a, None, None, training=True, eps=eps)
    zb = F.batch_norm(z_b, None, None, training=True, eps=eps)
    c = za.T @ zb / n
    on_diagonal = (torch.diagonal(c) - 1).pow(2).sum()
    off_diagonal_mask = ~torch.eye(d, dtype=torch.bool, device=c.device)
    off_diagonal = c[off_diagonal_mask].pow(2).sum()
    return on_diagonal + lambd * off_diagonal
