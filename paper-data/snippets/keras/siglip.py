"""SigLIP pairwise sigmoid loss for image-text pre-training, in Keras 3 (keras.ops, any backend).

Paper: Sigmoid Loss for Language Image Pre-Training, arXiv:2303.15343
Concept: siglip

Formula
    With L2-normalised image embeddings x_i and text embeddings y_j of a batch
    of N pairs, logits l_ij = t * x_i.y_j + b and labels z_ij = +1 if i == j
    (the matching pair) and -1 otherwise:
        loss = -1/N * sum_i sum_j log sigmoid(z_ij * l_ij)
    i.e. a binary logistic loss on every one of the N*N pairs, summed and
    divided by the number of images N (big_vision's siglip trainer and
    open_clip's SigLipLoss both normalise by N, not N*N).

Defaults
    temperature = 10.0 and bias = -10.0, the initial values of the official
    SigLIP demo config (big_vision SigLIP_demo.ipynb: temperature_init=10.0,
    bias_init=-10.0). In training both are learnable: keep t' = log t as a
    weight and pass t = ops.exp(t') here.

Differences from the PyTorch snippet
    Same names, defaults and values; keras.losses has no SigLIP loss. The
    embeddings are normalised inside with x / max(||x||, 1e-12), as torch.nn.functional.normalize does
    (keras.ops.normalize uses a different epsilon). A tensor temperature is
    not range-checked.
"""
import keras
from keras import ops


def siglip_loss(image_embeddings, text_embeddings, temperature=10.0, bias=-10.0):
    """Sigmoid image-text loss over all N x N pairs of a batch (row i of each input is a matching pair).

    Args:
        image_embeddings: (N, D) image embeddings (L2-normalised inside).
        text_embeddings: (N, D) text embeddings (L2-normalised inside).
        temperature: t > 0 multiplying the cosine similarities (pass exp(t') when t' is learnt).
        bias: b added to every logit.
    """
    image_embeddings = ops.convert_to_tensor(image_embeddings)
    text_embeddings = ops.convert_to_tensor(text_embeddings)
    if len(image_embeddings.shape) != 2 or image_embeddings.shape[0] == 0 or image_embeddings.shape[1] == 0:
        raise ValueError(f"image_embeddings must be a non-empty (N, D) tensor, got shape {image_embeddings.shape}")
    if tuple(text_embeddings.shape) != tuple(image_embeddings.shape):
        raise ValueError(f"text_embeddings shape {text_embeddings.shape} must match image_embeddings shape {image_embeddings.shape}")
    if not keras.backend.is_float_dtype(image_embeddings.dtype) or not keras.backend.is_float_dtype(text_embeddings.dtype):
        raise TypeError("embeddings must be floating point")
    if len(getattr(temperature, "shape", ())) != 0 or len(getattr(bias, "shape", ())) != 0:
        raise ValueError("temperature and bias must be scalars")
    if isinstance(temperature, (int, float)) and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")

    n = image_embeddings.shape[0]
    x = image_embeddings / ops.maximum(ops.sqrt(ops.sum(ops.square(image_embeddings), axis=1, keepdims=True)), 1e-12)
    y = text_embeddings / ops.maximum(ops.sqrt(ops.sum(ops.square(text_embeddings), axis=1, keepdims=True)), 1e-12)
    logits = temperature * ops.matmul(x, ops.transpose(y)) + bias
    labels = 2 * ops.eye(n, dtype=logits.dtype) - 1
    return -ops.sum(ops.log_sigmoid(labels * logits)) / n
