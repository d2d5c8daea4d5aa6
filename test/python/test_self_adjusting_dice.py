import pytest
import torch

from snippet_support import load_snippet

COVERS = ("self-adjusting-dice",)
sad = load_snippet("self-adjusting-dice")
dice = load_snippet("dice")

BIN_PROBS = torch.tensor([0.9, 0.2, 0.6], dtype=torch.float64)
BIN_LABELS = torch.tensor([1, 0, 1])
MC_PROBS = torch.tensor([[0.7, 0.3], [0.4, 0.6]], dtype=torch.float64)
MC_TARGET = torch.tensor([0, 1])


def test_binary_hand_values():
    value = sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, smooth=0.0, with_logits=False).item()
    assert value == pytest.approx(1 - 3 / 3.7, rel=1e-12)
    # alpha = 1: p~ = (1 - p) p = [0.09, 0.16, 0.24]; intersection 0.33, sum 0.49; smooth 1e-4.
    s = 1e-4
    value = sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, alpha=1.0, with_logits=False).item()
    assert value == pytest.approx(1 - (2 * 0.33 + s) / (0.49 + 2 + s), rel=1e-12)
    squared = sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, smooth=0.0, square_denominator=True, with_logits=False)
    assert squared.item() == pytest.approx(1 - 3 / (0.81 + 0.04 + 0.36 + 2), rel=1e-12)


def test_multiclass_hand_values_sum_over_classes():
    # Class 0: p [0.7, 0.4], y [1, 0]; class 1: p [0.3, 0.6], y [0, 1].
    expected = (1 - 1.4 / 2.1) + (1 - 1.2 / 1.9)
    value = sad.self_adjusting_dice_loss(MC_PROBS, MC_TARGET, smooth=0.0, with_logits=False).item()
    assert value == pytest.approx(expected, rel=1e-12)


def test_with_logits_applies_sigmoid_or_softmax():
    logits = torch.logit(BIN_PROBS)
    assert torch.allclose(
        sad.self_adjusting_dice_loss(logits, BIN_LABELS), sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, with_logits=False)
    )
    mc_logits = MC_PROBS.log()
    assert torch.allclose(
        sad.self_adjusting_dice_loss(mc_logits, MC_TARGET), sad.self_adjusting_dice_loss(MC_PROBS, MC_TARGET, with_logits=False)
    )
    assert torch.allclose(
        sad.self_adjusting_dice_loss(logits.view(3, 1), BIN_LABELS.view(3, 1)),
        sad.self_adjusting_dice_loss(logits, BIN_LABELS),
    )


def test_alpha_zero_binary_is_the_soft_dice_over_the_batch():
    torch.manual_seed(0)
    probs = torch.rand(20, dtype=torch.float64)
    labels = torch.randint(0, 2, (20,))
    expected = dice.dice_loss(probs.view(1, -1), labels.view(1, -1))
    assert torch.allclose(sad.self_adjusting_dice_loss(probs, labels, smooth=0.0, with_logits=False), expected)


def test_self_adjusting_factor_down_weights_easy_examples():
    # An easy, confident positive matters less once (1 - p)^alpha multiplies p.
    easy = torch.tensor([0.99, 0.5], dtype=torch.float64)
    labels = torch.tensor([1, 1])
    plain = sad.self_adjusting_dice_loss(easy, labels, alpha=0.0, with_logits=False)
    adjusted = sad.self_adjusting_dice_loss(easy, labels, alpha=1.0, with_logits=False)
    assert adjusted > plain


def test_gradcheck():
    torch.manual_seed(1)
    logits = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 3, (6,))
    assert torch.autograd.gradcheck(lambda z: sad.self_adjusting_dice_loss(z, target, alpha=0.5, smooth=1.0), (logits,))
    assert torch.autograd.gradcheck(
        lambda z: sad.self_adjusting_dice_loss(z, target, square_denominator=True), (logits,)
    )
    binary = torch.randn(5, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 1, 1, 0, 1])
    assert torch.autograd.gradcheck(lambda z: sad.self_adjusting_dice_loss(z, labels, alpha=0.3), (binary,))


def test_saturated_probabilities_keep_finite_gradients():
    logits = torch.tensor([[60.0, 0.0, 0.0], [0.0, 1.0, 0.0]], requires_grad=True)
    sad.self_adjusting_dice_loss(logits, torch.tensor([0, 1]), alpha=0.5).backward()
    assert torch.isfinite(logits.grad).all()


def test_float32_in_float32_out():
    assert sad.self_adjusting_dice_loss(MC_PROBS.float(), MC_TARGET).dtype == torch.float32
    assert sad.self_adjusting_dice_loss(BIN_PROBS.float(), BIN_LABELS).dtype == torch.float32


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: sad.self_adjusting_dice_loss(MC_PROBS, torch.tensor([0, 2])), ValueError),
        (lambda: sad.self_adjusting_dice_loss(MC_PROBS, torch.tensor([0.0, 1.0])), TypeError),
        (lambda: sad.self_adjusting_dice_loss(MC_PROBS, torch.tensor([0])), ValueError),
        (lambda: sad.self_adjusting_dice_loss(MC_PROBS.view(1, 2, 2), MC_TARGET), ValueError),
        (lambda: sad.self_adjusting_dice_loss(MC_PROBS * 3, MC_TARGET, with_logits=False), ValueError),
        (lambda: sad.self_adjusting_dice_loss(BIN_PROBS, torch.tensor([1, 0])), ValueError),
        (lambda: sad.self_adjusting_dice_loss(BIN_PROBS, torch.tensor([1, 0, 2])), ValueError),
        (lambda: sad.self_adjusting_dice_loss(BIN_PROBS + 1, BIN_LABELS, with_logits=False), ValueError),
        (lambda: sad.self_adjusting_dice_loss(BIN_LABELS, BIN_LABELS), TypeError),
        (lambda: sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, alpha=-1.0), ValueError),
        (lambda: sad.self_adjusting_dice_loss(BIN_PROBS, BIN_LABELS, smooth=-1.0), ValueError),
        (lambda: sad.self_adjusting_dice_loss(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
