"""KL term of the VAE loss: diagonal Gaussian posterior against a standard normal prior.

Paper: Auto-Encoding Variational Bayes, arXiv:1312.6114
Concept: vae-kl

Formula
    For one datapoint with encoder outputs mu and logvar = log(sigma^2),
    both of size J (the latent dimensionality), Appendix B of the paper gives
        KL(N(mu, sigma^2 I) || N(0, I))
            = -1/2 * sum_j (1 + log(sigma_j^2) - mu_j^2 - sigma_j^2)
    The negative ELBO is reconstruction loss + beta * KL, with beta = 1 in
    the paper (beta > 1 gives the beta-VAE).

Defaults
    reduction="batchmean": sum over the latent dimensions (the paper's
    per-datapoint KL), then mean over the batch. beta = 1.0.
    "sum" reproduces the official PyTorch VAE example
    (github.com/pytorch/examples vae/main.py), which sums the KL and the
    reconstruction loss over the batch; "none" returns one KL per datapoint.

Differences from the reference implementations
    The PyTorch example writes the same closed form inline as
    -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()). Many
    re-implementations take torch.mean over all elements instead, which
    divides the KL by J and changes its weight against the reconstruction
    term; this file has no such mode on purpose. The encoder's second head
    must be log(sigma^2), not log(sigma) or sigma.
"""
import torch


def vae_kl_loss(
    mu: torch.Tensor,
    logvar: torch.Tensor,
    beta: float = 1.0,
    reduction: str = "batchmean",
) -> torch.Tensor:
    """beta * KL(N(mu, exp(logvar)) || N(0, I)), summed over the latent dimensions.

    Args:
        mu: (N, J) or (N, ...) posterior means; every dim after the first is a latent dim.
        logvar: same shape as mu, log-variances log(sigma^2).
        beta: non-negative weight of the KL term.
        reduction: "batchmean" (mean over N of the per-datapoint KL), "sum" (over N too)
            or "none" (the (N,) per-datapoint KL).
    """
    if not isinstance(mu, torch.Tensor) or not isinstance(logvar, torch.Tensor):
        raise TypeError("mu and logvar must be torch.Tensor")
    if not mu.is_floating_point() or not logvar.is_floating_point():
        raise TypeError(f"mu and logvar must be floating point, got {mu.dtype} and {logvar.dtype}")
    if mu.shape != logvar.shape:
        raise ValueError(f"mu shape {tuple(mu.shape)} must match logvar shape {tuple(logvar.shape)}")
    if mu.dim() < 2 or mu.numel() == 0:
        raise ValueError(f"mu must be a non-empty (N, J) or (N, ...) tensor, got shape {tuple(mu.shape)}")
    if beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    if reduction not in ("batchmean", "sum", "none"):
        raise ValueError(f"reduction must be 'batchmean', 'sum' or 'none', got {reduction!r}")

    per_element = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp())
    per_datapoint = beta * per_element.flatten(1).sum(dim=1)
    if reduction == "batchmean":
        return per_datapoint.mean()
    if reduction == "sum":
        return per_datapoint.sum()
    return per_datapoint
