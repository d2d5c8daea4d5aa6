"""The Keras check fixtures (test/unit/checks/fixtures/keras*.py) and their fixed versions
(test/python/keras_jax/check_fixes/, written by scripts/buildCheckFixes.ts) run under real Keras on
JAX, and the from_logits fixes compute the loss of the model's logits."""
import os
import pathlib
import runpy

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parents[2]
ORIGINAL = sorted((ROOT / "test" / "unit" / "checks" / "fixtures").glob("keras*.py"))
FIXED = sorted((HERE / "check_fixes").glob("*_fixed.py"))


def test_every_keras_fixture_has_a_fixed_version():
    assert [p.stem + "_fixed" for p in ORIGINAL] == [p.stem for p in FIXED]


def test_backend_is_jax():
    assert keras.backend.backend() == "jax"


@pytest.mark.parametrize("path", ORIGINAL + FIXED, ids=[p.name for p in ORIGINAL + FIXED])
def test_fixture_runs(path):
    keras.utils.set_random_seed(0)
    runpy.run_path(str(path), run_name="__main__")


def _sparse_ce_of_logits(logits, y):
    logits = np.asarray(logits, dtype="float64")
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def test_from_logits_fix_gives_cross_entropy_of_the_logits():
    keras.utils.set_random_seed(0)
    g = runpy.run_path(str(HERE / "check_fixes" / "keras_model_fixed.py"))
    model, x, y = g["model"], g["x"], g["y"]
    expected = _sparse_ce_of_logits(model.predict(x, verbose=0), y)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-4)
    assert float(g["custom_loop"]) == pytest.approx(expected, rel=1e-4)


def test_unfixed_loss_reads_logits_as_probabilities():
    # The bug the rule reports: without from_logits=True Keras clips and renormalises the raw logits.
    keras.utils.set_random_seed(0)
    g = runpy.run_path(str(ROOT / "test" / "unit" / "checks" / "fixtures" / "keras_model.py"))
    model, x, y = g["model"], g["x"], g["y"]
    right = _sparse_ce_of_logits(model.predict(x, verbose=0), y)
    assert float(g["custom_loop"]) != pytest.approx(right, rel=1e-2)


def test_string_loss_fix_compiles_the_class_with_from_logits():
    keras.utils.set_random_seed(0)
    g = runpy.run_path(str(HERE / "check_fixes" / "keras_compile_forms_fixed.py"))
    single, x, y = g["single"], g["x"], g["y"]
    expected = _sparse_ce_of_logits(single.predict(x, verbose=0), y)
    assert single.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-4)


def test_probabilities_fix_stops_the_second_softmax():
    keras.utils.set_random_seed(0)
    g = runpy.run_path(str(HERE / "check_fixes" / "keras_softmax_fixed.py"))
    twice, x, y = g["twice"], g["x"], g["y"]
    probs = np.asarray(twice.predict(x, verbose=0), dtype="float64")
    expected = float(-np.log(probs[np.arange(len(y)), y]).mean())
    assert twice.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-4)


def _registry_keras_names():
    """The names src/core/checks/keras.ts accepts as compile(loss="...") strings, from the registry."""
    import json

    data = json.loads((ROOT / "paper-data" / "generated" / "concepts.json").read_text())
    concepts = data["concepts"] if isinstance(data, dict) else data
    names = {}
    for c in concepts:
        keras_ids = [i["qualifiedName"] for i in c["identifiers"] if i["framework"] == "keras" and i["qualifiedName"].startswith("keras.losses.")]
        for q in keras_ids:
            names.setdefault(q[len("keras.losses."):], c["id"])
        for alias in c.get("kerasNames", []):
            names.setdefault(alias, c["id"])
    return names


NOT_STRING_NAMES = {"CategoricalGeneralizedCrossEntropy"}  # keras.ts NOT_STRING_NAMES


def test_keras_accepts_every_registry_name_as_a_loss_string():
    names = _registry_keras_names()
    assert {"mse", "bce", "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"} <= set(names)
    # compile() also takes "crossentropy"/"ce" (any case) and picks the binary, categorical or sparse
    # form from the targets (keras/src/trainers/compile_utils.py get_loss); keras.losses.get does not.
    from keras.src.trainers.compile_utils import get_loss
    import numpy as np

    y_true = np.array([0, 2, 1])
    y_pred = np.full((3, 3), 1.0 / 3, dtype="float32")
    for name in set(names) - NOT_STRING_NAMES:
        if name.lower() in ("crossentropy", "ce"):
            assert get_loss(name, y_true, y_pred) is not None, name
        else:
            assert keras.losses.get(name) is not None, name
    # The exclusions are real: Keras rejects them as strings.
    for name in NOT_STRING_NAMES:
        with pytest.raises(ValueError):
            keras.losses.get(name)


def test_from_logits_losses_default_to_probabilities():
    # keras.ts FROM_LOGITS_CLASSES: these string names read y_pred as probabilities (from_logits=False).
    import inspect

    for name in ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                 "binary_focal_crossentropy", "categorical_focal_crossentropy", "bce"]:
        fn = keras.losses.get(name)
        assert inspect.signature(fn).parameters["from_logits"].default is False, name
    for cls in ["BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
                "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy"]:
        assert getattr(keras.losses, cls)().from_logits is False, cls
