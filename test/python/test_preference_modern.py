"""Preference optimisation, RLHF policy losses and distillation snippets: hand-computed values,
identities from the papers, agreement between equivalent forms, and gradcheck in float64."""
import math

import pytest
import torch
import torch.nn.functional as F

from snippet_support import load_snippet

COVERS = (
    "dpo",
    "ipo",
    "kto",
    "simpo",
    "bradley-terry-reward",
    "ppo-clip",
    "grpo",
    "knowledge-distillation",
    "jsd",
)
dpo = load_snippet("dpo")
ipo = load_snippet("ipo")
kto = load_snippet("kto")
simpo = load_snippet("simpo")
bt = load_snippet("bradley-terry-reward")
ppo = load_snippet("ppo-clip")
grpo = load_snippet("grpo")
kd = load_snippet("knowledge-distillation")
jsd = load_snippet("jsd")

D = torch.float64
LOG2 = math.log(2.0)


def t(*values):
    return torch.tensor(values, dtype=D)


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


# ---------------------------------------------------------------- DPO

def test_dpo_equal_policy_and_reference_gives_log_2_for_any_beta():
    logps = t(-12.0, -3.5, -40.0)
    for beta in (0.01, 0.1, 1.0, 5.0):
        loss = dpo.dpo_loss(logps, logps - 2.0, logps, logps - 2.0, beta=beta)
        assert loss.item() == pytest.approx(LOG2, rel=1e-12)


def test_dpo_hand_value_and_label_smoothing():
    # h = (-10 - -12) - (-15 - -14) = 2 - (-1) = 3
    pc, pr, rc, rr = t(-10.0), t(-15.0), t(-12.0), t(-14.0)
    expected = -math.log(sig(0.1 * 3))
    assert dpo.dpo_loss(pc, pr, rc, rr).item() == pytest.approx(expected, rel=1e-12)
    smoothed = -(0.9) * math.log(sig(0.3)) - 0.1 * math.log(sig(-0.3))
    assert dpo.dpo_loss(pc, pr, rc, rr, label_smoothing=0.1).item() == pytest.approx(smoothed, rel=1e-12)


def test_dpo_is_binary_cross_entropy_on_beta_times_the_log_ratio_gap():
    torch.manual_seed(0)
    pc, pr, rc, rr = (torch.randn(6, dtype=D) * 5 for _ in range(4))
    h = (pc - rc) - (pr - rr)
    expected = F.binary_cross_entropy_with_logits(0.5 * h, torch.ones(6, dtype=D))
    assert torch.allclose(dpo.dpo_loss(pc, pr, rc, rr, beta=0.5), expected)
    assert dpo.dpo_loss(pc, pr, rc, rr, reduction="none").shape == (6,)
    assert torch.allclose(dpo.dpo_loss(pc, pr, rc, rr, reduction="sum"), dpo.dpo_loss(pc, pr, rc, rr) * 6)


def test_dpo_prefers_the_chosen_response():
    ref = t(-10.0, -10.0)
    better = dpo.dpo_loss(t(-9.0, -9.0), t(-11.0, -11.0), ref, ref)
    worse = dpo.dpo_loss(t(-11.0, -11.0), t(-9.0, -9.0), ref, ref)
    assert better.item() < LOG2 < worse.item()


def test_sequence_log_probs_sums_only_response_tokens():
    # Vocabulary of 2, uniform logits: every token has log-prob log(1/2).
    logits = torch.zeros(2, 4, 2, dtype=D)
    labels = torch.tensor([[0, 1, 1, 0], [1, 1, 0, 0]])
    mask = torch.tensor([[False, True, True, True], [False, False, True, False]])
    summed = dpo.sequence_log_probs(logits, labels, mask)
    assert summed.tolist() == pytest.approx([3 * math.log(0.5), math.log(0.5)], rel=1e-12)
    averaged = dpo.sequence_log_probs(logits, labels, mask, average=True)
    assert averaged.tolist() == pytest.approx([math.log(0.5), math.log(0.5)], rel=1e-12)


