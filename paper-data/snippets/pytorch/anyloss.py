"""AnyLoss: turn a confusion-matrix metric into a differentiable loss.

Paper: AnyLoss: Transforming Classification Metrics into Loss Functions, arXiv:2405.14745
Concept: anyloss

Formula
    Binary classification with predicted probabilities p and labels y. The
    approximation function A(p) = sigmoid(L * (p - 0.5)) pushes p towards 0
    or 1, and the soft confusion matrix is
        TP = sum y * A,  FN = sum y * (1 - A),  FP = sum (1 - y) * A,  TN = sum (1 - y) * (1 - A)
    The loss is 1 - metric(TP, FN, FP, TN) over the whole batch:
        "accuracy":          (TP + TN) / N
        "f_beta":            (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)
        "gmean":             sqrt( TP / (TP + FN) * TN / (TN + FP) )
        "balanced_accuracy": ( TP / (TP + FN) + TN / (TN + FP) ) / 2

Defaults
    amplifier L = 73 and beta = 1 (F1) are the values of the authors'
    notebooks (doheonhan/anyloss_extension, "[Section 3.3] AnyLoss_org -
    Learning Curves.ipynb": L = 73, beta = 1).

Differences from the official code
    The notebooks hand-code each metric and its gradient in NumPy, or write
    Keras losses (AnyLoss_Code.ipynb) that add s = 1e-5 to denominators and
    drop the square root of the G-mean. Here autograd does the gradients,
    the G-mean keeps its square root (as in the Section 3.3 notebook), and
    denominators are exact; "gmean" and "balanced_accuracy" therefore need
    both classes in the batch (ValueError otherwise).
"""
import torch

_METRICS = ("accuracy", "f_beta", "gmean", "balanced_accuracy")


def anyloss(
    probs: torch.Tensor,
    target: torch.Tensor,
    metric: str = "f_beta",
    beta: float = 1.0,
    amplifier: float = 73.0,
) -> torch.Tensor:
    """1 - metric on the AnyLoss soft confusion matrix of one batch.

    Args:
        probs: (N,) predicted probabilities of the positive class, in [0, 1].
        target: (N,) binary labels 0/1 (int, bool or float).
        metric: "accuracy", "f_beta", "gmean" or "balanced_accuracy".
        beta: the F-beta weight (used by "f_beta" only), > 0.
        amplifier: L in A(p) = sigmoid(L * (p - 0.5)), > 0.
    """
    if not isinstance(probs, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("probs and target must be torch.Tensor")
    if probs.dim() != 1 or probs.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty (N,) tensor, got shape {tuple(probs.shape)}")
    if not probs.is_floating_point():
        raise TypeError(f"probs must be floating point, got {probs.dtype}")
    if target.shape != probs.shape:
        raise ValueError(f"target shape {tuple(target.shape)} must match probs shape {tuple(probs.shape)}")
    if target.is_complex():
        raise TypeError("target must be real-valued")
    y = target.to(probs.dtype)
    if bool(((y != 0) & (y != 1)).any()):
        raise ValueError("target values must be 0 or 1")
    if bool((probs < 0).any()) or bool((probs > 1).any()):
        raise ValueError("probs must lie in [0, 1]; apply a sigmoid to logits first")
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {', '.join(_METRICS)}; got {metric!r}")
    if beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta}")
    if amplifier <= 0:
        raise ValueError(f"amplifier must be > 0, got {amplifier}")

    a = torch.sigmoid(amplifier * (probs - 0.5))
    tp = (y * a).sum()
    fn = (y * (1 - a)).sum()
    fp = ((1 - y) * a).sum()
    tn = ((1 - y) * (1 - a)).sum()

    if metric == "accuracy":
        score = (tp + tn) / probs.shape[0]
    elif metric == "f_beta":
        b2 = beta * beta
        denominator = ((1 + b2) * tp + b2 * fn + fp).clamp_min(torch.finfo(probs.dtype).tiny)
        score = (1 + b2) * tp / denominator
    else:
        positives = y.sum()
        negatives = probs.shape[0] - positives
        if bool(positives == 0) or bool(negatives == 0):
            raise ValueError(f"metric {metric!r} needs at least one positive and one negative label in the batch")
        recall = tp / positives
        specificity = tn / negatives
        if metric == "gmean":
            score = (recall * specificity).clamp_min(torch.finfo(probs.dtype).tiny).sqrt()
        else:
            score = (recall + specificity) / 2
    return 1 - score
