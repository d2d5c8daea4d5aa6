"""Snippets of the generative / image-restoration losses: VAE KL, WGAN-GP, Charbonnier, total variation.

Hand-computed values, identities from the papers and the reference code, and gradcheck in float64.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("vae-kl", "gradient-penalty", "charbonnier", "total-variation")
vae = load_snippet("vae-kl")
gp = load_snippet("gradient-penalty")
ch = load_snippet("charbonnier")
tv = load_snippet("total-variation")

D = torch.float64


# --- vae-kl -------------------------------------------------------------------------------------


def test_vae_kl_hand_values():
    # Row 0: mu = (1, 0), sigma^2 = (1, e) -> 0.5 * (1 + 0) + 0.5 * (e - 1 - 1) = 0.5 + 0.5 * (e - 2).
    # Row 1: mu = 0, sigma^2 = 1 -> 0.
    mu = torch.tensor([[1.0, 0.0], [0.0, 0.0]], dtype=D)
    logvar = torch.tensor([[0.0, 1.0], [0.0, 0.0]], dtype=D)
    row0 = 0.5 + 0.5 * (math.e - 2.0)
    assert vae.vae_kl_loss(mu, logvar, reduction="none").tolist() == pytest.approx([row0, 0.0], rel=1e-12)
    assert vae.vae_kl_loss(mu, logvar).item() == pytest.approx(row0 / 2, rel=1e-12)
    assert vae.vae_kl_loss(mu, logvar, reduction="sum").item() == pytest.approx(row0, rel=1e-12)
    assert vae.vae_kl_loss(mu, logvar, beta=4.0, reduction="sum").item() == pytest.approx(4 * row0, rel=1e-12)


def test_vae_kl_is_zero_exactly_at_the_prior():
    zeros = torch.zeros(3, 5, dtype=D)
    assert vae.vae_kl_loss(zeros, zeros).item() == 0.0


def test_vae_kl_matches_torch_distributions_summed_over_latent_dims():
    torch.manual_seed(0)
    mu = torch.randn(6, 4, dtype=D)
    logvar = torch.randn(6, 4, dtype=D)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    expected = torch.distributions.kl_divergence(q, p).sum(dim=1)
    assert torch.allclose(vae.vae_kl_loss(mu, logvar, reduction="none"), expected)
    assert torch.allclose(vae.vae_kl_loss(mu, logvar), expected.mean())


def test_vae_kl_sum_equals_the_official_pytorch_example():
    torch.manual_seed(1)
    mu = torch.randn(8, 20, dtype=D)
    logvar = torch.randn(8, 20, dtype=D)
    example = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())  # pytorch/examples vae/main.py
    assert torch.allclose(vae.vae_kl_loss(mu, logvar, reduction="sum"), example)


def test_vae_kl_batchmean_is_not_an_element_mean():
    # The per-datapoint KL is summed over the J latent dims: an element-wise mean is J times smaller.
    torch.manual_seed(2)
    mu = torch.randn(4, 16, dtype=D)
    logvar = torch.randn(4, 16, dtype=D)
    element_mean = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).mean()
    assert torch.allclose(vae.vae_kl_loss(mu, logvar), 16 * element_mean)


def test_vae_kl_flattens_spatial_latents():
    torch.manual_seed(3)
    mu = torch.randn(2, 3, 4, 4, dtype=D)
    logvar = torch.randn(2, 3, 4, 4, dtype=D)
    flat = vae.vae_kl_loss(mu.flatten(1), logvar.flatten(1), reduction="none")
    assert torch.allclose(vae.vae_kl_loss(mu, logvar, reduction="none"), flat)


def test_vae_kl_gradients_match_closed_form_and_gradcheck():
    torch.manual_seed(4)
    mu = torch.randn(3, 5, dtype=D, requires_grad=True)
    logvar = torch.randn(3, 5, dtype=D, requires_grad=True)
    vae.vae_kl_loss(mu, logvar, reduction="sum").backward()
    assert torch.allclose(mu.grad, mu.detach())  # d/dmu of 0.5 * mu^2
    assert torch.allclose(logvar.grad, 0.5 * (logvar.detach().exp() - 1))
    assert torch.autograd.gradcheck(lambda m, v: vae.vae_kl_loss(m, v, beta=0.7), (mu, logvar))


def test_vae_kl_rejects_bad_input():
    x = torch.zeros(2, 3)
    with pytest.raises(ValueError, match="must match"):
        vae.vae_kl_loss(x, torch.zeros(2, 4))
    with pytest.raises(ValueError, match="reduction"):
        vae.vae_kl_loss(x, x, reduction="mean")
    with pytest.raises(ValueError, match="beta"):
        vae.vae_kl_loss(x, x, beta=-1.0)
    with pytest.raises(ValueError, match="non-empty"):
        vae.vae_kl_loss(torch.zeros(3), torch.zeros(3))
    with pytest.raises(TypeError, match="floating point"):
        vae.vae_kl_loss(torch.zeros(2, 3, dtype=torch.long), torch.zeros(2, 3, dtype=torch.long))


# --- gradient-penalty ---------------------------------------------------------------------------


def _linear_critic(w: torch.Tensor):
    return lambda x: x.flatten(1) @ w


def test_gradient_penalty_of_a_linear_critic_is_lambda_times_norm_gap_squared():
    # D(x) = w . x has gradient w everywhere: penalty = lambda * (||w|| - 1)^2 whatever eps is.
    w = torch.tensor([3.0, 4.0], dtype=D)
    real = torch.randn(5, 2, dtype=D)
    fake = torch.randn(5, 2, dtype=D)
    assert gp.gradient_penalty(_linear_critic(w), real, fake).item() == pytest.approx(10 * 16.0, rel=1e-12)
    assert gp.gradient_penalty(_linear_critic(w), real, fake, lambda_gp=1.0).item() == pytest.approx(16.0, rel=1e-12)
    unit = torch.tensor([0.6, 0.8], dtype=D)
    assert gp.gradient_penalty(_linear_critic(unit), real, fake).item() == pytest.approx(0.0, abs=1e-12)


def test_gradient_penalty_uses_the_interpolates_of_algorithm_1():
    # D(x) = 0.5 * ||x||^2 has gradient x_hat = eps * real + (1 - eps) * fake.
    real = torch.tensor([[2.0, 0.0], [0.0, 0.0]], dtype=D)
    fake = torch.tensor([[0.0, 0.0], [0.0, 3.0]], dtype=D)
    eps = torch.tensor([0.5, 0.25], dtype=D)
    critic = lambda x: 0.5 * x.pow(2).sum(dim=1)
    # x_hat = (1, 0) and (0, 2.25): norms 1 and 2.25 -> lambda * mean(0, 1.5625).
    expected = 10 * (0.0 + 1.25**2) / 2
    assert gp.gradient_penalty(critic, real, fake, epsilon=eps).item() == pytest.approx(expected, rel=1e-12)


def test_gradient_norm_is_per_sample_not_over_the_batch():
    # Each sample has gradient norm exactly 1, so the per-sample penalty is 0. torchgan's
    # wasserstein_gradient_penalty takes one norm over the batch (sqrt(N) here) and would give
    # (sqrt(4) - 1)^2 = 1 instead.
    w = torch.tensor([1.0, 0.0, 0.0], dtype=D)
    real = torch.randn(4, 3, dtype=D)
    fake = torch.randn(4, 3, dtype=D)
    assert gp.gradient_penalty(_linear_critic(w), real, fake, lambda_gp=1.0).item() == pytest.approx(0.0, abs=1e-12)
    x_hat = real.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(_linear_critic(w)(x_hat).sum(), x_hat)
    assert (grad.norm(2) - 1).pow(2).item() == pytest.approx(1.0, rel=1e-12)


def test_gradient_norm_spans_all_non_batch_dims():
    # A (N, C, H, W) batch with D(x) = sum(x): per-sample gradient is all ones, norm sqrt(C*H*W) = 4.
    real = torch.randn(2, 1, 4, 4, dtype=D)
    fake = torch.randn(2, 1, 4, 4, dtype=D)
    critic = lambda x: x.sum(dim=(1, 2, 3))
    assert gp.gradient_penalty(critic, real, fake, lambda_gp=1.0).item() == pytest.approx(9.0, rel=1e-12)


def test_gradient_penalty_backpropagates_into_the_critic():
    # d/dw lambda * (||w|| - 1)^2 = 2 * lambda * (||w|| - 1) * w / ||w||: needs create_graph=True.
    w = torch.tensor([3.0, 4.0], dtype=D, requires_grad=True)
    real = torch.randn(3, 2, dtype=D)
    fake = torch.randn(3, 2, dtype=D)
    gp.gradient_penalty(_linear_critic(w), real, fake).backward()
    expected = 2 * 10 * (5.0 - 1.0) * torch.tensor([3.0, 4.0], dtype=D) / 5.0
    assert torch.allclose(w.grad, expected)


def test_gradient_penalty_gradcheck_through_the_double_backward():
    torch.manual_seed(5)
    real = torch.randn(3, 4, dtype=D)
    fake = torch.randn(3, 4, dtype=D)
    eps = torch.rand(3, dtype=D)
    w1 = torch.randn(4, 5, dtype=D, requires_grad=True)
    w2 = torch.randn(5, dtype=D, requires_grad=True)

    def penalty(a, b):
        critic = lambda x: torch.tanh(x @ a) @ b
        return gp.gradient_penalty(critic, real, fake, epsilon=eps)

    assert torch.autograd.gradcheck(penalty, (w1, w2))


def test_wgan_gp_critic_loss_adds_the_wasserstein_estimate():
    w = torch.tensor([3.0, 4.0], dtype=D)
    real = torch.tensor([[1.0, 1.0], [0.0, 2.0]], dtype=D)  # scores 7 and 8
    fake = torch.tensor([[0.0, 0.0], [1.0, 0.0]], dtype=D)  # scores 0 and 3
    expected = (1.5 - 7.5) + 10 * 16.0
    assert gp.wgan_gp_critic_loss(_linear_critic(w), real, fake).item() == pytest.approx(expected, rel=1e-12)
    assert gp.wgan_gp_critic_loss(_linear_critic(w), real, fake, lambda_gp=0.0).item() == pytest.approx(-6.0, rel=1e-12)


def test_gradient_penalty_draws_one_eps_per_sample():
    # With D(x) = 0.5 ||x||^2, real = 1 and fake = 0 the gradient norm of sample i is eps_i itself.
    real = torch.ones(64, 1, dtype=D)
    fake = torch.zeros(64, 1, dtype=D)
    critic = lambda x: (0.5 * x.pow(2)).sum(dim=1)
    torch.manual_seed(7)
    expected_eps = torch.rand(64, dtype=D)
    torch.manual_seed(7)
    value = gp.gradient_penalty(critic, real, fake, lambda_gp=1.0).item()
    assert value == pytest.approx((expected_eps - 1).pow(2).mean().item(), rel=1e-12)
    # One scalar eps for the whole batch (torchgan's train_ops) would give (eps - 1)^2 for a single eps.
    assert expected_eps.unique().numel() == 64


def test_gradient_penalty_rejects_bad_input():
    critic = lambda x: x.sum(dim=1)
    real = torch.zeros(2, 3)
    with pytest.raises(ValueError, match="must match"):
        gp.gradient_penalty(critic, real, torch.zeros(2, 4))
    with pytest.raises(ValueError, match="epsilon"):
        gp.gradient_penalty(critic, real, real, epsilon=torch.tensor([0.5]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gp.gradient_penalty(critic, real, real, epsilon=torch.tensor([0.5, 1.5]))
    with pytest.raises(ValueError, match="lambda_gp"):
        gp.gradient_penalty(critic, real, real, lambda_gp=-1.0)
    with pytest.raises(ValueError, match=r"\(N,\) or \(N, 1\)"):
        gp.gradient_penalty(lambda x: x, real, real)


# --- charbonnier --------------------------------------------------------------------------------


def test_charbonnier_hand_values():
    pred = torch.tensor([3.0, 0.0, -1.0], dtype=D)
    target = torch.tensor([0.0, 0.0, 0.0], dtype=D)
    # eps = 4: sqrt(9 + 16) = 5, sqrt(16) = 4, sqrt(17).
    values = [5.0, 4.0, math.sqrt(17.0)]
    assert ch.charbonnier_loss(pred, target, eps=4.0, reduction="none").tolist() == pytest.approx(values, rel=1e-12)
    assert ch.charbonnier_loss(pred, target, eps=4.0).item() == pytest.approx(sum(values) / 3, rel=1e-12)
    assert ch.charbonnier_loss(pred, target, eps=4.0, reduction="sum").item() == pytest.approx(sum(values), rel=1e-12)
    shifted = ch.charbonnier_loss(pred, target, eps=4.0, reduction="none", subtract_eps=True)
    assert shifted.tolist() == pytest.approx([1.0, 0.0, math.sqrt(17.0) - 4.0], rel=1e-12)


def test_charbonnier_with_eps_one_minus_one_is_kornias_formula():
    torch.manual_seed(8)
    pred = torch.randn(2, 3, 4, 4, dtype=D)
    target = torch.randn(2, 3, 4, 4, dtype=D)
    kornia_formula = ((pred - target) ** 2 + 1.0).sqrt() - 1.0  # kornia/losses/charbonnier.py
    ours = ch.charbonnier_loss(pred, target, eps=1.0, reduction="none", subtract_eps=True)
    assert torch.allclose(ours, kornia_formula)


def test_charbonnier_stays_within_eps_of_l1():
    torch.manual_seed(9)
    pred = torch.randn(1000, dtype=D) * 3
    target = torch.zeros(1000, dtype=D)
    for eps in (1e-3, 0.1, 1.0):
        gap = ch.charbonnier_loss(pred, target, eps=eps, reduction="none") - pred.abs()
        assert bool((gap > 0).all()) and bool((gap <= eps).all())
    assert torch.allclose(ch.charbonnier_loss(pred, target, eps=1e-6), F.l1_loss(pred, target), atol=1e-6)


def test_charbonnier_gradient_is_finite_at_zero_residual_and_gradcheck():
    pred = torch.zeros(3, dtype=D, requires_grad=True)
    ch.charbonnier_loss(pred, torch.zeros(3, dtype=D), eps=1e-3).backward()
    assert torch.equal(pred.grad, torch.zeros(3, dtype=D))
    torch.manual_seed(10)
    x = torch.randn(4, 5, dtype=D, requires_grad=True)
    y = torch.randn(4, 5, dtype=D)
    assert torch.autograd.gradcheck(lambda p: ch.charbonnier_loss(p, y, eps=0.5), (x,))


def test_charbonnier_rejects_bad_input():
    x = torch.zeros(3)
    with pytest.raises(ValueError, match="eps"):
        ch.charbonnier_loss(x, x, eps=0.0)
    with pytest.raises(ValueError, match="must match"):
        ch.charbonnier_loss(x, torch.zeros(4), eps=1.0)
    with pytest.raises(ValueError, match="reduction"):
        ch.charbonnier_loss(x, x, eps=1.0, reduction="batchmean")
    with pytest.raises(TypeError, match="eps"):
        ch.charbonnier_loss(x, x)


# --- total-variation ----------------------------------------------------------------------------

IMAGE = torch.tensor([[0.0, 1.0, 3.0], [2.0, 2.0, 2.0], [5.0, 1.0, 0.0]], dtype=D)
# Vertical differences: (2, 1, -1), (3, -1, -2) -> 10. Horizontal: (1, 2), (0, 0), (-4, -1) -> 8.
ANISOTROPIC = 18.0
# Isotropic grid (2 x 2): sqrt(2^2 + 1^2), sqrt(1^2 + 2^2), sqrt(3^2 + 0), sqrt(1 + 0).
ISOTROPIC = 2 * math.sqrt(5.0) + 3.0 + 1.0


def test_total_variation_hand_values():
    assert tv.total_variation(IMAGE).item() == pytest.approx(ANISOTROPIC, rel=1e-12)
    assert tv.total_variation(IMAGE, isotropic=True).item() == pytest.approx(ISOTROPIC, rel=1e-12)
    eps = 0.5
    smoothed = 2 * math.sqrt(5.25) + math.sqrt(9.25) + math.sqrt(1.25)
    assert tv.total_variation(IMAGE, isotropic=True, eps=eps).item() == pytest.approx(smoothed, rel=1e-12)


def test_total_variation_per_image_values_and_reductions():
    batch = torch.stack([IMAGE, 2 * IMAGE, torch.zeros(3, 3, dtype=D)]).unsqueeze(1)  # (3, 1, 3, 3)
    per_image = tv.total_variation(batch, reduction="none")
    assert per_image.shape == (3, 1)
    assert per_image.flatten().tolist() == pytest.approx([ANISOTROPIC, 2 * ANISOTROPIC, 0.0], rel=1e-12)
    assert tv.total_variation(batch).item() == pytest.approx(3 * ANISOTROPIC, rel=1e-12)
    assert tv.total_variation(batch, reduction="mean").item() == pytest.approx(ANISOTROPIC, rel=1e-12)


def test_total_variation_matches_kornias_anisotropic_sum():
    torch.manual_seed(11)
    img = torch.rand(2, 3, 5, 6, dtype=D)
    # kornia/losses/total_variation.py, reduction="sum": one value per (N, C).
    kornia_formula = (img[..., 1:, :] - img[..., :-1, :]).abs().sum(dim=(-2, -1)) + (
        img[..., :, 1:] - img[..., :, :-1]
    ).abs().sum(dim=(-2, -1))
    assert torch.allclose(tv.total_variation(img, reduction="none"), kornia_formula)


def test_total_variation_invariances_and_bounds():
    torch.manual_seed(12)
    img = torch.rand(4, 3, 8, 8, dtype=D)
    base = tv.total_variation(img)
    assert torch.allclose(tv.total_variation(img + 7.0), base)  # invariant to a constant shift
    assert torch.allclose(tv.total_variation(3.0 * img), 3.0 * base)  # positively homogeneous
    assert tv.total_variation(torch.full((2, 5, 5), 0.3, dtype=D)).item() == 0.0
    # Per pixel sqrt(a^2 + b^2) <= |a| + |b|, and the anisotropic sum also covers the last row/column.
    assert bool((tv.total_variation(img, isotropic=True, reduction="none") <= tv.total_variation(img, reduction="none")).all())


def test_total_variation_gradcheck():
    torch.manual_seed(13)
    img = torch.rand(2, 2, 4, 4, dtype=D, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: tv.total_variation(x), (img,))
    assert torch.autograd.gradcheck(lambda x: tv.total_variation(x, isotropic=True, eps=0.1, reduction="mean"), (img,))


def test_isotropic_total_variation_of_a_flat_image_needs_eps_for_gradients():
    flat = torch.ones(1, 3, 3, dtype=D, requires_grad=True)
    tv.total_variation(flat, isotropic=True).backward()
    assert not bool(torch.isfinite(flat.grad).all())
    flat.grad = None
    tv.total_variation(flat, isotropic=True, eps=1e-3).backward()
    assert bool(torch.isfinite(flat.grad).all())


def test_total_variation_rejects_bad_input():
    with pytest.raises(ValueError, match="H, W >= 2"):
        tv.total_variation(torch.zeros(3, 1))
    with pytest.raises(ValueError, match="reduction"):
        tv.total_variation(torch.zeros(3, 3), reduction="batchmean")
    with pytest.raises(ValueError, match="isotropic"):
        tv.total_variation(torch.zeros(3, 3), eps=0.1)
    with pytest.raises(TypeError, match="floating point"):
        tv.total_variation(torch.zeros(3, 3, dtype=torch.long))
