import torch.nn.functional as F

from .lm import TinyLM

model = TinyLM()


def lm_step(tokens):
    logits = model(tokens)
    return F.cross_entropy(logits.view(-1, logits.size(-1)), tokens.view(-1))  # expect: large-vocab-ce, lm-logits-unshifted


def shifted_step(tokens):
    logits = model(tokens[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))  # expect: large-vocab-ce
