"""The bug and the loss in different methods of one class: attributes set in __init__, helper
methods, a Lightning-style training_step calling self(x), and a loss built in __init__."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 3), nn.Softmax(dim=-1))
        self.gate = nn.Linear(5, 1)
        self.criterion = nn.CrossEntropyLoss()
        self.nll = nn.NLLLoss()
        self.kl = nn.KLDivLoss(reduction="batchmean")  # fixed: kl-div-mean
        self.bce = nn.BCELoss()
        self.bce_logits = nn.BCEWithLogitsLoss()
        self.smoothed = nn.CrossEntropyLoss(label_smoothing=0.05)  # fixed: label-smoothing-convention

    def forward(self, x):
        return self.net(x)

    def gate_probability(self, x):
        return torch.sigmoid(self.gate(x))

    def training_step(self, batch):
        x, y = batch
        probs = self(x)
        return self.criterion(probs, y)  # fixed: softmax-before-ce

    def nll_step(self, x, y):
        return self.nll(self.forward(x), y)  # fixed: log-softmax-nll-vs-ce

    def kl_step(self, x, target):
        return self.kl(self.net(x), target)  # fixed: kl-div-input-not-log

    def gate_step(self, x, t):
        return self.bce(self.gate_probability(x), t)  # fixed: sigmoid-before-bce

    def gate_logits_step(self, x, t):
        p = self.gate_probability(x)
        return self.bce_logits(p, t)  # fixed: sigmoid-before-bce-with-logits

    def near_miss(self, x, y, t):
        # Logits into the logits losses; probabilities only for accuracy.
        z = self.gate(x)
        accuracy = (self(x).argmax(dim=-1) == y).float().mean()
        return self.bce_logits(z, t) + accuracy * 0

    def smoothed_step(self, x, y):
        return self.smoothed(self.gate(x).expand(-1, 3), y)


model = Classifier()
x = torch.randn(6, 5)
y = torch.randint(0, 3, (6,))
t = torch.rand(6, 1)
target = F.softmax(torch.randn(6, 3), dim=-1)
values = [
    model.training_step((x, y)),
    model.nll_step(x, y),
    model.kl_step(x, target),
    model.gate_step(x, t),
    model.gate_logits_step(x, t),
    model.near_miss(x, y, t),
    model.smoothed_step(x, y),
]


class EvalSoftmax(nn.Module):
    """Near misses: softmax only outside training, by an early return or a conditional reassignment."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(5, 3)

    def forward(self, x):
        logits = self.fc(x)
        if self.training:
            return logits
        return F.softmax(logits, dim=1)

    def scores(self, x):
        out = self.fc(x)
        if not self.training:
            out = F.softmax(out, dim=1)
        return out


eval_model = EvalSoftmax()
ce = nn.CrossEntropyLoss()
quiet = ce(eval_model(x), y) + ce(eval_model.scores(x), y)
