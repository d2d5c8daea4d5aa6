"""Supervised contrastive loss (SupCon, the "L_out" form) in JAX.

Paper: Supervised Contrastive Learning, arXiv:2004.11362
Concept: supcon

Formula
    Features are L2-normalised. For anchor i, A(i) = all other samples and
    P(i) = the other samples with the same label:
        loss_i = -1/|P(i)| * sum_{p in P(i)} log( exp(z_i.z_p / tau) / sum_{a in A(i)} exp(z_i.z_a / tau) )
    The loss is the mean of loss_i over anchors that have at least one
    positive. This is L^sup_out, the variant Khosla et al. recommend (eq. 2;
    the 1/|P(i)| sits outside the log).

Defaults
    temperature = 0.1, the value the reference repository's README uses to
    pre-train SupCon (main_supcon.py --temp 0.1); the SupConLoss class itself
    defaults to 0.07.

Differences from the PyTorch snippet
    The same value: anchors without a positive are left out of the mean and
    the loss is 0 when no anchor has one, but through jnp.where masks instead
    of boolean indexing, so the function has no data-dependent shapes and
    compiles under jax.jit. Like the PyTorch snippet it omits the reference
    implementation's temperature / base_temperature factor (HobbitLong/SupContrast
    losses.py), so at temperature 0.1 its value is 0.7 times the reference's.
"""
import jax
import jax.numpy as jnp


def supcon_loss(
    features: jax.Array,
    labels: jax.Array,
    temperature: float = 0.1,
) -> jax.Array:
    """Supervised contrastive loss over a batch of embeddings.

    Args:
        features: (N, D) embeddings (normalised inside); put several views of a sample in separate rows.
        labels: (N,) integer labels; rows with equal labels are positives of each other.
        temperature: softmax temperature tau, > 0.
    """
    features = jnp.asarray(features)
    labels = jnp.asarray(labels)
    if features.ndim != 2 or features.shape[0] < 2 or features.shape[1] == 0:
        raise ValueError(f"features must be (N, D) with N >= 2, got shape {features.shape}")
    if not jnp.issubdtype(features.dtype, jnp.floating):
        raise TypeError(f"features must be floating point, got {features.dtype}")
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise TypeError(f"labels must be integer, got {labels.dtype}")
    if labels.shape != features.shape[:1]:
        raise ValueError(f"labels must have shape ({features.shape[0]},), got {labels.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    n = features.shape[0]
    z = features / jnp.maximum(jnp.linalg.norm(features, axis=1, keepdims=True), 1e-12)
    self_mask = jnp.eye(n, dtype=bool)
    logits = jnp.where(self_mask, -jnp.inf, z @ z.T / temperature)
    log_prob = logits - jax.nn.logsumexp(logits, axis=1, keepdims=True)
    positives = (labels[None, :] == labels[:, None]) & ~self_mask
    num_positives = jnp.sum(positives, axis=1)
    has_positive = num_positives > 0
    summed = jnp.sum(jnp.where(positives, log_prob, 0.0), axis=1)
    mean_log_prob_pos = summed / jnp.maximum(num_positives, 1).astype(features.dtype)
    num_anchors = jnp.sum(has_positive).astype(features.dtype)
    return -jnp.sum(jnp.where(has_positive, mean_log_prob_pos, 0.0)) / jnp.maximum(num_anchors, 1.0)
