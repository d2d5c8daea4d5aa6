"""Snippets of the modern vision losses: SigLIP, CLIP, KoLeo, Barlow Twins, VICReg, GIoU, CIoU.

Hand-computed values, identities from the papers and reference code, and gradients in float64.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import autograd_grad, load_snippet, numerical_grad

COVERS = ("siglip", "clip", "koleo", "barlow-twins", "vicreg", "giou", "ciou")
sig = load_snippet("siglip")
clp = load_snippet("clip")
kol = load_snippet("koleo")
bt = load_snippet("barlow-twins")
vic = load_snippet("vicreg")
giou = load_snippet("giou")
ciou = load_snippet("ciou")
nce = load_snippet("info-nce")

D64 = torch.float64


def softplus(x: float) -> float:
    return math.log1p(math.exp(x))


# ------------------------------------------------------------------ SigLIP


def test_siglip_hand_values():
    # Orthonormal pairs: cos = 1 on the diagonal, 0 off it. Logits: t + b on the diagonal, b elsewhere.
    img = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=D64)
    txt = torch.tensor([[2.0, 0.0], [0.0, 3.0]], dtype=D64)  # normalised inside
    t, b = 10.0, -10.0
    # -log sigmoid(t + b) per positive, -log sigmoid(-b) per negative; sum / N with N = 2.
    expected = (2 * softplus(-(t + b)) + 2 * softplus(b)) / 2
    assert sig.siglip_loss(img, txt, t, b).item() == pytest.approx(expected, rel=1e-12)
    assert sig.siglip_loss(img, txt).item() == pytest.approx(expected, rel=1e-12)


def test_siglip_is_bce_with_identity_labels_summed_over_pairs_divided_by_n():
    torch.manual_seed(0)
    img, txt = torch.randn(5, 8, dtype=D64), torch.randn(5, 8, dtype=D64)
    t, b = 3.7, -2.1
    logits = t * F.normalize(img, dim=1) @ F.normalize(txt, dim=1).T + b
    expected = F.binary_cross_entropy_with_logits(logits, torch.eye(5, dtype=D64), reduction="sum") / 5
    assert torch.allclose(sig.siglip_loss(img, txt, t, b), expected, rtol=1e-12)


def test_siglip_matching_pairs_score_lower_than_shuffled_ones():
    torch.manual_seed(1)
    img = torch.randn(6, 16, dtype=D64)
    aligned = sig.siglip_loss(img, img.clone(), 10.0, -10.0)
    shuffled = sig.siglip_loss(img, img[torch.tensor([1, 2, 3, 4, 5, 0])], 10.0, -10.0)
    assert aligned.item() < shuffled.item()


def test_siglip_gradcheck_features_temperature_and_bias():
    torch.manual_seed(2)
    img = torch.randn(4, 3, dtype=D64, requires_grad=True)
    txt = torch.randn(4, 3, dtype=D64, requires_grad=True)
    log_t = torch.tensor(math.log(10.0), dtype=D64, requires_grad=True)
    bias = torch.tensor(-10.0, dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda i, x, lt, bb: sig.siglip_loss(i, x, lt.exp(), bb), (img, txt, log_t, bias))


# ------------------------------------------------------------------ CLIP


def test_clip_hand_values():
    # cos matrix [[1, 0], [0, 1]] scaled by s: each row and column has p(correct) = e^s / (e^s + 1).
    img = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=D64)
    s = 2.0
    expected = -math.log(math.exp(s) / (math.exp(s) + 1))
    assert clp.clip_loss(img, img * 5, logit_scale=s).item() == pytest.approx(expected, rel=1e-12)


def test_clip_identical_embeddings_give_log_n():
    # All similarities equal: each softmax is uniform over N candidates.
    emb = torch.ones(7, 3, dtype=D64)
    assert clp.clip_loss(emb, emb).item() == pytest.approx(math.log(7), rel=1e-12)


def test_clip_is_the_mean_of_two_info_nce_directions():
    torch.manual_seed(3)
    img, txt = torch.randn(6, 5, dtype=D64), torch.randn(6, 5, dtype=D64)
    scale = 14.0
    sims = F.normalize(img, dim=1) @ F.normalize(txt, dim=1).T
    labels = torch.arange(6)
    expected = (nce.info_nce_loss(sims, labels, 1 / scale) + nce.info_nce_loss(sims.T, labels, 1 / scale)) / 2
    assert torch.allclose(clp.clip_loss(img, txt, scale), expected, rtol=1e-12)
    assert clp.clip_loss(txt, img, scale).item() == pytest.approx(clp.clip_loss(img, txt, scale).item(), rel=1e-12)


def test_clip_default_scale_is_open_clip_initial_value():
    torch.manual_seed(4)
    img, txt = torch.randn(3, 4, dtype=D64), torch.randn(3, 4, dtype=D64)
    assert clp.clip_loss(img, txt).item() == pytest.approx(clp.clip_loss(img, txt, math.exp(math.log(1 / 0.07))).item())


def test_clip_gradcheck():
    torch.manual_seed(5)
    img = torch.randn(4, 3, dtype=D64, requires_grad=True)
    txt = torch.randn(4, 3, dtype=D64, requires_grad=True)
    scale = torch.tensor(2.5, dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(clp.clip_loss, (img, txt, scale))


# ------------------------------------------------------------------ KoLeo


def test_koleo_hand_values_on_the_unit_circle():
    # Angles 0, 90, 180 degrees: every nearest neighbour is at distance sqrt(2).
    pts = torch.tensor([[1.0, 0.0], [0.0, 3.0], [-2.0, 0.0]], dtype=D64)
    assert kol.koleo_loss(pts, eps=1e-300).item() == pytest.approx(-0.5 * math.log(2.0), rel=1e-12)
    # Two antipodal points: distance 2.
    assert kol.koleo_loss(torch.tensor([[0.0, 1.0], [0.0, -4.0]], dtype=D64), eps=1e-300).item() == pytest.approx(
        -math.log(2.0), rel=1e-12
    )


def test_koleo_prefers_spread_features():
    clustered = torch.tensor([[1.0, 0.0], [1.0, 0.05], [1.0, -0.05], [1.0, 0.1]], dtype=D64)
    spread = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], dtype=D64)
    assert kol.koleo_loss(spread).item() < kol.koleo_loss(clustered).item()


def test_koleo_duplicate_rows_are_finite_and_dominated_by_eps():
    dup = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=D64, requires_grad=True)
    loss = kol.koleo_loss(dup, eps=1e-8)
    assert math.isfinite(loss.item()) and loss.item() > 10
    loss.backward()
    assert torch.isfinite(dup.grad).all()


def test_koleo_gradcheck():
    torch.manual_seed(6)
    x = torch.randn(6, 4, dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(kol.koleo_loss, (x,))


# ------------------------------------------------------------------ Barlow Twins


def test_barlow_twins_hand_values():
    # Batch norm of [1, -1] and [0, 2] (N = 2, eps = 0) gives [1, -1] and [-1, 1]:
    # C = [[1, -1], [-1, 1]], so the diagonal term is 0 and the off-diagonal sum is 2.
    z = torch.tensor([[1.0, 0.0], [-1.0, 2.0]], dtype=D64)
    assert bt.barlow_twins_loss(z, z, lambd=0.5, eps=0.0).item() == pytest.approx(1.0, rel=1e-12)
    assert bt.barlow_twins_loss(z, z, eps=0.0).item() == pytest.approx(2 * 0.0051, rel=1e-12)


def test_barlow_twins_is_zero_for_identical_decorrelated_views():
    z = torch.tensor([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]], dtype=D64) * 3 + 7
    assert bt.barlow_twins_loss(z, z.clone(), eps=0.0).item() == pytest.approx(0.0, abs=1e-12)


def test_barlow_twins_matches_the_cross_correlation_written_out():
    torch.manual_seed(7)
    a, b = torch.randn(8, 3, dtype=D64), torch.randn(8, 3, dtype=D64)
    lambd = 0.3
    za = (a - a.mean(0)) / a.var(0, unbiased=False).sqrt()
    zb = (b - b.mean(0)) / b.var(0, unbiased=False).sqrt()
    expected = 0.0
    for i in range(3):
        for j in range(3):
            c_ij = (za[:, i] * zb[:, j]).sum().item() / 8
            expected += (1 - c_ij) ** 2 if i == j else lambd * c_ij**2
    assert bt.barlow_twins_loss(a, b, lambd=lambd, eps=0.0).item() == pytest.approx(expected, rel=1e-10)


def test_barlow_twins_gradcheck():
    torch.manual_seed(8)
    a = torch.randn(5, 3, dtype=D64, requires_grad=True)
    b = torch.randn(5, 3, dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, y: bt.barlow_twins_loss(x, y, lambd=0.2), (a, b))


# ------------------------------------------------------------------ VICReg


def test_vicreg_collapsed_embeddings_pay_the_variance_hinge():
    # Constant embeddings: invariance 0, covariance 0, std = sqrt(1e-4) = 0.01 in every dimension.
    z = torch.ones(4, 3, dtype=D64)
    assert vic.vicreg_loss(z, z.clone()).item() == pytest.approx(25.0 * (1 - 0.01), rel=1e-12)


def test_vicreg_is_zero_for_identical_decorrelated_unit_variance_views():
    # Columns with unbiased variance 4/3 >= 1 and zero covariance.
    z = torch.tensor([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]], dtype=D64)
    assert vic.vicreg_loss(z, z.clone()).item() == pytest.approx(0.0, abs=1e-15)


def test_vicreg_shift_only_changes_the_invariance_term():
    torch.manual_seed(9)
    z = torch.randn(10, 4, dtype=D64)
    base = vic.vicreg_loss(z, z.clone())
    shifted = vic.vicreg_loss(z, z + 0.5)
    assert (shifted - base).item() == pytest.approx(25.0 * 0.25, rel=1e-10)


def test_vicreg_covariance_term_hand_value():
    # Two identical columns [1, -1, 1, -1]: unbiased variance 4/3, covariance 4/3 off the diagonal.
    col = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=D64)
    z = torch.stack((col, col), dim=1)
    cov_per_branch = 2 * (4 / 3) ** 2 / 2
    assert vic.vicreg_loss(z, z.clone(), sim_coeff=0.0, std_coeff=0.0).item() == pytest.approx(
        2 * cov_per_branch, rel=1e-12
    )


def test_vicreg_gradcheck():
    torch.manual_seed(10)
    a = torch.randn(6, 3, dtype=D64, requires_grad=True)
    b = torch.randn(6, 3, dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(vic.vicreg_loss, (a, b))


# ------------------------------------------------------------------ GIoU


def test_giou_identical_boxes_give_zero():
    boxes = torch.tensor([[0.0, 0.0, 2.0, 3.0], [1.0, 1.0, 5.0, 2.0]], dtype=D64)
    assert giou.generalized_box_iou_loss(boxes, boxes.clone(), reduction="none").tolist() == pytest.approx([0.0, 0.0], abs=1e-6)


def test_giou_hand_values():
    # Overlap: intersection 1, union 7, enclosing 9. Disjoint: union 2, enclosing 3.
    pred = torch.tensor([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 1.0, 1.0]], dtype=D64)
    target = torch.tensor([[1.0, 1.0, 3.0, 3.0], [2.0, 0.0, 3.0, 1.0]], dtype=D64)
    expected = [1 - 1 / 7 + 2 / 9, 1 + 1 / 3]
    per_pair = giou.generalized_box_iou_loss(pred, target, reduction="none", eps=1e-300)
    assert per_pair.tolist() == pytest.approx(expected, rel=1e-12)
    assert giou.generalized_box_iou_loss(pred, target, eps=1e-300).item() == pytest.approx(sum(expected) / 2, rel=1e-12)
    assert giou.generalized_box_iou_loss(pred, target, reduction="sum", eps=1e-300).item() == pytest.approx(
        sum(expected), rel=1e-12
    )


def test_giou_keeps_a_gradient_for_disjoint_boxes_and_tends_to_two():
    pred = torch.tensor([[0.0, 0.0, 1.0, 1.0]], dtype=D64, requires_grad=True)
    target = torch.tensor([[3.0, 0.0, 4.0, 1.0]], dtype=D64)
    giou.generalized_box_iou_loss(pred, target).backward()
    assert pred.grad.abs().sum().item() > 0
    far = giou.generalized_box_iou_loss(
        torch.tensor([[0.0, 0.0, 1.0, 1.0]], dtype=D64), torch.tensor([[1e4, 1e4, 1e4 + 1, 1e4 + 1]], dtype=D64)
    )
    assert 1.99 < far.item() < 2.0


def test_giou_cxcywh_equals_the_converted_xyxy_boxes():
    cxcywh1 = torch.tensor([[1.0, 1.0, 2.0, 2.0]], dtype=D64)
    cxcywh2 = torch.tensor([[2.0, 2.0, 2.0, 2.0]], dtype=D64)
    xyxy1 = torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=D64)
    xyxy2 = torch.tensor([[1.0, 1.0, 3.0, 3.0]], dtype=D64)
    assert giou.generalized_box_iou_loss(cxcywh1, cxcywh2, box_format="cxcywh").item() == pytest.approx(
        giou.generalized_box_iou_loss(xyxy1, xyxy2).item(), rel=1e-12
    )
    # The same numbers read as corners are not valid boxes, which is the mistake the format guards against.
    with pytest.raises(ValueError):
        giou.generalized_box_iou_loss(torch.tensor([[2.0, 2.0, 2.0, 1.0]]), torch.tensor([[0.0, 0.0, 1.0, 1.0]]))


def test_giou_is_symmetric_and_empty_mean_is_zero():
    torch.manual_seed(11)
    xy = torch.rand(5, 2, dtype=D64)
    a = torch.cat((xy, xy + torch.rand(5, 2, dtype=D64) + 0.1), dim=1)
    xy = torch.rand(5, 2, dtype=D64)
    b = torch.cat((xy, xy + torch.rand(5, 2, dtype=D64) + 0.1), dim=1)
    assert torch.allclose(giou.generalized_box_iou_loss(a, b, "none"), giou.generalized_box_iou_loss(b, a, "none"))
    empty = giou.generalized_box_iou_loss(torch.zeros(0, 4), torch.zeros(0, 4))
    assert empty.item() == 0.0


def test_giou_gradcheck():
    pred = torch.tensor([[0.1, 0.2, 2.3, 2.1], [0.0, 0.0, 1.0, 1.5]], dtype=D64, requires_grad=True)
    target = torch.tensor([[1.1, 0.9, 3.2, 3.4], [2.0, 0.3, 3.1, 1.2]], dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(giou.generalized_box_iou_loss, (pred, target))


# ------------------------------------------------------------------ CIoU


def test_ciou_identical_boxes_give_zero():
    boxes = torch.tensor([[0.0, 0.0, 2.0, 3.0], [1.0, 1.0, 5.0, 2.0]], dtype=D64)
    assert ciou.complete_box_iou_loss(boxes, boxes.clone(), reduction="none").tolist() == pytest.approx([0.0, 0.0], abs=1e-6)


def test_ciou_hand_values():
    # Same aspect ratio (v = 0): IoU 1/7, centres (1, 1) and (2, 2), enclosing diagonal^2 = 18.
    pred = torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=D64)
    target = torch.tensor([[1.0, 1.0, 3.0, 3.0]], dtype=D64)
    assert ciou.complete_box_iou_loss(pred, target, eps=1e-300).item() == pytest.approx(1 - 1 / 7 + 2 / 18, rel=1e-12)
    # Different aspect ratio: 2x2 against 4x2 sharing a corner. IoU 1/2, rho^2 = 1, c^2 = 20.
    pred = torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=D64)
    target = torch.tensor([[0.0, 0.0, 4.0, 2.0]], dtype=D64)
    v = 4 / math.pi**2 * (math.atan(2.0) - math.atan(1.0)) ** 2
    alpha = v / (1 - 0.5 + v)
    expected = 1 - 0.5 + 1 / 20 + alpha * v
    assert ciou.complete_box_iou_loss(pred, target, eps=1e-300).item() == pytest.approx(expected, rel=1e-12)


def test_ciou_with_equal_aspect_ratios_is_diou_and_below_giou_for_overlaps():
    pred = torch.tensor([[0.0, 0.0, 2.0, 1.0]], dtype=D64)
    target = torch.tensor([[1.0, 0.5, 3.0, 1.5]], dtype=D64)
    # IoU = 0.5 / 3.5; centres (1, 0.5) and (2, 1): rho^2 = 1.25; enclosing 3 x 1.5: c^2 = 11.25.
    diou = 1 - 0.5 / 3.5 + 1.25 / 11.25
    assert ciou.complete_box_iou_loss(pred, target, eps=1e-300).item() == pytest.approx(diou, rel=1e-12)


def test_ciou_cxcywh_equals_the_converted_xyxy_boxes():
    cxcywh = (torch.tensor([[1.0, 1.0, 2.0, 2.0]], dtype=D64), torch.tensor([[2.0, 1.0, 4.0, 2.0]], dtype=D64))
    xyxy = (torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=D64), torch.tensor([[0.0, 0.0, 4.0, 2.0]], dtype=D64))
    assert ciou.complete_box_iou_loss(*cxcywh, box_format="cxcywh").item() == pytest.approx(
        ciou.complete_box_iou_loss(*xyxy).item(), rel=1e-12
    )


def _ciou_with_fixed_alpha(pred: torch.Tensor, target: torch.Tensor, alpha: float) -> torch.Tensor:
    """An independent CIoU for one pair, with alpha held at a given constant."""
    x1, y1, x2, y2 = pred.unbind(-1)
    a1, b1, a2, b2 = target.unbind(-1)
    inter = (torch.min(x2, a2) - torch.max(x1, a1)).clamp(min=0) * (torch.min(y2, b2) - torch.max(y1, b1)).clamp(min=0)
    union = (x2 - x1) * (y2 - y1) + (a2 - a1) * (b2 - b1) - inter
    iou = inter / union
    c2 = (torch.max(x2, a2) - torch.min(x1, a1)) ** 2 + (torch.max(y2, b2) - torch.min(y1, b1)) ** 2
    rho2 = ((x1 + x2) / 2 - (a1 + a2) / 2) ** 2 + ((y1 + y2) / 2 - (b1 + b2) / 2) ** 2
    v = 4 / math.pi**2 * (torch.atan((a2 - a1) / (b2 - b1)) - torch.atan((x2 - x1) / (y2 - y1))) ** 2
    return (1 - iou + rho2 / c2 + alpha * v).sum()


def test_ciou_gradient_treats_alpha_as_a_constant():
    pred = torch.tensor([[0.2, 0.1, 2.5, 1.9]], dtype=D64)
    target = torch.tensor([[1.0, 0.4, 4.1, 2.2]], dtype=D64)
    w, h, wg, hg = 2.3, 1.8, 3.1, 1.8
    inter = (2.5 - 1.0) * (1.9 - 0.4)
    iou = inter / (w * h + wg * hg - inter)
    v = 4 / math.pi**2 * (math.atan(wg / hg) - math.atan(w / h)) ** 2
    alpha = v / (1 - iou + v)
    analytic = autograd_grad(lambda p: ciou.complete_box_iou_loss(p, target, eps=1e-300), pred)
    numeric = numerical_grad(lambda p: _ciou_with_fixed_alpha(p, target, alpha), pred)
    assert torch.allclose(analytic, numeric, atol=1e-7)


def test_ciou_gradcheck_where_alpha_vanishes():
    # Equal aspect ratios give v = 0 and alpha = 0, where the detached alpha changes no derivative.
    pred = torch.tensor([[0.1, 0.2, 2.1, 1.2], [0.0, 0.0, 1.0, 1.0]], dtype=D64, requires_grad=True)
    target = torch.tensor([[1.3, 0.9, 5.3, 2.9], [2.0, 0.5, 3.5, 2.0]], dtype=D64, requires_grad=True)
    assert torch.autograd.gradcheck(ciou.complete_box_iou_loss, (pred, target))


# ------------------------------------------------------------------ shared


def test_float32_in_float32_out():
    x, y = torch.randn(4, 3), torch.randn(4, 3)
    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
    outputs = [
        sig.siglip_loss(x, y), clp.clip_loss(x, y), kol.koleo_loss(x), bt.barlow_twins_loss(x, y),
        vic.vicreg_loss(x, y), giou.generalized_box_iou_loss(boxes, boxes), ciou.complete_box_iou_loss(boxes, boxes),
    ]
    assert all(o.dtype == torch.float32 and o.dim() == 0 for o in outputs)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: sig.siglip_loss(torch.randn(3, 2), torch.randn(4, 2)), ValueError),
        (lambda: sig.siglip_loss(torch.randn(3, 2), torch.randn(3, 2), temperature=0.0), ValueError),
        (lambda: sig.siglip_loss(torch.ones(3, 2, dtype=torch.long), torch.ones(3, 2, dtype=torch.long)), TypeError),
        (lambda: clp.clip_loss(torch.randn(3), torch.randn(3)), ValueError),
        (lambda: clp.clip_loss(torch.randn(3, 2), torch.randn(3, 2), logit_scale=-1.0), ValueError),
        (lambda: kol.koleo_loss(torch.randn(1, 4)), ValueError),
        (lambda: kol.koleo_loss(torch.randn(3, 4), eps=0.0), ValueError),
        (lambda: bt.barlow_twins_loss(torch.randn(1, 4), torch.randn(1, 4)), ValueError),
        (lambda: bt.barlow_twins_loss(torch.randn(3, 4), torch.randn(3, 5)), ValueError),
        (lambda: vic.vicreg_loss(torch.randn(3, 4), torch.randn(3, 4), std_coeff=-1.0), ValueError),
        (lambda: vic.vicreg_loss([[1.0]], torch.randn(1, 1)), TypeError),
        (lambda: giou.generalized_box_iou_loss(torch.zeros(2, 3), torch.zeros(2, 3)), ValueError),
        (lambda: giou.generalized_box_iou_loss(torch.zeros(2, 4), torch.zeros(2, 4), reduction="avg"), ValueError),
        (lambda: giou.generalized_box_iou_loss(torch.zeros(2, 4), torch.zeros(2, 4), box_format="xywh"), ValueError),
        (lambda: ciou.complete_box_iou_loss(torch.zeros(1, 4), torch.zeros(1, 4)), ValueError),
        (lambda: ciou.complete_box_iou_loss(torch.zeros(1, 4, dtype=torch.long), torch.zeros(1, 4, dtype=torch.long)), TypeError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
