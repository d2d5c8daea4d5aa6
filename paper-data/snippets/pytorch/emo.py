"""EMO: Earth Mover Distance optimisation for language models, combined with MLE.

Paper: EMO: Earth Mover Distance Optimization for Auto-Regressive Language Modeling, arXiv:2310.04691
Concept: emo

Formula
    With q = softmax(z) over the vocabulary, frozen L2-normalised embedding
    rows e_v (a copy of the LM head taken before training) and target y, the
    transport cost between tokens is 1 - cos(e_v, e_y), so
        L_EMO = sum_v q_v * (1 - cos(e_v, e_y)) = 1 - (sum_v q_v e_v) . e_y
        loss = 1/2 * ( CE + sg[CE / L_EMO] * L_EMO )      per token
    averaged over non-ignored tokens. The forward value equals CE; the
    stop-gradient ratio rescales the EMO gradient to CE's magnitude.

Defaults
    ignore_index = -100 (Hugging Face label padding). cost_embedding should
    be the LM head weight cloned once before fine-tuning, as the official
    code does (self.cost_embedding = lm_head.weight.data.clone()).

Differences from the official code
    The sum runs over all v including the target (cost 0 there), as in
    DRSY/EMO emo_patch.py and language_modeling/gpt2.py; writing it as
    1 - sum_{v != y} q_v cos(e_v, e_y) drops the target term and is not the
    same quantity. The official code smooths the one-hot target with 1e-15
    and normalises rows without an epsilon; here e_y is indexed directly and
    F.normalize guards zero rows. 1e-10 in the ratio's denominator is kept.
"""
import torch
import torch.nn.functional as F


def emo_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    cost_embedding: torch.Tensor,
    ignore_index: int = -100,
) -> torch.Tensor:
    """EMO + MLE loss of the official implementation, mean over non-ignored tokens.

    Args:
        logits: (N, V) next-token logits (flattened over batch and time, already shifted).
        target: (N,) int64 token ids in [0, V) or ignore_index.
        cost_embedding: (V, H) frozen token embeddings defining the transport cost (no gradient).
        ignore_index: target value that is skipped.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor) or not isinstance(cost_embedding, torch.Tensor):
        raise TypeError("logits, target and cost_embedding must be torch.Tensor")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, V) tensor, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point() or not cost_embedding.is_floating_point():
        raise TypeError(f"logits and cost_embedding must be floating point, got {logits.dtype} and {cost_embedding.dtype}")
    vocab = logits.shape[1]
    if cost_embedding.dim() != 2 or cost_embedding.shape[0] != vocab or cost_embedding.shape[1] == 0:
        raise ValueError(f"cost_embedding must be ({vocab}, H), got shape {tuple(cost_embedding.shape)}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 token ids, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    valid = target != ignore_index
    if bool((valid & ((target < 0) | (target >= vocab))).any()):
        raise ValueError(f"target values must lie in [0, {vocab - 1}] or equal ignore_index={ignore_index}")
    if not bool(valid.any()):
        raise ValueError("every target equals ignore_index; there is nothing to average")

    logits_v = logits[valid]
    target_v = target[valid]
    ce = F.cross_entropy(logits_v, target_v, reduction="none")
    e = F.normalize(cost_embedding.detach().to(device=logits.device, dtype=logits.dtype), dim=1)
    q = F.softmax(logits_v, dim=1)
    emo = 1 - ((q @ e) * e[target_v]).sum(dim=1)
    ratio = (ce / (emo + 1e-10)).detach()
    return (0.5 * (ce + ratio * emo)).mean()
