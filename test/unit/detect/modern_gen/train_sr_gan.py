# A super-resolution GAN training step written the way public repos write it (fixture, not third-party code).
import torch
import torch.nn.functional as F
import kornia
import lpips
import optax
from monai.losses import DiffusionLoss, PerceptualLoss
from piq import SSIMLoss, TVLoss
from pytorch_msssim import ms_ssim
from torchgan.losses import WassersteinGradientPenalty as GP

percep = lpips.LPIPS(net="vgg")
ssim_loss = SSIMLoss(data_range=1.0)
tv = TVLoss()
gp_loss = GP(lambd=10.0)
radiology = PerceptualLoss(spatial_dims=2)
smooth = DiffusionLoss()


def hinge_d_loss(logits_real, logits_fake):
    return 0.5 * (F.relu(1.0 - logits_real).mean() + F.relu(1.0 + logits_fake).mean())


def compute_gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), 1, 1, 1)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def generator_step(sr, hr):
    pixel = kornia.losses.charbonnier_loss(sr, hr, reduction="mean")
    structure = 1 - ms_ssim(sr, hr, data_range=1.0)
    normalized = lpips.normalize_tensor(sr)
    return pixel + percep(sr * 2 - 1, hr * 2 - 1).mean() + structure + tv(sr) + ssim_loss(sr, hr)


def sparse_head(scores, labels):
    return optax.losses.multiclass_sparsemax_loss(scores, labels).mean()
