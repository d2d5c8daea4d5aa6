"""Shipping rules for paper-data/snippets/pytorch: every file is tested, self-contained and documented.

Each test module declares the snippets it covers in a module-level COVERS tuple of concept ids.
A snippet that no module covers with at least one test case fails here, so it cannot ship.
"""
import ast
import pathlib
import re

import pytest

from snippet_support import SNIPPET_DIR, load_snippet

TEST_DIR = pathlib.Path(__file__).resolve().parent
ALLOWED_IMPORTS = {"torch", "torch.nn", "torch.nn.functional", "math"}
SNIPPET_IDS = sorted(p.stem for p in SNIPPET_DIR.glob("*.py"))


def _coverage() -> "dict[str, list[pathlib.Path]]":
    """Map concept id -> test modules that declare it in COVERS and define at least one test."""
    covered: "dict[str, list[pathlib.Path]]" = {}
    for module_path in sorted(TEST_DIR.glob("test_*.py")):
        tree = ast.parse(module_path.read_text(encoding="utf-8"))
        covers = None
        test_count = 0
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COVERS" for t in node.targets):
                covers = ast.literal_eval(node.value)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                test_count += 1
        if covers and test_count:
            for concept_id in covers:
                covered.setdefault(concept_id, []).append(module_path)
    return covered


COVERAGE = _coverage()


def test_the_snippet_folder_is_not_empty():
    assert len(SNIPPET_IDS) >= 26


def test_every_snippet_file_has_test_cases():
    missing = [cid for cid in SNIPPET_IDS if cid not in COVERAGE]
    assert not missing, f"snippets without test cases (add them to a test module's COVERS): {missing}"


def test_every_covered_id_has_a_snippet_file():
    unknown = sorted(set(COVERAGE) - set(SNIPPET_IDS))
    assert not unknown, f"COVERS names snippets that do not exist: {unknown}"


@pytest.mark.parametrize("concept_id", SNIPPET_IDS)
def test_imports_only_torch_and_math_at_the_top(concept_id):
    tree = ast.parse((SNIPPET_DIR / f"{concept_id}.py").read_text(encoding="utf-8"))
    seen_code = False
    for node in tree.body:
        if isinstance(node, ast.Import):
            assert not seen_code, f"{concept_id}: imports must come before any definition"
            for alias in node.names:
                assert alias.name in ALLOWED_IMPORTS, f"{concept_id}: import of {alias.name} is not allowed"
        elif isinstance(node, ast.ImportFrom):
            pytest.fail(f"{concept_id}: use 'import x' / 'import x as y', not 'from ... import'")
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            seen_code = True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in tree.body:
            pytest.fail(f"{concept_id}: nested import at line {node.lineno}")


@pytest.mark.parametrize("concept_id", SNIPPET_IDS)
def test_docstring_names_paper_concept_formula_defaults_and_differences(concept_id):
    doc = ast.get_docstring(ast.parse((SNIPPET_DIR / f"{concept_id}.py").read_text(encoding="utf-8")))
    assert doc, f"{concept_id}: missing module docstring"
    lines = doc.splitlines()
    assert lines[0].strip() and lines[0].rstrip().endswith("."), f"{concept_id}: first line must be a title sentence"
    papers = [line for line in lines if line.startswith("Paper: ")]
    assert papers, f"{concept_id}: no 'Paper:' line"
    for line in papers:
        assert re.search(r", (arXiv:\d{4}\.\d{4,5}|id:[a-z0-9-]+)$", line), f"{concept_id}: bad paper line {line!r}"
    assert f"Concept: {concept_id}" in lines, f"{concept_id}: missing 'Concept: {concept_id}'"
    for heading in ("Formula", "Defaults"):
        assert heading in lines, f"{concept_id}: missing '{heading}' section"
    assert any(line.startswith("Differences from the") for line in lines), f"{concept_id}: missing differences section"


@pytest.mark.parametrize("concept_id", SNIPPET_IDS)
def test_public_functions_are_documented_and_exercised(concept_id):
    tree = ast.parse((SNIPPET_DIR / f"{concept_id}.py").read_text(encoding="utf-8"))
    public = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    assert public, f"{concept_id}: defines no public function"
    module = load_snippet(concept_id)
    test_sources = "\n".join(p.read_text(encoding="utf-8") for p in COVERAGE.get(concept_id, []))
    for fn in public:
        assert ast.get_docstring(fn), f"{concept_id}.{fn.name}: missing docstring"
        assert callable(getattr(module, fn.name))
        assert f".{fn.name}(" in test_sources, f"{concept_id}.{fn.name} is never called by its tests"
