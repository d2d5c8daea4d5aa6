"""Loss methods of the file's own classes used as values, and an attribute rebound to a wrapper of itself.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import torch
import torch.nn.functional as F
from torch import nn


class ChunkedCrossEntropy(nn.Module):  # expect: ChunkedCrossEntropy cross-entropy
    def __init__(self, num_chunks=8, label_smoothing=0.0):
        super().__init__()
        self.num_chunks = num_chunks
        # A method stored as a value is still that method.
        self.smooth = self.original_smooth_label if label_smoothing > 0 else None  # expect: original_smooth_label label-smoothing
        # A loss instance held by an attribute: its calls are calls of the instance, not by its name.
        self.focal_loss = nn.Identity()

    def original_smooth_label(self, one_hot, eps=0.1):  # expect: original_smooth_label label-smoothing
        return one_hot * (1 - eps) + eps / one_hot.shape[-1]

    def compute_cross_entropy(self, logits, labels):  # expect: compute_cross_entropy cross-entropy
        return F.cross_entropy(logits.float(), labels, reduction="sum")  # expect: cross_entropy cross-entropy

    def apply_compile_strategy(self, *args, **kwargs):
        # Rebound to its compiled self: the target is no usage, the wrapped method is.
        self.compute_cross_entropy = torch.compile(
            self.compute_cross_entropy, *args, **kwargs  # expect: compute_cross_entropy cross-entropy
        )
        return self

    def forward(self, logits, labels):
        total = 0.0
        for chunk, target in zip(logits.chunk(self.num_chunks), labels.chunk(self.num_chunks)):
            total = total + self.compute_cross_entropy(chunk, target)  # expect: compute_cross_entropy cross-entropy
        # Not defined here: an attribute of another object, or a name the file does not define.
        total = total + self.focal_loss(logits) + torch.zeros(()).compute_cross_entropy
        return total + getattr(self, "mask", 0) + self.num_chunks * 0


class Other:
    def __init__(self, fn):
        # An attribute assigned something else (not a wrapper of itself) holds that value.
        self.calc_cross_entropy = fn

    def run(self, x):
        return self.calc_cross_entropy(x)
