"""Knowledge distillation in JAX: temperature-softened teacher targets with the T^2 factor, plus the hard-label loss.

Paper: Distilling the Knowledge in a Neural Network, arXiv:1503.02531
Concept: knowledge-distillation

Formula
    p_t = softmax(z_t / T), p_s = softmax(z_s / T):
        soft = T^2 * KL(p_t || p_s) = T^2 * sum_k p_t,k (log p_t,k - log p_s,k)
        L = hard_weight * CE(z_s, y) + soft_weight * soft
    averaged over the batch. The T^2 factor keeps the soft term's gradient
    magnitude roughly constant as T changes (Hinton et al.).

Defaults
    temperature = 1.0, hard_weight = soft_weight = 1.0: the defaults of
    timm.task.LogitDistillationTask, as in the PyTorch snippet. The hard term
    is skipped when target is None.

Differences from the optax built-in
    optax.losses.kl_divergence(log_predictions, targets) computes the KL per
    example without the temperature or the T^2 factor. Here the teacher's
    term uses jax.scipy.special.xlogy, so exact zeros give 0 * log 0 = 0, and
    the teacher logits pass through jax.lax.stop_gradient (the PyTorch snippet
    detaches them).
"""
import jax
import jax.numpy as jnp
import jax.scipy.special


def soft_target_kl(student_logits: jax.Array, teacher_logits: jax.Array, temperature: float = 1.0) -> jax.Array:
    """Per-sample T^2 * KL(softmax(teacher / T) || softmax(student / T)), shape (N,).

    Args:
        student_logits, teacher_logits: (N, C) logits; no gradient flows into the teacher.
        temperature: T, > 0.
    """
    student_logits = jnp.asarray(student_logits)
    teacher_logits = jnp.asarray(teacher_logits)
    if not jnp.issubdtype(student_logits.dtype, jnp.floating):
        raise TypeError(f"student_logits must be floating point, got {student_logits.dtype}")
    if student_logits.ndim != 2 or student_logits.shape[0] == 0:
        raise ValueError(f"student_logits must be a non-empty (N, C) array, got shape {student_logits.shape}")
    if teacher_logits.shape != student_logits.shape:
        raise ValueError(f"teacher_logits must have shape {student_logits.shape}, got {teacher_logits.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    log_p_s = jax.nn.log_softmax(student_logits / temperature, axis=-1)
    teacher = jax.lax.stop_gradient(teacher_logits.astype(student_logits.dtype))
    p_t = jax.nn.softmax(teacher / temperature, axis=-1)
    kl = jnp.sum(jax.scipy.special.xlogy(p_t, p_t) - p_t * log_p_s, axis=-1)
    return kl * temperature**2


def knowledge_distillation_loss(
    student_logits: jax.Array,
    teacher_logits: jax.Array,
    target: "jax.Array | None" = None,
    temperature: float = 1.0,
    hard_weight: float = 1.0,
    soft_weight: float = 1.0,
) -> jax.Array:
    """Hinton et al. distillation loss, averaged over the batch.

    Args:
        student_logits, teacher_logits: (N, C) logits.
        target: optional (N,) integer class indices for the hard-label term.
        temperature: T applied to both logits in the soft term, > 0.
        hard_weight, soft_weight: weights of the two terms, >= 0.
    """
    if isinstance(hard_weight, (int, float)) and isinstance(soft_weight, (int, float)) and (hard_weight < 0 or soft_weight < 0):
        raise ValueError("hard_weight and soft_weight must be >= 0")
    loss = soft_weight * jnp.mean(soft_target_kl(student_logits, teacher_logits, temperature))
    if target is not None:
        student_logits = jnp.asarray(student_logits)
        target = jnp.asarray(target)
        if not jnp.issubdtype(target.dtype, jnp.integer) or target.shape != student_logits.shape[:1]:
            raise TypeError(f"target must be integer class indices of shape ({student_logits.shape[0]},)")
        log_p = jax.nn.log_softmax(student_logits, axis=-1)
        ce = -jnp.mean(jnp.take_along_axis(log_p, target[:, None], axis=-1, mode="fill")[:, 0])
        loss = loss + hard_weight * ce
    return loss
