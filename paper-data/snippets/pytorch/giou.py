"""Generalized IoU (GIoU) loss for axis-aligned bounding boxes.

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
    box_format = "xyxy" (corners x1, y1, x2, y2), the format torchvision and
    mmdet expect; "cxcywh" (centre x, centre y, width, height) is converted
    first.

Differences from the reference implementations
    reduction defaults to "mean" here; torchvision.ops.generalized_box_iou_loss
    defaults to reduction="none" (one loss per pair), mmdet's GIoULoss and
    MONAI's BoxGIoULoss to "mean". An empty batch gives 0 under "mean", as in
    torchvision. Boxes with x2 < x1 or y2 < y1 raise a ValueError instead of
    giving a meaningless value.
"""
import torch


def _giou_check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _giou_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else loss.sum() * 0.0
    if reduction == "sum":
        return loss.sum()
    return loss


def _giou_to_xyxy(boxes: torch.Tensor, box_format: str) -> torch.Tensor:
    if box_format == "xyxy":
        return boxes
    if box_format == "cxcywh":
        cx, cy, w, h = boxes.unbind(dim=-1)
        return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1)
    raise ValueError(f"box_format must be 'xyxy' or 'cxcywh', got {box_format!r}")


def _check_boxes(boxes1: torch.Tensor, boxes2: torch.Tensor) -> None:
    if not isinstance(boxes1, torch.Tensor) or not isinstance(boxes2, torch.Tensor):
        raise TypeError("boxes1 and boxes2 must be torch.Tensor")
    if boxes1.dim() == 0 or boxes1.shape[-1] != 4:
        raise ValueError(f"boxes must have shape (..., 4), got {tuple(boxes1.shape)}")
    if boxes2.shape != boxes1.shape:
        raise ValueError(f"boxes2 shape {tuple(boxes2.shape)} must match boxes1 shape {tuple(boxes1.shape)}")
    if not boxes1.is_floating_point() or not boxes2.is_floating_point():
        raise TypeError("boxes must be floating point")


def generalized_box_iou_loss(
    boxes1: torch.Tensor,
    boxes2: torch.Tensor,
    reduction: str = "mean",
    eps: float = 1e-7,
    box_format: str = "xyxy",
) -> torch.Tensor:
    """GIoU loss between matching pairs of boxes (boxes1[i] against boxes2[i]).

    Args:
        boxes1: (..., 4) predicted boxes.
        boxes2: (..., 4) target boxes, same shape.
        reduction: "mean", "sum" or "none" (one loss per pair).
        eps: > 0, added to the union and enclosing areas.
        box_format: "xyxy" (x1, y1, x2, y2) or "cxcywh" (cx, cy, w, h).
    """
    _check_boxes(boxes1, boxes2)
    _giou_check_reduction(reduction)
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    boxes1 = _giou_to_xyxy(boxes1, box_format)
    boxes2 = _giou_to_xyxy(boxes2, box_format)
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    if bool((x2 < x1).any() | (y2 < y1).any() | (x2g < x1g).any() | (y2g < y1g).any()):
        raise ValueError("every box needs x2 >= x1 and y2 >= y1 (check the box format)")

    inter_w = (torch.min(x2, x2g) - torch.max(x1, x1g)).clamp(min=0)
    inter_h = (torch.min(y2, y2g) - torch.max(y1, y1g)).clamp(min=0)
    intersection = inter_w * inter_h
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - intersection
    iou = intersection / (union + eps)
    enclosing = (torch.max(x2, x2g) - torch.min(x1, x1g)) * (torch.max(y2, y2g) - torch.min(y1, y1g))
    giou = iou - (enclosing - union) / (enclosing + eps)
    return _giou_reduce(1 - giou, reduction)