def test_sequence_log_probs_matches_cross_entropy():
    torch.manual_seed(1)
    logits = torch.randn(3, 5, 7, dtype=D)
    labels = torch.randint(0, 7, (3, 5))
    mask = torch.ones(3, 5, dtype=torch.bool)
    ce = F.cross_entropy(logits.reshape(-1, 7), labels.reshape(-1), reduction="none").view(3, 5).sum(1)
    assert torch.allclose(dpo.sequence_log_probs(logits, labels, mask), -ce)


def test_dpo_rejects_bad_input():
    x = t(-1.0, -2.0)
    with pytest.raises(ValueError, match="beta"):
        dpo.dpo_loss(x, x, x, x, beta=0.0)
    with pytest.raises(ValueError, match="shape"):
        dpo.dpo_loss(x, t(-1.0), x, x)
    with pytest.raises(ValueError, match="label_smoothing"):
        dpo.dpo_loss(x, x, x, x, label_smoothing=0.5)
    with pytest.raises(ValueError, match="no response tokens"):
        dpo.sequence_log_probs(torch.zeros(1, 2, 3), torch.zeros(1, 2, dtype=torch.int64), torch.zeros(1, 2), average=True)


def test_dpo_gradcheck():
    torch.manual_seed(2)
    pc = torch.randn(4, dtype=D, requires_grad=True)
    pr = torch.randn(4, dtype=D, requires_grad=True)
    rc, rr = torch.randn(4, dtype=D), torch.randn(4, dtype=D)
    assert torch.autograd.gradcheck(lambda a, b: dpo.dpo_loss(a, b, rc, rr, beta=0.7, label_smoothing=0.2), (pc, pr))
    logits = torch.randn(2, 3, 4, dtype=D, requires_grad=True)
    labels = torch.randint(0, 4, (2, 3))
    mask = torch.tensor([[0, 1, 1], [1, 1, 0]])
    assert torch.autograd.gradcheck(lambda z: dpo.sequence_log_probs(z, labels, mask, average=True), (logits,))


# ---------------------------------------------------------------- IPO

def test_ipo_zero_at_target_gap_and_quarter_tau_squared_at_reference():
    tau = 0.1
    ref = t(-10.0)
    # h = 1 / (2 tau) = 5
    assert ipo.ipo_loss(t(-7.0), t(-12.0), ref, ref, tau=tau).item() == pytest.approx(0.0, abs=1e-12)
    assert ipo.ipo_loss(ref, ref, ref, ref, tau=tau).item() == pytest.approx(1 / (4 * tau**2), rel=1e-12)


def test_ipo_length_normalisation_like_trl():
    # chosen log-ratio 6 over 3 tokens = 2; rejected log-ratio -4 over 2 tokens = -2; h = 4
    loss = ipo.ipo_loss(t(-4.0), t(-14.0), t(-10.0), t(-10.0), tau=0.25,
                        chosen_lengths=t(3.0), rejected_lengths=t(2.0))
    assert loss.item() == pytest.approx((4 - 2) ** 2, rel=1e-12)
    summed = ipo.ipo_loss(t(-4.0), t(-14.0), t(-10.0), t(-10.0), tau=0.25)
    assert summed.item() == pytest.approx((10 - 2) ** 2, rel=1e-12)
    with pytest.raises(ValueError, match="both"):
        ipo.ipo_loss(t(-4.0), t(-14.0), t(-10.0), t(-10.0), chosen_lengths=t(3.0))


def test_ipo_gradcheck():
    torch.manual_seed(3)
    pc = torch.randn(3, dtype=D, requires_grad=True)
    pr = torch.randn(3, dtype=D, requires_grad=True)
    rc, rr = torch.randn(3, dtype=D), torch.randn(3, dtype=D)
    lengths = t(2.0, 5.0, 1.0)
    assert torch.autograd.gradcheck(lambda a, b: ipo.ipo_loss(a, b, rc, rr, tau=0.3, chosen_lengths=lengths, rejected_lengths=lengths), (pc, pr))


# ---------------------------------------------------------------- KTO

