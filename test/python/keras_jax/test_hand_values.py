"""Hand-computed values, the ones the PyTorch tests use, for the JAX and the Keras snippets.

Every test runs once per framework (float32, so the tolerance is float32's). The comments give
the arithmetic; see test/python/test_*.py for the same cases under PyTorch.
"""
import math

import numpy as np
import pytest

from framework_support import FRAMEWORKS, load_snippet

COVERS = (
    "focal", "dice", "tversky", "label-smoothing", "z-loss", "info-nce", "supcon",
    "generalized-cross-entropy", "poly-loss", "symmetric-cross-entropy", "dpo",
    "knowledge-distillation", "siglip", "clip", "giou", "vae-kl",
)
REL = 2e-6


def f32(a):
    return np.asarray(a, dtype=np.float32)


def i32(a):
    return np.asarray(a, dtype=np.int32)


def value(x):
    return np.asarray(x).tolist()


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def softplus(x):
    return math.log1p(math.exp(x))


# Softmax rows: [1/4, 3/4] and [4/5, 1/5].
FOCAL_LOGITS = f32([[0.0, math.log(3.0)], [math.log(4.0), 0.0]])
FOCAL_TARGET = i32([1, 1])
FOCAL_HAND = [-(1 / 4) ** 2 * math.log(3 / 4), -(4 / 5) ** 2 * math.log(1 / 5)]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_softmax_focal_hand_values(framework):
    m = load_snippet(framework, "focal")
    assert value(m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, reduction="none")) == pytest.approx(FOCAL_HAND, rel=REL)
    assert value(m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET)) == pytest.approx(sum(FOCAL_HAND) / 2, rel=REL)
    assert value(m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, reduction="sum")) == pytest.approx(sum(FOCAL_HAND), rel=REL)
    assert value(m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, alpha=0.25)) == pytest.approx(0.25 * sum(FOCAL_HAND) / 2, rel=REL)
    assert value(m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, alpha=f32([0.1, 0.9]))) == pytest.approx(0.9 * sum(FOCAL_HAND) / 2, rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sigmoid_focal_hand_values(framework):
    # p = sigmoid([0, ln 3]) = [1/2, 3/4]; targets [1, 0] give p_t = [1/2, 1/4].
    m = load_snippet(framework, "focal")
    logits = f32([0.0, math.log(3.0)])
    target = f32([1.0, 0.0])
    first = 0.25 * (1 - 0.5) ** 2 * math.log(2.0)
    second = 0.75 * (1 - 0.25) ** 2 * math.log(4.0)
    assert value(m.sigmoid_focal_loss(logits, target)) == pytest.approx((first + second) / 2, rel=REL)
    no_alpha = m.sigmoid_focal_loss(logits, target, alpha=None, reduction="none")
    assert value(no_alpha) == pytest.approx([first / 0.25, second / 0.75], rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_focal_rejects_what_the_pytorch_snippet_rejects_statically(framework):
    m = load_snippet(framework, "focal")
    with pytest.raises(TypeError):
        m.focal_loss(FOCAL_LOGITS, f32([1, 1]))
    with pytest.raises(ValueError):
        m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, gamma=-1.0)
    with pytest.raises(ValueError):
        m.focal_loss(FOCAL_LOGITS, FOCAL_TARGET, reduction="avg")
    with pytest.raises(ValueError):
        m.sigmoid_focal_loss(FOCAL_LOGITS, f32([1.0, 0.0]))


DICE_PROBS = f32([[0.9, 0.2, 0.6, 0.0], [0.5, 0.5, 0.5, 0.5]])
DICE_TARGET = i32([[1, 0, 1, 0], [0, 0, 1, 1]])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_dice_hand_values(framework):
    # Sample 0: intersection 1.5, sums 1.7 + 2 -> dice 3 / 3.7; sample 1: 1.0, 2 + 2 -> 2 / 4.
    m = load_snippet(framework, "dice")
    assert value(m.dice_loss(DICE_PROBS, DICE_TARGET)) == pytest.approx(((1 - 3 / 3.7) + (1 - 2 / 4)) / 2, rel=REL)
    assert value(m.dice_loss(DICE_PROBS, DICE_TARGET, smooth=1.0)) == pytest.approx(((1 - 4 / 4.7) + (1 - 3 / 5)) / 2, rel=REL)
    # Per sample over all non-batch dims: a (2, 2, 2) view gives the same value.
    assert value(m.dice_loss(DICE_PROBS.reshape(2, 2, 2), DICE_TARGET.reshape(2, 2, 2))) == pytest.approx(value(m.dice_loss(DICE_PROBS, DICE_TARGET)), rel=REL)
    empty = f32([[0.0, 0.0, 0.0]])
    assert value(m.dice_loss(empty, empty)) == pytest.approx(1.0)
    assert value(m.dice_loss(empty, empty, smooth=1.0)) == pytest.approx(0.0)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_tversky_hand_values(framework):
    # Sample 0: TP 1.5, FP 0.2, FN 0.5; sample 1: TP 1.0, FP 1.0, FN 1.0.
    m = load_snippet(framework, "tversky")
    alpha, beta = 0.3, 0.7
    t0 = 1.5 / (1.5 + alpha * 0.2 + beta * 0.5)
    t1 = 1.0 / (1.0 + alpha * 1.0 + beta * 1.0)
    assert value(m.tversky_loss(DICE_PROBS, DICE_TARGET, alpha=alpha, beta=beta)) == pytest.approx(((1 - t0) + (1 - t1)) / 2, rel=REL)
    assert value(m.tversky_loss(DICE_PROBS, DICE_TARGET)) == pytest.approx(value(load_snippet(framework, "dice").dice_loss(DICE_PROBS, DICE_TARGET)), rel=REL)


LS_LOGITS = f32([[0.0, math.log(3.0)], [math.log(3.0), 0.0]])
LS_TARGET = i32([1, 1])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_label_smoothing_hand_values(framework):
    # K = 2, eps = 0.1: target distribution [0.05, 0.95]; p rows [1/4, 3/4] and [3/4, 1/4].
    m = load_snippet(framework, "label-smoothing")
    row0 = -(0.05 * math.log(1 / 4) + 0.95 * math.log(3 / 4))
    row1 = -(0.05 * math.log(3 / 4) + 0.95 * math.log(1 / 4))
    assert value(m.label_smoothing_cross_entropy(LS_LOGITS, LS_TARGET)) == pytest.approx((row0 + row1) / 2, rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_z_loss_hand_values(framework):
    # logsumexp rows: log 4 and log 4; then log 2 and log 4.
    m = load_snippet(framework, "z-loss")
    assert value(m.z_loss(LS_LOGITS)) == pytest.approx(1e-4 * math.log(4.0) ** 2, rel=REL)
    logits = f32([[0.0, 0.0], [0.0, math.log(3.0)]])
    assert value(m.z_loss(logits, coef=1.0)) == pytest.approx(0.5 * (math.log(2.0) ** 2 + math.log(4.0) ** 2), rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_info_nce_hand_values(framework):
    # With tau = 0.5 the scaled rows are [log 3, 0] and [0, 0].
    m = load_snippet(framework, "info-nce")
    sims = f32([[0.5 * math.log(3.0), 0.0], [0.0, 0.0]])
    got = value(m.info_nce_loss(sims, i32([0, 1]), temperature=0.5))
    assert got == pytest.approx((-math.log(3 / 4) - math.log(1 / 2)) / 2, rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_supcon_hand_values(framework):
    # f0 = f1 = (1, 0) share a label, f2 = (0, 1) has no positive and is left out of the mean.
    m = load_snippet(framework, "supcon")
    features = f32([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    labels = i32([0, 0, 1])
    assert value(m.supcon_loss(features, labels, temperature=1.0)) == pytest.approx(math.log(1 + math.e) - 1, rel=REL)
    assert value(m.supcon_loss(features, labels, temperature=0.5)) == pytest.approx(math.log(1 + math.e ** 2) - 2, rel=REL)
    # No anchor has a positive: the loss is 0 (and still differentiable).
    assert value(m.supcon_loss(features, i32([0, 1, 2]))) == 0.0


ONE_LOGITS = f32([[0.0, math.log(3.0)]])  # softmax [1/4, 3/4]; the target class has p_y = 3/4
ONE_TARGET = i32([1])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_gce_sce_poly_hand_values(framework):
    gce = load_snippet(framework, "generalized-cross-entropy")
    sce = load_snippet(framework, "symmetric-cross-entropy")
    poly = load_snippet(framework, "poly-loss")
    assert value(gce.generalized_cross_entropy(ONE_LOGITS, ONE_TARGET)) == pytest.approx((1 - 0.75 ** 0.7) / 0.7, rel=REL)
    assert value(gce.generalized_cross_entropy(ONE_LOGITS, ONE_TARGET, q=1.0)) == pytest.approx(0.25, rel=REL)
    # CE = -log(3/4); RCE = -A * (1 - p_y) = 4 * 1/4 = 1.
    assert value(sce.symmetric_cross_entropy(ONE_LOGITS, ONE_TARGET)) == pytest.approx(0.1 * -math.log(0.75) + 1.0, rel=REL)
    official = sce.symmetric_cross_entropy(ONE_LOGITS, ONE_TARGET, alpha=0.0, beta=1.0, log_zero=math.log(1e-4))
    assert value(official) == pytest.approx(-math.log(1e-4) * 0.25, rel=REL)
    assert value(poly.poly1_cross_entropy(ONE_LOGITS, ONE_TARGET)) == pytest.approx(-math.log(0.75) + 0.25, rel=REL)
    assert value(poly.poly1_cross_entropy(ONE_LOGITS, ONE_TARGET, epsilon=-1.0)) == pytest.approx(-math.log(0.75) - 0.25, rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_dpo_hand_value_and_label_smoothing(framework):
    # h = (-10 - -12) - (-15 - -14) = 2 - (-1) = 3
    m = load_snippet(framework, "dpo")
    pc, pr, rc, rr = f32([-10.0]), f32([-15.0]), f32([-12.0]), f32([-14.0])
    assert value(m.dpo_loss(pc, pr, rc, rr)) == pytest.approx(-math.log(sigmoid(0.3)), rel=REL)
    smoothed = -0.9 * math.log(sigmoid(0.3)) - 0.1 * math.log(sigmoid(-0.3))
    assert value(m.dpo_loss(pc, pr, rc, rr, label_smoothing=0.1)) == pytest.approx(smoothed, rel=REL)
    # Policy equal to the reference: log 2 for any beta.
    assert value(m.dpo_loss(pc, pr, pc, pr, beta=3.0)) == pytest.approx(math.log(2.0), rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sequence_log_probs_hand_values(framework):
    # Uniform logits over V = 4: every token has log-probability -log 4.
    m = load_snippet(framework, "dpo")
    logits = f32(np.zeros((1, 3, 4)))
    labels = i32([[0, 1, 2]])
    mask = np.array([[False, True, True]])
    assert value(m.sequence_log_probs(logits, labels, mask)) == pytest.approx([-2 * math.log(4.0)], rel=REL)
    assert value(m.sequence_log_probs(logits, labels, mask, average=True)) == pytest.approx([-math.log(4.0)], rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_knowledge_distillation_hand_values(framework):
    m = load_snippet(framework, "knowledge-distillation")
    # Teacher [0, 0] -> p_t = [1/2, 1/2]; student [0, log 3] -> p_s = [1/4, 3/4].
    student = f32([[0.0, math.log(3.0)]])
    teacher = f32([[0.0, 0.0]])
    kl = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert value(m.soft_target_kl(student, teacher)) == pytest.approx([kl], rel=1e-5)
    # T = 2 halves the student's logits: p_s = softmax([0, log 3 / 2]) = [1/(1+sqrt 3), sqrt 3/(1+sqrt 3)].
    s3 = math.sqrt(3.0)
    kl_t2 = 0.5 * math.log(0.5 * (1 + s3)) + 0.5 * math.log(0.5 * (1 + s3) / s3)
    assert value(m.soft_target_kl(student, teacher, temperature=2.0)) == pytest.approx([4 * kl_t2], rel=1e-5)
    total = m.knowledge_distillation_loss(student, teacher, i32([1]), hard_weight=0.5, soft_weight=2.0)
    assert value(total) == pytest.approx(2.0 * kl + 0.5 * -math.log(0.75), rel=1e-5)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_siglip_hand_values(framework):
    # Orthonormal pairs: cos = 1 on the diagonal, 0 off it. Logits: t + b on the diagonal, b elsewhere.
    m = load_snippet(framework, "siglip")
    img = f32([[1.0, 0.0], [0.0, 1.0]])
    txt = f32([[2.0, 0.0], [0.0, 3.0]])
    t, b = 10.0, -10.0
    expected = (2 * softplus(-(t + b)) + 2 * softplus(b)) / 2
    assert value(m.siglip_loss(img, txt, t, b)) == pytest.approx(expected, rel=REL)
    assert value(m.siglip_loss(img, txt)) == pytest.approx(expected, rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_clip_hand_values(framework):
    # cos matrix [[1, 0], [0, 1]] scaled by s: each row and column has p(correct) = e^s / (e^s + 1).
    m = load_snippet(framework, "clip")
    img = f32([[1.0, 0.0], [0.0, 1.0]])
    s = 2.0
    assert value(m.clip_loss(img, img * 5, logit_scale=s)) == pytest.approx(-math.log(math.exp(s) / (math.exp(s) + 1)), rel=REL)
    # All similarities equal: each softmax is uniform over N = 7 candidates.
    ones = f32(np.ones((7, 3)))
    assert value(m.clip_loss(ones, ones)) == pytest.approx(math.log(7), rel=REL)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_giou_hand_values(framework):
    # Overlap: intersection 1, union 7, enclosing 9. Disjoint: union 2, enclosing 3.
    m = load_snippet(framework, "giou")
    pred = f32([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 1.0, 1.0]])
    target = f32([[1.0, 1.0, 3.0, 3.0], [2.0, 0.0, 3.0, 1.0]])
    expected = [1 - 1 / 7 + 2 / 9, 1 + 1 / 3]
    assert value(m.generalized_box_iou_loss(pred, target, reduction="none")) == pytest.approx(expected, rel=1e-6)
    assert value(m.generalized_box_iou_loss(pred, target)) == pytest.approx(sum(expected) / 2, rel=1e-6)
    assert value(m.generalized_box_iou_loss(pred, target, reduction="sum")) == pytest.approx(sum(expected), rel=1e-6)
    cxcywh1, cxcywh2 = f32([[1.0, 1.0, 2.0, 2.0]]), f32([[2.0, 2.0, 2.0, 2.0]])
    assert value(m.generalized_box_iou_loss(cxcywh1, cxcywh2, box_format="cxcywh")) == pytest.approx(expected[0], rel=1e-6)
    assert value(m.generalized_box_iou_loss(f32(np.zeros((0, 4))), f32(np.zeros((0, 4))))) == 0.0


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_vae_kl_hand_values(framework):
    # Row 0: mu = (1, 0), sigma^2 = (1, e) -> 0.5 * (1 + 0) + 0.5 * (e - 1 - 1). Row 1: the prior, 0.
    m = load_snippet(framework, "vae-kl")
    mu = f32([[1.0, 0.0], [0.0, 0.0]])
    logvar = f32([[0.0, 1.0], [0.0, 0.0]])
    row0 = 0.5 + 0.5 * (math.e - 2.0)
    assert value(m.vae_kl_loss(mu, logvar, reduction="none")) == pytest.approx([row0, 0.0], rel=REL)
    assert value(m.vae_kl_loss(mu, logvar)) == pytest.approx(row0 / 2, rel=REL)
    assert value(m.vae_kl_loss(mu, logvar, reduction="sum")) == pytest.approx(row0, rel=REL)
    assert value(m.vae_kl_loss(mu, logvar, beta=4.0, reduction="sum")) == pytest.approx(4 * row0, rel=REL)
