"""The probability maker and the loss in different functions: helper returns, arguments passed to a
loss function, and module-level models used inside functions."""
import torch
import torch.nn as nn
import torch.nn.functional as F

head = nn.Linear(5, 3)
classifier = nn.Sequential(nn.Linear(5, 3), nn.LogSoftmax(dim=1))
scorer = nn.Sequential(nn.Linear(5, 1), nn.Sigmoid())


def predict(x):
    return F.softmax(head(x), dim=1)


def predict_log(x):
    return F.log_softmax(head(x), dim=1)


def probability(x):
    return torch.sigmoid(head(x)[:, 0])


def ce_step(x, y):
    return F.cross_entropy(predict(x), y)  # fixed: softmax-before-ce


def nll_of(scores, y):
    return F.nll_loss(scores, y)  # fixed: log-softmax-nll-vs-ce


def kl_of(student_scores, teacher_probs):
    return F.kl_div(student_scores, teacher_probs, reduction="batchmean")  # fixed: kl-div-input-not-log


def bce_step(x, t):
    return F.binary_cross_entropy(scorer(x).squeeze(1), t)  # fixed: sigmoid-before-bce


def bce_logits_step(x, t):
    return F.binary_cross_entropy_with_logits(probability(x), t)  # fixed: sigmoid-before-bce-with-logits


def fine_steps(x, y, t):
    # Near misses: log-probabilities into NLL, logits into CE, a log-softmax model into NLL.
    a = F.nll_loss(predict_log(x), y)
    b = F.cross_entropy(head(x), y)
    c = F.nll_loss(classifier(x), y)
    d = F.binary_cross_entropy_with_logits(head(x)[:, 0], t)
    return a + b + c + d


x = torch.randn(6, 5)
y = torch.randint(0, 3, (6,))
t = torch.rand(6)
teacher = F.softmax(torch.randn(6, 3), dim=1)
losses = [
    ce_step(x, y),
    nll_of(F.softmax(head(x), dim=1), y),
    kl_of(predict(x), teacher),
    bce_step(x, t),
    bce_logits_step(x, t),
    fine_steps(x, y, t),
]


# Loss objects built in one function and applied in another.
def make_kl():
    return nn.KLDivLoss(reduction="batchmean")  # fixed: kl-div-mean


def make_criterion():
    return nn.CrossEntropyLoss(label_smoothing=0.1)  # fixed: label-smoothing-convention


def distill_step(x, teacher_probs):
    kl = make_kl()
    return kl(F.log_softmax(head(x), dim=1), teacher_probs)


def smoothed_step(x, y):
    criterion = make_criterion()
    return criterion(head(x), y)


more = [distill_step(x, teacher), smoothed_step(x, y)]

# A dropout after the softmax keeps probabilities.
dropout_head = nn.Sequential(nn.Linear(5, 3), nn.Softmax(dim=1), nn.Dropout(0.0))
after_dropout = F.cross_entropy(dropout_head(x), y)  # fixed: softmax-before-ce
