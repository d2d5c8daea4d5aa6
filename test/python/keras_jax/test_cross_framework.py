"""The three implementations of each concept agree: same value and same gradients on seeded random inputs.

For every public function of the JAX and Keras snippets, 20 seeded random inputs (with varied
hyperparameters) are evaluated by the PyTorch snippet (float64, autograd, in its own interpreter,
see torch_reference.py), the JAX snippet (float32, jax.grad) and the Keras snippet on the JAX
backend (float32, jax.grad through keras.ops). Values and gradients must agree to float32
tolerance. Gradients are of the sum of the output, so reduction="none" outputs are covered too.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from framework_support import FRAMEWORKS, load_snippet, run_torch_reference

COVERS = (
    "focal", "dice", "tversky", "label-smoothing", "z-loss", "info-nce", "supcon",
    "generalized-cross-entropy", "poly-loss", "symmetric-cross-entropy", "dpo",
    "knowledge-distillation", "siglip", "clip", "giou", "vae-kl",
)
SEEDS = range(20)
RTOL = 2e-4
ATOL = 2e-5


def F(a):
    return {"array": np.asarray(a, dtype=np.float64).tolist(), "dtype": "float"}


def I(a):
    return {"array": np.asarray(a, dtype=np.int64).tolist(), "dtype": "int"}


def B(a):
    return {"array": np.asarray(a, dtype=bool).tolist(), "dtype": "bool"}


def _classification(rng, n=6, c=5):
    return F(rng.normal(size=(n, c)) * 2), I(rng.integers(0, c, size=n))


def focal_loss(rng):
    logits, target = _classification(rng)
    alpha = [None, 0.25, F(rng.uniform(0.1, 1.0, size=5))][rng.integers(0, 3)]
    kwargs = {"gamma": float(rng.choice([0.0, 0.5, 2.0, 3.0])), "reduction": str(rng.choice(["mean", "sum", "none"]))}
    if alpha is not None:
        kwargs["alpha"] = alpha
    return [logits, target], kwargs, [0]


def sigmoid_focal_loss(rng):
    logits = F(rng.normal(size=(4, 3)) * 2)
    target = F(rng.integers(0, 2, size=(4, 3))) if rng.random() < 0.5 else F(rng.uniform(size=(4, 3)))
    alpha = [None, 0.25, 0.6][rng.integers(0, 3)]
    return [logits, target], {"alpha": alpha, "gamma": float(rng.choice([0.0, 1.0, 2.0])), "reduction": str(rng.choice(["mean", "sum", "none"]))}, [0]


def _masks(rng):
    probs = 1 / (1 + np.exp(-rng.normal(size=(3, 2, 4))))
    return F(probs), F(rng.integers(0, 2, size=(3, 2, 4)))


def dice_loss(rng):
    probs, target = _masks(rng)
    return [probs, target], {"smooth": float(rng.choice([0.0, 1.0]))}, [0]


def tversky_loss(rng):
    probs, target = _masks(rng)
    return [probs, target], {"alpha": float(rng.uniform(0, 1)), "beta": float(rng.uniform(0, 1)), "smooth": float(rng.choice([0.0, 1.0]))}, [0]


def label_smoothing_cross_entropy(rng):
    logits, target = _classification(rng)
    return [logits, target], {"smoothing": float(rng.uniform(0, 1))}, [0]


def z_loss(rng):
    return [F(rng.normal(size=(2, 3, 5)) * 3)], {"coef": float(rng.choice([1e-4, 1e-2, 1.0]))}, [0]


def info_nce_loss(rng):
    return [F(rng.uniform(-1, 1, size=(5, 7))), I(rng.integers(0, 7, size=5))], {"temperature": float(rng.choice([0.07, 0.5, 1.0]))}, [0]


def supcon_loss(rng):
    return [F(rng.normal(size=(6, 4))), I(rng.integers(0, 4, size=6))], {"temperature": float(rng.choice([0.1, 0.5, 1.0]))}, [0]


def generalized_cross_entropy(rng):
    logits, target = _classification(rng)
    return [logits, target], {"q": float(rng.choice([0.3, 0.7, 1.0]))}, [0]


def poly1_cross_entropy(rng):
    logits, target = _classification(rng)
    return [logits, target], {"epsilon": float(rng.choice([-1.0, 0.0, 1.0, 2.0]))}, [0]


def symmetric_cross_entropy(rng):
    logits, target = _classification(rng)
    kwargs = {"alpha": float(rng.uniform(0, 2)), "beta": float(rng.uniform(0, 2)), "log_zero": float(rng.choice([-4.0, math.log(1e-4)]))}
    return [logits, target], kwargs, [0]


def sequence_log_probs(rng):
    mask = rng.integers(0, 2, size=(2, 5)).astype(bool)
    mask[:, -1] = True  # every sequence has a response token, so average=True is defined
    args = [F(rng.normal(size=(2, 5, 6))), I(rng.integers(0, 6, size=(2, 5))), B(mask)]
    return args, {"average": bool(rng.random() < 0.5)}, [0]


def dpo_loss(rng):
    args = [F(rng.normal(size=4) * 5) for _ in range(4)]
    kwargs = {"beta": float(rng.choice([0.1, 0.5, 2.0])), "label_smoothing": float(rng.choice([0.0, 0.1, 0.3])), "reduction": str(rng.choice(["mean", "sum", "none"]))}
    return args, kwargs, [0, 1, 2, 3]


def soft_target_kl(rng):
    return [F(rng.normal(size=(4, 5)) * 2), F(rng.normal(size=(4, 5)) * 2)], {"temperature": float(rng.choice([1.0, 2.0, 4.0]))}, [0]


def knowledge_distillation_loss(rng):
    args = [F(rng.normal(size=(4, 5)) * 2), F(rng.normal(size=(4, 5)) * 2)]
    kwargs = {"temperature": float(rng.choice([1.0, 3.0])), "hard_weight": float(rng.uniform(0, 1)), "soft_weight": float(rng.uniform(0, 1))}
    if rng.random() < 0.7:
        kwargs["target"] = I(rng.integers(0, 5, size=4))
    return args, kwargs, [0]


def siglip_loss(rng):
    args = [F(rng.normal(size=(4, 3))), F(rng.normal(size=(4, 3)))]
    return args, {"temperature": float(rng.uniform(1, 12)), "bias": float(rng.uniform(-10, 0))}, [0, 1]


def clip_loss(rng):
    args = [F(rng.normal(size=(4, 3))), F(rng.normal(size=(4, 3)))]
    return args, {"logit_scale": float(rng.uniform(1, 20))}, [0, 1]


def generalized_box_iou_loss(rng):
    box_format = str(rng.choice(["xyxy", "cxcywh"]))

    def boxes():
        corner = rng.uniform(0, 4, size=(5, 2))
        size = rng.uniform(0.5, 3, size=(5, 2))
        if box_format == "xyxy":
            return F(np.concatenate([corner, corner + size], axis=1))
        return F(np.concatenate([corner + size / 2, size], axis=1))

    return [boxes(), boxes()], {"reduction": str(rng.choice(["mean", "sum", "none"])), "box_format": box_format}, [0, 1]


def vae_kl_loss(rng):
    args = [F(rng.normal(size=(3, 4))), F(rng.normal(size=(3, 4)))]
    return args, {"beta": float(rng.uniform(0, 4)), "reduction": str(rng.choice(["batchmean", "sum", "none"]))}, [0, 1]


GENERATORS = {
    ("focal", "focal_loss"): focal_loss,
    ("focal", "sigmoid_focal_loss"): sigmoid_focal_loss,
    ("dice", "dice_loss"): dice_loss,
    ("tversky", "tversky_loss"): tversky_loss,
    ("label-smoothing", "label_smoothing_cross_entropy"): label_smoothing_cross_entropy,
    ("z-loss", "z_loss"): z_loss,
    ("info-nce", "info_nce_loss"): info_nce_loss,
    ("supcon", "supcon_loss"): supcon_loss,
    ("generalized-cross-entropy", "generalized_cross_entropy"): generalized_cross_entropy,
    ("poly-loss", "poly1_cross_entropy"): poly1_cross_entropy,
    ("symmetric-cross-entropy", "symmetric_cross_entropy"): symmetric_cross_entropy,
    ("dpo", "sequence_log_probs"): sequence_log_probs,
    ("dpo", "dpo_loss"): dpo_loss,
    ("knowledge-distillation", "soft_target_kl"): soft_target_kl,
    ("knowledge-distillation", "knowledge_distillation_loss"): knowledge_distillation_loss,
    ("siglip", "siglip_loss"): siglip_loss,
    ("clip", "clip_loss"): clip_loss,
    ("giou", "generalized_box_iou_loss"): generalized_box_iou_loss,
    ("vae-kl", "vae_kl_loss"): vae_kl_loss,
}


def _cases():
    cases = []
    for (concept, function), make in GENERATORS.items():
        for seed in SEEDS:
            rng = np.random.default_rng([seed, len(cases)])
            args, kwargs, grad_args = make(rng)
            cases.append({"concept": concept, "function": function, "args": args, "kwargs": kwargs, "grad_args": grad_args, "seed": seed})
    return cases


CASES = _cases()


def _to_framework(value):
    if isinstance(value, dict) and "array" in value:
        dtype = {"float": jnp.float32, "int": jnp.int32, "bool": jnp.bool_}[value["dtype"]]
        return jnp.asarray(np.asarray(value["array"]), dtype=dtype)
    return value


@pytest.fixture(scope="module")
def torch_results():
    return run_torch_reference([{k: v for k, v in c.items() if k != "seed"} for c in CASES])


def test_every_public_function_of_the_covered_snippets_has_a_generator():
    for framework in FRAMEWORKS:
        for concept in COVERS:
            module = load_snippet(framework, concept)
            public = {n for n, v in vars(module).items() if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__}
            assert public == {f for (c, f) in GENERATORS if c == concept}, f"{framework}/{concept}"


def test_at_least_twenty_inputs_per_function():
    per_function = {}
    for case in CASES:
        per_function[(case["concept"], case["function"])] = per_function.get((case["concept"], case["function"]), 0) + 1
    assert min(per_function.values()) >= 20


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c['concept']}.{c['function']}[{c['seed']}]" for c in CASES])
def test_value_and_gradients_equal_pytorch(framework, index, torch_results):
    case = CASES[index]
    fn = getattr(load_snippet(framework, case["concept"]), case["function"])
    args = [_to_framework(a) for a in case["args"]]
    kwargs = {k: _to_framework(v) for k, v in case["kwargs"].items()}
    grad_args = case["grad_args"]

    def scalar(*diff):
        full = list(args)
        for i, value in zip(grad_args, diff):
            full[i] = value
        return jnp.sum(fn(*full, **kwargs))

    value = fn(*args, **kwargs)
    grads = jax.grad(scalar, argnums=tuple(range(len(grad_args))))(*[args[i] for i in grad_args])
    expected = torch_results[index]
    where = f"{framework} {case['concept']}.{case['function']} seed {case['seed']} kwargs {case['kwargs']}"
    np.testing.assert_allclose(np.asarray(value), np.asarray(expected["value"]), rtol=RTOL, atol=ATOL, err_msg=f"value: {where}")
    assert len(grads) == len(expected["grads"])
    for position, (got, want) in enumerate(zip(grads, expected["grads"])):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=RTOL, atol=ATOL, err_msg=f"gradient of argument {grad_args[position]}: {where}")
