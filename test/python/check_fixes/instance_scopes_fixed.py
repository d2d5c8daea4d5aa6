"""A loss instance is followed to the calls its name is bound to (Python's scoping), not to every
call of that name in the file: a parameter receiving the instance, locals of the same name in two
functions, `criterion = criterion.to(device)`, and a subclass calling the attribute its base sets
while another class uses the same attribute name for another loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train_step(model, criterion, x, y):
    return criterion(model(x), y)  # fixed: softmax-before-ce


def fit(net, objective, x, y):
    return objective(net(x), y)  # fixed: softmax-before-ce


def evaluate_nll(x, y):
    criterion = nn.NLLLoss()
    return criterion(F.log_softmax(x, dim=-1), y)


def evaluate_ce(x, y):
    criterion = nn.CrossEntropyLoss()
    criterion = criterion.to("cpu")
    return criterion(x, y)  # fixed: softmax-before-ce


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(5, 3)
        self.loss = nn.NLLLoss()


class Child(Base):
    def step(self, x, y):
        return self.loss(torch.log_softmax(self.fc(x), dim=-1), y)  # fixed: log-softmax-nll-vs-ce


class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.loss = nn.CrossEntropyLoss()

    def step(self, logits, y):
        return self.loss(logits, y)


model = nn.Sequential(nn.Linear(5, 3), nn.Softmax(dim=-1))
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(4, 5)
y = torch.randint(0, 3, (4,))
values = [
    train_step(model, loss_fn, x, y),
    fit(model, loss_fn, x, y),
    evaluate_nll(x[:, :3], y),
    evaluate_ce(x[:, :3], y),
    Child().step(x, y),
    Other().step(x[:, :3], y),
]
