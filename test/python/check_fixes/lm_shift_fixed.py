"""lm-logits-unshifted: a causal LM trained against its own input tokens without the one-token shift."""
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab = 11


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, 8)
        self.head = nn.Linear(8, vocab)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, idx):
        return self.head(self.embed(idx))

    def training_step(self, tokens):
        logits = self(tokens)
        return self.token_loss(logits, tokens)

    def token_loss(self, logits, targets):
        return self.criterion(logits[..., :-1, :].reshape(-1, vocab), targets[..., 1:].reshape(-1))  # fixed: lm-logits-unshifted

    def shifted_step(self, tokens):
        logits = self(tokens)
        return self.criterion(logits[:, :-1].reshape(-1, vocab), tokens[:, 1:].reshape(-1))


model = TinyLM()
tokens = torch.randint(0, vocab, (2, 7))

logits = model(tokens)
loss = F.cross_entropy(logits[..., :-1, :].reshape(-1, logits.size(-1)), tokens[..., 1:].reshape(-1))  # fixed: lm-logits-unshifted


def lm_loss(logits, labels):
    return F.cross_entropy(logits[..., :-1, :].reshape(-1, vocab), labels[..., 1:].reshape(-1))  # fixed: lm-logits-unshifted


def train_step(batch):
    out = model(batch)
    return lm_loss(out, batch)


# Near misses: shifted inputs and targets; masked-LM labels that are a separate tensor.
inputs, targets = tokens[:, :-1], tokens[:, 1:]
shifted = F.cross_entropy(model(inputs).reshape(-1, vocab), targets.reshape(-1))
shift_logits = logits[..., :-1, :].contiguous()
shift_labels = tokens[..., 1:].contiguous()
hf_style = F.cross_entropy(shift_logits.view(-1, vocab), shift_labels.view(-1))
mlm_labels = torch.where(torch.rand(2, 7) < 0.15, tokens, torch.full_like(tokens, -100))
masked = F.cross_entropy(model(tokens).view(-1, vocab), mlm_labels.view(-1), ignore_index=-100)

values = [loss, train_step(tokens), model.training_step(tokens), model.shifted_step(tokens), shifted, hf_style, masked]


class TokenAutoEncoder(nn.Module):
    """Near miss: reconstructing the input tokens is this model's job."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, 4)
        self.out = nn.Linear(4, vocab)

    def forward(self, idx):
        return self.out(self.embed(idx))


autoencoder = TokenAutoEncoder()
recon = autoencoder(tokens)
reconstruction = F.cross_entropy(recon.view(-1, vocab), tokens.view(-1))
