"""softmax-before-ce and log-softmax-nll-vs-ce."""
import torch
import torch.nn.functional as F
from torch import nn

logits = torch.randn(6, 3)
labels = torch.tensor([0, 1, 2, 0, 1, 2])

ok = F.cross_entropy(logits, labels)
bad = F.cross_entropy(logits, labels)  # fixed: softmax-before-ce
bad_method = F.cross_entropy(logits, labels)  # fixed: softmax-before-ce
bad_module = F.cross_entropy(logits, labels)  # fixed: softmax-before-ce


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(3, 3)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, x, y):
        z = self.head(x)
        p = torch.softmax(z, dim=-1)
        loss = self.criterion(p, y)  # fixed: softmax-before-ce
        return loss, p.argmax(dim=-1)

    def near_miss(self, x, y):
        z = self.head(x)
        p = torch.softmax(z, dim=-1)  # softmax for accuracy only
        accuracy = (p.argmax(dim=-1) == y).float().mean()
        return self.criterion(z, y), accuracy


model = Classifier()
model(logits, labels)
model.near_miss(logits, labels)

nll_bad = F.nll_loss(F.log_softmax(logits, dim=1), labels)  # fixed: log-softmax-nll-vs-ce
nll_ok = F.nll_loss(F.log_softmax(logits, dim=1), labels)
nll_module = nn.NLLLoss()
nll_bad2 = nll_module(
    torch.log_softmax(logits, dim=1),  # fixed: log-softmax-nll-vs-ce
    labels,
)