def test_kto_hand_values_and_weights():
    policy = t(-8.0, -12.0)
    ref = t(-10.0, -10.0)
    desirable = torch.tensor([True, False])
    # r = [2, -2], z0 = 0.5, beta = 0.1
    per = kto.kto_loss(policy, ref, desirable, 0.5, reduction="none")
    assert per.tolist() == pytest.approx([1 - sig(0.1 * 1.5), 1 - sig(0.1 * 2.5)], rel=1e-12)
    weighted = kto.kto_loss(policy, ref, desirable, 0.5, desirable_weight=1.33, undesirable_weight=0.5, reduction="none")
    assert weighted.tolist() == pytest.approx([1.33 * (1 - sig(0.15)), 0.5 * (1 - sig(0.25))], rel=1e-12)
    assert kto.kto_loss(policy, ref, desirable, 0.5).item() == pytest.approx(per.mean().item(), rel=1e-12)


def test_kto_at_the_reference_point_costs_half_the_weight():
    policy, ref = t(-3.0, -7.0, -1.0), t(-4.0, -8.0, -2.0)  # r = 1 everywhere
    desirable = torch.tensor([True, False, True])
    per = kto.kto_loss(policy, ref, desirable, torch.tensor(1.0, dtype=D), desirable_weight=2.0, reduction="none")
    assert per.tolist() == pytest.approx([1.0, 0.5, 1.0], rel=1e-12)


def test_kto_reference_point_is_detached_and_clamped():
    pol = torch.tensor([-5.0, -7.0], dtype=D, requires_grad=True)
    z0 = kto.kto_reference_point(pol, t(-6.0, -6.0))
    assert z0.item() == pytest.approx(0.0) and not z0.requires_grad
    assert kto.kto_reference_point(t(-4.0, -6.0), t(-6.0, -6.0)).item() == pytest.approx(1.0)
    assert kto.kto_reference_point(t(-9.0), t(-6.0)).item() == 0.0


def test_kto_gradcheck_and_validation():
    torch.manual_seed(4)
    policy = torch.randn(5, dtype=D, requires_grad=True)
    ref = torch.randn(5, dtype=D)
    desirable = torch.tensor([True, False, False, True, False])
    assert torch.autograd.gradcheck(lambda p: kto.kto_loss(p, ref, desirable, 0.3, beta=0.5, desirable_weight=1.2), (policy,))
    with pytest.raises(TypeError, match="bool"):
        kto.kto_loss(policy, ref, torch.ones(5), 0.0)


# ---------------------------------------------------------------- SimPO

def test_simpo_hand_value_uses_average_log_probs_and_margin():
    # averages: -6/3 = -2 and -12/4 = -3; z = 2.0 * 1 - 0.5 = 1.5
    loss = simpo.simpo_loss(t(-6.0), t(-12.0), t(3.0), t(4.0))
    assert loss.item() == pytest.approx(-math.log(sig(1.5)), rel=1e-12)
    smoothed = simpo.simpo_loss(t(-6.0), t(-12.0), t(3.0), t(4.0), label_smoothing=0.2)
    assert smoothed.item() == pytest.approx(-0.8 * math.log(sig(1.5)) - 0.2 * math.log(sig(-1.5)), rel=1e-12)


def test_simpo_without_margin_equals_dpo_with_averaged_logps_and_zero_reference():
    torch.manual_seed(5)
    c, r = -torch.rand(6, dtype=D) * 30, -torch.rand(6, dtype=D) * 30
    lc, lr = torch.randint(1, 20, (6,)).double(), torch.randint(1, 20, (6,)).double()
    zero = torch.zeros(6, dtype=D)
    expected = dpo.dpo_loss(c / lc, r / lr, zero, zero, beta=2.0)
    assert torch.allclose(simpo.simpo_loss(c, r, lc, lr, gamma=0.0), expected)


def test_simpo_gradcheck_and_validation():
    torch.manual_seed(6)
    c = torch.randn(4, dtype=D, requires_grad=True)
    r = torch.randn(4, dtype=D, requires_grad=True)
    lengths = t(1.0, 2.0, 3.0, 4.0)
    assert torch.autograd.gradcheck(lambda a, b: simpo.simpo_loss(a, b, lengths, lengths, label_smoothing=0.1), (c, r))
    with pytest.raises(ValueError, match="positive"):
        simpo.simpo_loss(c, r, lengths, t(1.0, 0.0, 1.0, 1.0))


