"""Entries spelled with their loss word ("tv loss", "log loss", "clip loss"), GAN roles after hinge, and a library's names outside its losses module.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import torch
from fvcore.nn import giou_loss  # expect: giou_loss giou
from fvcore.nn import c2_msra_fill
from sklearn.metrics import log_loss as sk_log_loss


def tv_loss(img):  # expect: tv_loss total-variation
    return (img[..., 1:, :] - img[..., :-1, :]).abs().mean()


def log_loss(p, y):  # expect: log_loss binary-cross-entropy
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


class DistilledClipLoss(torch.nn.Module):  # expect: DistilledClipLoss clip
    pass


def hinge_discr_loss(fake, real):  # expect: hinge_discr_loss gan-hinge
    return (torch.relu(1 + fake) + torch.relu(1 - real)).mean()


def quantile(y, q):
    return y.quantile(q)


def evaluate(p, y, boxes_a, boxes_b):
    c2_msra_fill(None)
    return sk_log_loss(y, p), log_loss(p, y), giou_loss(boxes_a, boxes_b)  # expect: log_loss binary-cross-entropy; giou_loss giou
