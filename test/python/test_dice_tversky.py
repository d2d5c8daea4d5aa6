import pytest
import torch

from snippet_support import load_snippet

COVERS = ("dice", "tversky")
dice = load_snippet("dice")
tversky = load_snippet("tversky")

PROBS = torch.tensor([[0.9, 0.2, 0.6, 0.0], [0.5, 0.5, 0.5, 0.5]], dtype=torch.float64)
TARGET = torch.tensor([[1, 0, 1, 0], [0, 0, 1, 1]])


def test_dice_hand_values():
    # Sample 0: intersection 1.5, sums 1.7 + 2 -> dice 3 / 3.7; sample 1: 1.0, 2 + 2 -> 2 / 4.
    expected = ((1 - 3 / 3.7) + (1 - 2 / 4)) / 2
    assert dice.dice_loss(PROBS, TARGET).item() == pytest.approx(expected, rel=1e-12)
    smoothed = ((1 - 4 / 4.7) + (1 - 3 / 5)) / 2
    assert dice.dice_loss(PROBS, TARGET, smooth=1.0).item() == pytest.approx(smoothed, rel=1e-12)


def test_dice_sums_over_all_non_batch_dims():
    image = PROBS.view(2, 2, 2)
    assert dice.dice_loss(image, TARGET.view(2, 2, 2)).item() == pytest.approx(dice.dice_loss(PROBS, TARGET).item())


def test_tversky_hand_values():
    # Sample 0: TP 1.5, FP 0.2, FN 0.5; sample 1: TP 1.0, FP 1.0, FN 1.0.
    alpha, beta = 0.3, 0.7
    t0 = 1.5 / (1.5 + alpha * 0.2 + beta * 0.5)
    t1 = 1.0 / (1.0 + alpha * 1.0 + beta * 1.0)
    value = tversky.tversky_loss(PROBS, TARGET, alpha=alpha, beta=beta).item()
    assert value == pytest.approx(((1 - t0) + (1 - t1)) / 2, rel=1e-12)


def test_tversky_half_half_equals_dice():
    torch.manual_seed(0)
    probs = torch.rand(4, 3, 5, dtype=torch.float64)
    target = torch.randint(0, 2, (4, 3, 5))
    assert torch.allclose(tversky.tversky_loss(probs, target, 0.5, 0.5), dice.dice_loss(probs, target))


def test_perfect_prediction_is_zero_and_empty_masks_are_one_without_smoothing():
    target = torch.tensor([[1.0, 0.0, 1.0]])
    assert dice.dice_loss(target.clone(), target).item() == pytest.approx(0.0)
    assert tversky.tversky_loss(target.clone(), target).item() == pytest.approx(0.0)
    empty = torch.zeros(1, 3)
    assert dice.dice_loss(empty, empty).item() == pytest.approx(1.0)
    assert dice.dice_loss(empty, empty, smooth=1.0).item() == pytest.approx(0.0)


def test_gradcheck():
    torch.manual_seed(1)
    probs = torch.rand(3, 6, dtype=torch.float64).clamp(0.05, 0.95).requires_grad_(True)
    target = torch.rand(3, 6, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda p: dice.dice_loss(p, target, smooth=0.5), (probs,))
    assert torch.autograd.gradcheck(lambda p: tversky.tversky_loss(p, target, 0.3, 0.7, 0.1), (probs,))


def test_float32_in_float32_out():
    assert dice.dice_loss(PROBS.float(), TARGET).dtype == torch.float32
    assert tversky.tversky_loss(PROBS.float(), TARGET).dtype == torch.float32


@pytest.mark.parametrize("fn", [dice.dice_loss, tversky.tversky_loss])
@pytest.mark.parametrize(
    "probs, target, error",
    [
        (PROBS[0], TARGET[0], ValueError),
        (PROBS, TARGET[:, :3], ValueError),
        (PROBS * 2, TARGET, ValueError),
        (PROBS, TARGET * 3, ValueError),
        (TARGET, TARGET, TypeError),
        (torch.zeros(0, 4), torch.zeros(0, 4), ValueError),
    ],
)
def test_bad_inputs(fn, probs, target, error):
    with pytest.raises(error):
        fn(probs, target)


def test_bad_parameters():
    with pytest.raises(ValueError):
        dice.dice_loss(PROBS, TARGET, smooth=-1.0)
    with pytest.raises(ValueError):
        dice.dice_loss(PROBS, TARGET, eps=0.0)
    with pytest.raises(ValueError):
        tversky.tversky_loss(PROBS, TARGET, alpha=-0.1)
