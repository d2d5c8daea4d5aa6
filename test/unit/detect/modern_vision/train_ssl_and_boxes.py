# A fixture written for PaperLens: self-supervised pre-training and box regression the way public
# training scripts spell them (lightly, open_clip, torchvision, mmdet, ultralytics, KerasCV).
import torch
import torchvision
import open_clip
import keras_cv
from torchvision.ops import complete_box_iou_loss, generalized_box_iou
from lightly.loss import DINOLoss, KoLeoLoss
from lightly.loss.vicreg_loss import VICRegLoss
from open_clip.loss import SigLipLoss
from mmdet.models.losses import GIoULoss, QualityFocalLoss
from ultralytics.utils.loss import DFLoss, VarifocalLoss as VFL

dino_criterion = DINOLoss(output_dim=65536, teacher_temp=0.04)
koleo = KoLeoLoss()
vicreg = VICRegLoss(lambda_param=25.0)
contrastive = open_clip.ClipLoss(local_loss=True, gather_with_grad=True)
sigmoid_pairs = SigLipLoss()
box_criterion = GIoULoss(loss_weight=2.0)
quality = QualityFocalLoss(beta=2.0)
dfl = DFLoss(reg_max=16)
vfl = VFL()
kcv_giou = keras_cv.losses.GIoULoss(bounding_box_format="xyxy")


def barlow_twins_loss(z1, z2, lambd=0.0051):
    c = z1.T @ z2 / z1.shape[0]
    return ((torch.diagonal(c) - 1) ** 2).sum() + lambd * (c ** 2).sum()


def box_losses(pred, target):
    overlap = generalized_box_iou(pred, target)  # a metric, not a loss
    giou = torchvision.ops.generalized_box_iou_loss(pred, target, reduction="mean")
    ciou = complete_box_iou_loss(pred, target, reduction="mean")
    return giou + ciou, overlap
