"""sigmoid-before-bce and sigmoid-before-bce-with-logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

z = torch.randn(8)
y = torch.randint(0, 2, (8,)).float()

bad = F.binary_cross_entropy_with_logits(z, y)  # fixed: sigmoid-before-bce
ok = F.binary_cross_entropy_with_logits(z, y)
probs = torch.rand(8)
fine = F.binary_cross_entropy(probs, y)  # probabilities from elsewhere: no finding

bce = nn.BCEWithLogitsLoss()
bad2 = bce(z, y)  # fixed: sigmoid-before-bce
inline = nn.BCEWithLogitsLoss()(z, y)  # fixed: sigmoid-before-bce

double = F.binary_cross_entropy_with_logits(z, y)  # fixed: sigmoid-before-bce-with-logits
with_logits = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(2.0))
double2 = with_logits(z, y)  # fixed: sigmoid-before-bce-with-logits


def step(logits, targets):
    p = torch.sigmoid(logits)
    return F.binary_cross_entropy(p, targets)  # fixed: sigmoid-before-bce


step(z, y)
