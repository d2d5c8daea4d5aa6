"""Every public function of every JAX snippet compiles under jax.jit and gives its eager value.

Array arguments are traced; hyperparameters (floats, strings, None) are static, as the snippets'
docstrings ask. Compiling proves the code has no Python control flow on array values.
"""
import jax
import numpy as np
import pytest

from framework_support import load_snippet, snippet_ids
from test_cross_framework import GENERATORS, _to_framework

COVERS = tuple(snippet_ids("jax"))
JIT_CASES = sorted(GENERATORS)


def test_every_jax_snippet_function_is_compiled_here():
    for concept in COVERS:
        module = load_snippet("jax", concept)
        public = {n for n, v in vars(module).items() if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__}
        missing = public - {f for (c, f) in JIT_CASES if c == concept}
        assert not missing, f"jax/{concept}: {sorted(missing)} are not compiled by this test"


@pytest.mark.parametrize("concept, function", JIT_CASES, ids=[f"{c}.{f}" for c, f in JIT_CASES])
def test_jit_compiles_and_matches_eager(concept, function):
    fn = getattr(load_snippet("jax", concept), function)
    rng = np.random.default_rng(7)
    args, kwargs, _ = GENERATORS[(concept, function)](rng)
    args = [_to_framework(a) for a in args]
    arrays = {k: _to_framework(v) for k, v in kwargs.items() if isinstance(v, dict)}
    static = {k: v for k, v in kwargs.items() if not isinstance(v, dict)}
    compiled = jax.jit(lambda a, k: fn(*a, **k, **static))
    lowered = compiled.lower(args, arrays)
    assert lowered.compile() is not None
    np.testing.assert_allclose(np.asarray(compiled(args, arrays)), np.asarray(fn(*args, **arrays, **static)), rtol=1e-5, atol=1e-6)


def test_jit_accepts_a_traced_temperature_and_scale():
    siglip = load_snippet("jax", "siglip").siglip_loss
    clip = load_snippet("jax", "clip").clip_loss
    rng = np.random.default_rng(3)
    img, txt = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32)
    grad_t = jax.jit(jax.grad(lambda log_t: siglip(img, txt, jax.numpy.exp(log_t), -10.0)))(np.float32(np.log(10.0)))
    assert np.isfinite(grad_t)
    assert np.isfinite(jax.jit(clip)(img, txt, np.float32(14.0)))
