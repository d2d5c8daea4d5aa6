"""InfoNCE in Keras 3 (keras.ops, any backend): softmax cross-entropy that picks the positive among candidates.

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

Differences from the Keras built-in
    Equal to keras.losses.sparse_categorical_crossentropy(positive_index,
    similarities / temperature, from_logits=True) averaged over rows. The
    function takes a precomputed (N, M) similarity matrix, so it covers
    in-batch negatives (positive_index = arange(N)) and queue-based negatives
    (MoCo: column 0 is the positive).
"""
import keras
from keras import ops


def info_nce_loss(similarities, positive_index, temperature: float = 0.07):
    """InfoNCE loss, mean over rows.

    Args:
        similarities: (N, M) similarity of each anchor to M candidates.
        positive_index: (N,) integer column of the positive candidate in each row.
        temperature: softmax temperature tau, > 0.
    """
    similarities = ops.convert_to_tensor(similarities)
    positive_index = ops.convert_to_tensor(positive_index)
    if len(similarities.shape) != 2 or similarities.shape[0] == 0 or similarities.shape[1] == 0:
        raise ValueError(f"similarities must be a non-empty (N, M) tensor, got shape {similarities.shape}")
    if not keras.backend.is_float_dtype(similarities.dtype):
        raise TypeError(f"similarities must be floating point, got {similarities.dtype}")
    if not keras.backend.is_int_dtype(positive_index.dtype):
        raise TypeError(f"positive_index must be integer, got {positive_index.dtype}")
    if tuple(positive_index.shape) != tuple(similarities.shape[:1]):
        raise ValueError(f"positive_index must have shape ({similarities.shape[0]},), got {positive_index.shape}")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    log_p = ops.log_softmax(similarities / temperature, axis=1)
    return -ops.mean(ops.take_along_axis(log_p, ops.expand_dims(positive_index, 1), axis=1)[:, 0])
