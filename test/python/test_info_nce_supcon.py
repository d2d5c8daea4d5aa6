import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("info-nce", "supcon")
nce = load_snippet("info-nce")
sc = load_snippet("supcon")


def test_info_nce_hand_values():
    # With tau = 0.5 the scaled rows are [log 3, 0] and [0, 0].
    sims = torch.tensor([[0.5 * math.log(3.0), 0.0], [0.0, 0.0]], dtype=torch.float64)
    value = nce.info_nce_loss(sims, torch.tensor([0, 1]), temperature=0.5).item()
    assert value == pytest.approx((-math.log(3 / 4) - math.log(1 / 2)) / 2, rel=1e-12)


def test_info_nce_is_cross_entropy_of_scaled_similarities():
    torch.manual_seed(0)
    sims = torch.randn(6, 9, dtype=torch.float64)
    positive = torch.randint(0, 9, (6,))
    assert torch.allclose(nce.info_nce_loss(sims, positive), F.cross_entropy(sims / 0.07, positive))


def test_supcon_hand_values():
    # f0 = f1 = (1, 0) share a label, f2 = (0, 1) has no positive and is left out of the mean.
    features = torch.tensor([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]], dtype=torch.float64)
    labels = torch.tensor([0, 0, 1])
    assert sc.supcon_loss(features, labels, temperature=1.0).item() == pytest.approx(math.log(1 + math.e) - 1, rel=1e-12)
    assert sc.supcon_loss(features, labels, temperature=0.5).item() == pytest.approx(
        math.log(1 + math.e ** 2) - 2, rel=1e-12
    )


def test_supcon_two_positives_average_outside_the_log():
    # Anchor 0 has positives 1 and 2 (cos 1 and cos 0), negative 3 (cos 0); tau = 1.
    features = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], dtype=torch.float64)
    labels = torch.tensor([0, 0, 0, 1])
    per_anchor = []
    sims = features @ features.T
    for i in range(4):
        others = [j for j in range(4) if j != i]
        denominator = sum(math.exp(sims[i, j].item()) for j in others)
        positives = [j for j in others if labels[j] == labels[i]]
        if positives:
            per_anchor.append(-sum(sims[i, p].item() - math.log(denominator) for p in positives) / len(positives))
    expected = sum(per_anchor) / len(per_anchor)
    assert sc.supcon_loss(features, labels, temperature=1.0).item() == pytest.approx(expected, rel=1e-12)


def test_supcon_without_any_positive_is_zero_and_differentiable():
    features = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    loss = sc.supcon_loss(features, torch.tensor([0, 1, 2]))
    assert loss.item() == 0.0
    loss.backward()
    assert torch.equal(features.grad, torch.zeros_like(features))


def test_gradcheck():
    torch.manual_seed(1)
    sims = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda s: nce.info_nce_loss(s, torch.tensor([0, 1, 2, 3]), 0.3), (sims,))
    features = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 0, 1, 1, 2, 3])
    assert torch.autograd.gradcheck(lambda f: sc.supcon_loss(f, labels, 0.2), (features,))


def test_float32_in_float32_out():
    assert nce.info_nce_loss(torch.randn(3, 3), torch.tensor([0, 1, 2])).dtype == torch.float32
    assert sc.supcon_loss(torch.randn(4, 3), torch.tensor([0, 0, 1, 1])).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: nce.info_nce_loss(torch.randn(3), torch.tensor([0, 1, 2])), ValueError),
        (lambda: nce.info_nce_loss(torch.randn(3, 3), torch.tensor([0, 1, 3])), ValueError),
        (lambda: nce.info_nce_loss(torch.randn(3, 3), torch.tensor([0, 1])), ValueError),
        (lambda: nce.info_nce_loss(torch.randn(3, 3), torch.tensor([0.0, 1.0, 2.0])), TypeError),
        (lambda: nce.info_nce_loss(torch.randn(3, 3), torch.tensor([0, 1, 2]), temperature=0.0), ValueError),
        (lambda: sc.supcon_loss(torch.randn(1, 3), torch.tensor([0])), ValueError),
        (lambda: sc.supcon_loss(torch.randn(4, 3), torch.tensor([0, 0, 1])), ValueError),
        (lambda: sc.supcon_loss(torch.randn(4, 3), torch.tensor([0, 0, 1, 1]).int()), TypeError),
        (lambda: sc.supcon_loss(torch.randn(4, 3), torch.tensor([0, 0, 1, 1]), temperature=-0.1), ValueError),
        (lambda: sc.supcon_loss(torch.ones(4, 3, dtype=torch.long), torch.tensor([0, 0, 1, 1])), TypeError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
