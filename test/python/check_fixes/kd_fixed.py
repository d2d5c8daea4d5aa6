"""kd-temperature-squared: distillation at temperature T without the T**2 factor (Hinton et al., 2015, §2)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 4.0
student_logits = torch.randn(6, 5)
teacher_logits = torch.randn(6, 5)
labels = torch.randint(0, 5, (6,))

# Inline: both sides divided by T, the KL term used as is.
kd_inline = F.kl_div(  # fixed: kd-temperature-squared
    F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1), reduction="batchmean"
) * T ** 2
kd_inline_ok = F.kl_div(
    F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1), reduction="batchmean"
) * T ** 2
kd_times_tt = F.kl_div(F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1), reduction="batchmean") * T * T

# Soft-target cross-entropy (probabilities as targets).
soft_ce = F.cross_entropy(student_logits / T, F.softmax(teacher_logits / T, dim=1)) * T ** 2  # fixed: kd-temperature-squared
# Near miss: a contrastive temperature with hard labels is not distillation.
contrastive = F.cross_entropy(student_logits / 0.07, labels)


# Different functions: the softened distributions come from helpers.
def soften(logits, temperature):
    return F.log_softmax(logits / temperature, dim=-1)


def teacher_probs(logits, temperature):
    return F.softmax(logits / temperature, dim=-1)


def distill(s, t, temperature):
    return F.kl_div(soften(s, temperature), teacher_probs(t, temperature), reduction="batchmean")  # fixed: kd-temperature-squared


def distill_scaled_by_caller(s, t, temperature):
    return F.kl_div(soften(s, temperature), teacher_probs(t, temperature), reduction="batchmean")


def total_loss(s, t, y, temperature, alpha=0.9):
    soft = distill(s, t, temperature)
    hard = F.cross_entropy(s, y)
    scaled = distill_scaled_by_caller(s, t, temperature) * temperature ** 2
    return alpha * soft + (1 - alpha) * hard, scaled


# Different methods of one class.
class Distiller(nn.Module):
    def __init__(self, temperature=2.0):
        super().__init__()
        self.T = temperature
        self.kl = nn.KLDivLoss(reduction="batchmean")

    def student_log_probs(self, logits):
        return F.log_softmax(logits / self.T, dim=1)

    def teacher_probs(self, logits):
        return F.softmax(logits / self.T, dim=1)

    def soft_loss(self, s, t):
        return self.kl(self.student_log_probs(s), self.teacher_probs(t))  # fixed: kd-temperature-squared

    def soft_loss_scaled(self, s, t):
        loss = self.kl(self.student_log_probs(s), self.teacher_probs(t))
        return loss * self.T ** 2

    def forward(self, s, t, y):
        return self.soft_loss(s, t) + F.cross_entropy(s, y), self.soft_loss_scaled(s, t)


no_temperature = F.kl_div(F.log_softmax(student_logits, dim=1), F.softmax(teacher_logits, dim=1), reduction="batchmean")
totals = total_loss(student_logits, teacher_logits, labels, T)
distiller = Distiller()
outputs = distiller(student_logits, teacher_logits, labels)
