"""Direct Preference Optimization (DPO) loss in JAX, on sequence log-probabilities.

Paper: Direct Preference Optimization: Your Language Model is Secretly a Reward Model, arXiv:2305.18290
Concept: dpo

Formula
    For a prompt x with chosen response y_w and rejected response y_l, and
    log pi(y|x) the SUM of the response tokens' log-probabilities:
        h = [log pi_theta(y_w|x) - log pi_ref(y_w|x)] - [log pi_theta(y_l|x) - log pi_ref(y_l|x)]
        L = -log sigmoid(beta * h)
    Conservative DPO (label_smoothing = eps, the assumed fraction of flipped labels):
        L = -(1 - eps) * log sigmoid(beta * h) - eps * log sigmoid(-beta * h)
    When the policy equals the reference (h = 0) the loss is log 2 for any beta.

Defaults
    beta = 0.1 is the default of trl.DPOConfig; the official implementation
    (eric-mitchell/direct-preference-optimization) leaves beta unset.
    label_smoothing = 0 gives the original DPO loss.

Differences from the PyTorch snippet
    Same names, defaults and values. optax has no DPO loss. Under jax.jit the
    token mask is traced, so sequence_log_probs(average=True) returns nan for a
    sequence without response tokens instead of raising; the reference
    log-probabilities should come from a frozen model (wrap them in
    jax.lax.stop_gradient if they are computed in the same function).
"""
import jax
import jax.numpy as jnp


def _dpo_reduce(loss: jax.Array, reduction: str) -> jax.Array:
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _dpo_check_pair_arrays(**arrays: jax.Array) -> None:
    shape = None
    for name, a in arrays.items():
        if not jnp.issubdtype(a.dtype, jnp.floating):
            raise TypeError(f"{name} must be floating point, got {a.dtype}")
        if a.ndim != 1 or a.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array of per-sequence log-probs, got shape {a.shape}")
        if shape is None:
            shape = a.shape
        elif a.shape != shape:
            raise ValueError(f"{name} has shape {a.shape}, expected {shape} like the other inputs")


def sequence_log_probs(
    logits: jax.Array,
    labels: jax.Array,
    response_mask: jax.Array,
    average: bool = False,
) -> jax.Array:
    """Log-probability of each sequence's response tokens under a causal LM.

    Args:
        logits: (N, T, V) next-token logits, logits[:, t] predicts labels[:, t]
            (shift them yourself if your model predicts t + 1).
        labels: (N, T) integer token ids.
        response_mask: (N, T) bool or 0/1 mask, true on the response tokens
            (prompt and padding excluded).
        average: False sums over the response tokens (DPO); True divides by
            their number (SimPO, IPO as TRL computes it).
    Returns:
        (N,) log-probabilities.
    """
    logits = jnp.asarray(logits)
    labels = jnp.asarray(labels)
    response_mask = jnp.asarray(response_mask)
    if logits.ndim != 3:
        raise ValueError(f"logits must have shape (N, T, V), got {logits.shape}")
    if labels.shape != logits.shape[:2] or response_mask.shape != logits.shape[:2]:
        raise ValueError("labels and response_mask must have shape (N, T) matching logits")
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise TypeError(f"labels must hold integer token ids, got {labels.dtype}")
    mask = response_mask.astype(logits.dtype)
    log_p = jax.nn.log_softmax(logits, axis=-1)
    token_logps = jnp.take_along_axis(log_p, jnp.maximum(labels, 0)[..., None], axis=-1)[..., 0]
    total = jnp.sum(token_logps * mask, axis=-1)
    if not average:
        return total
    return total / jnp.sum(mask, axis=-1)


def dpo_loss(
    policy_chosen_logps: jax.Array,
    policy_rejected_logps: jax.Array,
    ref_chosen_logps: jax.Array,
    ref_rejected_logps: jax.Array,
    beta: float = 0.1,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> jax.Array:
    """DPO loss for a batch of preference pairs.

    Args:
        policy_chosen_logps, policy_rejected_logps: (N,) summed log-probs of the
            chosen / rejected responses under the policy being trained.
        ref_chosen_logps, ref_rejected_logps: (N,) the same under the frozen
            reference model.
        beta: scale of the implicit reward, > 0.
        label_smoothing: assumed fraction of flipped labels in [0, 0.5).
        reduction: "mean" (over pairs), "sum" or "none".
    """
    policy_chosen_logps = jnp.asarray(policy_chosen_logps)
    policy_rejected_logps = jnp.asarray(policy_rejected_logps)
    ref_chosen_logps = jnp.asarray(ref_chosen_logps)
    ref_rejected_logps = jnp.asarray(ref_rejected_logps)
    _dpo_check_pair_arrays(
        policy_chosen_logps=policy_chosen_logps,
        policy_rejected_logps=policy_rejected_logps,
        ref_chosen_logps=ref_chosen_logps,
        ref_rejected_logps=ref_rejected_logps,
    )
    if isinstance(beta, (int, float)) and beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    if isinstance(label_smoothing, (int, float)) and not 0 <= label_smoothing < 0.5:
        raise ValueError(f"label_smoothing must lie in [0, 0.5), got {label_smoothing}")
    h = (policy_chosen_logps - ref_chosen_logps) - (policy_rejected_logps - ref_rejected_logps)
    loss = -jax.nn.log_sigmoid(beta * h) * (1 - label_smoothing) - jax.nn.log_sigmoid(-beta * h) * label_smoothing
    return _dpo_reduce(loss, reduction)