# ---------------------------------------------------------------- Bradley-Terry reward model

def test_bradley_terry_equal_rewards_give_log_2_and_match_bce():
    assert bt.bradley_terry_loss(t(0.3, -1.0), t(0.3, -1.0)).item() == pytest.approx(LOG2, rel=1e-12)
    torch.manual_seed(7)
    rw, rl = torch.randn(8, dtype=D), torch.randn(8, dtype=D)
    expected = F.binary_cross_entropy_with_logits(rw - rl, torch.ones(8, dtype=D))
    assert torch.allclose(bt.bradley_terry_loss(rw, rl), expected)


def test_bradley_terry_margin_and_centering():
    # r_w - r_l - m = 2 - 0.5 = 1.5; centring: mean((1 + -1)^2, (3 + 1)^2) = 8
    rw, rl = t(1.0, 3.0), t(-1.0, 1.0)
    with_margin = bt.bradley_terry_loss(rw, rl, margin=t(0.5, 0.5), reduction="none")
    assert with_margin.tolist() == pytest.approx([-math.log(sig(1.5))] * 2, rel=1e-12)
    centred = bt.bradley_terry_loss(rw, rl, center_rewards_coefficient=0.01)
    assert centred.item() == pytest.approx(-math.log(sig(2.0)) + 0.01 * 8, rel=1e-12)
    with pytest.raises(ValueError, match="mean"):
        bt.bradley_terry_loss(rw, rl, center_rewards_coefficient=0.01, reduction="sum")


def test_bradley_terry_is_stable_for_large_gaps_and_gradchecks():
    huge = bt.bradley_terry_loss(t(-500.0), t(500.0))
    assert huge.item() == pytest.approx(1000.0, rel=1e-12)
    torch.manual_seed(8)
    rw = torch.randn(5, dtype=D, requires_grad=True)
    rl = torch.randn(5, dtype=D, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: bt.bradley_terry_loss(a, b, center_rewards_coefficient=0.1), (rw, rl))


# ---------------------------------------------------------------- PPO clip

def test_ppo_ratio_one_gives_minus_mean_advantage():
    lp = t(-1.0, -2.0, -0.5).view(1, 3)
    adv = t(1.0, -2.0, 4.0).view(1, 3)
    assert ppo.ppo_clip_loss(lp, lp, adv).item() == pytest.approx(-1.0, rel=1e-12)
    mask = torch.tensor([[True, True, False]])
    assert ppo.ppo_clip_loss(lp, lp, adv, mask=mask).item() == pytest.approx(0.5, rel=1e-12)


def test_ppo_clipping_hand_values():
    old = torch.zeros(1, 4, dtype=D)
    lp = torch.log(t(1.5, 1.5, 0.5, 0.5)).view(1, 4)
    adv = t(1.0, -1.0, 1.0, -1.0).view(1, 4)
    # A>0, rho=1.5: min(1.5, 1.2) = 1.2 -> -1.2 ; A<0, rho=1.5: min(-1.5, -1.2) = -1.5 -> 1.5
    # A>0, rho=0.5: min(0.5, 0.8) = 0.5 -> -0.5 ; A<0, rho=0.5: min(-0.5, -0.8) = -0.8 -> 0.8
    per = [-1.2, 1.5, -0.5, 0.8]
    assert ppo.ppo_clip_loss(lp, old, adv).item() == pytest.approx(sum(per) / 4, rel=1e-12)


def test_ppo_clipped_tokens_get_no_gradient():
    old = torch.zeros(1, 2, dtype=D)
    lp = torch.log(t(1.5, 1.1)).view(1, 2).requires_grad_(True)
    adv = t(1.0, 1.0).view(1, 2)
    ppo.ppo_clip_loss(lp, old, adv).backward()
    assert lp.grad[0, 0].item() == 0.0 and lp.grad[0, 1].item() != 0.0


