"""Hand-written losses whose concept is buried in the name, and the near misses that stay silent.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import torch
import torch.nn.functional as F
from torch import nn
from composer.algorithms import LabelSmoothing  # expect: LabelSmoothing label-smoothing


# A loss word glued to the concept is a word of its own.
def pairwise_circleloss(embedding, targets, margin=0.25, gamma=128):  # expect: pairwise_circleloss circle
    sim = embedding @ embedding.t()
    return F.softplus(gamma * (sim - margin)).mean()


def gloss_features(x):  # a word that merely ends in "loss"
    return x.mean()


# A computation's verb, then only modifiers, then an entry that is a loss on its own: that loss.
def compute_weighted_cross_entropy(logits, targets, weights=None):  # expect: compute_weighted_cross_entropy cross-entropy
    loss = F.cross_entropy(logits, targets, reduction="none")  # expect: cross_entropy cross-entropy
    return loss if weights is None else loss * weights


def calc_cross_entropy(logits, targets):  # expect: calc_cross_entropy cross-entropy
    return -(targets * logits.log_softmax(-1)).sum(-1).mean()


# Near misses: an everyday entry (a metric first), another word between verb and entry, a test.
def compute_dice(pred, target):
    return 2 * (pred * target).sum() / (pred.sum() + target.sum())


def get_rewards_ppo(scores, values):
    return scores - values


def test_cross_entropy():
    assert calc_cross_entropy(torch.zeros(2, 3), torch.ones(2, 3)) is not None  # expect: calc_cross_entropy cross-entropy


# A modifier after the entry that, put first, spells another entry: "sigmoid cross entropy" is BCE.
def cross_entropy_sigmoid_loss(pred, target):  # expect: cross_entropy_sigmoid_loss binary-cross-entropy
    return F.binary_cross_entropy_with_logits(pred, target)  # expect: binary_cross_entropy_with_logits binary-cross-entropy


# ... and one that spells nothing when put first stays silent.
def cross_entropy_mean(values):
    return values.mean()


# One word of the method's own between the entry and a loss word.
class GRPOSimpleLoss(nn.Module):  # expect: GRPOSimpleLoss grpo
    def forward(self, logprobs, advantages):
        return -(logprobs * advantages).mean()


# ... but not a setting's word, nor a concept spelled with the loss word itself.
def focal_weight_loss(step):
    return min(1.0, step / 100)


# The entry at the end of a run of capitals (VQ + LPIPS), and the same letters in lower case.
class VQLPIPSWithDiscriminator(nn.Module):  # expect: VQLPIPSWithDiscriminator lpips
    # A project's own option (a parameter default, no Keras imported) is not a Keras loss string.
    def __init__(self, disc_loss="hinge", perceptual_loss="lpips"):
        super().__init__()
        self.disc_loss = disc_loss


def vqlpips_features(x):
    return x


# The forward half of a kernel computes the loss; the backward half its gradient; `ce_forward` a model's.
def _cross_entropy_forward(logits, labels):  # expect: _cross_entropy_forward cross-entropy
    return torch.logsumexp(logits, -1) - logits.gather(-1, labels[:, None])[:, 0]


def _cross_entropy_backward(logits, labels, dloss):
    return torch.softmax(logits, -1) * dloss[:, None]


def ce_forward(model, x):
    return model(x)


# Helpers that smooth labels are label smoothing.
def original_smooth_label(one_hot, eps=0.1):  # expect: original_smooth_label label-smoothing
    return one_hot * (1 - eps) + eps / one_hot.shape[-1]


def multilabel_smooth_label(one_hot, eps=0.1):  # expect: multilabel_smooth_label label-smoothing
    return torch.where(one_hot == 1, 1 - eps, eps)


# A model named after the loss it trains with is the model.
class AutoencoderKL(nn.Module):
    def forward(self, x):
        return x


def mean_square(y_pred, y_true):  # expect: mean_square mse
    return torch.mean(torch.square(y_pred - y_true))


loss = mean_square(torch.zeros(3), torch.ones(3)) + pairwise_circleloss(torch.eye(3), None)  # expect: mean_square mse; pairwise_circleloss circle


# A module that wraps a model to train it with the concept; a wrapper named by nothing else is silent.
class DistillWrapper(nn.Module):  # expect: DistillWrapper knowledge-distillation
    def forward(self, student_logits, teacher_logits):
        return F.kl_div(student_logits.log_softmax(-1), teacher_logits.softmax(-1), reduction="batchmean")  # expect: kl_div kl-divergence


class ModelWrapper(nn.Module):
    pass


# Composer's label smoothing is an algorithm given to its trainer.
algorithms = [LabelSmoothing(smoothing=0.1)]  # expect: LabelSmoothing label-smoothing
