import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("label-smoothing", "z-loss")
ls = load_snippet("label-smoothing")
zl = load_snippet("z-loss")

LOGITS = torch.tensor([[0.0, math.log(3.0)], [math.log(3.0), 0.0]], dtype=torch.float64)
TARGET = torch.tensor([1, 1])


def test_label_smoothing_hand_values():
    # K = 2, eps = 0.1: target distribution [0.05, 0.95]; p rows [1/4, 3/4] and [3/4, 1/4].
    row0 = -(0.05 * math.log(1 / 4) + 0.95 * math.log(3 / 4))
    row1 = -(0.05 * math.log(3 / 4) + 0.95 * math.log(1 / 4))
    assert ls.label_smoothing_cross_entropy(LOGITS, TARGET).item() == pytest.approx((row0 + row1) / 2, rel=1e-12)


def test_label_smoothing_matches_pytorch_convention():
    torch.manual_seed(0)
    logits = torch.randn(12, 5, dtype=torch.float64)
    target = torch.randint(0, 5, (12,))
    for eps in (0.0, 0.1, 0.35, 1.0):
        expected = F.cross_entropy(logits, target, label_smoothing=eps)
        assert torch.allclose(ls.label_smoothing_cross_entropy(logits, target, eps), expected)


def test_z_loss_hand_values():
    # logsumexp rows: log 4 and log 4.
    assert zl.z_loss(LOGITS).item() == pytest.approx(1e-4 * math.log(4.0) ** 2, rel=1e-12)
    logits = torch.tensor([[0.0, 0.0], [0.0, math.log(3.0)]], dtype=torch.float64)
    expected = 0.5 * (math.log(2.0) ** 2 + math.log(4.0) ** 2)
    assert zl.z_loss(logits, coef=1.0).item() == pytest.approx(expected, rel=1e-12)


def test_z_loss_is_zero_for_normalised_log_probs_and_takes_3d_logits():
    torch.manual_seed(1)
    log_probs = F.log_softmax(torch.randn(3, 4, 6, dtype=torch.float64), dim=-1)
    assert zl.z_loss(log_probs, coef=1.0).item() == pytest.approx(0.0, abs=1e-20)
    logits = torch.randn(2, 3, 5, dtype=torch.float64)
    assert torch.allclose(zl.z_loss(logits, 0.5), zl.z_loss(logits.reshape(6, 5), 0.5))


def test_gradcheck():
    torch.manual_seed(2)
    logits = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 3, (4,))
    assert torch.autograd.gradcheck(lambda z: ls.label_smoothing_cross_entropy(z, target, 0.2), (logits,))
    assert torch.autograd.gradcheck(lambda z: zl.z_loss(z, 1e-2), (logits,))


def test_float32_in_float32_out():
    assert ls.label_smoothing_cross_entropy(LOGITS.float(), TARGET).dtype == torch.float32
    assert zl.z_loss(LOGITS.float()).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: ls.label_smoothing_cross_entropy(LOGITS, TARGET, smoothing=1.5), ValueError),
        (lambda: ls.label_smoothing_cross_entropy(LOGITS, torch.tensor([0, 5])), ValueError),
        (lambda: ls.label_smoothing_cross_entropy(LOGITS, TARGET.float()), TypeError),
        (lambda: ls.label_smoothing_cross_entropy(LOGITS[:, :, None], TARGET), ValueError),
        (lambda: zl.z_loss(LOGITS[0]), ValueError),
        (lambda: zl.z_loss(LOGITS, coef=-1.0), ValueError),
        (lambda: zl.z_loss(TARGET.view(1, 2)), TypeError),
        (lambda: zl.z_loss([[0.0, 1.0]]), TypeError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
