import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("spherical-z-loss", "harmonic")
sz = load_snippet("spherical-z-loss")
hl = load_snippet("harmonic")


def test_spherical_z_loss_hand_values():
    # logits [0, 1, 2]: mean 1, population std sqrt(2/3), z_2 = sqrt(3/2).
    logits = torch.tensor([[0.0, 1.0, 2.0]], dtype=torch.float64)
    target = torch.tensor([2])
    z = math.sqrt(1.5)
    assert sz.spherical_z_loss(logits, target).item() == pytest.approx(math.log(1 + math.exp(-z)), rel=1e-12)
    expected = math.log(1 + math.exp(0.5 * (2 - z))) / 0.5
    assert sz.spherical_z_loss(logits, target, a=0.5, b=2.0).item() == pytest.approx(expected, rel=1e-12)


def test_spherical_z_loss_is_shift_and_scale_invariant():
    torch.manual_seed(0)
    logits = torch.randn(8, 6, dtype=torch.float64)
    target = torch.randint(0, 6, (8,))
    base = sz.spherical_z_loss(logits, target, a=0.3, b=4.0)
    for scale, shift in ((2.0, 0.0), (0.01, -5.0), (37.0, 3.0)):
        assert torch.allclose(sz.spherical_z_loss(scale * logits + shift, target, a=0.3, b=4.0), base)


def test_spherical_z_loss_constant_row_is_finite():
    logits = torch.zeros(1, 4, dtype=torch.float64, requires_grad=True)
    loss = sz.spherical_z_loss(logits, torch.tensor([1]))
    loss.backward()
    assert loss.item() == pytest.approx(math.log(2.0))
    assert torch.isfinite(logits.grad).all()


def test_harmonic_hand_values():
    # x at the origin, prototypes at distance 1 and 2.
    x = torch.zeros(1, 2, dtype=torch.float64)
    w = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
    target = torch.tensor([0])
    assert hl.harmonic_loss(x, w, target).item() == pytest.approx(-math.log(2 / 3), rel=1e-10)
    assert hl.harmonic_loss(x, w, target, n=2.0).item() == pytest.approx(-math.log(4 / 5), rel=1e-10)


def test_harmonic_cosine_hand_values():
    # d = 1 - cos: prototype 0 at 45 degrees (d = 1 - 1/sqrt 2), prototype 1 at 90 degrees (d = 1).
    x = torch.tensor([[2.0, 0.0]], dtype=torch.float64)
    w = torch.tensor([[1.0, 1.0], [0.0, 3.0]], dtype=torch.float64)
    d0 = 1 - 1 / math.sqrt(2)
    value = hl.harmonic_loss(x, w, torch.tensor([0]), distance="cosine").item()
    assert value == pytest.approx(math.log(1 + d0), rel=1e-10)


def test_harmonic_matches_cdist_and_the_official_squared_convention():
    torch.manual_seed(1)
    x = torch.randn(6, 4, dtype=torch.float64)
    w = torch.randn(5, 4, dtype=torch.float64)
    target = torch.randint(0, 5, (6,))
    expected = F.cross_entropy(-3.0 * torch.cdist(x, w).log(), target)
    assert torch.allclose(hl.harmonic_loss(x, w, target, n=3.0), expected)
    # Official DistLayer: p proportional to (||x - w||^2 + 1e-4)^(-n_official); n_official = 1 is n = 2 here.
    squared = torch.cdist(x, w).pow(2) + 1e-4
    official = F.cross_entropy(torch.log(squared.pow(-1.0) / squared.pow(-1.0).sum(1, keepdim=True)), target)
    assert hl.harmonic_loss(x, w, target, n=2.0).item() == pytest.approx(official.item(), rel=1e-3)


def test_gradcheck():
    torch.manual_seed(2)
    logits = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 5, (4,))
    assert torch.autograd.gradcheck(lambda z: sz.spherical_z_loss(z, target, 0.7, 1.5), (logits,))
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    w = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: hl.harmonic_loss(a, b, target, n=1.5), (x, w))
    assert torch.autograd.gradcheck(lambda a, b: hl.harmonic_loss(a, b, target, distance="cosine"), (x, w))


def test_float32_in_float32_out():
    assert sz.spherical_z_loss(torch.randn(2, 3), torch.tensor([0, 1])).dtype == torch.float32
    assert hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 3), torch.tensor([0, 3])).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: sz.spherical_z_loss(torch.randn(2, 1), torch.tensor([0, 0])), ValueError),
        (lambda: sz.spherical_z_loss(torch.randn(2, 3), torch.tensor([0, 3])), ValueError),
        (lambda: sz.spherical_z_loss(torch.randn(2, 3), torch.tensor([0, 1]), a=0.0), ValueError),
        (lambda: sz.spherical_z_loss(torch.randn(2, 3), torch.tensor([0.0, 1.0])), TypeError),
        (lambda: hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 2), torch.tensor([0, 1])), ValueError),
        (lambda: hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 3), torch.tensor([0, 4])), ValueError),
        (lambda: hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 3), torch.tensor([0, 1]), n=0.0), ValueError),
        (
            lambda: hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 3), torch.tensor([0, 1]), distance="manhattan"),
            ValueError,
        ),
        (
            lambda: hl.harmonic_loss(torch.randn(2, 3), torch.randn(4, 3, dtype=torch.float64), torch.tensor([0, 1])),
            TypeError,
        ),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
