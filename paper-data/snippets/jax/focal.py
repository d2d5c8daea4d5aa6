"""Focal loss in JAX, softmax (multi-class) and sigmoid (multi-label) forms.

Paper: Focal Loss for Dense Object Detection, arXiv:1708.02002
Concept: focal

Formula
    Softmax form, per sample with target class y and p = softmax(z):
        FL = -alpha_y * (1 - p_y)^gamma * log(p_y)
    Sigmoid form, per element with p = sigmoid(z) and binary target t:
        p_t = p * t + (1 - p) * (1 - t)
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        FL = -alpha_t * (1 - p_t)^gamma * log(p_t)
    gamma = 0 and no alpha gives plain cross-entropy (softmax form) or binary
    cross-entropy (sigmoid form).

Defaults
    gamma = 2.0 and alpha = 0.25 are the values Lin et al. report as best for
    RetinaNet (paper, Table 1 ablations). The softmax form takes alpha=None by
    default: the paper defines alpha for the binary case only. Same names and
    defaults as the PyTorch snippet (paper-data/snippets/pytorch/focal.py).

Differences from the optax built-in
    optax.sigmoid_focal_loss(logits, labels, alpha=None, gamma=2.0) defaults to
    alpha=None and returns one loss per element; sigmoid_focal_loss here
    defaults to alpha=0.25 and reduces with "mean". Works under jax.jit and
    jax.grad: shapes, dtypes and the Python hyperparameters are checked, but
    array values are not (they are traced under jit), so a target index
    outside [0, C) gives nan instead of an error (jnp.take_along_axis with
    mode="fill"). Pass gamma, alpha and reduction as static values.
"""
import jax
import jax.numpy as jnp


def _focal_check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _focal_reduce(loss: jax.Array, reduction: str) -> jax.Array:
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def focal_loss(
    logits: jax.Array,
    target: jax.Array,
    gamma: float = 2.0,
    alpha: "float | jax.Array | None" = None,
    reduction: str = "mean",
) -> jax.Array:
    """Softmax focal loss for multi-class classification.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) integer class indices in [0, C).
        gamma: focusing parameter, >= 0.
        alpha: None, a float that scales every term, or a (C,) array of per-class weights.
        reduction: "mean" (over N), "sum" or "none" (per-sample losses).
    """
    logits = jnp.asarray(logits)
    target = jnp.asarray(target)
    if logits.ndim != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, C) array, got shape {logits.shape}")
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if not jnp.issubdtype(target.dtype, jnp.integer):
        raise TypeError(f"target must hold integer class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {target.shape}")
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)
    num_classes = logits.shape[1]

    log_pt = jnp.take_along_axis(jax.nn.log_softmax(logits, axis=1), target[:, None], axis=1, mode="fill")[:, 0]
    # 1 - p_t through expm1 keeps precision when p_t is close to 1; the floor keeps the
    # gradient of (1 - p_t)^gamma finite (not nan) when p_t rounds to 1 and gamma < 1.
    one_minus_pt = jnp.maximum(-jnp.expm1(log_pt), jnp.finfo(logits.dtype).tiny)
    loss = -jnp.power(one_minus_pt, gamma) * log_pt

    if alpha is not None:
        if isinstance(alpha, bool):
            raise TypeError("alpha must be None, a float or a (C,) array")
        if isinstance(alpha, (int, float)):
            if alpha < 0:
                raise ValueError(f"alpha must be >= 0, got {alpha}")
            loss = loss * alpha
        else:
            alpha = jnp.asarray(alpha, dtype=logits.dtype)
            if alpha.shape != (num_classes,):
                raise ValueError(f"alpha array must have shape ({num_classes},), got {alpha.shape}")
            loss = loss * alpha[target]
    return _focal_reduce(loss, reduction)


def sigmoid_focal_loss(
    logits: jax.Array,
    target: jax.Array,
    alpha: "float | None" = 0.25,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> jax.Array:
    """Sigmoid focal loss for binary or multi-label targets (torchvision's formula).

    Args:
        logits: any shape, unnormalised scores.
        target: same shape as logits, values in [0, 1] (float, int or bool).
        alpha: weight of the positive class in [0, 1]; None disables the weighting.
        gamma: focusing parameter, >= 0.
        reduction: "mean" (over all elements), "sum" or "none".
    """
    logits = jnp.asarray(logits)
    target = jnp.asarray(target)
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if logits.size == 0:
        raise ValueError("logits must not be empty")
    if target.shape != logits.shape:
        raise ValueError(f"target shape {target.shape} must match logits shape {logits.shape}")
    if jnp.issubdtype(target.dtype, jnp.complexfloating):
        raise TypeError("target must be real-valued")
    if alpha is not None and isinstance(alpha, (int, float)) and not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1] or None, got {alpha}")
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}")
    _focal_check_reduction(reduction)
    target = target.astype(logits.dtype)

    p = jax.nn.sigmoid(logits)
    # Binary cross-entropy with logits, written stably: -t*log(p) - (1-t)*log(1-p).
    ce = -(target * jax.nn.log_sigmoid(logits) + (1 - target) * jax.nn.log_sigmoid(-logits))
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * jnp.power(jnp.maximum(1 - p_t, jnp.finfo(logits.dtype).tiny), gamma)
    if alpha is not None:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _focal_reduce(loss, reduction)
