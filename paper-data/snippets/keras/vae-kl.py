"""KL term of the VAE loss in Keras 3 (keras.ops, any backend): diagonal Gaussian posterior against a standard normal prior.

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
    per-datapoint KL), then mean over the batch. beta = 1.0. "sum" sums over
    the batch too; "none" returns one KL per datapoint.

Differences from the PyTorch snippet
    Same names, defaults and values; keras.losses has no VAE KL term, so add
    it in a custom train step. Taking ops.mean over all elements instead of
    summing over the latent dimensions divides the KL by J and changes its
    weight against the reconstruction term; this file has no such mode on
    purpose. The encoder's second head must be log(sigma^2).
"""
import keras
from keras import ops


def vae_kl_loss(mu, logvar, beta: float = 1.0, reduction: str = "batchmean"):
    """beta * KL(N(mu, exp(logvar)) || N(0, I)), summed over the latent dimensions.

    Args:
        mu: (N, J) or (N, ...) posterior means; every dim after the first is a latent dim.
        logvar: same shape as mu, log-variances log(sigma^2).
        beta: non-negative weight of the KL term.
        reduction: "batchmean" (mean over N of the per-datapoint KL), "sum" (over N too)
            or "none" (the (N,) per-datapoint KL).
    """
    mu = ops.convert_to_tensor(mu)
    logvar = ops.convert_to_tensor(logvar)
    if not keras.backend.is_float_dtype(mu.dtype) or not keras.backend.is_float_dtype(logvar.dtype):
        raise TypeError(f"mu and logvar must be floating point, got {mu.dtype} and {logvar.dtype}")
    if tuple(mu.shape) != tuple(logvar.shape):
        raise ValueError(f"mu shape {mu.shape} must match logvar shape {logvar.shape}")
    if len(mu.shape) < 2 or any(d == 0 for d in mu.shape):
        raise ValueError(f"mu must be a non-empty (N, J) or (N, ...) tensor, got shape {mu.shape}")
    if isinstance(beta, (int, float)) and beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    if reduction not in ("batchmean", "sum", "none"):
        raise ValueError(f"reduction must be 'batchmean', 'sum' or 'none', got {reduction!r}")

    per_element = -0.5 * (1 + logvar - ops.square(mu) - ops.exp(logvar))
    per_datapoint = beta * ops.sum(per_element, axis=tuple(range(1, len(mu.shape))))
    if reduction == "batchmean":
        return ops.mean(per_datapoint)
    if reduction == "sum":
        return ops.sum(per_datapoint)
    return per_datapoint
