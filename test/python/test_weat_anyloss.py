import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import autograd_grad, load_snippet, numerical_grad

COVERS = ("weat", "anyloss")
weat = load_snippet("weat")
al = load_snippet("anyloss")

NAT = torch.tensor([[0.0, 0.0]], dtype=torch.float64)
ADV = torch.tensor([[0.0, math.log(3.0)]], dtype=torch.float64)
TARGET = torch.tensor([0])


def test_weat_hand_values():
    # E = -log 2, w = 1 / log(1 + 2); KL([1/2, 1/2] || [1/4, 3/4]) = 1/2 log 2 + 1/2 log(2/3).
    w = 1 / math.log(3.0)
    kl = 0.5 * math.log(2.0) + 0.5 * math.log(2 / 3)
    nat = weat.weat_loss(NAT, ADV, TARGET).item()
    assert nat == pytest.approx(w * (math.log(2.0) + 6.0 * kl), rel=1e-12)
    adv = weat.weat_loss(NAT, ADV, TARGET, variant="adv").item()
    assert adv == pytest.approx(w * (math.log(4.0) + 7.0 * kl), rel=1e-12)
    assert weat.weat_loss(NAT, ADV, TARGET, beta=0.0).item() == pytest.approx(w * math.log(2.0), rel=1e-12)


def test_weat_without_perturbation_is_energy_weighted_ce():
    torch.manual_seed(0)
    logits = torch.randn(6, 4, dtype=torch.float64)
    target = torch.randint(0, 4, (6,))
    weight = 1 / F.softplus(torch.logsumexp(logits, 1).abs())
    expected = (weight * F.cross_entropy(logits, target, reduction="none")).mean()
    assert torch.allclose(weat.weat_loss(logits, logits.clone(), target), expected)


def test_weat_gradient_treats_energy_weights_as_constant():
    torch.manual_seed(1)
    logits = torch.randn(3, 4, dtype=torch.float64)
    adv = logits + 0.3 * torch.randn(3, 4, dtype=torch.float64)
    target = torch.randint(0, 4, (3,))
    weight = 1 / F.softplus(torch.logsumexp(logits, 1).abs())

    def frozen(z):
        kl = (F.softmax(z, 1) * (F.log_softmax(z, 1) - F.log_softmax(adv, 1))).sum(1)
        return (weight * (F.cross_entropy(z, target, reduction="none") + 6.0 * kl)).mean()

    auto = autograd_grad(lambda z: weat.weat_loss(z, adv, target), logits)
    assert torch.allclose(auto, numerical_grad(frozen, logits), atol=1e-8)
    assert torch.autograd.gradcheck(frozen, (logits.clone().requires_grad_(True),))
    # The adversarial logits get an ordinary gradient (no stop-gradient on them).
    adv_leaf = adv.clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a: weat.weat_loss(logits, a, target, variant="adv"), (adv_leaf,))


def test_anyloss_hand_values():
    # amplifier 10: A = sigmoid(10 (p - 0.5)) = [sigmoid(1), sigmoid(-0.5), 1/2].
    probs = torch.tensor([0.6, 0.45, 0.5], dtype=torch.float64)
    labels = torch.tensor([1, 1, 0])
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    a = [sig(1.0), sig(-0.5), 0.5]
    tp, fn = a[0] + a[1], (1 - a[0]) + (1 - a[1])
    fp, tn = a[2], 1 - a[2]
    expected = {
        "accuracy": 1 - (tp + tn) / 3,
        "f_beta": 1 - 2 * tp / (2 * tp + fn + fp),
        "gmean": 1 - math.sqrt(tp / 2 * tn / 1),
        "balanced_accuracy": 1 - (tp / 2 + tn / 1) / 2,
    }
    for metric, value in expected.items():
        assert al.anyloss(probs, labels, metric=metric, amplifier=10.0).item() == pytest.approx(value, rel=1e-12)
    f2 = 1 - 5 * tp / (5 * tp + 4 * fn + fp)
    assert al.anyloss(probs, labels, metric="f_beta", beta=2.0, amplifier=10.0).item() == pytest.approx(f2, rel=1e-12)


def test_anyloss_large_amplifier_recovers_the_hard_metric():
    # Hard predictions at 0.5: TP = 1, FN = 1, FP = 1, TN = 1.
    probs = torch.tensor([0.9, 0.1, 0.8, 0.3], dtype=torch.float64)
    labels = torch.tensor([1, 0, 0, 1])
    for metric in ("accuracy", "f_beta", "gmean", "balanced_accuracy"):
        assert al.anyloss(probs, labels, metric=metric).item() == pytest.approx(0.5, abs=1e-5)


def test_gradcheck():
    torch.manual_seed(2)
    logits = torch.randn(4, 3, dtype=torch.float64)
    adv = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 3, (4,))
    # Gradients w.r.t. the adversarial logits involve no stop-gradient.
    assert torch.autograd.gradcheck(lambda a: weat.weat_loss(logits, a, target), (adv,))
    probs = torch.rand(8, dtype=torch.float64).clamp(0.3, 0.7).requires_grad_(True)
    labels = torch.tensor([0, 1, 0, 1, 1, 0, 1, 0])
    for metric in ("accuracy", "f_beta", "gmean", "balanced_accuracy"):
        assert torch.autograd.gradcheck(lambda p: al.anyloss(p, labels, metric=metric, amplifier=5.0), (probs,))


def test_float32_in_float32_out():
    assert weat.weat_loss(NAT.float(), ADV.float(), TARGET).dtype == torch.float32
    assert al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 1])).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: weat.weat_loss(NAT, ADV[:, :1], TARGET), ValueError),
        (lambda: weat.weat_loss(NAT, ADV, torch.tensor([2])), ValueError),
        (lambda: weat.weat_loss(NAT, ADV, TARGET, variant="trades"), ValueError),
        (lambda: weat.weat_loss(NAT, ADV, TARGET, beta=-1.0), ValueError),
        (lambda: weat.weat_loss(NAT, ADV, TARGET.float()), TypeError),
        (lambda: weat.weat_loss(NAT[0], ADV[0], TARGET), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 2])), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 1.7]), torch.tensor([0, 1])), ValueError),
        (lambda: al.anyloss(torch.tensor([[0.2, 0.7]]), torch.tensor([[0, 1]])), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 1, 1])), ValueError),
        (lambda: al.anyloss(torch.tensor([0, 1]), torch.tensor([0, 1])), TypeError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 1]), metric="auc"), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([1, 1]), metric="gmean"), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 0]), metric="balanced_accuracy"), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 1]), amplifier=0.0), ValueError),
        (lambda: al.anyloss(torch.tensor([0.2, 0.7]), torch.tensor([0, 1]), beta=0.0), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
