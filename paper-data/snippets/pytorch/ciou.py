"""Complete IoU (CIoU) loss for axis-aligned bounding boxes.

Paper: Distance-IoU Loss: Faster and Better Learning for Bounding Box Regression, arXiv:1911.08287
Concept: ciou

Formula
    For a predicted box (centre b, width w, height h) and a target box
    (b_gt, w_gt, h_gt), with rho the distance between the centres and c the
    diagonal of the smallest enclosing box:
        v     = 4 / pi^2 * (atan(w_gt / h_gt) - atan(w / h))^2
        alpha = v / ((1 - IoU) + v)            (a constant: no gradient)
        loss  = 1 - IoU + rho^2 / c^2 + alpha * v
    Without the alpha * v term this is the DIoU loss of the same paper.

Defaults
    eps = 1e-7, as in torchvision.ops.complete_box_iou_loss (added to the union,
    to the squared diagonal and to the denominator of alpha).
    box_format = "xyxy" (corners x1, y1, x2, y2), the format torchvision and
    mmdet expect; "cxcywh" (centre x, centre y, width, height, the default of
    ultralytics' bbox_iou) is converted first.

Differences from the reference implementations
    reduction defaults to "mean" here; torchvision.ops.complete_box_iou_loss
    defaults to reduction="none", mmdet's CIoULoss to "mean". Like torchvision
    and ultralytics, alpha is applied at every IoU; mmdet's ciou_loss sets
    alpha = 0 when IoU <= 0.5 and clamps CIoU to [-1, 1]. Boxes need positive
    heights (w / h is taken); degenerate boxes raise a ValueError.
"""
import math

import torch


def _ciou_check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _ciou_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else loss.sum() * 0.0
    if reduction == "sum":
        return loss.sum()
    return loss


def _ciou_to_xyxy(boxes: torch.Tensor, box_format: str) -> torch.Tensor:
    if box_format == "xyxy":
        return boxes
    if box_format == "cxcywh":
        cx, cy, w, h = boxes.unbind(dim=-1)
        return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1)
    raise ValueError(f"box_format must be 'xyxy' or 'cxcywh', got {box_format!r}")


def complete_box_iou_loss(
    boxes1: torch.Tensor,
    boxes2: torch.Tensor,
    reduction: str = "mean",
    eps: float = 1e-7,
    box_format: str = "xyxy",
) -> torch.Tensor:
    """CIoU loss between matching pairs of boxes (boxes1[i] predicted, boxes2[i] target).

    Args:
        boxes1: (..., 4) predicted boxes.
        boxes2: (..., 4) target boxes, same shape.
        reduction: "mean", "sum" or "none" (one loss per pair).
        eps: > 0, numerical guard in the denominators.
        box_format: "xyxy" (x1, y1, x2, y2) or "cxcywh" (cx, cy, w, h).
    """
    if not isinstance(boxes1, torch.Tensor) or not isinstance(boxes2, torch.Tensor):
        raise TypeError("boxes1 and boxes2 must be torch.Tensor")
    if boxes1.dim() == 0 or boxes1.shape[-1] != 4:
        raise ValueError(f"boxes must have shape (..., 4), got {tuple(boxes1.shape)}")
    if boxes2.shape != boxes1.shape:
        raise ValueError(f"boxes2 shape {tuple(boxes2.shape)} must match boxes1 shape {tuple(boxes1.shape)}")
    if not boxes1.is_floating_point() or not boxes2.is_floating_point():
        raise TypeError("boxes must be floating point")
    _ciou_check_reduction(reduction)
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    boxes1 = _ciou_to_xyxy(boxes1, box_format)
    boxes2 = _ciou_to_xyxy(boxes2, box_format)
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    w, h, w_gt, h_gt = x2 - x1, y2 - y1, x2g - x1g, y2g - y1g
    if bool((w < 0).any() | (w_gt < 0).any() | (h <= 0).any() | (h_gt <= 0).any()):
        raise ValueError("every box needs x2 >= x1 and y2 > y1 (check the box format)")

    inter_w = (torch.min(x2, x2g) - torch.max(x1, x1g)).clamp(min=0)
    inter_h = (torch.min(y2, y2g) - torch.max(y1, y1g)).clamp(min=0)
    intersection = inter_w * inter_h
    union = w * h + w_gt * h_gt - intersection + eps
    iou = intersection / union

    diagonal_sq = (torch.max(x2, x2g) - torch.min(x1, x1g)) ** 2 + (torch.max(y2, y2g) - torch.min(y1, y1g)) ** 2 + eps
    centre_sq = ((x1 + x2 - x1g - x2g) / 2) ** 2 + ((y1 + y2 - y1g - y2g) / 2) ** 2
    v = (4 / math.pi**2) * (torch.atan(w_gt / h_gt) - torch.atan(w / h)) ** 2
    with torch.no_grad():
        alpha = v / (1 - iou + v + eps)
    loss = 1 - iou + centre_sq / diagonal_sq + alpha * v
    return _ciou_reduce(loss, reduction)