def test_ppo_kl_penalty_rewards_put_the_kl_in_the_reward():
    logp = t(-1.0, -2.0, -3.0, -1.0, -1.0, -1.0).view(2, 3)
    ref = t(-1.5, -2.0, -2.0, -1.0, -2.0, -1.0).view(2, 3)
    mask = torch.tensor([[True, True, True], [True, True, False]])
    rewards = ppo.kl_penalty_rewards(t(10.0, 20.0), logp, ref, mask, kl_coef=0.1)
    # k1: kl = logp - ref = [[0.5, 0, -1], [0, 1, (masked)]]
    assert rewards.flatten().tolist() == pytest.approx([-0.05, 0.0, 0.1 + 10.0, 0.0, -0.1 + 20.0, 0.0], rel=1e-12)
    k3 = ppo.kl_penalty_rewards(t(0.0, 0.0), logp, ref, mask, kl_coef=1.0, estimator="k3")
    d = -0.5
    assert k3[0, 0].item() == pytest.approx(-(math.exp(d) - 1 - d), rel=1e-12)
    assert bool((k3[mask] <= 0).all())  # k3 >= 0 for every token


def test_ppo_gradcheck():
    torch.manual_seed(9)
    old = torch.randn(3, 4, dtype=D)
    lp = (old + 0.3 * torch.randn(3, 4, dtype=D)).requires_grad_(True)
    adv = torch.randn(3, 4, dtype=D)
    mask = torch.rand(3, 4) > 0.3
    mask[:, 0] = True
    assert torch.autograd.gradcheck(lambda z: ppo.ppo_clip_loss(z, old, adv, clip_range=0.1, mask=mask), (lp,))


# ---------------------------------------------------------------- GRPO

def test_group_advantages_are_standardised_per_group():
    rewards = t(1.0, 0.0, 0.0, 1.0, 5.0, 5.0, 5.0, 5.0)
    adv = grpo.group_advantages(rewards, num_generations=4)
    std = math.sqrt(1 / 3)  # unbiased std of [1, 0, 0, 1]
    assert adv[:4].tolist() == pytest.approx([0.5 / (std + 1e-4), -0.5 / (std + 1e-4)] * 1 + [-0.5 / (std + 1e-4), 0.5 / (std + 1e-4)], rel=1e-12)
    assert adv[4:].tolist() == [0.0] * 4  # equal rewards: no learning signal
    assert grpo.group_advantages(rewards, 4, scale=False)[:4].tolist() == pytest.approx([0.5, -0.5, -0.5, 0.5])
    with pytest.raises(ValueError, match="multiple"):
        grpo.group_advantages(rewards, 3)


def test_grpo_on_policy_loss_is_minus_length_weighted_advantage():
    # ratio = 1: per-token loss = -A_i; "grpo" averages tokens per completion first.
    lp = torch.zeros(2, 3, dtype=D)
    adv = t(1.0, -3.0)
    mask = torch.tensor([[1, 1, 1], [1, 0, 0]])
    assert grpo.grpo_loss(lp, lp, adv, mask).item() == pytest.approx((-1.0 + 3.0) / 2, rel=1e-12)
    assert grpo.grpo_loss(lp, lp, adv, mask, loss_type="bnpo").item() == pytest.approx((-3.0 + 3.0) / 4, rel=1e-12)
    assert grpo.grpo_loss(lp, lp, adv, mask, loss_type="dr_grpo", max_completion_length=5).item() == pytest.approx(0.0 / 10, abs=1e-12)
    assert grpo.grpo_loss(lp, lp, t(1.0, 1.0), mask, loss_type="dr_grpo", max_completion_length=5).item() == pytest.approx(-4 / 10, rel=1e-12)


def test_grpo_kl_term_is_added_to_the_loss_and_vanishes_at_the_reference():
    lp = torch.log(t(0.5, 0.25)).view(1, 2)
    mask = torch.ones(1, 2)
    zero_adv = t(0.0)
    assert grpo.grpo_loss(lp, lp, zero_adv, mask, beta=0.1, ref_logprobs=lp).item() == pytest.approx(0.0, abs=1e-15)
    ref = torch.log(t(0.25, 0.25)).view(1, 2)
    d = math.log(0.5)  # ref - logp for the first token
    expected = 0.1 * ((math.exp(d) - d - 1) + 0.0) / 2
    assert grpo.grpo_loss(lp, lp, zero_adv, mask, beta=0.1, ref_logprobs=ref).item() == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="ref_logprobs"):
        grpo.grpo_loss(lp, lp, zero_adv, mask, beta=0.1)


