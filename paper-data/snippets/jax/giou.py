"""Generalized IoU (GIoU) loss for axis-aligned bounding boxes, in JAX.

Paper: Generalized Intersection over Union: A Metric and A Loss for Bounding Box Regression, arXiv:1902.09630
Concept: giou

Formula
    For boxes A (prediction) and B (target) with smallest enclosing box C:
        IoU  = |A & B| / |A | B|
        GIoU = IoU - (|C| - |A | B|) / |C|
        loss = 1 - GIoU
    The loss lies in [0, 2): 0 for identical boxes, and unlike 1 - IoU it
    keeps decreasing as disjoint boxes move towards each other.

Defaults
    eps = 1e-7 in the denominators, as in torchvision.ops.generalized_box_iou_loss.
    box_format = "xyxy" (corners x1, y1, x2, y2); "cxcywh" (centre x, centre y,
    width, height) is converted first. reduction = "mean".

Differences from the PyTorch snippet
    Same names, defaults and values. The PyTorch snippet raises on boxes with
    x2 < x1 or y2 < y1; box coordinates are traced under jax.jit, so this one
    cannot check them: convert your boxes to the format you pass. An empty
    batch gives 0 under "mean" (its shape is known when tracing). optax has no
    box losses.
"""
import jax
import jax.numpy as jnp


def _giou_reduce(loss: jax.Array, reduction: str) -> jax.Array:
    if reduction == "mean":
        return jnp.mean(loss) if loss.size > 0 else jnp.sum(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def _giou_to_xyxy(boxes: jax.Array, box_format: str) -> jax.Array:
    if box_format == "xyxy":
        return boxes
    cx, cy, w, h = boxes[..., 0], boxes[..., 1], boxes[..., 2], boxes[..., 3]
    return jnp.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), axis=-1)


def generalized_box_iou_loss(
    boxes1: jax.Array,
    boxes2: jax.Array,
    reduction: str = "mean",
    eps: float = 1e-7,
    box_format: str = "xyxy",
) -> jax.Array:
    """GIoU loss between matching pairs of boxes (boxes1[i] against boxes2[i]).

    Args:
        boxes1: (..., 4) predicted boxes.
        boxes2: (..., 4) target boxes, same shape.
        reduction: "mean", "sum" or "none" (one loss per pair).
        eps: > 0, added to the union and enclosing areas.
        box_format: "xyxy" (x1, y1, x2, y2) or "cxcywh" (cx, cy, w, h).
    """
    boxes1 = jnp.asarray(boxes1)
    boxes2 = jnp.asarray(boxes2)
    if boxes1.ndim == 0 or boxes1.shape[-1] != 4:
        raise ValueError(f"boxes must have shape (..., 4), got {boxes1.shape}")
    if boxes2.shape != boxes1.shape:
        raise ValueError(f"boxes2 shape {boxes2.shape} must match boxes1 shape {boxes1.shape}")
    if not jnp.issubdtype(boxes1.dtype, jnp.floating) or not jnp.issubdtype(boxes2.dtype, jnp.floating):
        raise TypeError("boxes must be floating point")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if box_format not in ("xyxy", "cxcywh"):
        raise ValueError(f"box_format must be 'xyxy' or 'cxcywh', got {box_format!r}")
    if isinstance(eps, (int, float)) and eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    boxes1 = _giou_to_xyxy(boxes1, box_format)
    boxes2 = _giou_to_xyxy(boxes2, box_format)
    x1, y1, x2, y2 = boxes1[..., 0], boxes1[..., 1], boxes1[..., 2], boxes1[..., 3]
    x1g, y1g, x2g, y2g = boxes2[..., 0], boxes2[..., 1], boxes2[..., 2], boxes2[..., 3]

    inter_w = jnp.maximum(jnp.minimum(x2, x2g) - jnp.maximum(x1, x1g), 0)
    inter_h = jnp.maximum(jnp.minimum(y2, y2g) - jnp.maximum(y1, y1g), 0)
    intersection = inter_w * inter_h
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - intersection
    iou = intersection / (union + eps)
    enclosing = (jnp.maximum(x2, x2g) - jnp.minimum(x1, x1g)) * (jnp.maximum(y2, y2g) - jnp.minimum(y1, y1g))
    giou = iou - (enclosing - union) / (enclosing + eps)
    return _giou_reduce(1 - giou, reduction)
