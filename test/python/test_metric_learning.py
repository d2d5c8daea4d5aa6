import math

import pytest
import torch

from snippet_support import load_snippet

COVERS = ("multi-similarity", "orthogonal-projection")
ms = load_snippet("multi-similarity")
opl = load_snippet("orthogonal-projection")

# Unit vectors; cosine similarities: s01 = 0.8, s02 = 0.6, s03 = 0, s12 = 0.96, s13 = 0.6, s23 = 0.8.
EMB = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]], dtype=torch.float64)
LABELS = torch.tensor([0, 0, 1, 1])


def _ms_term(positives, negatives, alpha, beta, base):
    pos = math.log(1 + sum(math.exp(-alpha * (s - base)) for s in positives)) / alpha
    neg = math.log(1 + sum(math.exp(beta * (s - base)) for s in negatives)) / beta
    return pos + neg


def test_multi_similarity_hand_values_default_mining():
    # epsilon = 0.1: anchors 0 and 3 mine no negative (0.6 + 0.1 < 0.8); anchors 1 and 2 keep
    # positive 0.8 and negative 0.96 only.
    expected = 2 * _ms_term([0.8], [0.96], 2.0, 50.0, 0.5) / 4
    assert ms.multi_similarity_loss(EMB, LABELS).item() == pytest.approx(expected, rel=1e-10)


def test_multi_similarity_hand_values_wider_mining():
    # epsilon = 0.25: anchors 0 and 3 keep (pos 0.8, neg 0.6); anchors 1 and 2 keep (0.8; 0.96, 0.6).
    expected = (2 * _ms_term([0.8], [0.6], 2.0, 40.0, 0.5) + 2 * _ms_term([0.8], [0.96, 0.6], 2.0, 40.0, 0.5)) / 4
    value = ms.multi_similarity_loss(EMB, LABELS, alpha=2.0, beta=40.0, base=0.5, epsilon=0.25).item()
    assert value == pytest.approx(expected, rel=1e-10)


def test_multi_similarity_matches_a_loop_port_of_the_official_code():
    torch.manual_seed(0)
    emb = torch.nn.functional.normalize(torch.randn(12, 5, dtype=torch.float64), dim=1)
    labels = torch.randint(0, 3, (12,))
    sim = emb @ emb.T
    total = 0.0
    for i in range(12):
        pos_all = [sim[i, j].item() for j in range(12) if j != i and labels[j] == labels[i]]
        neg_all = [sim[i, j].item() for j in range(12) if labels[j] != labels[i]]
        if not pos_all or not neg_all:
            continue
        neg = [s for s in neg_all if s + 0.1 > min(pos_all)]
        pos = [s for s in pos_all if s - 0.1 < max(neg_all)]
        if neg and pos:
            total += _ms_term(pos, neg, 2.0, 50.0, 0.5)
    assert ms.multi_similarity_loss(emb, labels).item() == pytest.approx(total / 12, rel=1e-10)


def test_opl_hand_values():
    # Same-label pairs all have cos 0.8; different-label pairs average (0.6 + 0 + 0.96 + 0.6) / 4 = 0.54.
    assert opl.orthogonal_projection_loss(EMB, LABELS).item() == pytest.approx(0.2 + 0.5 * 0.54, rel=1e-12)
    assert opl.orthogonal_projection_loss(EMB, LABELS, gamma=2.0).item() == pytest.approx(0.2 + 2.0 * 0.54, rel=1e-12)


def test_opl_takes_absolute_value_of_the_negative_mean():
    # s_pos = 1, s_neg = -1: the paper's |s_neg| gives gamma * 1; loss.py without abs would give -0.5.
    features = torch.tensor([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]], dtype=torch.float64)
    labels = torch.tensor([0, 1, 0])
    assert opl.orthogonal_projection_loss(features, labels).item() == pytest.approx(0.5, rel=1e-12)


def test_opl_is_scale_invariant():
    torch.manual_seed(1)
    features = torch.randn(8, 4, dtype=torch.float64)
    labels = torch.randint(0, 3, (8,))
    assert torch.allclose(
        opl.orthogonal_projection_loss(features, labels), opl.orthogonal_projection_loss(3.5 * features, labels)
    )


def test_gradcheck():
    torch.manual_seed(2)
    emb = torch.randn(10, 4, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 3, 3])
    assert torch.autograd.gradcheck(lambda e: ms.multi_similarity_loss(e, labels, epsilon=0.5), (emb,))
    assert torch.autograd.gradcheck(lambda e: opl.orthogonal_projection_loss(e, labels), (emb,))


def test_float32_in_float32_out():
    assert ms.multi_similarity_loss(EMB.float(), LABELS).dtype == torch.float32
    assert opl.orthogonal_projection_loss(EMB.float(), LABELS).dtype == torch.float32


@pytest.mark.parametrize("fn", [ms.multi_similarity_loss, opl.orthogonal_projection_loss])
@pytest.mark.parametrize(
    "emb, labels, error",
    [
        (EMB[0], LABELS, ValueError),
        (EMB[:1], LABELS[:1], ValueError),
        (EMB, LABELS[:3], ValueError),
        (EMB, LABELS.float(), TypeError),
        (EMB.long(), LABELS, TypeError),
    ],
)
def test_bad_inputs(fn, emb, labels, error):
    with pytest.raises(error):
        fn(emb, labels)


def test_bad_parameters():
    with pytest.raises(ValueError):
        ms.multi_similarity_loss(EMB, LABELS, alpha=0.0)
    with pytest.raises(ValueError):
        ms.multi_similarity_loss(EMB, LABELS, epsilon=-0.1)
    with pytest.raises(ValueError):
        opl.orthogonal_projection_loss(EMB, LABELS, gamma=-1.0)
