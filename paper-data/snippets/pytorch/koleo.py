"""KoLeo regulariser: spread features by pushing each away from its nearest neighbour.

Paper: Spreading vectors for similarity search, arXiv:1806.03198
Concept: koleo

Formula
    Features are L2-normalised, x_i <- x_i / ||x_i||. With
    rho_i = min_{j != i} ||x_i - x_j|| the distance to the nearest neighbour
    in the batch:
        loss = -1/n * sum_i log(rho_i + eps)
    a Kozachenko-Leonenko entropy estimate (up to constants); minimising it
    spreads the features uniformly over the sphere.

Defaults
    eps = 1e-8, the value of DINOv2's KoLeoLoss (dinov2/loss/koleo_loss.py) and
    of lightly.loss.KoLeoLoss. DINOv2 weights the term by 0.1
    (koleo_loss_weight in ssl_default_config.yaml); the weight is left to the
    caller.

Differences from the reference implementations
    DINOv2 and lightly measure the distance with nn.PairwiseDistance(eps=1e-8),
    which adds eps to every coordinate difference before the norm; this
    function takes the plain Euclidean distance and adds eps only inside the
    log, so values differ by O(eps) except for (near-)duplicate features. Like
    the references, the nearest neighbour is the other row with the largest
    dot product, chosen without gradient.
"""
import torch
import torch.nn.functional as F


def koleo_loss(features: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """KoLeo loss of a batch of embeddings, mean over the batch.

    Args:
        features: (n, D) embeddings, n >= 2 (L2-normalised inside).
        eps: > 0, added to the nearest-neighbour distance inside the log.
    """
    if not isinstance(features, torch.Tensor):
        raise TypeError("features must be a torch.Tensor")
    if features.dim() != 2 or features.shape[0] < 2 or features.shape[1] == 0:
        raise ValueError(f"features must be (n, D) with n >= 2, got shape {tuple(features.shape)}")
    if not features.is_floating_point():
        raise TypeError(f"features must be floating point, got {features.dtype}")
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")

    x = F.normalize(features, dim=1)
    with torch.no_grad():
        dots = x @ x.T
        dots.fill_diagonal_(-2.0)  # below any cosine, so a row never picks itself
        neighbour = dots.argmax(dim=1)
    distances = (x - x[neighbour]).norm(dim=1)
    return -torch.log(distances + eps).mean()
