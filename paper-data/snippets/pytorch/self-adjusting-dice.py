"""Self-adjusting Dice loss (DSC) for data-imbalanced NLP classification.

Paper: Dice Loss for Data-imbalanced NLP Tasks, arXiv:1911.02855
Concept: self-adjusting-dice

Formula
    With probabilities p (softmax over classes, or sigmoid for one logit),
    one-hot targets y, the self-adjusting factor (1 - p)^alpha and smoothing
    gamma, per class c over the batch:
        p~ = (1 - p)^alpha * p
        DSC_c = 1 - (2 * sum_i p~_ic * y_ic + gamma) / (sum_i p~_ic + sum_i y_ic + gamma)
    squared denominators (sum p~^2 + sum y^2) when square_denominator=True.
    The multi-class loss is the sum of DSC_c over classes, as in the
    official code; the binary form (one logit per sample) is a single DSC.
    alpha = 0 gives the plain soft Dice loss; alpha > 0 down-weights easy
    examples (p close to 1), like the focal factor.

Defaults
    alpha = 0.0, smooth = 1e-4 and with_logits = True are the defaults of the
    official DiceLoss class (ShannonAI/dice_loss_for_NLP loss/dice_loss.py).
    The reference notes give smooth = 1, alpha = 0.01 for the paper's
    training scripts; tune per task.

Differences from the official code
    In the official multi-class path each class column is reshaped to
    (N, 1) before _compute_dice_loss, so the intersection is per sample
    while the denominator sums over the whole batch; after the final mean
    over samples its value is sum_c [1 - (2 * I_c / N + gamma) / (D_c + gamma)],
    and with square_denominator the denominator becomes per sample too.
    The paper's formula and the official binary path use batch sums in both
    places; this snippet uses batch sums in both places for every path.
    OHEM (ohem_ratio) and the token mask are not included: drop padded
    positions before calling.
"""
import torch
import torch.nn.functional as F


def _dsc(p: torch.Tensor, y: torch.Tensor, alpha: float, smooth: float, square_denominator: bool) -> torch.Tensor:
    """1 - soft Dice coefficient over dim 0 (the batch), one value per column."""
    # The clamp keeps the gradient finite when p rounds to 1 and 0 < alpha < 1.
    adjusted = torch.pow((1 - p).clamp_min(torch.finfo(p.dtype).tiny), alpha) * p
    intersection = (adjusted * y).sum(dim=0)
    if square_denominator:
        denominator = adjusted.pow(2).sum(dim=0) + y.pow(2).sum(dim=0)
    else:
        denominator = adjusted.sum(dim=0) + y.sum(dim=0)
    return 1 - (2 * intersection + smooth) / (denominator + smooth)


def self_adjusting_dice_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 0.0,
    smooth: float = 1e-4,
    square_denominator: bool = False,
    with_logits: bool = True,
) -> torch.Tensor:
    """Self-adjusting Dice loss over one batch.

    Args:
        logits: (N, C) scores for C >= 2 classes (softmax), or (N,) / (N, 1) for the binary form (sigmoid).
            With with_logits=False these are probabilities instead.
        target: (N,) int64 class indices for the multi-class form; (N,) or (N, 1) 0/1 labels for the binary form.
        alpha: self-adjusting exponent on (1 - p), >= 0.
        smooth: gamma added to numerator and denominator, > 0 keeps empty classes finite.
        square_denominator: use squared terms in the denominator (V-Net style).
        with_logits: apply softmax/sigmoid first; False means logits already hold probabilities.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits and target must be torch.Tensor")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if logits.dim() == 0 or logits.shape[0] == 0:
        raise ValueError("logits must hold at least one sample")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    if smooth < 0:
        raise ValueError(f"smooth must be >= 0, got {smooth}")

    binary = logits.dim() == 1 or (logits.dim() == 2 and logits.shape[1] == 1)
    if binary:
        scores = logits.reshape(-1)
        if target.dim() > 2 or target.numel() != scores.numel():
            raise ValueError(f"binary target must have {scores.numel()} labels, got shape {tuple(target.shape)}")
        if target.is_complex():
            raise TypeError("target must be real-valued")
        labels = target.reshape(-1).to(logits.dtype)
        if bool(((labels != 0) & (labels != 1)).any()):
            raise ValueError("binary target values must be 0 or 1")
        probs = torch.sigmoid(scores) if with_logits else scores
        if not with_logits and (bool((probs < 0).any()) or bool((probs > 1).any())):
            raise ValueError("with_logits=False expects probabilities in [0, 1]")
        return _dsc(probs.unsqueeze(1), labels.unsqueeze(1), alpha, smooth, square_denominator).sum()

    if logits.dim() != 2:
        raise ValueError(f"logits must be (N, C) or (N,), got shape {tuple(logits.shape)}")
    if target.dtype != torch.int64:
        raise TypeError(f"multi-class target must hold int64 class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    num_classes = logits.shape[1]
    if bool((target < 0).any()) or bool((target >= num_classes).any()):
        raise ValueError(f"target values must lie in [0, {num_classes - 1}]")
    if with_logits:
        probs = F.softmax(logits, dim=1)
    else:
        probs = logits
        if bool((probs < 0).any()) or bool((probs > 1).any()):
            raise ValueError("with_logits=False expects probabilities in [0, 1]")
    one_hot = F.one_hot(target, num_classes).to(logits.dtype)
    return _dsc(probs, one_hot, alpha, smooth, square_denominator).sum()
