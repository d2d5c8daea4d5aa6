"""InfoNCE in JAX: softmax cross-entropy that picks the positive among candidates.

Paper: Representation Learning with Contrastive Predictive Coding, arXiv:1807.03748
Paper: Momentum Contrast for Unsupervised Visual Representation Learning, arXiv:1911.05722
Concept: info-nce

Formula
    For row i with similarities s_i1..s_iM and positive index p_i:
        loss_i = -log( exp(s_ip / tau) / sum_j exp(s_ij / tau) )
    i.e. cross-entropy over similarities / tau; the loss is the batch mean.

Defaults
    temperature = 0.07, the value of MoCo (He et al., implementation details) and the
    initial temperature of CLIP. CPC (van den Oord et al.) has no temperature
    (tau = 1).

Differences from the optax built-in
    optax.losses.ntxent takes embeddings and labels and builds the SimCLR
    (NT-Xent) similarity matrix itself; this function takes a precomputed
    (N, M) similarity matrix, so it covers in-batch negatives
    (positive_index = arange(N)) and queue-based negatives (MoCo: column 0 is
    the positive). Equal to optax.softmax_cross_entropy_with_integer_labels
    on similarities / temperature, averaged over rows.
"""
import jax
import jax.numpy as jnp


def info_nce_loss(
    similarities: jax.Array,
    positive_index: jax.Array,
    temperature: float = 0.07,
) -> jax.Array:
    """InfoNCE loss, mean over rows.

    Args:
        similarities: (N, M) similarity of each anchor to M candidates.
        positive_index: (N,) integer column of the positive candidate in each row.
        temperature: softmax temperature tau, > 0.
    """
    similarities = jnp.asarray(similarities)
    positive_index = jnp.asarray(positive_index)
    if similarities.ndim != 2 or similarities.shape[0] == 0 or similarities.shape[1] == 0:
        raise ValueError(f"similarities must be a non-empty (N, M) array, got shape {similarities.shape}")
    if not jnp.issubdtype(similarities.dtype, jnp.floating):
        raise TypeError(f"similarities must be floating point, got {similarities.dtype}")
    if not jnp.issubdtype(positive_index.dtype, jnp.integer):
        raise TypeError(f"positive_index must be integer, got {positive_index.dtype}")
    if positive_index.shape != similarities.shape[:1]:
        raise ValueError(f"positive_index must have shape ({similarities.shape[0]},), got {positive_index.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    log_p = jax.nn.log_softmax(similarities / temperature, axis=1)
    return -jnp.mean(jnp.take_along_axis(log_p, positive_index[:, None], axis=1, mode="fill")[:, 0])
