"""Total variation of images, anisotropic (L1 of finite differences) or isotropic.

Paper: Nonlinear total variation based noise removal algorithms, id:rudin-1992-total-variation
Paper: Understanding Deep Image Representations by Inverting Them, arXiv:1412.0035
Concept: total-variation

Formula
    For an image x of size H x W (per channel), with vertical and horizontal
    forward differences dv[i, j] = x[i+1, j] - x[i, j] and
    dh[i, j] = x[i, j+1] - x[i, j]:
        anisotropic: TV(x) = sum |dv| + sum |dh|         (all differences)
        isotropic:   TV(x) = sum_{i<H-1, j<W-1} sqrt(dv[i, j]^2 + dh[i, j]^2 + eps^2)
    Rudin, Osher and Fatemi minimise the total variation for denoising;
    Mahendran and Vedaldi use a TV regulariser when inverting deep features,
    which is how it entered style transfer and super-resolution losses.

Defaults
    isotropic = False, reduction = "sum", eps = 0.0. The anisotropic sum is
    what kornia.losses.total_variation returns (reduction="sum") for each
    image and channel; reduction then combines those per-image values.

Differences from the reference implementations
    kornia returns one value per leading index (shape (*,)) and its
    reduction="mean" averages over the H x W differences instead; here
    reduction="none" returns the same (*,) values and "sum"/"mean" reduce
    them to a scalar. piq.TVLoss(norm_type="l2") takes sqrt of the summed
    squared differences of a whole image, which is neither form here. The
    isotropic form has no gradient where both differences are 0 unless
    eps > 0 (eps adds eps per pixel to the value).
"""
import torch


def total_variation(
    x: torch.Tensor,
    isotropic: bool = False,
    reduction: str = "sum",
    eps: float = 0.0,
) -> torch.Tensor:
    """Total variation over the last two dims (H, W) of x, one value per leading index, then reduced.

    Args:
        x: (..., H, W) floating-point images, e.g. (N, C, H, W); H and W at least 2.
        isotropic: per-pixel gradient norm on the (H-1) x (W-1) grid instead of the L1 sum.
        reduction: "sum" or "mean" over the leading indices, or "none" for the (...,) values.
        eps: non-negative smoothing inside the square root of the isotropic form.
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError("x must be a torch.Tensor")
    if not x.is_floating_point():
        raise TypeError(f"x must be floating point, got {x.dtype}")
    if x.dim() < 2 or x.shape[-1] < 2 or x.shape[-2] < 2:
        raise ValueError(f"x must have shape (..., H, W) with H, W >= 2, got {tuple(x.shape)}")
    if reduction not in ("sum", "mean", "none"):
        raise ValueError(f"reduction must be 'sum', 'mean' or 'none', got {reduction!r}")
    if eps < 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    if eps > 0 and not isotropic:
        raise ValueError("eps only applies to the isotropic form")

    dv = x[..., 1:, :] - x[..., :-1, :]
    dh = x[..., :, 1:] - x[..., :, :-1]
    if isotropic:
        per_image = torch.sqrt(dv[..., :, :-1].pow(2) + dh[..., :-1, :].pow(2) + eps * eps).sum(dim=(-2, -1))
    else:
        per_image = dv.abs().sum(dim=(-2, -1)) + dh.abs().sum(dim=(-2, -1))
    if reduction == "sum":
        return per_image.sum()
    if reduction == "mean":
        return per_image.mean()
    return per_image
