import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import autograd_grad, load_snippet, numerical_grad

COVERS = ("emo", "clip-weighted-cross-entropy")
emo = load_snippet("emo")
cw = load_snippet("clip-weighted-cross-entropy")

# q = softmax([0, log 3]) = [1/4, 3/4]; cos(e_0, e_1) = 0.6.
LOGITS = torch.tensor([[0.0, math.log(3.0)]], dtype=torch.float64)
TARGET = torch.tensor([1])
EMB = torch.tensor([[2.0, 0.0], [0.6, 0.8]], dtype=torch.float64)


def test_emo_hand_value_and_gradient():
    ce = -math.log(0.75)
    z = LOGITS.clone().requires_grad_(True)
    loss = emo.emo_loss(z, TARGET, EMB)
    # L_EMO = 1/4 * (1 - 0.6) = 0.1 and the forward value is CE (up to the 1e-10 guard).
    assert loss.item() == pytest.approx(ce, rel=1e-8)
    loss.backward()
    # dCE/dz = q - onehot = [1/4, -1/4]; dL_EMO/dz_k = q_k (c_k - L_EMO) = [0.075, -0.075].
    ratio = ce / 0.1
    expected = [0.5 * (0.25 + ratio * 0.075), 0.5 * (-0.25 - ratio * 0.075)]
    assert z.grad[0].tolist() == pytest.approx(expected, rel=1e-8)


def test_emo_value_equals_cross_entropy_and_ignores_padding():
    torch.manual_seed(0)
    logits = torch.randn(7, 6, dtype=torch.float64)
    target = torch.randint(0, 6, (7,))
    target[3] = -100
    emb = torch.randn(6, 4, dtype=torch.float64)
    assert torch.allclose(emo.emo_loss(logits, target, emb), F.cross_entropy(logits, target), rtol=1e-8)
    keep = target != -100
    assert torch.allclose(emo.emo_loss(logits, target, emb), emo.emo_loss(logits[keep], target[keep], emb))


def test_emo_gradient_matches_frozen_ratio_surrogate():
    torch.manual_seed(1)
    logits = torch.randn(3, 5, dtype=torch.float64)
    target = torch.tensor([0, 3, 4])
    emb = F.normalize(torch.randn(5, 2, dtype=torch.float64), dim=1)

    def parts(z):
        ce = F.cross_entropy(z, target, reduction="none")
        cost = 1 - emb @ emb[target].T  # (V, N): 1 - cos(e_v, e_y)
        emo_term = (F.softmax(z, 1) * cost.T).sum(1)
        return ce, emo_term

    ce0, emo0 = parts(logits)
    ratio = (ce0 / (emo0 + 1e-10)).detach()

    def frozen(z):
        ce, emo_term = parts(z)
        return (0.5 * (ce + ratio * emo_term)).mean()

    auto = autograd_grad(lambda z: emo.emo_loss(z, target, emb), logits)
    assert torch.allclose(auto, numerical_grad(frozen, logits), atol=1e-7)
    assert torch.autograd.gradcheck(frozen, (logits.clone().requires_grad_(True),))


def test_clip_weighted_hand_values():
    logits = torch.tensor([[[0.0, math.log(3.0)], [0.0, 0.0]]], dtype=torch.float64)
    target = torch.tensor([[1, -100]])
    kl = 0.1 * math.log(0.1 / 0.25) + 0.9 * math.log(0.9 / 0.75)
    for score, weight in ((1.0, 1.0), (0.5, 0.5), (3.0, 1.0), (-0.2, 0.0)):
        value = cw.clip_weighted_cross_entropy(logits, target, torch.tensor([score], dtype=torch.float64)).item()
        assert value == pytest.approx(weight * kl, rel=1e-12, abs=1e-15)


def test_clip_weighted_matches_kl_div_with_smoothing_over_wrong_tokens():
    torch.manual_seed(2)
    logits = torch.randn(2, 3, 5, dtype=torch.float64)
    target = torch.tensor([[1, 4, -100], [0, 2, 3]])
    scores = torch.tensor([0.2, 0.35], dtype=torch.float64)
    weights = (2.5 * scores / 2.5).clamp(0, 1)
    per_token = []
    for b in range(2):
        for t in range(3):
            if target[b, t] == -100:
                continue
            q = torch.full((5,), 0.1 / 4, dtype=torch.float64)
            q[target[b, t]] = 0.9
            kl = F.kl_div(F.log_softmax(logits[b, t], -1), q, reduction="sum")
            per_token.append(weights[b] * kl)
    expected = torch.stack(per_token).mean()
    assert torch.allclose(cw.clip_weighted_cross_entropy(logits, target, scores), expected)


def test_clip_weighted_without_smoothing_and_full_weight_is_cross_entropy():
    torch.manual_seed(3)
    logits = torch.randn(3, 4, 6, dtype=torch.float64)
    target = torch.randint(0, 6, (3, 4))
    target[0, 0] = -100
    value = cw.clip_weighted_cross_entropy(logits, target, torch.full((3,), 2.5, dtype=torch.float64), smoothing=0.0)
    assert torch.allclose(value, F.cross_entropy(logits.reshape(12, 6), target.reshape(12)))


def test_gradcheck():
    torch.manual_seed(4)
    logits = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([[1, 0, -100], [3, 2, 1]])
    scores = torch.tensor([0.3, 0.9], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda z: cw.clip_weighted_cross_entropy(z, target, scores), (logits,))


def test_float32_in_float32_out():
    assert emo.emo_loss(LOGITS.float(), TARGET, EMB.float()).dtype == torch.float32
    logits = torch.randn(1, 2, 3)
    assert cw.clip_weighted_cross_entropy(logits, torch.tensor([[0, 2]]), torch.tensor([0.3])).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: emo.emo_loss(LOGITS, TARGET, EMB[:1]), ValueError),
        (lambda: emo.emo_loss(LOGITS, torch.tensor([2]), EMB), ValueError),
        (lambda: emo.emo_loss(LOGITS, torch.tensor([-100]), EMB), ValueError),
        (lambda: emo.emo_loss(LOGITS, torch.tensor([-3]), EMB), ValueError),
        (lambda: emo.emo_loss(LOGITS, TARGET.int(), EMB), TypeError),
        (lambda: emo.emo_loss(LOGITS[0], TARGET, EMB), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, 3]]), torch.tensor([0.3])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, -1]]), torch.tensor([0.3])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[-100, -100]]), torch.tensor([0.3])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, 1]]), torch.tensor([0.3, 0.1])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(2, 3), torch.tensor([0, 1]), torch.tensor([0.3, 0.1])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 1), torch.tensor([[0, 0]]), torch.tensor([0.3])), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, 1]]), torch.tensor([0.3]), smoothing=1.0), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, 1]]), torch.tensor([0.3]), alpha=-1.0), ValueError),
        (lambda: cw.clip_weighted_cross_entropy(torch.randn(1, 2, 3), torch.tensor([[0, 1]]), torch.tensor([1])), TypeError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
