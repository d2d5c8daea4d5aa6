"""VICReg loss: invariance, variance and covariance terms on two views.

Paper: VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning, arXiv:2105.04906
Concept: vicreg

Formula
    For embeddings Z, Z' (N samples, d dimensions), as in the official
    main_vicreg.py:
        s = mean over all N*d entries of (Z - Z')^2            (F.mse_loss)
        v(Z) = 1/d * sum_j max(0, 1 - sqrt(Var(Z[:, j]) + eps))  (unbiased Var)
        c(Z) = 1/d * sum_{i != j} Cov(Z)_ij^2, Cov(Z) = (Z - mean)^T (Z - mean) / (N - 1)
        loss = sim_coeff * s + std_coeff * (v(Z) + v(Z')) / 2 + cov_coeff * (c(Z) + c(Z'))

Defaults
    sim_coeff = 25.0, std_coeff = 25.0, cov_coeff = 1.0 and eps = 1e-4, the
    defaults of the official main_vicreg.py (--sim-coeff, --std-coeff,
    --cov-coeff; 0.0001 inside the square root); lightly.loss.VICRegLoss and
    pytorch_metric_learning.losses.VICRegLoss use the same values.

Differences from the reference implementations
    Single device: the official code all-gathers Z and Z' over GPUs before
    the variance and covariance terms (lightly only with
    gather_distributed=True). Inputs must be 2-D; lightly also accepts
    (N, ..., d) tensors and averages the covariance term over the extra axes.
"""
import torch
import torch.nn.functional as F


def _variance_term(z: torch.Tensor, eps: float) -> torch.Tensor:
    std = torch.sqrt(z.var(dim=0) + eps)
    return F.relu(1 - std).mean()


def _covariance_term(z: torch.Tensor) -> torch.Tensor:
    n, d = z.shape
    centred = z - z.mean(dim=0)
    cov = centred.T @ centred / (n - 1)
    off_diagonal_mask = ~torch.eye(d, dtype=torch.bool, device=z.device)
    return cov[off_diagonal_mask].pow(2).sum() / d


def vicreg_loss(
    z_a: torch.Tensor,
    z_b: torch.Tensor,
    sim_coeff: float = 25.0,
    std_coeff: float = 25.0,
    cov_coeff: float = 1.0,
    eps: float = 1e-4,
) -> torch.Tensor:
    """VICReg loss between two batches of embeddings of the same samples.

    Args:
        z_a: (N, d) embeddings of the first view, N >= 2.
        z_b: (N, d) embeddings of the second view.
        sim_coeff: weight of the invariance (mean squared error) term, >= 0.
        std_coeff: weight of the variance hinge, >= 0.
        cov_coeff: weight of the covariance term, >= 0.
        eps: > 0, added to the variance inside the square root.
    """
    if not isinstance(z_a, torch.Tensor) or not isinstance(z_b, torch.Tensor):
        raise TypeError("z_a and z_b must be torch.Tensor")
    if z_a.dim() != 2 or z_a.shape[0] < 2 or z_a.shape[1] == 0:
        raise ValueError(f"z_a must be (N, d) with N >= 2, got shape {tuple(z_a.shape)}")
    if z_b.shape != z_a.shape:
        raise ValueError(f"z_b shape {tuple(z_b.shape)} must match z_a shape {tuple(z_a.shape)}")
    if not z_a.is_floating_point() or not z_b.is_floating_point():
        raise TypeError("z_a and z_b must be floating point")
    for name, value in (("sim_coeff", sim_coeff), ("std_coeff", std_coeff), ("cov_coeff", cov_coeff)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")

    invariance = F.mse_loss(z_a, z_b)
    variance = (_variance_term(z_a, eps) + _variance_term(z_b, eps)) / 2
    covariance = _covariance_term(z_a) + _covariance_term(z_b)
    return sim_coeff * invariance + std_coeff * variance + cov_coeff * covariance
