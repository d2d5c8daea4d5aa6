import torch.nn.functional as F

from .distill import soften, teacher_probs


def kd_term(student_logits, teacher_logits, temperature):
    return F.kl_div(soften(student_logits, temperature), teacher_probs(teacher_logits, temperature), reduction="batchmean")  # expect: kd-temperature-squared


def kd_term_scaled(student_logits, teacher_logits, temperature):
    kd = F.kl_div(soften(student_logits, temperature), teacher_probs(teacher_logits, temperature), reduction="batchmean")
    return kd * temperature ** 2


def total(student_logits, teacher_logits, labels, temperature):
    return kd_term(student_logits, teacher_logits, temperature) + F.cross_entropy(student_logits, labels)
