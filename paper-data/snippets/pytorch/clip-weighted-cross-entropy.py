"""CLIP-weighted label smoothing: per-caption KL to a smoothed target, weighted by CLIPScore.

Paper: Unleashing Text-to-Image Diffusion Prior for Zero-Shot Image Captioning, arXiv:2501.00437
Concept: clip-weighted-cross-entropy

Formula
    For caption b with CLIPScore s_b (already multiplied by 2.5, as CLIP-S
    is usually reported) and each of its tokens t with target y:
        q_v = 1 - eps if v == y else eps / (V - 1)         (smoothed target)
        w_b = clip(alpha * s_b / 2.5, 0, 1)
        loss = mean over non-ignored tokens of  w_b * KL(q || softmax(z_bt))
    Synthetic image-caption pairs with low CLIPScore contribute less.

Defaults
    smoothing = 0.1 and alpha = 2.5 from the official config
    (jianjieluo/PCM-Net configs/mscoco_sd/vit_b32/train.yaml:
    LOSSES.LABELSMOOTHING 0.1, LOSSES.ALPHA 2.5); ignore_index = -100 stands
    for the official "target < 0" mask.

Differences from the official code
    WeightedLabelSmoothing (xmodaler/losses/weighted_label_smoothing.py)
    also has a focal-style gamma option (gamma_type word/batch/sent) that
    the released config leaves off; it is not included. The official code
    treats every negative target as padding; here only ignore_index is
    skipped and other negatives are an error. Note the smoothing spreads eps
    over the V - 1 wrong tokens, unlike PyTorch's label_smoothing (eps / V
    to every token).
"""
import torch
import torch.nn.functional as F


def clip_weighted_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    clip_scores: torch.Tensor,
    smoothing: float = 0.1,
    alpha: float = 2.5,
    ignore_index: int = -100,
) -> torch.Tensor:
    """CLIPScore-weighted label-smoothed KL, mean over non-ignored tokens.

    Args:
        logits: (B, T, V) token logits for B captions of length T.
        target: (B, T) int64 token ids in [0, V) or ignore_index.
        clip_scores: (B,) CLIPScore of each caption, on the x2.5 scale.
        smoothing: eps in [0, 1), spread over the V - 1 wrong tokens.
        alpha: weight scale; w = clip(alpha * s / 2.5, 0, 1), >= 0.
        ignore_index: target value that is skipped.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor) or not isinstance(clip_scores, torch.Tensor):
        raise TypeError("logits, target and clip_scores must be torch.Tensor")
    if logits.dim() != 3 or logits.shape[0] == 0 or logits.shape[1] == 0 or logits.shape[2] < 2:
        raise ValueError(f"logits must be (B, T, V) with V >= 2, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point() or not clip_scores.is_floating_point():
        raise TypeError(f"logits and clip_scores must be floating point, got {logits.dtype} and {clip_scores.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 token ids, got {target.dtype}")
    if target.shape != logits.shape[:2]:
        raise ValueError(f"target must have shape {tuple(logits.shape[:2])}, got {tuple(target.shape)}")
    if clip_scores.shape != logits.shape[:1]:
        raise ValueError(f"clip_scores must have shape ({logits.shape[0]},), got {tuple(clip_scores.shape)}")
    vocab = logits.shape[2]
    valid = target != ignore_index
    if bool((valid & ((target < 0) | (target >= vocab))).any()):
        raise ValueError(f"target values must lie in [0, {vocab - 1}] or equal ignore_index={ignore_index}")
    if not bool(valid.any()):
        raise ValueError("every target equals ignore_index; there is nothing to average")
    if not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")

    weight = (alpha * clip_scores.to(logits.dtype) / 2.5).clamp(0.0, 1.0)
    log_p = F.log_softmax(logits, dim=2)
    safe_target = torch.where(valid, target, torch.zeros_like(target))
    smoothed = torch.full_like(log_p, smoothing / (vocab - 1)).detach()
    smoothed.scatter_(2, safe_target.unsqueeze(2), 1.0 - smoothing)
    kl = (torch.xlogy(smoothed, smoothed) - smoothed * log_p).sum(dim=2)
    weighted = kl * weight.unsqueeze(1)
    return weighted[valid].mean()
