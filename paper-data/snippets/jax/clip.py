"""CLIP symmetric contrastive loss over an image-text batch, in JAX.

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
    is learnt as a log and exponentiated before this call.

Differences from the PyTorch snippet
    Same names, defaults and values. The embeddings are normalised inside with
    x / max(||x||, 1e-12), as torch.nn.functional.normalize does; a traced
    logit_scale is fine under jax.jit and is not range-checked. Single-device
    loss: open_clip's distributed options (local_loss, gather_with_grad) are
    not reproduced.
"""
import jax
import jax.numpy as jnp


def clip_loss(
    image_embeddings: jax.Array,
    text_embeddings: jax.Array,
    logit_scale: "float | jax.Array" = 1 / 0.07,
) -> jax.Array:
    """Symmetric InfoNCE between images and texts; row i of both inputs is a matching pair.

    Args:
        image_embeddings: (N, D) image embeddings (L2-normalised inside).
        text_embeddings: (N, D) text embeddings (L2-normalised inside).
        logit_scale: inverse temperature > 0 (the exponentiated learnable parameter).
    """
    image_embeddings = jnp.asarray(image_embeddings)
    text_embeddings = jnp.asarray(text_embeddings)
    if image_embeddings.ndim != 2 or image_embeddings.shape[0] == 0 or image_embeddings.shape[1] == 0:
        raise ValueError(f"image_embeddings must be a non-empty (N, D) array, got shape {image_embeddings.shape}")
    if text_embeddings.shape != image_embeddings.shape:
        raise ValueError(f"text_embeddings shape {text_embeddings.shape} must match image_embeddings shape {image_embeddings.shape}")
    if not jnp.issubdtype(image_embeddings.dtype, jnp.floating) or not jnp.issubdtype(text_embeddings.dtype, jnp.floating):
        raise TypeError("embeddings must be floating point")
    if jnp.ndim(logit_scale) != 0:
        raise ValueError("logit_scale must be a scalar")
    if isinstance(logit_scale, (int, float)) and logit_scale <= 0:
        raise ValueError(f"logit_scale must be > 0, got {logit_scale}")

    u = image_embeddings / jnp.maximum(jnp.linalg.norm(image_embeddings, axis=1, keepdims=True), 1e-12)
    v = text_embeddings / jnp.maximum(jnp.linalg.norm(text_embeddings, axis=1, keepdims=True), 1e-12)
    logits_per_image = logit_scale * (u @ v.T)
    image_to_text = -jnp.mean(jnp.diagonal(jax.nn.log_softmax(logits_per_image, axis=1)))
    text_to_image = -jnp.mean(jnp.diagonal(jax.nn.log_softmax(logits_per_image.T, axis=1)))
    return (image_to_text + text_to_image) / 2
