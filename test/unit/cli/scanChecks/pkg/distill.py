import torch.nn.functional as F


def soften(logits, temperature):
    return F.log_softmax(logits / temperature, dim=1)


def teacher_probs(logits, temperature):
    return F.softmax(logits / temperature, dim=1)