def test_grpo_asymmetric_clipping_and_gradcheck():
    old = torch.zeros(1, 1, dtype=D)
    lp = torch.log(t(1.25)).view(1, 1)
    # A > 0, rho = 1.25: epsilon_high = 0.28 leaves it unclipped, epsilon = 0.2 clips to 1.2
    assert grpo.grpo_loss(lp, old, t(1.0), torch.ones(1, 1)).item() == pytest.approx(-1.2, rel=1e-12)
    assert grpo.grpo_loss(lp, old, t(1.0), torch.ones(1, 1), epsilon_high=0.28).item() == pytest.approx(-1.25, rel=1e-12)
    torch.manual_seed(10)
    old = torch.randn(4, 3, dtype=D)
    cur = (old + 0.1 * torch.randn(4, 3, dtype=D)).requires_grad_(True)
    ref = torch.randn(4, 3, dtype=D)
    adv = grpo.group_advantages(torch.randn(4, dtype=D), num_generations=2)
    mask = torch.tensor([[1, 1, 0], [1, 1, 1], [1, 0, 0], [1, 1, 1]])
    assert torch.autograd.gradcheck(lambda z: grpo.grpo_loss(z, old, adv, mask, beta=0.04, ref_logprobs=ref), (cur,))


# ---------------------------------------------------------------- knowledge distillation

def test_kd_with_t1_and_a_hard_teacher_equals_cross_entropy():
    torch.manual_seed(11)
    student = torch.randn(6, 5, dtype=D)
    target = torch.randint(0, 5, (6,))
    teacher = F.one_hot(target, 5).double() * 1e4  # softmax is exactly one-hot in float64
    soft_only = kd.knowledge_distillation_loss(student, teacher, temperature=1.0)
    assert torch.allclose(soft_only, F.cross_entropy(student, target))


def test_kd_soft_term_matches_kl_div_batchmean_times_t_squared():
    torch.manual_seed(12)
    s, te = torch.randn(4, 7, dtype=D), torch.randn(4, 7, dtype=D)
    T = 3.0
    expected = F.kl_div(F.log_softmax(s / T, -1), F.log_softmax(te / T, -1), reduction="batchmean", log_target=True) * T**2
    assert torch.allclose(kd.soft_target_kl(s, te, T).mean(), expected)
    assert torch.allclose(kd.knowledge_distillation_loss(s, te, temperature=T, soft_weight=0.7), 0.7 * expected)
    target = torch.randint(0, 7, (4,))
    combined = kd.knowledge_distillation_loss(s, te, target, temperature=T, hard_weight=0.3, soft_weight=0.7)
    assert torch.allclose(combined, 0.7 * expected + 0.3 * F.cross_entropy(s, target))


def test_kd_identical_logits_give_zero_and_teacher_is_detached():
    z = torch.randn(3, 4, dtype=D)
    assert kd.soft_target_kl(z, z, 2.0).abs().max().item() < 1e-12
    teacher = torch.randn(3, 4, dtype=D, requires_grad=True)
    student = torch.randn(3, 4, dtype=D, requires_grad=True)
    kd.knowledge_distillation_loss(student, teacher, temperature=2.0).backward()
    assert teacher.grad is None and student.grad is not None


def test_kd_t_squared_keeps_high_temperature_gradients_comparable():
    # Hinton et al.: soft-target gradients scale as 1/T^2, hence the T^2 factor. With it, doubling a
    # large T leaves the gradient norm about unchanged; without it the norm would drop about 4x.
    torch.manual_seed(13)
    s = torch.randn(2, 5, dtype=D, requires_grad=True)
    te = torch.randn(2, 5, dtype=D)
    norms = []
    for T in (10.0, 20.0):
        (g,) = torch.autograd.grad(kd.soft_target_kl(s, te, T).sum(), s)
        norms.append(g.norm().item())
    assert norms[0] / norms[1] == pytest.approx(1.0, rel=0.05)
    assert (norms[0] / 10.0**2) / (norms[1] / 20.0**2) == pytest.approx(4.0, rel=0.05)


