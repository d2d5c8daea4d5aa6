"""CLIP symmetric contrastive loss over an image-text batch.

Paper: Learning Transferable Visual Models From Natural Language Supervision, arXiv:2103.00020
Concept: clip

Formula
    With L2-normalised image embeddings u_i and text embeddings v_j of a batch
    of N matching pairs and s_ij = scale * u_i.v_j:
        loss = 1/2 * ( CE(s, [0..N-1]) + CE(s^T, [0..N-1]) )
    where CE is the softmax cross-entropy averaged over rows: each image must
    pick its caption among the N captions and each caption its image.

Defaults
    logit_scale = 1 / 0.07 (about 14.29), the initial value of open_clip's
    learnable scale (init_logit_scale = log(1 / 0.07)). In training the scale
    is learnt as a log and exponentiated before this call; open_clip's training
    loop clamps the log scale to [0, log 100].

Differences from the reference implementations
    open_clip.ClipLoss takes normalised features and the exponentiated
    logit_scale; this function normalises the embeddings itself (a no-op for
    normalised inputs). It computes the single-device loss: ClipLoss's
    distributed options (local_loss, gather_with_grad) are not reproduced.
"""
import torch
import torch.nn.functional as F


def clip_loss(
    image_embeddings: torch.Tensor,
    text_embeddings: torch.Tensor,
    logit_scale: "float | torch.Tensor" = 1 / 0.07,
) -> torch.Tensor:
    """Symmetric InfoNCE between images and texts; row i of both inputs is a matching pair.

    Args:
        image_embeddings: (N, D) image embeddings (L2-normalised inside).
        text_embeddings: (N, D) text embeddings (L2-normalised inside).
        logit_scale: inverse temperature > 0 (the exponentiated learnable parameter).
    """
    if not isinstance(image_embeddings, torch.Tensor) or not isinstance(text_embeddings, torch.Tensor):
        raise TypeError("image_embeddings and text_embeddings must be torch.Tensor")
    if image_embeddings.dim() != 2 or image_embeddings.shape[0] == 0 or image_embeddings.shape[1] == 0:
        raise ValueError(f"image_embeddings must be a non-empty (N, D) tensor, got shape {tuple(image_embeddings.shape)}")
    if text_embeddings.shape != image_embeddings.shape:
        raise ValueError(
            f"text_embeddings shape {tuple(text_embeddings.shape)} must match image_embeddings shape "
            f"{tuple(image_embeddings.shape)}"
        )
    if not image_embeddings.is_floating_point() or not text_embeddings.is_floating_point():
        raise TypeError("embeddings must be floating point")
    scale = torch.as_tensor(logit_scale, dtype=image_embeddings.dtype, device=image_embeddings.device)
    if scale.dim() != 0:
        raise ValueError("logit_scale must be a scalar")
    if not bool(scale > 0):
        raise ValueError(f"logit_scale must be > 0, got {scale.item()}")

    u = F.normalize(image_embeddings, dim=1)
    v = F.normalize(text_embeddings, dim=1)
    logits_per_image = scale * (u @ v.T)
    labels = torch.arange(u.shape[0], device=u.device)
    return (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_image.T, labels)) / 2
