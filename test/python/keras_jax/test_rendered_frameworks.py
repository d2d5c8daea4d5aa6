"""JAX and Keras code as the editor inserts it still runs and computes what the snippet file does.

The TypeScript renderer (src/core/snippets/render.ts, the one insertion uses) renders every JAX and
Keras catalog snippet into a tab-indented CRLF document that already imports its framework; the
missing imports go where the renderer says, the body is appended, and the result is executed. Then
all the JAX snippets go into one document (and all the Keras ones into another), as a user inserting
several losses into one training script would: nothing is defined twice and every function still
computes what its own file computes.
"""
import json
import shutil
import subprocess

import numpy as np
import pytest

from framework_support import FRAMEWORKS, REPO_ROOT, load_snippet, snippet_ids
from test_cross_framework import GENERATORS, _to_framework

DOCUMENTS = {
    "jax": '"""A JAX training script."""\r\nimport jax.numpy as jnp\r\n\r\n\r\ndef train(params):\r\n\treturn params\r\n',
    "keras": '"""A Keras training script."""\r\nimport keras\r\n\r\n\r\ndef train(model):\r\n\treturn model\r\n',
}

_RENDER = r"""
const { loadSnippetCatalog } = require('./src/core/snippets/catalog');
const { renderSnippet } = require('./src/core/snippets/render');
const catalog = loadSnippetCatalog('paper-data');
const documents = JSON.parse(process.argv[1]);
const out = {};
for (const [framework, documentText] of Object.entries(documents)) {
  out[framework] = {};
  for (const s of catalog.list(framework)) {
    const r = renderSnippet(s, { documentText });
    out[framework][s.conceptId] = { imports: r.imports, importLine: r.importLine, body: r.body, eol: r.eol, unit: r.indentUnit };
  }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def rendered():
    node = shutil.which("node")
    assert node, "node is needed to run the TypeScript renderer (it is the repository's toolchain)"
    completed = subprocess.run(
        [node, "--import", "tsx", "-e", _RENDER, json.dumps(DOCUMENTS)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _assemble(framework, entries):
    lines = DOCUMENTS[framework].split("\r\n")
    imports = []
    for entry in entries:
        imports += [i for i in entry["imports"] if i not in imports]
    line = entries[0]["importLine"]
    lines[line:line] = imports
    return "\r\n".join(lines) + "".join("\r\n\r\n" + e["body"] for e in entries)


def _check_same(framework, namespace, concept):
    for (c, function), make in GENERATORS.items():
        if c != concept:
            continue
        args, kwargs, _ = make(np.random.default_rng(11))
        args = [_to_framework(a) for a in args]
        kwargs = {k: _to_framework(v) for k, v in kwargs.items()}
        expected = getattr(load_snippet(framework, concept), function)(*args, **kwargs)
        np.testing.assert_allclose(np.asarray(namespace[function](*args, **kwargs)), np.asarray(expected), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_snippet_is_rendered_with_tabs_crlf_and_only_missing_imports(rendered, framework):
    assert sorted(rendered[framework]) == snippet_ids(framework)
    present = "import jax.numpy as jnp" if framework == "jax" else "import keras"
    for concept, entry in rendered[framework].items():
        assert entry["eol"] == "\r\n" and entry["unit"] == "\t", concept
        assert present not in entry["imports"], concept
        assert not any("torch" in i for i in entry["imports"]), concept
        assert "\n    " not in entry["body"].replace("\r\n", "\n"), f"{concept}: 4-space indentation left"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_each_rendered_snippet_runs_and_matches_its_file(rendered, framework):
    for concept, entry in rendered[framework].items():
        namespace = {"__name__": "rendered"}
        exec(compile(_assemble(framework, [entry]), f"<rendered {framework}/{concept}>", "exec"), namespace)
        _check_same(framework, namespace, concept)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_all_snippets_in_one_file_define_each_name_once_and_still_agree(rendered, framework):
    entries = [rendered[framework][c] for c in sorted(rendered[framework])]
    source = _assemble(framework, entries)
    defined = [line[4:line.index("(")] for line in source.split("\r\n") if line.startswith("def ")]
    assert len(defined) == len(set(defined)), sorted({d for d in defined if defined.count(d) > 1})
    namespace = {"__name__": "rendered"}
    exec(compile(source, f"<all {framework} snippets>", "exec"), namespace)
    for concept in rendered[framework]:
        _check_same(framework, namespace, concept)
