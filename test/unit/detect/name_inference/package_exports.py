"""A package's `__init__.py`: what it imports from its own modules and lists for lazy import.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
from typing import TYPE_CHECKING

from keras import ops

# From a losses module an ambiguous word names that module's loss; from another module it does not.
from .giou_loss import BoxGIoULoss, giou  # expect: BoxGIoULoss giou; giou giou
from .losses import circle, tversky  # expect: circle circle; tversky tversky
from .metrics import dice, iou
# A module named after a loss is a losses module, in a library too; an activation named like a loss is not one.
from liger_kernel.transformers.jsd import LigerJSD  # expect: LigerJSD jsd
from liger_kernel.transformers.sparsemax import LigerSparsemax
from liger_kernel.transformers.rms_norm import LigerRMSNorm
from .sparsemax import sparsemax, sparsemax_loss  # expect: sparsemax_loss sparsemax
from .utils import dice_coefficient

# A class's attributes (`PPOTrainer.remote`) do not make it a module; a lower-case name read through is one.
from .trainers import PPOTrainer  # expect: PPOTrainer ppo-clip
# The name an import is bound to says what the file uses it as.
from .async_trainers import AsyncTrainerImpl as GRPOTrainer  # expect: GRPOTrainer grpo
from .async_trainers import DiceLoss as Impl  # expect: DiceLoss dice
from .async_trainers import AsyncTrainerImpl as Runner
from .kernels import cross_entropy_loss

# The Hugging Face libraries' lazy-import table: each exported name is a re-export.
_import_structure = {
    "dpo_trainer": ["DPOTrainer", "DPOConfig"],  # expect: DPOTrainer dpo
    "losses": ["FocalLoss", "pad_to_length"],  # expect: FocalLoss focal
}

if TYPE_CHECKING:
    from .dpo_trainer import DPOConfig, DPOTrainer  # expect: DPOTrainer dpo


def build(world_size):
    return PPOTrainer.remote(world_size)  # expect: PPOTrainer ppo-clip


def fused(x, y):
    return cross_entropy_loss.forward_impl(x, y)


# Keras 3's backend-neutral ops compute the losses too.
def bce(y_true, y_pred):  # expect: bce binary-cross-entropy
    return ops.binary_crossentropy(y_true, y_pred)  # expect: binary_crossentropy binary-cross-entropy


# Words after the concept that keep it: the computation's form, a regulariser; and a method's
# named variants (quality focal, odds ratio, Jensen-Shannon divergence, iBOT's patch term).
def _lovasz_hinge_flat(logits, labels):  # expect: _lovasz_hinge_flat lovasz
    return logits


class KLDivergenceRegularizer(Regularizer):  # expect: KLDivergenceRegularizer kl-divergence
    pass


class QFocalLoss(nn.Module):  # expect: QFocalLoss quality-focal
    pass


def _odds_ratio_loss(chosen, rejected):  # expect: _odds_ratio_loss orpo
    return chosen - rejected


def _jsd_divergence(p, q):  # expect: _jsd_divergence jsd
    return p


class IBOTPatchLoss(nn.Module):  # expect: IBOTPatchLoss ibot
    pass
