"""WGAN-GP: gradient penalty on interpolates between real and generated samples.

Paper: Improved Training of Wasserstein GANs, arXiv:1704.00028
Paper: Wasserstein GAN, arXiv:1701.07875
Concept: gradient-penalty

Formula
    Algorithm 1 of Gulrajani et al., for each sample i of the batch:
        eps_i ~ U[0, 1]
        x_hat_i = eps_i * x_i + (1 - eps_i) * x_tilde_i        (x real, x_tilde = G(z))
        L_i = D(x_tilde_i) - D(x_i) + lambda * (||grad_{x_hat} D(x_hat_i)||_2 - 1)^2
    and the critic minimises the batch mean of L_i. The gradient norm is taken
    per sample over all of its dimensions (channels and pixels).

Defaults
    lambda_gp = 10, the value of Algorithm 1 (which also uses n_critic = 5 and
    Adam with lr 1e-4, beta1 = 0, beta2 = 0.9; those belong to the training
    loop, not to the loss). eps is drawn per sample unless given.

Differences from the reference implementations
    torchgan's wasserstein_gradient_penalty takes one norm over the whole
    batch tensor (gradients.norm(2)) and its train_ops draws a single eps for
    the whole batch; here both are per sample, as in Algorithm 1. torchgan's
    WassersteinGradientPenalty.forward also leaves lambda out (it is applied
    in train_ops); gradient_penalty below includes it. The penalty keeps the
    graph (create_graph=True) so that it can be backpropagated into the
    critic's weights.
"""
import torch


def _check_batch(real: torch.Tensor, fake: torch.Tensor) -> None:
    if not isinstance(real, torch.Tensor) or not isinstance(fake, torch.Tensor):
        raise TypeError("real and fake must be torch.Tensor")
    if not real.is_floating_point() or not fake.is_floating_point():
        raise TypeError(f"real and fake must be floating point, got {real.dtype} and {fake.dtype}")
    if real.shape != fake.shape:
        raise ValueError(f"real shape {tuple(real.shape)} must match fake shape {tuple(fake.shape)}")
    if real.dim() < 2 or real.shape[0] == 0:
        raise ValueError(f"real must be a non-empty (N, ...) batch with at least one feature dim, got shape {tuple(real.shape)}")


def _critic_scores(critic, x: torch.Tensor) -> torch.Tensor:
    scores = critic(x)
    if not isinstance(scores, torch.Tensor):
        raise TypeError("critic must return a torch.Tensor")
    if scores.shape not in ((x.shape[0],), (x.shape[0], 1)):
        raise ValueError(f"critic must return (N,) or (N, 1) scores, got shape {tuple(scores.shape)}")
    return scores.reshape(-1)


def gradient_penalty(
    critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    lambda_gp: float = 10.0,
    epsilon: "torch.Tensor | None" = None,
) -> torch.Tensor:
    """lambda_gp * mean over the batch of (||grad D(x_hat)||_2 - 1)^2 at real/fake interpolates.

    Args:
        critic: callable mapping an (N, ...) batch to (N,) or (N, 1) raw scores (no sigmoid).
        real: (N, ...) real samples.
        fake: (N, ...) generated samples, same shape as real (detach them for the critic step).
        lambda_gp: non-negative penalty coefficient.
        epsilon: optional (N,) interpolation coefficients in [0, 1]; drawn from U[0, 1] if None.
    """
    _check_batch(real, fake)
    if lambda_gp < 0:
        raise ValueError(f"lambda_gp must be >= 0, got {lambda_gp}")
    n = real.shape[0]
    if epsilon is None:
        epsilon = torch.rand(n, device=real.device, dtype=real.dtype)
    elif not isinstance(epsilon, torch.Tensor) or epsilon.shape != (n,):
        raise ValueError(f"epsilon must be a ({n},) tensor, one coefficient per sample")
    elif bool((epsilon < 0).any()) or bool((epsilon > 1).any()):
        raise ValueError("epsilon values must lie in [0, 1]")
    eps = epsilon.to(device=real.device, dtype=real.dtype).reshape(n, *([1] * (real.dim() - 1)))

    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    scores = _critic_scores(critic, x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    grad_norm = grad.flatten(1).norm(2, dim=1)
    return lambda_gp * (grad_norm - 1).pow(2).mean()


def wgan_gp_critic_loss(
    critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    lambda_gp: float = 10.0,
    epsilon: "torch.Tensor | None" = None,
) -> torch.Tensor:
    """Critic loss of Algorithm 1: mean D(fake) - mean D(real) + gradient penalty.

    Args:
        critic: callable mapping an (N, ...) batch to (N,) or (N, 1) raw scores.
        real: (N, ...) real samples.
        fake: (N, ...) generated samples (detached from the generator for the critic step).
        lambda_gp: non-negative penalty coefficient.
        epsilon: optional (N,) interpolation coefficients, as in gradient_penalty.
    """
    _check_batch(real, fake)
    wasserstein = _critic_scores(critic, fake).mean() - _critic_scores(critic, real).mean()
    return wasserstein + gradient_penalty(critic, real, fake, lambda_gp=lambda_gp, epsilon=epsilon)
