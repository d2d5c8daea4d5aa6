"""Chunked linear cross-entropy: CE of hidden @ weight.T without materialising the (N, V) logits.

Paper: Cut Your Losses in Large-Vocabulary Language Models, arXiv:2411.09009
Concept: cut-cross-entropy

Formula
    For hidden states e_i, classifier rows c_v and targets y_i:
        loss_i = logsumexp_v(e_i . c_v) - e_i . c_{y_i}
        loss = mean over i with y_i != ignore_index
    The value is exactly F.cross_entropy(hidden @ weight.T, target,
    ignore_index=ignore_index). The vocabulary is processed in chunks of
    chunk_size rows with a running logsumexp; the backward pass recomputes
    each chunk's logits instead of storing them, so peak extra memory is
    O(N * chunk_size) instead of O(N * V).

Defaults
    chunk_size = 1024 vocabulary rows per block (a memory/speed trade-off,
    not a paper value); ignore_index = -100 as in F.cross_entropy and
    cut_cross_entropy.linear_cross_entropy.

Differences from the official code
    apple/ml-cross-entropy (cut_cross_entropy/linear_cross_entropy.py) fuses
    the blocks in Triton kernels, keeps blocks of logits in on-chip SRAM and
    by default skips gradient entries below filter_eps ("auto"), so its
    gradient is approximate; it also supports bias, softcap, shift and
    vocabulary parallelism. This snippet is plain PyTorch, exact (no
    filtering), runs on any device, and supports first derivatives only
    (no double backward). float16/bfloat16 inputs accumulate the logsumexp
    in float32. Like F.cross_entropy, the mean over zero non-ignored targets
    is nan.
"""
import torch


class _ChunkedLinearCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, hidden, weight, target, chunk_size, ignore_index):
        acc_dtype = torch.float32 if hidden.dtype in (torch.float16, torch.bfloat16) else hidden.dtype
        n, vocab = hidden.shape[0], weight.shape[0]
        valid = target != ignore_index
        safe_target = torch.where(valid, target, torch.zeros_like(target))

        lse = torch.full((n,), float("-inf"), dtype=acc_dtype, device=hidden.device)
        target_logit = torch.zeros((n,), dtype=acc_dtype, device=hidden.device)
        for start in range(0, vocab, chunk_size):
            end = min(start + chunk_size, vocab)
            logits = (hidden @ weight[start:end].T).to(acc_dtype)
            lse = torch.logaddexp(lse, torch.logsumexp(logits, dim=1))
            in_chunk = (safe_target >= start) & (safe_target < end)
            local = (safe_target - start).clamp(0, end - start - 1)
            picked = logits.gather(1, local.unsqueeze(1)).squeeze(1)
            target_logit = torch.where(in_chunk, picked, target_logit)

        n_valid = valid.sum().to(acc_dtype)
        per_token = torch.where(valid, lse - target_logit, torch.zeros_like(lse))
        ctx.save_for_backward(hidden, weight, safe_target, valid, lse, n_valid)
        ctx.chunk_size = chunk_size
        return (per_token.sum() / n_valid).to(hidden.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        hidden, weight, target, valid, lse, n_valid = ctx.saved_tensors
        acc_dtype = lse.dtype
        vocab = weight.shape[0]
        # d loss / d logit_iv = (softmax_iv - [v == y_i]) / n_valid for valid rows, 0 otherwise.
        row_scale = torch.where(
            valid,
            grad_output.to(acc_dtype) / n_valid,
            torch.zeros((), dtype=acc_dtype, device=lse.device),
        )
        need_hidden, need_weight = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        hidden_acc = hidden.to(acc_dtype)
        grad_hidden = torch.zeros_like(hidden_acc) if need_hidden else None
        grad_weight = torch.zeros(weight.shape, dtype=acc_dtype, device=weight.device) if need_weight else None
        for start in range(0, vocab, ctx.chunk_size):
            end = min(start + ctx.chunk_size, vocab)
            w = weight[start:end]
            logits = (hidden @ w.T).to(acc_dtype)
            grad_logits = torch.exp(logits - lse.unsqueeze(1))
            in_chunk = ((target >= start) & (target < end)).to(acc_dtype)
            local = (target - start).clamp(0, end - start - 1)
            grad_logits.scatter_add_(1, local.unsqueeze(1), -in_chunk.unsqueeze(1))
            grad_logits = grad_logits * row_scale.unsqueeze(1)
            if need_hidden:
                grad_hidden += grad_logits @ w.to(acc_dtype)
            if need_weight:
                grad_weight[start:end] = grad_logits.T @ hidden_acc
        return (
            grad_hidden.to(hidden.dtype) if need_hidden else None,
            grad_weight.to(weight.dtype) if need_weight else None,
            None,
            None,
            None,
        )


def chunked_cross_entropy(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    target: torch.Tensor,
    chunk_size: int = 1024,
    ignore_index: int = -100,
) -> torch.Tensor:
    """Mean cross-entropy of hidden @ weight.T over non-ignored targets, computed in vocabulary chunks.

    Args:
        hidden: (N, H) hidden states (e.g. the last layer, flattened over batch and time).
        weight: (V, H) classifier / unembedding matrix, same dtype and device as hidden.
        target: (N,) int64 token ids in [0, V) or ignore_index.
        chunk_size: vocabulary rows per block, >= 1.
        ignore_index: target value that is skipped, as in F.cross_entropy.
    """
    if not isinstance(hidden, torch.Tensor) or not isinstance(weight, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("hidden, weight and target must be torch.Tensor")
    if hidden.dim() != 2 or hidden.shape[0] == 0 or hidden.shape[1] == 0:
        raise ValueError(f"hidden must be a non-empty (N, H) tensor, got shape {tuple(hidden.shape)}")
    if weight.dim() != 2 or weight.shape[0] == 0 or weight.shape[1] != hidden.shape[1]:
        raise ValueError(f"weight must be (V, {hidden.shape[1]}) with V >= 1, got shape {tuple(weight.shape)}")
    if not hidden.is_floating_point() or not weight.is_floating_point():
        raise TypeError(f"hidden and weight must be floating point, got {hidden.dtype} and {weight.dtype}")
    if hidden.dtype != weight.dtype:
        raise TypeError(f"hidden and weight must share a dtype, got {hidden.dtype} and {weight.dtype}")
    if hidden.device != weight.device or hidden.device != target.device:
        raise ValueError("hidden, weight and target must be on the same device")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 token ids, got {target.dtype}")
    if target.shape != hidden.shape[:1]:
        raise ValueError(f"target must have shape ({hidden.shape[0]},), got {tuple(target.shape)}")
    vocab = weight.shape[0]
    out_of_range = (target != ignore_index) & ((target < 0) | (target >= vocab))
    if bool(out_of_range.any()):
        raise ValueError(f"target values must lie in [0, {vocab - 1}] or equal ignore_index={ignore_index}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")

    return _ChunkedLinearCrossEntropy.apply(hidden, weight, target, chunk_size, ignore_index)
