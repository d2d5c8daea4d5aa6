import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import autograd_grad, load_snippet, numerical_grad

COVERS = ("gem", "direct-coverage-optimization", "satimp")
gem = load_snippet("gem")
dco = load_snippet("direct-coverage-optimization")
sat = load_snippet("satimp")

LOGITS = torch.tensor([[0.0, math.log(3.0)], [0.0, math.log(3.0)]], dtype=torch.float64)
TARGET = torch.tensor([1, 0])  # p_y = 3/4 and 1/4


def _random_batch(seed, n=8, c=5):
    torch.manual_seed(seed)
    return torch.randn(n, c, dtype=torch.float64), torch.randint(0, c, (n,))


def test_gem_hand_values():
    # beta = 1: q = p = [1/4, 3/4]. Row 0 (y = 1): -(1/4) log 3. Row 1 (y = 0): -(3/4) log(1/3).
    expected = (-(1 / 4) * math.log(3.0) + (3 / 4) * math.log(3.0)) / 2
    assert gem.gem_loss(LOGITS, TARGET, beta=1.0).item() == pytest.approx(expected, rel=1e-12)
    # beta = 0.5: q = softmax([0, 2 log 3]) = [1/10, 9/10].
    expected = (-(1 / 10) * math.log(3.0) + (9 / 10) * math.log(3.0)) / 2
    assert gem.gem_loss(LOGITS, TARGET, beta=0.5).item() == pytest.approx(expected, rel=1e-12)


def test_gem_beta_one_value_is_ce_minus_entropy():
    logits, target = _random_batch(0)
    p = F.softmax(logits, dim=1)
    entropy = -(p * p.log()).sum(1).mean()
    assert torch.allclose(gem.gem_loss(logits, target, beta=1.0), F.cross_entropy(logits, target) - entropy)


def test_gem_gradient_treats_q_as_constant():
    logits, target = _random_batch(1, n=3, c=4)
    q = F.softmax(logits / 0.7, dim=1)

    def frozen(z):
        log_p = F.log_softmax(z, dim=1)
        return -(q * (log_p.gather(1, target[:, None]) - log_p)).sum(1).mean()

    auto = autograd_grad(lambda z: gem.gem_loss(z, target, beta=0.7), logits)
    assert torch.allclose(auto, numerical_grad(frozen, logits), atol=1e-8)
    assert torch.autograd.gradcheck(frozen, (logits.clone().requires_grad_(True),))


def test_dco_hand_values():
    # n = 4: -log(1 - (1/4)^4) for p_y = 3/4 and -log(1 - (3/4)^4) for p_y = 1/4.
    expected = (-math.log(1 - 0.25 ** 4) - math.log(1 - 0.75 ** 4)) / 2
    assert dco.dco_loss(LOGITS, TARGET).item() == pytest.approx(expected, rel=1e-12)


def test_dco_n_one_is_cross_entropy_and_decreases_with_n():
    logits, target = _random_batch(2)
    ce = F.cross_entropy(logits, target)
    assert torch.allclose(dco.dco_loss(logits, target, n=1), ce)
    values = [dco.dco_loss(logits, target, n=n).item() for n in (1, 2, 4, 16)]
    assert values == sorted(values, reverse=True)


def test_dco_stays_finite_for_extreme_logits():
    logits = torch.tensor([[300.0, 0.0, 0.0], [-300.0, 0.0, 0.0]])
    target = torch.tensor([0, 0])
    per_row = [dco.dco_loss(logits[i : i + 1], target[i : i + 1], n=4).item() for i in range(2)]
    assert per_row[0] == pytest.approx(0.0, abs=1e-6)
    # p_y ~ exp(-300) / 2: DCO ~ -log(4 * p_y) = 300 + log 2 - log 4.
    assert per_row[1] == pytest.approx(300 + math.log(2) - math.log(4), rel=1e-6)
    z = logits.clone().requires_grad_(True)
    dco.dco_loss(z, target).backward()
    assert torch.isfinite(z.grad).all()


def test_satimp_hand_values():
    # w = p^5 * (1 - p)^0.1, loss = -mean(w * CE).
    rows = [(0.75, -math.log(0.75)), (0.25, -math.log(0.25))]
    expected = -sum(p ** 5 * (1 - p) ** 0.1 * ce for p, ce in rows) / 2
    assert sat.satimp_loss(LOGITS, TARGET).item() == pytest.approx(expected, rel=1e-12)
    # beta1 = beta2 = 0: plain gradient ascent, -CE.
    assert sat.satimp_loss(LOGITS, TARGET, 0.0, 0.0).item() == pytest.approx(
        -F.cross_entropy(LOGITS, TARGET).item(), rel=1e-12
    )


def test_satimp_gradient_treats_weights_as_constant():
    logits, target = _random_batch(3, n=4, c=3)
    with torch.no_grad():
        p = torch.exp(-F.cross_entropy(logits, target, reduction="none"))
        weight = p.pow(2.0) * (1 - p).pow(0.5)

    def frozen(z):
        return -(weight * F.cross_entropy(z, target, reduction="none")).mean()

    auto = autograd_grad(lambda z: sat.satimp_loss(z, target, 2.0, 0.5), logits)
    assert torch.allclose(auto, numerical_grad(frozen, logits), atol=1e-8)
    assert torch.autograd.gradcheck(frozen, (logits.clone().requires_grad_(True),))


def test_dco_gradcheck():
    logits, target = _random_batch(4, n=4, c=3)
    logits.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda z: dco.dco_loss(z, target, n=4), (logits,))
    assert torch.autograd.gradcheck(lambda z: dco.dco_loss(z * 10, target, n=2.5), (logits,))


@pytest.mark.parametrize("fn", [gem.gem_loss, dco.dco_loss, sat.satimp_loss])
def test_float32_in_float32_out(fn):
    assert fn(LOGITS.float(), TARGET).dtype == torch.float32


@pytest.mark.parametrize("fn", [gem.gem_loss, dco.dco_loss, sat.satimp_loss])
@pytest.mark.parametrize(
    "logits, target, error",
    [
        (LOGITS[0], TARGET, ValueError),
        (LOGITS, torch.tensor([1, 2]), ValueError),
        (LOGITS, torch.tensor([1, -100]), ValueError),
        (LOGITS, torch.tensor([1]), ValueError),
        (LOGITS, TARGET.int(), TypeError),
        (LOGITS.long(), TARGET, TypeError),
    ],
)
def test_bad_inputs(fn, logits, target, error):
    with pytest.raises(error):
        fn(logits, target)


@pytest.mark.parametrize(
    "call",
    [
        lambda: gem.gem_loss(LOGITS, TARGET, beta=0.0),
        lambda: dco.dco_loss(LOGITS, TARGET, n=0),
        lambda: dco.dco_loss(LOGITS, TARGET, n=True),
        lambda: dco.dco_loss(LOGITS[:, :1], TARGET[:1] * 0),
        lambda: sat.satimp_loss(LOGITS, TARGET, beta1=-1.0),
    ],
)
def test_bad_parameters(call):
    with pytest.raises(ValueError):
        call()
