"""Shared helpers for the JAX and Keras snippet tests (run in the venv of scripts/pythonEnv.mjs).

Snippet files live in paper-data/snippets/<framework>/<concept-id>.py; their names contain dashes,
so they are loaded with importlib. Keras runs on the JAX backend here (KERAS_BACKEND=jax), so a
Keras snippet's gradient is jax.grad of the function, the same machinery as for the JAX snippets.

PyTorch reference values come from a separate interpreter (Debian's python3-torch, which needs
NumPy 1, while JAX needs NumPy 2): torch_reference.py runs there and answers in JSON.
"""
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import types

os.environ.setdefault("KERAS_BACKEND", "jax")

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
SNIPPETS = REPO_ROOT / "paper-data" / "snippets"
FRAMEWORKS = ("jax", "keras")
TORCH_REFERENCE = pathlib.Path(__file__).resolve().parent / "torch_reference.py"

_loaded: "dict[tuple[str, str], types.ModuleType]" = {}


def snippet_path(framework: str, concept_id: str) -> pathlib.Path:
    return SNIPPETS / framework / f"{concept_id}.py"


def snippet_ids(framework: str) -> "list[str]":
    return sorted(p.stem for p in (SNIPPETS / framework).glob("*.py"))


def load_snippet(framework: str, concept_id: str) -> types.ModuleType:
    """Execute paper-data/snippets/<framework>/<concept_id>.py once and return it as a module."""
    key = (framework, concept_id)
    if key not in _loaded:
        path = snippet_path(framework, concept_id)
        if not path.is_file():
            raise FileNotFoundError(f"no snippet file {path}")
        name = f"paperlens_{framework}_{concept_id.replace('-', '_')}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[key] = module
    return _loaded[key]


def torch_python() -> "str | None":
    """An interpreter with PyTorch: $PAPERLENS_TORCH_PYTHON (set by the python tier), else /usr/bin/python3."""
    for candidate in (os.environ.get("PAPERLENS_TORCH_PYTHON"), os.environ.get("PAPERLENS_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if not candidate:
            continue
        probe = subprocess.run([candidate, "-c", "import torch"], capture_output=True, env=_clean_env(), timeout=120)
        if probe.returncode == 0:
            return candidate
    return None


def _clean_env() -> "dict[str, str]":
    # The venv's variables must not leak into the PyTorch interpreter (it has its own NumPy).
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return env


def run_torch_reference(cases: "list[dict]") -> "list[dict]":
    """Evaluate cases with the PyTorch snippets; each answer has 'value' and 'grads' (lists)."""
    python = torch_python()
    if python is None:
        raise RuntimeError("no Python with PyTorch found: set PAPERLENS_TORCH_PYTHON or install python3-torch")
    completed = subprocess.run(
        [python, str(TORCH_REFERENCE)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=REPO_ROOT,
        timeout=600,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"torch_reference.py failed:\n{completed.stderr}")
    return json.loads(completed.stdout)
