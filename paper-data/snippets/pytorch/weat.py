"""WEAT: energy-weighted adversarial training loss (TRADES-style, weighted by sample energy).

Paper: Shedding More Light on Robust Classifiers under the lens of Energy-based Models, arXiv:2407.06315
Concept: weat

Formula
    With natural logits z, adversarial logits z_adv and target y:
        E(x) = -logsumexp_k z_k                     (energy of the natural input)
        w = sg[ 1 / softplus(|E(x)|) ]              (stop-gradient)
        WEAT = 1/B * sum_i w_i * [ CE(z_i or z_adv_i, y_i) + beta * KL( softmax(z_i) || softmax(z_adv_i) ) ]
    variant "nat" (WEAT_nat) uses CE on the natural logits, "adv" (WEAT_adv)
    on the adversarial logits. Gradients flow through both softmaxes of the
    KL term, as with nn.KLDivLoss in the official code.

Defaults
    beta = None picks the official default of the chosen variant:
    6.0 for "nat" (WEAT_nat) and 7.0 for "adv" (WEAT_adv)
    (OmnAI-Lab/Robust-Classifiers-under-the-lens-of-EBM, Adversarial ML/WEAT_loss.py).

Differences from the official code
    The official functions also generate the adversarial examples (10 PGD
    steps on the KL, step 0.007, epsilon 0.031) and call the model; here
    you pass both sets of logits, so any attack can be used. The official
    code takes log(softmax(z_adv) + 1e-12) and computes softplus as
    log(1 + exp(|E|)), which overflows to inf (weight 0) for |E| > 88 in
    float32; here log_softmax and F.softplus are exact.
"""
import torch
import torch.nn.functional as F


def weat_loss(
    logits: torch.Tensor,
    adv_logits: torch.Tensor,
    target: torch.Tensor,
    beta: "float | None" = None,
    variant: str = "nat",
) -> torch.Tensor:
    """Energy-weighted TRADES loss, mean over the batch.

    Args:
        logits: (N, C) logits of the natural inputs.
        adv_logits: (N, C) logits of the adversarial inputs.
        target: (N,) int64 class indices in [0, C).
        beta: weight of the KL term, >= 0; None means 6.0 for "nat" and 7.0 for "adv".
        variant: "nat" (CE on natural logits) or "adv" (CE on adversarial logits).
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(adv_logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits, adv_logits and target must be torch.Tensor")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, C) tensor, got shape {tuple(logits.shape)}")
    if adv_logits.shape != logits.shape:
        raise ValueError(f"adv_logits shape {tuple(adv_logits.shape)} must match logits {tuple(logits.shape)}")
    if not logits.is_floating_point() or not adv_logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype} and {adv_logits.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 class indices, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    num_classes = logits.shape[1]
    if bool((target < 0).any()) or bool((target >= num_classes).any()):
        raise ValueError(f"target values must lie in [0, {num_classes - 1}]")
    if variant not in ("nat", "adv"):
        raise ValueError(f"variant must be 'nat' or 'adv', got {variant!r}")
    if beta is None:
        beta = 6.0 if variant == "nat" else 7.0
    if beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")

    with torch.no_grad():
        energy = -torch.logsumexp(logits, dim=1)
        weight = 1.0 / F.softplus(energy.abs())
    ce = F.cross_entropy(logits if variant == "nat" else adv_logits, target, reduction="none")
    log_p_nat = F.log_softmax(logits, dim=1)
    log_p_adv = F.log_softmax(adv_logits, dim=1)
    kl = (log_p_nat.exp() * (log_p_nat - log_p_adv)).sum(dim=1)
    return (weight * (ce + beta * kl)).mean()
