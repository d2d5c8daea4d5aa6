import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("generalized-cross-entropy", "symmetric-cross-entropy", "poly-loss", "ldr-kl")
gce = load_snippet("generalized-cross-entropy")
sce = load_snippet("symmetric-cross-entropy")
poly = load_snippet("poly-loss")
ldr = load_snippet("ldr-kl")

# softmax([0, log 3]) = [1/4, 3/4]; the target class has p_y = 3/4.
LOGITS = torch.tensor([[0.0, math.log(3.0)]], dtype=torch.float64)
TARGET = torch.tensor([1])


def _random_batch(seed, n=10, c=6):
    torch.manual_seed(seed)
    return torch.randn(n, c, dtype=torch.float64), torch.randint(0, c, (n,))


def test_gce_hand_values_and_limits():
    assert gce.generalized_cross_entropy(LOGITS, TARGET).item() == pytest.approx((1 - 0.75 ** 0.7) / 0.7, rel=1e-12)
    assert gce.generalized_cross_entropy(LOGITS, TARGET, q=1.0).item() == pytest.approx(0.25, rel=1e-12)
    logits, target = _random_batch(0)
    ce = F.cross_entropy(logits, target)
    assert gce.generalized_cross_entropy(logits, target, q=1e-8).item() == pytest.approx(ce.item(), rel=1e-6)
    mae_half = (1 - F.softmax(logits, 1).gather(1, target[:, None])).mean()
    assert torch.allclose(gce.generalized_cross_entropy(logits, target, q=1.0), mae_half)


def test_sce_hand_values():
    # CE = -log(3/4); RCE = -A * (1 - p_y) = 4 * 1/4 = 1.
    expected = 0.1 * -math.log(0.75) + 1.0 * 1.0
    assert sce.symmetric_cross_entropy(LOGITS, TARGET).item() == pytest.approx(expected, rel=1e-12)
    official_a = sce.symmetric_cross_entropy(LOGITS, TARGET, alpha=0.0, beta=1.0, log_zero=math.log(1e-4))
    assert official_a.item() == pytest.approx(-math.log(1e-4) * 0.25, rel=1e-12)


def test_sce_beta_zero_is_scaled_cross_entropy():
    logits, target = _random_batch(1)
    assert torch.allclose(sce.symmetric_cross_entropy(logits, target, 2.0, 0.0), 2.0 * F.cross_entropy(logits, target))


def test_poly1_hand_values_and_epsilon_zero():
    assert poly.poly1_cross_entropy(LOGITS, TARGET).item() == pytest.approx(-math.log(0.75) + 0.25, rel=1e-12)
    assert poly.poly1_cross_entropy(LOGITS, TARGET, epsilon=-1.0).item() == pytest.approx(-math.log(0.75) - 0.25)
    logits, target = _random_batch(2)
    assert torch.allclose(poly.poly1_cross_entropy(logits, target, epsilon=0.0), F.cross_entropy(logits, target))


def test_ldr_kl_hand_values():
    # lambda = 1, c = 0: log(mean(exp(z_k - z_y))) = log((1/3 + 1) / 2) = log(2/3).
    assert ldr.ldr_kl_loss(LOGITS, TARGET).item() == pytest.approx(math.log(2 / 3), rel=1e-12)
    # lambda = 2, c = 1: 2 * log(((exp((1 - log 3) / 2) + 1) / 2).
    expected = 2 * math.log((math.exp((1 - math.log(3.0)) / 2) + 1) / 2)
    assert ldr.ldr_kl_loss(LOGITS, TARGET, lam=2.0, margin=1.0).item() == pytest.approx(expected, rel=1e-12)


def test_ldr_kl_lambda_one_no_margin_is_ce_minus_log_k():
    logits, target = _random_batch(3, c=7)
    expected = F.cross_entropy(logits, target) - math.log(7)
    assert torch.allclose(ldr.ldr_kl_loss(logits, target, lam=1.0, margin=0.0), expected)


def test_gradcheck():
    logits, target = _random_batch(4, n=4, c=3)
    logits.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda z: gce.generalized_cross_entropy(z, target, 0.7), (logits,))
    assert torch.autograd.gradcheck(lambda z: sce.symmetric_cross_entropy(z, target), (logits,))
    assert torch.autograd.gradcheck(lambda z: poly.poly1_cross_entropy(z, target, 2.0), (logits,))
    assert torch.autograd.gradcheck(lambda z: ldr.ldr_kl_loss(z, target, lam=10.0, margin=0.1), (logits,))


@pytest.mark.parametrize(
    "fn",
    [gce.generalized_cross_entropy, sce.symmetric_cross_entropy, poly.poly1_cross_entropy, ldr.ldr_kl_loss],
)
def test_float32_in_float32_out(fn):
    assert fn(LOGITS.float(), TARGET).dtype == torch.float32


@pytest.mark.parametrize(
    "fn",
    [gce.generalized_cross_entropy, sce.symmetric_cross_entropy, poly.poly1_cross_entropy, ldr.ldr_kl_loss],
)
@pytest.mark.parametrize(
    "logits, target, error",
    [
        (LOGITS[0], TARGET, ValueError),
        (LOGITS, torch.tensor([2]), ValueError),
        (LOGITS, torch.tensor([-1]), ValueError),
        (LOGITS, torch.tensor([1, 0]), ValueError),
        (LOGITS, torch.tensor([1.0]), TypeError),
        (LOGITS.long(), TARGET, TypeError),
        (torch.zeros(0, 2), torch.zeros(0, dtype=torch.long), ValueError),
    ],
)
def test_bad_inputs(fn, logits, target, error):
    with pytest.raises(error):
        fn(logits, target)


@pytest.mark.parametrize(
    "call",
    [
        lambda: gce.generalized_cross_entropy(LOGITS, TARGET, q=0.0),
        lambda: gce.generalized_cross_entropy(LOGITS, TARGET, q=1.5),
        lambda: sce.symmetric_cross_entropy(LOGITS, TARGET, log_zero=0.0),
        lambda: sce.symmetric_cross_entropy(LOGITS, TARGET, alpha=-1.0),
        lambda: poly.poly1_cross_entropy(LOGITS, TARGET, epsilon=-2.0),
        lambda: ldr.ldr_kl_loss(LOGITS, TARGET, lam=0.0),
    ],
)
def test_bad_parameters(call):
    with pytest.raises(ValueError):
        call()
