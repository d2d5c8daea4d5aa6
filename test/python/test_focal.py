import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("focal",)
m = load_snippet("focal")

# Softmax rows: [1/4, 3/4] and [4/5, 1/5].
LOGITS = torch.tensor([[0.0, math.log(3.0)], [math.log(4.0), 0.0]], dtype=torch.float64)
TARGET = torch.tensor([1, 1])
HAND = [-(1 / 4) ** 2 * math.log(3 / 4), -(4 / 5) ** 2 * math.log(1 / 5)]


def test_softmax_focal_hand_values():
    per_sample = m.focal_loss(LOGITS, TARGET, reduction="none")
    assert per_sample.tolist() == pytest.approx(HAND, rel=1e-12)
    assert m.focal_loss(LOGITS, TARGET).item() == pytest.approx(sum(HAND) / 2, rel=1e-12)
    assert m.focal_loss(LOGITS, TARGET, reduction="sum").item() == pytest.approx(sum(HAND), rel=1e-12)


def test_softmax_focal_alpha_float_and_tensor():
    assert m.focal_loss(LOGITS, TARGET, alpha=0.25).item() == pytest.approx(0.25 * sum(HAND) / 2, rel=1e-12)
    alpha = torch.tensor([0.1, 0.9], dtype=torch.float64)
    assert m.focal_loss(LOGITS, TARGET, alpha=alpha).item() == pytest.approx(0.9 * sum(HAND) / 2, rel=1e-12)


def test_gamma_zero_equals_cross_entropy():
    torch.manual_seed(0)
    logits = torch.randn(16, 7, dtype=torch.float64)
    target = torch.randint(0, 7, (16,))
    assert torch.allclose(m.focal_loss(logits, target, gamma=0.0), F.cross_entropy(logits, target))


def test_gamma_zero_with_class_weights_divides_by_n():
    torch.manual_seed(1)
    logits = torch.randn(10, 4, dtype=torch.float64)
    target = torch.randint(0, 4, (10,))
    alpha = torch.rand(4, dtype=torch.float64)
    expected = F.cross_entropy(logits, target, weight=alpha, reduction="sum") / 10
    assert torch.allclose(m.focal_loss(logits, target, gamma=0.0, alpha=alpha), expected)


def test_sigmoid_focal_hand_values():
    # p = sigmoid([0, ln 3]) = [1/2, 3/4]; targets [1, 0] give p_t = [1/2, 1/4].
    logits = torch.tensor([0.0, math.log(3.0)], dtype=torch.float64)
    target = torch.tensor([1.0, 0.0], dtype=torch.float64)
    first = 0.25 * (1 - 0.5) ** 2 * math.log(2.0)
    second = 0.75 * (1 - 0.25) ** 2 * math.log(4.0)
    assert m.sigmoid_focal_loss(logits, target).item() == pytest.approx((first + second) / 2, rel=1e-12)
    no_alpha = m.sigmoid_focal_loss(logits, target, alpha=None, reduction="none")
    assert no_alpha.tolist() == pytest.approx([first / 0.25, second / 0.75], rel=1e-12)


def test_sigmoid_gamma_zero_without_alpha_equals_bce():
    torch.manual_seed(2)
    logits = torch.randn(5, 3, dtype=torch.float64)
    target = torch.randint(0, 2, (5, 3))
    expected = F.binary_cross_entropy_with_logits(logits, target.double())
    assert torch.allclose(m.sigmoid_focal_loss(logits, target, alpha=None, gamma=0.0), expected)


def test_gradcheck():
    torch.manual_seed(3)
    logits = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 4, (5,))
    alpha = torch.rand(4, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda z: m.focal_loss(z, target, gamma=2.0, alpha=alpha), (logits,))
    assert torch.autograd.gradcheck(lambda z: m.focal_loss(z, target, gamma=0.5, reduction="none"), (logits,))
    binary_target = torch.randint(0, 2, (5, 4)).double()
    assert torch.autograd.gradcheck(lambda z: m.sigmoid_focal_loss(z, binary_target), (logits,))


def test_saturated_probabilities_keep_finite_gradients_for_gamma_below_one():
    logits = torch.tensor([[100.0, 0.0]], requires_grad=True)
    m.focal_loss(logits, torch.tensor([0]), gamma=0.5).backward()
    assert torch.isfinite(logits.grad).all()
    logits.grad = None
    m.sigmoid_focal_loss(logits, torch.tensor([[1.0, 0.0]]), gamma=0.5).backward()
    assert torch.isfinite(logits.grad).all()


def test_float32_in_float32_out():
    logits = LOGITS.float()
    assert m.focal_loss(logits, TARGET).dtype == torch.float32
    assert m.sigmoid_focal_loss(logits, torch.ones(2, 2)).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: m.focal_loss(LOGITS[0], TARGET), ValueError),
        (lambda: m.focal_loss(LOGITS.long(), TARGET), TypeError),
        (lambda: m.focal_loss(LOGITS, TARGET.int()), TypeError),
        (lambda: m.focal_loss(LOGITS, torch.tensor([0, 2])), ValueError),
        (lambda: m.focal_loss(LOGITS, torch.tensor([0, -1])), ValueError),
        (lambda: m.focal_loss(LOGITS, torch.tensor([0])), ValueError),
        (lambda: m.focal_loss(LOGITS, TARGET, gamma=-1.0), ValueError),
        (lambda: m.focal_loss(LOGITS, TARGET, alpha=torch.ones(3)), ValueError),
        (lambda: m.focal_loss(LOGITS, TARGET, alpha="0.5"), TypeError),
        (lambda: m.focal_loss(LOGITS, TARGET, reduction="avg"), ValueError),
        (lambda: m.sigmoid_focal_loss(LOGITS, torch.ones(2)), ValueError),
        (lambda: m.sigmoid_focal_loss(LOGITS, torch.full((2, 2), 2.0)), ValueError),
        (lambda: m.sigmoid_focal_loss(LOGITS, torch.ones(2, 2), alpha=1.5), ValueError),
        (lambda: m.sigmoid_focal_loss(LOGITS.long(), torch.ones(2, 2)), TypeError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
