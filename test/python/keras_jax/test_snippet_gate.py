"""Shipping rules for paper-data/snippets/jax and paper-data/snippets/keras.

Each test module here declares the concepts it covers in a module-level COVERS tuple; a JAX or
Keras snippet that no module with at least one test covers fails here, so it cannot ship. Each
file must also be the same API as the concept's PyTorch file (function names, parameter names
and defaults), import only its framework, carry the documented docstring sections, and define
private helpers whose names no other snippet of any framework uses, so two snippets inserted
into one file never redefine each other's helpers.
"""
import ast
import pathlib
import re

import pytest

from framework_support import FRAMEWORKS, SNIPPETS, snippet_ids

TEST_DIR = pathlib.Path(__file__).resolve().parent
ALLOWED_IMPORTS = {
    "jax": {"jax", "jax.numpy", "jax.scipy.special", "math"},
    "keras": {"keras", "numpy", "math"},
}
ALLOWED_FROM_IMPORTS = {"jax": set(), "keras": {("keras", "ops")}}
FILES = [(fw, cid) for fw in FRAMEWORKS for cid in snippet_ids(fw)]
FILE_IDS = [f"{fw}/{cid}" for fw, cid in FILES]


def _coverage(test_dir=TEST_DIR):
    """Map concept id -> test modules in test_dir that declare it in COVERS and define at least one test."""
    covered = {}
    for module_path in sorted(test_dir.glob("test_*.py")):
        tree = ast.parse(module_path.read_text(encoding="utf-8"))
        covers = None
        tests = 0
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COVERS" for t in node.targets):
                try:
                    covers = ast.literal_eval(node.value)
                except ValueError:
                    covers = None
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                tests += 1
        if module_path.name == "test_jax_jit.py":
            covers = tuple(snippet_ids("jax"))
        if covers and tests:
            for concept in covers:
                covered.setdefault(concept, []).append(module_path.name)
    return covered


COVERAGE = _coverage()


def _tree(framework, concept):
    return ast.parse((SNIPPETS / framework / f"{concept}.py").read_text(encoding="utf-8"))


def _public_signatures(tree):
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            args = node.args
            names = [a.arg for a in args.args]
            defaults = [None] * (len(names) - len(args.defaults)) + [ast.unparse(d) for d in args.defaults]
            out[node.name] = list(zip(names, defaults))
    return out


def test_only_known_framework_folders():
    folders = sorted(p.name for p in SNIPPETS.iterdir() if p.is_dir())
    assert folders == sorted(("pytorch",) + FRAMEWORKS)


def test_the_issue_concepts_ship_for_jax_and_keras():
    required = {
        "focal", "dice", "tversky", "label-smoothing", "z-loss", "info-nce", "supcon",
        "generalized-cross-entropy", "poly-loss", "symmetric-cross-entropy", "dpo",
        "knowledge-distillation", "siglip", "clip", "giou", "vae-kl",
    }
    for framework in FRAMEWORKS:
        assert required <= set(snippet_ids(framework)), f"{framework}: missing {sorted(required - set(snippet_ids(framework)))}"


def test_every_jax_and_keras_snippet_has_test_cases():
    missing = [f"{fw}/{cid}" for fw, cid in FILES if cid not in COVERAGE]
    assert not missing, f"snippets without test cases (add them to a test module's COVERS in test/python/keras_jax): {missing}"


def test_the_coverage_rule_needs_a_declaration_and_a_test(tmp_path):
    (tmp_path / "test_declared_only.py").write_text('COVERS = ("focal",)\n', encoding="utf-8")
    (tmp_path / "test_tested.py").write_text('COVERS = ("dice",)\n\ndef test_x():\n    pass\n', encoding="utf-8")
    assert _coverage(tmp_path) == {"dice": ["test_tested.py"]}


@pytest.mark.parametrize("framework, concept", FILES, ids=FILE_IDS)
def test_same_functions_parameters_and_defaults_as_the_pytorch_file(framework, concept):
    torch_file = SNIPPETS / "pytorch" / f"{concept}.py"
    assert torch_file.is_file(), f"{framework}/{concept}: no PyTorch snippet of the concept"
    expected = _public_signatures(ast.parse(torch_file.read_text(encoding="utf-8")))
    assert _public_signatures(_tree(framework, concept)) == expected


@pytest.mark.parametrize("framework, concept", FILES, ids=FILE_IDS)
def test_imports_only_its_framework_at_the_top(framework, concept):
    tree = _tree(framework, concept)
    seen_code = False
    for node in tree.body:
        if isinstance(node, ast.Import):
            assert not seen_code, f"{framework}/{concept}: imports must come before any definition"
            for alias in node.names:
                assert alias.name in ALLOWED_IMPORTS[framework], f"{framework}/{concept}: import of {alias.name} is not allowed"
        elif isinstance(node, ast.ImportFrom):
            assert not seen_code
            for alias in node.names:
                assert (node.module, alias.name) in ALLOWED_FROM_IMPORTS[framework], f"{framework}/{concept}: from {node.module} import {alias.name}"
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            seen_code = True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in tree.body:
            pytest.fail(f"{framework}/{concept}: nested import at line {node.lineno}")
    assert "torch" not in (SNIPPETS / framework / f"{concept}.py").read_text(encoding="utf-8").split("Differences")[-1].split('"""')[-1]


@pytest.mark.parametrize("framework, concept", FILES, ids=FILE_IDS)
def test_docstring_names_paper_concept_formula_defaults_and_differences(framework, concept):
    doc = ast.get_docstring(_tree(framework, concept))
    assert doc, f"{framework}/{concept}: missing module docstring"
    lines = doc.splitlines()
    assert lines[0].strip().endswith("."), f"{framework}/{concept}: first line must be a title sentence"
    papers = [line for line in lines if line.startswith("Paper: ")]
    assert papers
    for line in papers:
        assert re.search(r", (arXiv:\d{4}\.\d{4,5}|id:[a-z0-9-]+)$", line), line
    torch_doc = ast.get_docstring(ast.parse((SNIPPETS / "pytorch" / f"{concept}.py").read_text(encoding="utf-8")))
    assert papers == [line for line in torch_doc.splitlines() if line.startswith("Paper: ")], "cite the same papers as the PyTorch file"
    assert f"Concept: {concept}" in lines
    for heading in ("Formula", "Defaults"):
        assert heading in lines, f"{framework}/{concept}: missing '{heading}' section"
    assert any(line.startswith("Differences from the") for line in lines)


def test_private_helper_names_never_clash_across_snippets():
    owners = {}
    for framework in ("pytorch",) + FRAMEWORKS:
        for concept in snippet_ids(framework):
            for node in _tree(framework, concept).body:
                names = []
                if isinstance(node, ast.FunctionDef):
                    names = [node.name]
                elif isinstance(node, ast.Assign):
                    names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                for name in names:
                    if name.startswith("_"):
                        owners.setdefault((framework, name), set()).add(concept)
    clashes = {f"{fw}:{name}": sorted(c) for (fw, name), c in owners.items() if len(c) > 1}
    assert not clashes, f"private helpers defined by more than one snippet (prefix them with the concept): {clashes}"
