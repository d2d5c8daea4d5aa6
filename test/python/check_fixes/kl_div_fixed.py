"""kl-div-mean and kl-div-input-not-log: positives, near misses, aliases and multi-line calls."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import KLDivLoss as KL

student = torch.randn(4, 5)
teacher = torch.randn(4, 5)
target = F.softmax(teacher, dim=-1)

kl_default = nn.KLDivLoss(reduction="batchmean")  # fixed: kl-div-mean
kl_mean = nn.KLDivLoss(reduction="batchmean")  # fixed: kl-div-mean
kl_ok = nn.KLDivLoss(reduction="batchmean")
kl_sum = nn.KLDivLoss(reduction='sum')
kl_alias = KL(log_target=False, reduction="batchmean")  # fixed: kl-div-mean

a = F.kl_div(F.log_softmax(student, dim=-1), target, reduction="batchmean")
b = F.kl_div(F.log_softmax(student, dim=-1), target, reduction="batchmean")  # fixed: kl-div-input-not-log
c = F.kl_div(  # fixed: kl-div-mean
    student.log_softmax(dim=-1),
    target, reduction="batchmean",
)
d = kl_ok(student.log_softmax(dim=-1), target)  # fixed: kl-div-input-not-log
e = kl_ok(torch.log_softmax(student, dim=-1), target)


def distill(s_logits, t_logits):
    probs = F.softmax(s_logits, dim=-1)
    return F.kl_div(probs, F.softmax(t_logits, dim=-1), reduction="batchmean")  # fixed: kl-div-input-not-log


def near_miss(s_logits, t_logits):
    # softmax used for something else: the KL input is the log-softmax.
    probs = F.softmax(s_logits, dim=-1)
    log_probs = F.log_softmax(s_logits, dim=-1)
    confidence = probs.max(dim=-1).values
    return F.kl_div(log_probs, F.softmax(t_logits, dim=-1), reduction="batchmean") + confidence.mean() * 0


distill(student, teacher)
near_miss(student, teacher)
