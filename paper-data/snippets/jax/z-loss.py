"""Auxiliary z-loss in JAX: penalise the squared log-partition function of the logits.

Paper: PaLM: Scaling Language Modeling with Pathways, arXiv:2204.02311
Paper: ST-MoE: Designing Stable and Transferable Sparse Expert Models, arXiv:2202.08906
Concept: z-loss

Formula
    For each row of logits z (one token or one sample):
        log Z = logsumexp_k z_k
        z_loss = coef * mean over rows of (log Z)^2
    It is added to the main loss to keep the softmax normaliser close to 1
    (log Z close to 0), which stabilises training of large output layers.

Defaults
    coef = 1e-4, the coefficient PaLM uses on the LM output softmax
    ("z_loss = 1e-4 * log^2 Z", Section 5). ST-MoE uses the same squared-LSE
    penalty on router logits with coefficient 1e-3.

Differences from the PyTorch snippet
    None in value: rows are all leading dimensions, so (B, T, V) language-model
    logits work as they are. optax has no z-loss; this returns only the
    auxiliary term (add it to your cross-entropy).
"""
import jax
import jax.numpy as jnp


def z_loss(logits: jax.Array, coef: float = 1e-4) -> jax.Array:
    """coef * mean over rows of logsumexp(logits)^2.

    Args:
        logits: (N, C) or (..., C) unnormalised scores; the last dim is the class dim.
        coef: non-negative weight of the penalty.
    """
    logits = jnp.asarray(logits)
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if logits.ndim < 2 or logits.size == 0:
        raise ValueError(f"logits must be a non-empty (N, C) or (..., C) array, got shape {logits.shape}")
    if isinstance(coef, (int, float)) and coef < 0:
        raise ValueError(f"coef must be >= 0, got {coef}")

    log_z = jax.nn.logsumexp(logits, axis=-1)
    return coef * jnp.mean(jnp.square(log_z))
