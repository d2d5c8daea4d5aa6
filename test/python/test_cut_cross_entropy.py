import importlib.util
import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import REPO_ROOT, load_snippet

COVERS = ("cut-cross-entropy",)
cce = load_snippet("cut-cross-entropy")


def _batch(seed, n=9, h=5, v=13, dtype=torch.float64):
    torch.manual_seed(seed)
    hidden = torch.randn(n, h, dtype=dtype)
    weight = torch.randn(v, h, dtype=dtype)
    target = torch.randint(0, v, (n,))
    return hidden, weight, target


def test_hand_values():
    # logits = hidden @ weight.T = [[1, 0, 0], [0, 2, 0]]; targets 0 and 1.
    hidden = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
    weight = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], dtype=torch.float64)
    target = torch.tensor([0, 1])
    expected = (-math.log(math.e / (math.e + 2)) - math.log(math.e ** 2 / (math.e ** 2 + 2))) / 2
    for chunk in (1, 2, 3, 1024):
        assert cce.chunked_cross_entropy(hidden, weight, target, chunk_size=chunk).item() == pytest.approx(
            expected, rel=1e-12
        )


@pytest.mark.parametrize("chunk", [1, 4, 5, 13, 100])
def test_equals_plain_cross_entropy_value_and_gradients(chunk):
    hidden, weight, target = _batch(chunk)
    target[2] = -100
    target[5] = -100
    h1, w1 = hidden.clone().requires_grad_(True), weight.clone().requires_grad_(True)
    h2, w2 = hidden.clone().requires_grad_(True), weight.clone().requires_grad_(True)
    chunked = cce.chunked_cross_entropy(h1, w1, target, chunk_size=chunk)
    plain = F.cross_entropy(h2 @ w2.T, target, ignore_index=-100)
    assert torch.allclose(chunked, plain, rtol=1e-12, atol=1e-12)
    chunked.backward()
    plain.backward()
    assert torch.allclose(h1.grad, h2.grad, atol=1e-12)
    assert torch.allclose(w1.grad, w2.grad, atol=1e-12)


def test_custom_ignore_index_and_all_ignored_is_nan_like_pytorch():
    hidden, weight, target = _batch(1)
    target[0] = 7
    plain = F.cross_entropy(hidden @ weight.T, target, ignore_index=7)
    assert torch.allclose(cce.chunked_cross_entropy(hidden, weight, target, 4, ignore_index=7), plain)
    all_ignored = torch.full_like(target, -100)
    assert math.isnan(cce.chunked_cross_entropy(hidden, weight, all_ignored).item())
    assert math.isnan(F.cross_entropy(hidden @ weight.T, all_ignored).item())


def test_float32_matches_plain_and_keeps_dtype():
    hidden, weight, target = _batch(2, n=64, h=16, v=300, dtype=torch.float32)
    out = cce.chunked_cross_entropy(hidden, weight, target, chunk_size=64)
    assert out.dtype == torch.float32
    assert torch.allclose(out, F.cross_entropy(hidden @ weight.T, target), rtol=1e-5)


def test_bfloat16_accumulates_in_float32():
    hidden, weight, target = _batch(3, n=16, h=8, v=50, dtype=torch.float32)
    out = cce.chunked_cross_entropy(hidden.bfloat16(), weight.bfloat16(), target, chunk_size=16)
    assert out.dtype == torch.bfloat16
    reference = F.cross_entropy((hidden.bfloat16() @ weight.bfloat16().T).float(), target)
    assert out.float().item() == pytest.approx(reference.item(), rel=1e-2)


def test_gradcheck():
    hidden, weight, target = _batch(4, n=5, h=3, v=7)
    target[1] = -100
    hidden.requires_grad_(True)
    weight.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda h, w: cce.chunked_cross_entropy(h, w, target, chunk_size=3), (hidden, weight))
    assert torch.autograd.gradcheck(lambda h: cce.chunked_cross_entropy(h, weight.detach(), target, 2), (hidden,))


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: cce.chunked_cross_entropy(torch.randn(3), torch.randn(4, 3), torch.tensor([0, 1, 2])), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 3), torch.tensor([0, 1, 2])), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0, 1, 4])), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0, 1, -5])), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0, 1])), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0.0, 1.0, 2.0])), TypeError),
        (
            lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2, dtype=torch.float64), torch.tensor([0, 1, 2])),
            TypeError,
        ),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0, 1, 2]), 0), ValueError),
        (lambda: cce.chunked_cross_entropy(torch.randn(3, 2), torch.randn(4, 2), torch.tensor([0, 1, 2]), 2.5), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()


def test_peak_memory_is_below_the_plain_form(capsys):
    """Measures peak RSS growth of forward + backward in fresh processes; prints both numbers."""
    spec = importlib.util.spec_from_file_location("bench_cce", REPO_ROOT / "bench" / "chunked_cross_entropy_memory.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(tokens=512, hidden=32, vocab=8192, chunk=512)
    plain = result["plain"]["peak_growth_kib"]
    chunked = result["chunked"]["peak_growth_kib"]
    with capsys.disabled():
        print(f"\n[chunked CE memory] logits {result['logits_mib']:.0f} MiB: plain +{plain / 1024:.1f} MiB, "
              f"chunked +{chunked / 1024:.1f} MiB peak RSS")
    assert result["plain"]["loss"] == pytest.approx(result["chunked"]["loss"], rel=1e-5)
    # The plain form holds at least the full logits; the chunked form must stay well below that.
    assert plain >= result["logits_mib"] * 1024
    assert chunked < plain / 2
