"""Shared helpers for the snippet tests: load snippet files by path, numerical gradients.

Snippet files live in paper-data/snippets/pytorch/<concept-id>.py; their names contain
dashes, so they are loaded with importlib rather than imported.
"""
import importlib.util
import pathlib
import types

import torch

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SNIPPET_DIR = REPO_ROOT / "paper-data" / "snippets" / "pytorch"

_loaded: "dict[str, types.ModuleType]" = {}


def snippet_path(concept_id: str) -> pathlib.Path:
    return SNIPPET_DIR / f"{concept_id}.py"


def load_snippet(concept_id: str) -> types.ModuleType:
    """Execute paper-data/snippets/pytorch/<concept_id>.py once and return it as a module."""
    if concept_id not in _loaded:
        path = snippet_path(concept_id)
        if not path.is_file():
            raise FileNotFoundError(f"no snippet file {path}")
        spec = importlib.util.spec_from_file_location(f"paperlens_snippet_{concept_id.replace('-', '_')}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[concept_id] = module
    return _loaded[concept_id]


def numerical_grad(fn, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Central-difference gradient of the scalar fn at x (float64)."""
    x = x.detach().clone()
    grad = torch.zeros_like(x)
    flat = x.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        up = fn(x).item()
        flat[i] = old - eps
        down = fn(x).item()
        flat[i] = old
        grad.view(-1)[i] = (up - down) / (2 * eps)
    return grad


def autograd_grad(fn, x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(x), x)
    return grad
