import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = ("mann-whitney", "decoupled-softmax")
mw = load_snippet("mann-whitney")
ds = load_snippet("decoupled-softmax")
nce = load_snippet("info-nce")


def test_mann_whitney_hand_values():
    pos = torch.tensor([1.0], dtype=torch.float64)
    neg = torch.tensor([0.0, 1.0], dtype=torch.float64)
    expected = (math.log(1 + math.exp(-1.0)) + math.log(2.0)) / 2
    assert mw.mann_whitney_loss(pos, neg).item() == pytest.approx(expected, rel=1e-12)


def test_mann_whitney_is_bce_on_all_pair_differences():
    torch.manual_seed(0)
    pos = torch.randn(5, dtype=torch.float64)
    neg = torch.randn(7, dtype=torch.float64)
    diffs = (pos[:, None] - neg[None, :]).reshape(-1)
    expected = F.binary_cross_entropy_with_logits(diffs, torch.ones_like(diffs))
    assert torch.allclose(mw.mann_whitney_loss(pos, neg), expected)
    # Shifting every score by the same constant changes nothing.
    assert torch.allclose(mw.mann_whitney_loss(pos + 3.0, neg + 3.0), expected)


def test_decoupled_softmax_hand_values():
    scores = torch.tensor([[1.0, 0.5, 0.0], [0.0, 0.0, 0.0]], dtype=torch.float64)
    mask = torch.tensor([[True, True, False], [False, False, True]])
    row0 = (-math.log(math.e / (math.e + 1)) - math.log(math.exp(0.5) / (math.exp(0.5) + 1))) / 2
    row1 = -math.log(1 / 3)
    assert ds.decoupled_softmax_loss(scores, mask, temperature=1.0).item() == pytest.approx((row0 + row1) / 2, rel=1e-12)


def test_decoupled_softmax_with_one_positive_is_info_nce():
    torch.manual_seed(1)
    scores = torch.randn(6, 10, dtype=torch.float64)
    positive = torch.randint(0, 10, (6,))
    mask = F.one_hot(positive, 10).bool()
    assert torch.allclose(ds.decoupled_softmax_loss(scores, mask, 0.05), nce.info_nce_loss(scores, positive, 0.05))


def test_decoupled_softmax_positives_do_not_compete():
    # Raising one positive's score must not increase the other positive's term.
    scores = torch.tensor([[2.0, 0.0, -1.0]], dtype=torch.float64)
    mask = torch.tensor([[True, True, False]])
    base = ds.decoupled_softmax_loss(scores, mask, 1.0).item()
    lifted = ds.decoupled_softmax_loss(scores + torch.tensor([[5.0, 0.0, 0.0]]), mask, 1.0).item()
    assert lifted < base
    # A row made only of positives has nothing to compete with: loss 0, finite gradient.
    only = torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)
    loss = ds.decoupled_softmax_loss(only, torch.ones(1, 3, dtype=torch.bool), 1.0)
    loss.backward()
    assert loss.item() == pytest.approx(0.0, abs=1e-12)
    assert torch.isfinite(only.grad).all()


def test_gradcheck():
    torch.manual_seed(2)
    pos = torch.randn(3, dtype=torch.float64, requires_grad=True)
    neg = torch.randn(4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(mw.mann_whitney_loss, (pos, neg))
    scores = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    assert torch.autograd.gradcheck(lambda s: ds.decoupled_softmax_loss(s, mask, 0.5), (scores,))


def test_float32_in_float32_out():
    assert mw.mann_whitney_loss(torch.randn(2), torch.randn(3)).dtype == torch.float32
    assert ds.decoupled_softmax_loss(torch.randn(2, 3), torch.eye(2, 3, dtype=torch.bool)).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: mw.mann_whitney_loss(torch.randn(2, 1), torch.randn(3)), ValueError),
        (lambda: mw.mann_whitney_loss(torch.randn(0), torch.randn(3)), ValueError),
        (lambda: mw.mann_whitney_loss(torch.tensor([1, 2]), torch.tensor([0, 1])), TypeError),
        (lambda: mw.mann_whitney_loss(torch.randn(2), torch.randn(3, dtype=torch.float64)), TypeError),
        (lambda: ds.decoupled_softmax_loss(torch.randn(2, 3), torch.eye(2, 3)), TypeError),
        (lambda: ds.decoupled_softmax_loss(torch.randn(2, 3), torch.eye(3, dtype=torch.bool)), ValueError),
        (lambda: ds.decoupled_softmax_loss(torch.randn(2, 3), torch.zeros(2, 3, dtype=torch.bool)), ValueError),
        (lambda: ds.decoupled_softmax_loss(torch.randn(3), torch.ones(3, dtype=torch.bool)), ValueError),
        (lambda: ds.decoupled_softmax_loss(torch.randn(2, 3), torch.eye(2, 3, dtype=torch.bool), 0.0), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
