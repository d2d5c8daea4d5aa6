"""large-vocab-ce with the output layer and the loss in different methods and functions."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 32_000


class LM(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d)
        self.lm_head = nn.Linear(d, VOCAB, bias=False)
        self.criterion = nn.CrossEntropyLoss()  # fixed: large-vocab-ce

    def forward(self, idx):
        return self.lm_head(self.embed(idx))

    def loss(self, idx, targets):
        return self.criterion(self(idx).reshape(-1, VOCAB), targets.reshape(-1))


def next_token_loss(model, idx, targets):
    return F.cross_entropy(model(idx).reshape(-1, VOCAB), targets.reshape(-1))  # fixed: large-vocab-ce


lm = LM()
idx = torch.randint(0, VOCAB, (2, 5))
targets = torch.randint(0, VOCAB, (2, 5))
values = [lm.loss(idx, targets), next_token_loss(lm, idx, targets)]
