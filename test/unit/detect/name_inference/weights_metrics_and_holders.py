"""Names that look like losses but hold a setting, a metric or a loss given to them.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import tensorflow as tf
import torch
from torch import nn
from torch.nn.modules.loss import _Loss


# A hyperparameter of a loss, before the loss's word, is a setting.
def lambda_kd(epoch):
    return min(1.0, epoch / 10)


def temperature_kl(step):
    return 4.0


# A single-letter entry needs a loss word: sampling a latent `z` is not the z-loss.
def sample_z(shape=64, latent_dim=10):
    return torch.randn(shape, latent_dim)


def z_loss(logits):  # expect: z_loss z-loss
    return torch.logsumexp(logits, dim=-1).pow(2).mean()


# Image-quality indices are metrics, however they are spelled, unless a loss word or a loss base says otherwise.
def ms_ssim(x, y, data_range=255):
    return x


def dssim(p0, p1):
    return p0


def information_weighted_ssim(x, y):
    return x


class MS_SSIM(nn.Module):
    pass


class MS_SSIM_Loss(nn.Module):  # expect: MS_SSIM_Loss ssim
    pass


# A method of a loss class is a term of that loss: an ambiguous word names it there, but not a getter,
# nor a metric's word.
class DiceCELoss(_Loss):  # expect: DiceCELoss dice
    def ce(self, logits, target):  # expect: ce cross-entropy
        return nn.functional.cross_entropy(logits, target)  # expect: cross_entropy cross-entropy

    def get_cosine(self, a, b):
        return a @ b.T

    def iou(self, a, b):
        return a

    def forward(self, logits, target):
        return self.ce(logits, target) + self.get_cosine(logits, target)  # expect: ce cross-entropy


# A variable that holds whichever loss it is given is not another name for that loss; an alias is.
loss_fn = tf.keras.losses.sparse_categorical_crossentropy  # expect: sparse_categorical_crossentropy cross-entropy
criterion = nn.CrossEntropyLoss  # expect: CrossEntropyLoss cross-entropy
CE = nn.CrossEntropyLoss  # expect: CrossEntropyLoss cross-entropy


def train_step(x, y):
    value = loss_fn(y, x) + criterion()(x, y)
    return value + CE()(x, y)  # expect: CE cross-entropy


# An option table of another library's classes: its keys are the option's values, not Keras loss names.
DISTANCES = {
    "mse": nn.MSELoss,  # expect: MSELoss mse
    "mae": nn.L1Loss,  # expect: L1Loss l1
}
