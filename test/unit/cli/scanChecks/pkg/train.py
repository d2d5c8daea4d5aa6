import torch
import torch.nn.functional as F

from .losses import kl, smoothed
from .models import Classifier, LogitClassifier, gate, make_scorer

model = Classifier()
plain = LogitClassifier()
scorer = make_scorer()
criterion = torch.nn.CrossEntropyLoss()


def step(x, y, t, target):
    a = criterion(model(x), y)  # expect: softmax-before-ce
    b = F.nll_loss(model(x), y)  # expect: log-softmax-nll-vs-ce
    c = F.kl_div(model(x), target, reduction="batchmean")  # expect: kl-div-input-not-log
    d = F.binary_cross_entropy(scorer(x).squeeze(1), t)  # expect: sigmoid-before-bce
    e = F.binary_cross_entropy_with_logits(gate(x), t)  # expect: sigmoid-before-bce-with-logits
    f = kl(F.log_softmax(plain(x), dim=1), target)
    g = smoothed(plain(x), y)
    fine = criterion(plain(x), y)
    return a + b + c + d + e + f + g + fine
