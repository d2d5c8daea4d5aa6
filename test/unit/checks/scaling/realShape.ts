/**
 * A large Python file shaped like real training code, for the scaling tests and for profiling:
 * blocks of a model class (layers and losses built in `__init__`, a `forward` that ends in a
 * softmax, helper methods), module-level loss instances, functions that compute losses from their
 * parameters (callers passing a softmax output), a distillation step, a causal-LM step, and Keras
 * models compiled with string and object losses. Each block reuses the same local names (`x`,
 * `logits`, `loss`, `model`) the way a long file does, so look-ups by name meet many candidates.
 */

/** One block of about 60 lines; `k` makes its definitions unique. */
function block(k: number): string {
  return `
class Net${k}(nn.Module):
    def __init__(self, d=16, n=10):
        super().__init__()
        self.fc = nn.Linear(d, n)
        self.head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, n), nn.Softmax(dim=-1))
        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
        self.kl = nn.KLDivLoss(reduction="batchmean")

    def forward(self, x):
        h = self.fc(x)
        return F.softmax(h, dim=-1)

    def logits(self, x):
        return self.fc(x)

    def training_step(self, batch):
        x, y = batch
        probs = self(x)
        loss = self.criterion(probs, y)
        return loss


criterion${k} = nn.CrossEntropyLoss()
nll${k} = nn.NLLLoss()


def loss_fn${k}(logits, target):
    p = logits.softmax(dim=-1)
    loss = F.nll_loss(p, target)
    return loss + criterion${k}(logits, target)


def distill${k}(student, teacher, T=4.0):
    s = F.log_softmax(student / T, dim=-1)
    t = F.softmax(teacher / T, dim=-1)
    return F.kl_div(s, t, reduction="batchmean")


def lm_step${k}(model, input_ids):
    logits = model(input_ids).logits
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), input_ids.view(-1))
    return loss


model = Net${k}()
x = torch.randn(4, 16)
y = torch.randint(0, 10, (4,))
out = model(x)
loss = criterion${k}(out, y) + nll${k}(torch.log(out), y)
loss = loss + loss_fn${k}(model.logits(x), y)
loss = loss + distill${k}(model.logits(x), out)
bce${k} = F.binary_cross_entropy(torch.sigmoid(model.logits(x)[:, 0]), y.float())
kmodel = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])
kmodel.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
kmodel2 = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(10, activation="softmax")])
kmodel2.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
`;
}

const HEADER = `"""Generated: many training blocks in one file."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import keras
`;

/** About `lines` lines of real-shaped training code (whole blocks, never fewer than one). */
export function realShapedPython(lines: number): string {
  const per = block(0).split('\n').length - 1;
  const blocks = Math.max(1, Math.round(lines / per));
  const parts = [HEADER];
  for (let k = 0; k < blocks; k++) parts.push(block(k));
  return parts.join('');
}
