"""Losses named by words the lexicon does not know: their docstring's summary, a library's class name, the loss module they come from.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import torch
from torch import nn
from .barlow_twins import redundancy_loss  # expect: redundancy_loss barlow-twins
from .barlow_twins import projector_weights
from .barlow_twins import OffDiagonalLoss
from .helpers import coupling_loss


class ClippedObjectiveLoss(nn.Module):  # expect: ClippedObjectiveLoss ppo-clip
    """Policy loss for PPO, with the ratio clipped at 1 +/- eps.

    Mentions a second loss below the summary (cross-entropy), which does not count.
    """

    def forward(self, ratio, advantage, eps=0.2):
        return -torch.min(ratio * advantage, ratio.clamp(1 - eps, 1 + eps) * advantage).mean()


class ChosenRejectedLoss(nn.Module):  # expect: ChosenRejectedLoss bradley-terry-reward
    """
    Pairwise loss for reward model training.
    """

    def forward(self, chosen, rejected):
        return -nn.functional.logsigmoid(chosen - rejected).mean()


class CriticValueLoss(nn.Module):
    """Value loss for PPO: the critic's regression, not the clipped policy objective."""


class MixedLoss(nn.Module):
    """Dice loss plus cross entropy: names two losses, so neither."""


class TinyLM(nn.Module):
    """A tiny language model (a model, not its loss)."""


class TokenLMLoss(nn.Module):  # expect: TokenLMLoss cross-entropy
    def forward(self, logits, labels):
        return nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten())  # expect: cross_entropy cross-entropy


class ProjectRewardTrainer:
    """Trains a reward model (named like no library class)."""


class RewardTrainer:  # expect: RewardTrainer bradley-terry-reward
    """Named exactly like trl's reward trainer."""


class IoULoss(nn.Module):  # expect: IoULoss iou-loss
    """Boxes: 1 - IoU of predicted and target boxes."""


def alignment_loss(x, y):  # expect: alignment_loss vicreg
    """Returns the VICReg invariance term: the mean squared distance of two views."""
    return ((x - y) ** 2).mean()


def helper_loss(x):
    """Returns VICReg's variance term (a helper: its name says nothing of its own)."""
    return x.std(dim=0)


def compute_loss(x):
    """Computes the VICReg loss (a verb and a loss word: the name says nothing of its own)."""
    return x


class SelfSupervisedLoss(nn.Module):
    def spread_loss(self, z):
        """Returns the VICReg variance term (a method: a step of its class's loss)."""
        return z.std(dim=0)


def total(a, b):
    return alignment_loss(a, b) + redundancy_loss(a) + coupling_loss(a)  # expect: alignment_loss vicreg; redundancy_loss barlow-twins


def test_spread_loss_matches_reference():
    """Checks the VICReg variance term against a reference (a test, not the loss)."""


def plot_alignment_loss(history):
    """Plots the VICReg invariance loss over training."""
