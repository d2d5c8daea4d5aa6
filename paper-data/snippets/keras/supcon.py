"""Supervised contrastive loss (SupCon, the "L_out" form) in Keras 3 (keras.ops, any backend).

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
    the loss is 0 when no anchor has one, through ops.where masks instead of
    boolean indexing, so it runs inside a compiled train step. Like the
    PyTorch snippet it omits the reference implementation's
    temperature / base_temperature factor (HobbitLong/SupContrast losses.py).
    Keras has no SupCon built-in.
"""
import keras
from keras import ops


def supcon_loss(features, labels, temperature: float = 0.1):
    """Supervised contrastive loss over a batch of embeddings.

    Args:
        features: (N, D) embeddings (normalised inside); put several views of a sample in separate rows.
        labels: (N,) integer labels; rows with equal labels are positives of each other.
        temperature: softmax temperature tau, > 0.
    """
    features = ops.convert_to_tensor(features)
    labels = ops.convert_to_tensor(labels)
    if len(features.shape) != 2 or features.shape[0] < 2 or features.shape[1] == 0:
        raise ValueError(f"features must be (N, D) with N >= 2, got shape {features.shape}")
    if not keras.backend.is_float_dtype(features.dtype):
        raise TypeError(f"features must be floating point, got {features.dtype}")
    if not keras.backend.is_int_dtype(labels.dtype):
        raise TypeError(f"labels must be integer, got {labels.dtype}")
    if tuple(labels.shape) != tuple(features.shape[:1]):
        raise ValueError(f"labels must have shape ({features.shape[0]},), got {labels.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    n = features.shape[0]
    norm = ops.sqrt(ops.sum(ops.square(features), axis=1, keepdims=True))
    z = features / ops.maximum(norm, 1e-12)
    self_mask = ops.cast(ops.eye(n), "bool")
    logits = ops.where(self_mask, float("-inf"), ops.matmul(z, ops.transpose(z)) / temperature)
    log_prob = logits - ops.logsumexp(logits, axis=1, keepdims=True)
    positives = ops.logical_and(ops.equal(ops.expand_dims(labels, 0), ops.expand_dims(labels, 1)), ops.logical_not(self_mask))
    num_positives = ops.sum(ops.cast(positives, features.dtype), axis=1)
    has_positive = num_positives > 0
    summed = ops.sum(ops.where(positives, log_prob, 0.0), axis=1)
    mean_log_prob_pos = summed / ops.maximum(num_positives, 1.0)
    num_anchors = ops.sum(ops.cast(has_positive, features.dtype))
    return -ops.sum(ops.where(has_positive, mean_log_prob_pos, 0.0)) / ops.maximum(num_anchors, 1.0)
