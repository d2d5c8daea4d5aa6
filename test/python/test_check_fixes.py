"""The PaperLens quick fixes produce code that still runs under PyTorch and computes the right thing.

test/python/check_fixes/*_fixed.py are the check fixtures (test/unit/checks/fixtures) with every
preferred quick fix applied; scripts/buildCheckFixes.ts writes them and a unit test keeps them current.
"""
import pathlib
import runpy

import pytest
import torch
import torch.nn.functional as F

FIXED = pathlib.Path(__file__).parent / "check_fixes"
FILES = sorted(FIXED.glob("*_fixed.py"))


def test_fixed_fixtures_exist():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixed_code_runs(path):
    torch.manual_seed(0)
    runpy.run_path(str(path), run_name="__main__")


def test_softmax_fix_computes_cross_entropy_on_logits():
    g = runpy.run_path(str(FIXED / "softmax_ce_fixed.py"))
    assert torch.allclose(g["bad"], g["ok"])
    assert torch.allclose(g["bad_method"], g["ok"])
    assert torch.allclose(g["bad_module"], g["ok"])
    assert torch.allclose(g["nll_bad"], g["ok"])


def test_bce_fix_keeps_the_value_and_is_stable():
    g = runpy.run_path(str(FIXED / "bce_fixed.py"))
    z, y = g["z"], g["y"]
    expected = F.binary_cross_entropy(torch.sigmoid(z), y)
    assert torch.allclose(g["bad"], expected, atol=1e-6)
    # With large logits the sigmoid saturates and BCELoss clamps log(0); the logits form stays exact.
    big = torch.tensor([40.0, -40.0])
    target = torch.tensor([0.0, 1.0])
    assert torch.isclose(F.binary_cross_entropy_with_logits(big, target), torch.tensor(40.0))


def test_kl_fix_gives_the_kl_divergence():
    g = runpy.run_path(str(FIXED / "kl_div_fixed.py"))
    student, target = g["student"], g["target"]
    log_q = F.log_softmax(student, dim=-1)
    true_kl = (target * (target.log() - log_q)).sum() / student.shape[0]
    assert torch.allclose(g["b"], true_kl, atol=1e-6)
    assert torch.allclose(g["kl_default"](log_q, target), true_kl, atol=1e-6)


def test_kd_fix_multiplies_the_soft_term_by_t_squared():
    g = runpy.run_path(str(FIXED / "kd_fixed.py"))
    s, t, T = g["student_logits"], g["teacher_logits"], g["T"]
    kl = F.kl_div(F.log_softmax(s / T, dim=1), F.softmax(t / T, dim=1), reduction="batchmean")
    assert torch.allclose(g["kd_inline"], kl * T**2)
    assert torch.allclose(g["kd_inline"], g["kd_inline_ok"])
    soft_ce = F.cross_entropy(s / T, F.softmax(t / T, dim=1))
    assert torch.allclose(g["soft_ce"], soft_ce * T**2)
    # Hinton et al. (2015) §2: the soft-target gradient scales as 1/T²; with the T² factor its
    # size no longer shrinks as T grows (checked at T = 2 and T = 8 on the same logits).
    def grad_norm(temp):
        x = s.clone().requires_grad_(True)
        loss = F.kl_div(F.log_softmax(x / temp, dim=1), F.softmax(t / temp, dim=1), reduction="batchmean") * temp**2
        loss.backward()
        return x.grad.norm()
    assert grad_norm(8.0) > 0.5 * grad_norm(2.0)


def test_lm_fix_shifts_logits_and_labels_by_one():
    g = runpy.run_path(str(FIXED / "lm_shift_fixed.py"))
    logits, tokens, vocab = g["logits"], g["tokens"], g["vocab"]
    expected = F.cross_entropy(logits[:, :-1].reshape(-1, vocab), tokens[:, 1:].reshape(-1))
    assert torch.allclose(g["loss"], expected)
    assert torch.allclose(g["loss"], g["hf_style"])
    # train_step and the class's training_step now compute the same next-token loss.
    assert torch.allclose(g["values"][1], expected)
    assert torch.allclose(g["values"][2], expected)
