"""SatImp: saturation-and-importance reweighted token loss for LLM unlearning.

Paper: Exploring Criteria of Loss Reweighting to Enhance LLM Unlearning, arXiv:2505.11953
Concept: satimp

Formula
    For each forget-set token t with cross-entropy l_t and p_t = exp(-l_t):
        w_t = sg[ p_t^beta1 * (1 - p_t)^beta2 ]      (stop-gradient)
        SatImp = -(1/|T|) * sum_t w_t * l_t
    Minimising it is weighted gradient ascent on the forget tokens. The
    p^beta1 factor is the saturation weight of the official SimSat variant
    (tokens the model still predicts well weigh more) and (1 - p)^beta2 the
    importance-style weight of its SimImp variant; SatImp multiplies them.

Defaults
    beta1 = 5.0 and beta2 = 0.1 follow the reference notes for the paper.
    They are not defaults of the official script: the README says "For
    SatImp, hyper_param is beta1, beta is beta2", config/forget_sat.yaml sets
    beta: 0.2 with hyper_param unset, the README example runs beta=0.3
    hyper_param=0.3, and the code's fallback (beta = 5 when hyper_param is
    unset) applies to beta2, the exponent of (1 - p).

Differences from the official code
    The weight formula and the sign match forget_sat.py / dataloader_sat.py
    (loss_type "satimp": weight_part = p^hyper_param, weight_ce =
    (1 - p)^beta, loss = -mean(weight * lm_loss) over tokens with label
    != -100). The official code shifts logits and labels and drops -100
    positions itself; pass already shifted, filtered (N, V) logits here.
    No retain-set term is included (the official "satimp_gd" adds one).
"""
import torch
import torch.nn.functional as F


def satimp_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    beta1: float = 5.0,
    beta2: float = 0.1,
) -> torch.Tensor:
    """SatImp forget loss (negative reweighted CE), mean over tokens.

    Args:
        logits: (N, V) unnormalised scores, one row per forget-set token.
        target: (N,) int64 token ids in [0, V).
        beta1: exponent of p, >= 0.
        beta2: exponent of 1 - p, >= 0.
    """
    if not isinstance(logits, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("logits and target must be torch.Tensor")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty (N, V) tensor, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point, got {logits.dtype}")
    if target.dtype != torch.int64:
        raise TypeError(f"target must hold int64 token ids, got {target.dtype}")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target must have shape ({logits.shape[0]},), got {tuple(target.shape)}")
    vocab = logits.shape[1]
    if bool((target < 0).any()) or bool((target >= vocab).any()):
        raise ValueError(f"target values must lie in [0, {vocab - 1}]; drop ignored (-100) positions first")
    if beta1 < 0 or beta2 < 0:
        raise ValueError(f"beta1 and beta2 must be >= 0, got beta1={beta1}, beta2={beta2}")

    token_ce = F.cross_entropy(logits, target, reduction="none")
    with torch.no_grad():
        p = torch.exp(-token_ce)
        weight = p.pow(beta1) * (1 - p).pow(beta2)
    return -(weight * token_ce).mean()
