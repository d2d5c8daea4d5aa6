"""Pre-train a small decoder-only language model on a token stream.

Loss = next-token cross-entropy over the full vocabulary + a z-loss on the softmax normaliser
(PaLM, Chowdhery et al. 2022) that keeps log Z near zero and the bf16 logits stable.
"""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LMConfig:
    vocab_size: int = 50_304  # GPT-2 vocabulary padded to a multiple of 64
    d_model: int = 768
    n_layers: int = 12
    n_heads: int = 12
    context: int = 1024
    z_loss_weight: float = 1e-4
    ignore_index: int = -100


class Block(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, batch_first=True)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(), nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.context, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)
        self.head.weight = self.tok.weight  # weight tying

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        t = idx.size(1)
        mask = torch.triu(torch.full((t, t), float("-inf"), device=idx.device), diagonal=1)
        x = self.tok(idx) + self.pos(torch.arange(t, device=idx.device))
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.ln_f(x))


def lm_loss(logits: torch.Tensor, targets: torch.Tensor, cfg: LMConfig) -> tuple[torch.Tensor, dict[str, float]]:
    """Token-level loss; padding positions carry ignore_index and count for nothing."""
    flat_logits = logits.float().view(-1, cfg.vocab_size)
    flat_targets = targets.view(-1)
    ce = F.cross_entropy(flat_logits, flat_targets, ignore_index=cfg.ignore_index)
    valid = flat_targets != cfg.ignore_index
    log_z = torch.logsumexp(flat_logits[valid], dim=-1)
    z_loss = cfg.z_loss_weight * log_z.pow(2).mean()
    return ce + z_loss, {"ce": ce.item(), "z_loss": z_loss.item(), "ppl": float(torch.exp(ce))}


def batches(tokens: np.ndarray, batch_size: int, context: int, rng: np.random.Generator):
    while True:
        starts = rng.integers(0, len(tokens) - context - 1, size=batch_size)
        chunk = np.stack([tokens[s : s + context + 1] for s in starts]).astype(np.int64)
        yield torch.from_numpy(chunk[:, :-1]), torch.from_numpy(chunk[:, 1:])


def train(token_file: str, steps: int = 10_000, batch_size: int = 16, lr: float = 6e-4) -> None:
    cfg = LMConfig()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = TinyGPT(cfg).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.1)
    tokens = np.memmap(token_file, dtype=np.uint16, mode="r")
    stream = batches(tokens, batch_size, cfg.context, np.random.default_rng(0))
    for step in range(steps):
        inputs, targets = (t.to(device) for t in next(stream))
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
            logits = model(inputs)
        loss, stats = lm_loss(logits, targets, cfg)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step % 50 == 0:
            # "loss" here is the total; report the parts separately so a growing z-loss is visible.
            print(f"step {step}: loss {loss.item():.3f} ce {stats['ce']:.3f} z {stats['z_loss']:.2e} ppl {stats['ppl']:.1f}")


if __name__ == "__main__":
    import sys

    train(sys.argv[1])
