"""SigLIP pairwise sigmoid loss for image-text pre-training.

Paper: Sigmoid Loss for Language Image Pre-Training, arXiv:2303.15343
Concept: siglip

Formula
    With L2-normalised image embeddings x_i and text embeddings y_j of a batch
    of N pairs, logits l_ij = t * x_i.y_j + b and labels z_ij = +1 if i == j
    (the matching pair) and -1 otherwise:
        loss = -1/N * sum_i sum_j log sigmoid(z_ij * l_ij)
    i.e. a binary logistic loss on every one of the N*N pairs, summed and
    divided by the number of images N (big_vision's siglip trainer and
    open_clip's SigLipLoss both normalise by N, not N*N).

Defaults
    temperature = 10.0 and bias = -10.0, the initial values of the official
    SigLIP demo config (big_vision SigLIP_demo.ipynb: temperature_init=10.0,
    bias_init=-10.0). In training both are learnable: keep t' = log t as the
    parameter and pass t = exp(t') here.

Differences from the reference implementations
    open_clip.loss.SigLipLoss takes already-normalised features and the
    exponentiated logit_scale and logit_bias from the model; this function
    normalises the embeddings itself (a no-op for normalised inputs) and takes
    t and b as floats or 0-dim tensors. It computes the single-device loss:
    open_clip's distributed variants exchange text features between ranks and
    add the negative-only terms, which this does not do.
"""
import torch
import torch.nn.functional as F


def siglip_loss(
    image_embeddings: torch.Tensor,
    text_embeddings: torch.Tensor,
    temperature: "float | torch.Tensor" = 10.0,
    bias: "float | torch.Tensor" = -10.0,
) -> torch.Tensor:
    """Sigmoid image-text loss over all N x N pairs of a batch (row i of each input is a matching pair).

    Args:
        image_embeddings: (N, D) image embeddings (L2-normalised inside).
        text_embeddings: (N, D) text embeddings (L2-normalised inside).
        temperature: t > 0 multiplying the cosine similarities (pass exp(t') when t' is learnt).
        bias: b added to every logit.
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
    t = torch.as_tensor(temperature, dtype=image_embeddings.dtype, device=image_embeddings.device)
    b = torch.as_tensor(bias, dtype=image_embeddings.dtype, device=image_embeddings.device)
    if t.dim() != 0 or b.dim() != 0:
        raise ValueError("temperature and bias must be scalars")
    if not bool(t > 0):
        raise ValueError(f"temperature must be > 0, got {t.item()}")

    n = image_embeddings.shape[0]
    x = F.normalize(image_embeddings, dim=1)
    y = F.normalize(text_embeddings, dim=1)
    logits = t * (x @ y.T) + b
    labels = 2 * torch.eye(n, dtype=logits.dtype, device=logits.device) - 1
    return -F.logsigmoid(labels * logits).sum() / n
