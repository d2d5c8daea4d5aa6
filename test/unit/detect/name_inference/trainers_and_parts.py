"""Names of a method's parts and trainers, read by their words (no imports resolve them).

The markers list what the detector must report on their lines; every other line reports nothing.
"""
import torch


class DPOTrainer(Trainer):  # expect: DPOTrainer dpo
    pass


class GRPOTrainer(Trainer):  # expect: GRPOTrainer grpo
    pass


# A user's trainer built on a library's and named after it (the base's name ends its own) is that
# trainer's objective; one whose name only contains a method's (`ActorPPOTrainer` on `BasePPOTrainer`)
# is not, and neither is a trainer whose method follows another word than a training regime.
class CustomDPOTrainer(DPOTrainer):  # expect: CustomDPOTrainer dpo; DPOTrainer dpo
    pass


class ActorPPOTrainer(BasePPOTrainer):
    pass


class OnlineDPOTrainer(BaseTrainer):  # expect: OnlineDPOTrainer dpo
    pass


class FancyDPOTrainer(BaseTrainer):
    pass


trainer = CustomDPOTrainer(model, ref_model)  # expect: CustomDPOTrainer dpo


# A method's name after a word for another of its parts names that part.
class DataAugmentationDINO(object):
    pass


augment = DataAugmentationDINO((0.4, 1.0))


# The IoU family spelled out is a metric without a loss word; with one it is the loss.
def generalized_box_iou(boxes1, boxes2):
    return boxes1


def generalized_box_iou_loss(boxes1, boxes2):  # expect: generalized_box_iou_loss giou
    return 1 - generalized_box_iou(boxes1, boxes2)


# A trainer named after an ambiguous word needs a loss word like any other name.
class MSETrainer(Trainer):
    pass


# A trainer named after a loss term, not after a method a library ships a trainer for, names no loss.
class FocalTrainer(Trainer):
    pass


class DistillationTrainer(Trainer):
    pass


# An alias table: a key that is the loss's own string alias names the loss its value names; a key
# that is not an alias, or whose value is another loss, names nothing.
from keras.losses import binary_crossentropy, mean_squared_error  # expect: binary_crossentropy binary-cross-entropy; mean_squared_error mse

ALIASES = {
    "bce": binary_crossentropy,  # expect: bce binary-cross-entropy; binary_crossentropy binary-cross-entropy
    "mse": mean_squared_error,  # expect: mse mse; mean_squared_error mse
    "bce_fast": binary_crossentropy,  # expect: binary_crossentropy binary-cross-entropy
    "mae": mean_squared_error,  # expect: mean_squared_error mse
}


# Keras's loss signature `(y_true, y_pred, …)` makes a bare ambiguous word a loss; elsewhere it is not.
def dice(y_true, y_pred, axis=None):  # expect: dice dice
    return 1 - 2 * (y_true * y_pred).sum() / (y_true + y_pred).sum()


def tversky(a, b):
    return a


def l1(x):
    return abs(x)