def test_kd_gradcheck():
    torch.manual_seed(14)
    s = torch.randn(3, 4, dtype=D, requires_grad=True)
    te = torch.randn(3, 4, dtype=D)
    target = torch.randint(0, 4, (3,))
    assert torch.autograd.gradcheck(lambda z: kd.knowledge_distillation_loss(z, te, target, temperature=2.5, hard_weight=0.5), (s,))


# ---------------------------------------------------------------- generalized JSD

def test_jsd_identical_is_zero_and_disjoint_is_binary_entropy():
    z = torch.randn(2, 3, 6, dtype=D)
    assert jsd.generalized_jsd_loss(z, z).abs().item() < 1e-12
    teacher = torch.tensor([[1e4, 0.0]], dtype=D)
    student = torch.tensor([[0.0, 1e4]], dtype=D)
    assert jsd.generalized_jsd_loss(student, teacher).item() == pytest.approx(LOG2, rel=1e-9)
    b = 0.2
    entropy = -b * math.log(b) - (1 - b) * math.log(1 - b)
    assert jsd.generalized_jsd_loss(student, teacher, beta=b).item() == pytest.approx(entropy, rel=1e-9)


def test_jsd_hand_value_two_classes():
    p = [0.75, 0.25]  # teacher
    q = [0.25, 0.75]  # student
    m = [0.5, 0.5]
    kl = lambda a, c: sum(x * math.log(x / y) for x, y in zip(a, c))
    expected = 0.5 * kl(p, m) + 0.5 * kl(q, m)
    teacher = torch.log(t(*p)).view(1, 2)
    student = torch.log(t(*q)).view(1, 2)
    assert jsd.generalized_jsd_loss(student, teacher).item() == pytest.approx(expected, rel=1e-12)


def test_jsd_symmetry_at_half_and_kl_at_the_ends():
    torch.manual_seed(15)
    s, te = torch.randn(5, 8, dtype=D), torch.randn(5, 8, dtype=D)
    assert torch.allclose(jsd.generalized_jsd_loss(s, te), jsd.generalized_jsd_loss(te, s))
    forward = F.kl_div(F.log_softmax(s, -1), F.log_softmax(te, -1), reduction="batchmean", log_target=True)
    reverse = F.kl_div(F.log_softmax(te, -1), F.log_softmax(s, -1), reduction="batchmean", log_target=True)
    assert torch.allclose(jsd.generalized_jsd_loss(s, te, beta=0.0), forward)
    assert torch.allclose(jsd.generalized_jsd_loss(s, te, beta=1.0), reverse)
    assert jsd.generalized_jsd_loss(s, te, beta=0.5).item() <= LOG2


def test_jsd_labels_mask_positions_and_temperature():
    torch.manual_seed(16)
    s, te = torch.randn(2, 3, 4, dtype=D), torch.randn(2, 3, 4, dtype=D)
    labels = torch.tensor([[5, -100, 2], [-100, -100, 1]])
    per = jsd.generalized_jsd_loss(s, te, labels=labels, reduction="none")
    assert per[0, 1].item() == 0.0 and per[1, 0].item() == 0.0
    keep = labels != -100
    assert jsd.generalized_jsd_loss(s, te, labels=labels).item() == pytest.approx(per[keep].sum().item() / 3, rel=1e-12)
    scaled = jsd.generalized_jsd_loss(s, te, temperature=2.0)
    assert torch.allclose(scaled, jsd.generalized_jsd_loss(s / 2, te / 2))


def test_jsd_gradcheck_and_validation():
    torch.manual_seed(17)
    s = torch.randn(3, 5, dtype=D, requires_grad=True)
    te = torch.randn(3, 5, dtype=D)
    for beta in (0.0, 0.3, 1.0):
        assert torch.autograd.gradcheck(lambda z: jsd.generalized_jsd_loss(z, te, beta=beta, temperature=1.5), (s,))
    with pytest.raises(ValueError, match="beta"):
        jsd.generalized_jsd_loss(s, te, beta=1.5)
    with pytest.raises(ValueError, match="shape"):
        jsd.generalized_jsd_loss(s, te[:, :4])
