"""Direct Preference Optimization (DPO) loss in Keras 3 (keras.ops, any backend), on sequence log-probabilities.

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
    Same names, defaults and values. Keras has no DPO loss; call this from a
    custom train step (the four log-probabilities do not fit the
    loss(y_true, y_pred) signature). Inside a compiled step the token mask is
    symbolic, so sequence_log_probs(average=True) returns nan for a sequence
    without response tokens instead of raising; compute the reference
    log-probabilities without gradient (keras.ops.stop_gradient).
"""
import keras
from keras import ops


def _dpo_reduce(loss, reduction: str):
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _dpo_check_pair_tensors(**tensors) -> None:
    shape = None
    for name, t in tensors.items():
        if not keras.backend.is_float_dtype(t.dtype):
            raise TypeError(f"{name} must be floating point, got {t.dtype}")
        if len(t.shape) != 1 or t.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty 1-D tensor of per-sequence log-probs, got shape {t.shape}")
        if shape is None:
            shape = tuple(t.shape)
        elif tuple(t.shape) != shape:
            raise ValueError(f"{name} has shape {t.shape}, expected {shape} like the other inputs")


def sequence_log_probs(logits, labels, response_mask, average: bool = False):
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
    logits = ops.convert_to_tensor(logits)
    labels = ops.convert_to_tensor(labels)
    response_mask = ops.convert_to_tensor(response_mask)
    if len(logits.shape) != 3:
        raise ValueError(f"logits must have shape (N, T, V), got {logits.shape}")
    if tuple(labels.shape) != tuple(logits.shape[:2]) or tuple(response_mask.shape) != tuple(logits.shape[:2]):
        raise ValueError("labels and response_mask must have shape (N, T) matching logits")
    if not keras.backend.is_int_dtype(labels.dtype):
        raise TypeError(f"labels must hold integer token ids, got {labels.dtype}")
    mask = ops.cast(response_mask, logits.dtype)
    log_p = ops.log_softmax(logits, axis=-1)
    token_logps = ops.take_along_axis(log_p, ops.expand_dims(ops.maximum(labels, 0), -1), axis=-1)[..., 0]
    total = ops.sum(token_logps * mask, axis=-1)
    if not average:
        return total
    return total / ops.sum(mask, axis=-1)


def dpo_loss(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta: float = 0.1,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
):
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
    policy_chosen_logps = ops.convert_to_tensor(policy_chosen_logps)
    policy_rejected_logps = ops.convert_to_tensor(policy_rejected_logps)
    ref_chosen_logps = ops.convert_to_tensor(ref_chosen_logps)
    ref_rejected_logps = ops.convert_to_tensor(ref_rejected_logps)
    _dpo_check_pair_tensors(
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
    loss = -ops.log_sigmoid(beta * h) * (1 - label_smoothing) - ops.log_sigmoid(-beta * h) * label_smoothing
    return _dpo_reduce(loss, reduction)
