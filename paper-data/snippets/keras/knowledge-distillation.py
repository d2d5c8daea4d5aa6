"""Knowledge distillation in Keras 3 (keras.ops, any backend): temperature-softened teacher targets with the T^2 factor, plus the hard-label loss.

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

Differences from the Keras built-in
    keras.losses.KLDivergence takes probabilities (y_true, y_pred), clips both
    to [epsilon, 1] and has no temperature or T^2 factor. Here the teacher's
    p log p term is 0 where p is exactly 0 (as xlogy gives in the PyTorch
    snippet) and the teacher logits pass through keras.ops.stop_gradient.
"""
import keras
from keras import ops


def soft_target_kl(student_logits, teacher_logits, temperature: float = 1.0):
    """Per-sample T^2 * KL(softmax(teacher / T) || softmax(student / T)), shape (N,).

    Args:
        student_logits, teacher_logits: (N, C) logits; no gradient flows into the teacher.
        temperature: T, > 0.
    """
    student_logits = ops.convert_to_tensor(student_logits)
    teacher_logits = ops.convert_to_tensor(teacher_logits)
    if not keras.backend.is_float_dtype(student_logits.dtype):
        raise TypeError(f"student_logits must be floating point, got {student_logits.dtype}")
    if len(student_logits.shape) != 2 or student_logits.shape[0] == 0:
        raise ValueError(f"student_logits must be a non-empty (N, C) tensor, got shape {student_logits.shape}")
    if tuple(teacher_logits.shape) != tuple(student_logits.shape):
        raise ValueError(f"teacher_logits must have shape {student_logits.shape}, got {teacher_logits.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    log_p_s = ops.log_softmax(student_logits / temperature, axis=-1)
    teacher = ops.stop_gradient(ops.cast(teacher_logits, student_logits.dtype))
    log_p_t = ops.log_softmax(teacher / temperature, axis=-1)
    p_t = ops.exp(log_p_t)
    p_log_p = ops.where(p_t > 0, p_t * log_p_t, 0.0)
    kl = ops.sum(p_log_p - p_t * log_p_s, axis=-1)
    return kl * temperature**2


def knowledge_distillation_loss(
    student_logits,
    teacher_logits,
    target=None,
    temperature: float = 1.0,
    hard_weight: float = 1.0,
    soft_weight: float = 1.0,
):
    """Hinton et al. distillation loss, averaged over the batch.

    Args:
        student_logits, teacher_logits: (N, C) logits.
        target: optional (N,) integer class indices for the hard-label term.
        temperature: T applied to both logits in the soft term, > 0.
        hard_weight, soft_weight: weights of the two terms, >= 0.
    """
    if isinstance(hard_weight, (int, float)) and isinstance(soft_weight, (int, float)) and (hard_weight < 0 or soft_weight < 0):
        raise ValueError("hard_weight and soft_weight must be >= 0")
    loss = soft_weight * ops.mean(soft_target_kl(student_logits, teacher_logits, temperature))
    if target is not None:
        student_logits = ops.convert_to_tensor(student_logits)
        target = ops.convert_to_tensor(target)
        if not keras.backend.is_int_dtype(target.dtype) or tuple(target.shape) != tuple(student_logits.shape[:1]):
            raise TypeError(f"target must be integer class indices of shape ({student_logits.shape[0]},)")
        log_p = ops.log_softmax(student_logits, axis=-1)
        ce = -ops.mean(ops.take_along_axis(log_p, ops.expand_dims(target, 1), axis=-1)[:, 0])
        loss = loss + hard_weight * ce
    return loss
