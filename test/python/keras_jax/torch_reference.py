"""Evaluate PyTorch snippets for the cross-framework test; runs under the interpreter that has PyTorch.

stdin: a JSON list of cases {concept, function, args, kwargs, grad_args}. An argument is either a
plain JSON value or {"array": nested lists, "dtype": "float"|"int"|"bool"}. Float arrays become
float64 tensors (the reference precision); grad_args lists the positions of the arguments to
differentiate. stdout: a JSON list of {value, grads}: the output (a number or nested lists) and the
gradient of the sum of the output with respect to each argument in grad_args.
"""
import importlib.util
import json
import pathlib
import sys

import torch

SNIPPET_DIR = pathlib.Path(__file__).resolve().parents[3] / "paper-data" / "snippets" / "pytorch"
_modules = {}


def load(concept_id):
    if concept_id not in _modules:
        path = SNIPPET_DIR / f"{concept_id}.py"
        spec = importlib.util.spec_from_file_location(f"torch_ref_{concept_id.replace('-', '_')}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[concept_id] = module
    return _modules[concept_id]


def decode(value):
    if isinstance(value, dict) and "array" in value:
        dtype = {"float": torch.float64, "int": torch.int64, "bool": torch.bool}[value["dtype"]]
        return torch.tensor(value["array"], dtype=dtype)
    return value


def evaluate(case):
    fn = getattr(load(case["concept"]), case["function"])
    args = [decode(a) for a in case["args"]]
    kwargs = {k: decode(v) for k, v in case.get("kwargs", {}).items()}
    grad_args = case.get("grad_args", [])
    for i in grad_args:
        args[i] = args[i].clone().requires_grad_(True)
    out = fn(*args, **kwargs)
    grads = []
    if grad_args:
        grads = torch.autograd.grad(out.sum(), [args[i] for i in grad_args])
    return {"value": out.detach().tolist(), "grads": [g.tolist() for g in grads]}


def main():
    cases = json.load(sys.stdin)
    json.dump([evaluate(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
