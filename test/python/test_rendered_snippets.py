"""Code rendered by src/core/snippets/render.ts still runs under PyTorch and computes the same values.

The TypeScript renderer is run with node (the repository's own toolchain, as in `npm test`): every
catalog snippet is rendered into a tab-indented CRLF document that already imports torch, the
missing imports are inserted where the renderer says, the body is appended, and the result is
executed. Its functions must agree with the original snippet files.
"""
import json
import pathlib
import shutil
import subprocess

import pytest
import torch

from snippet_support import REPO_ROOT, load_snippet

DOCUMENT = '"""A training script."""\r\nimport torch\r\n\r\n\r\ndef train(model):\r\n\tfor batch in model:\r\n\t\tpass\r\n'

_RENDER = r"""
const { loadSnippetCatalog } = require('./src/core/snippets/catalog');
const { renderSnippet } = require('./src/core/snippets/render');
const catalog = loadSnippetCatalog('paper-data');
const documentText = JSON.parse(process.argv[1]);
const out = {};
for (const s of catalog.list('pytorch')) {
  const r = renderSnippet(s, { documentText });
  out[s.conceptId] = { imports: r.imports, importLine: r.importLine, body: r.body, eol: r.eol, unit: r.indentUnit };
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def rendered():
    node = shutil.which("node")
    assert node, "node is needed to run the TypeScript renderer (it is the repository's toolchain)"
    completed = subprocess.run(
        [node, "--import", "tsx", "-e", _RENDER, json.dumps(DOCUMENT)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _assemble(entry):
    lines = DOCUMENT.split("\r\n")
    lines[entry["importLine"] : entry["importLine"]] = entry["imports"]
    return "\r\n".join(lines) + "\r\n\r\n" + entry["body"]


def test_every_snippet_is_rendered_with_tabs_and_crlf(rendered):
    ids = sorted(p.stem for p in (REPO_ROOT / "paper-data" / "snippets" / "pytorch").glob("*.py"))
    assert sorted(rendered) == ids
    for concept_id, entry in rendered.items():
        assert entry["eol"] == "\r\n" and entry["unit"] == "\t", concept_id
        assert "import torch" not in entry["imports"], concept_id
        assert "\n    " not in entry["body"].replace("\r\n", "\n"), f"{concept_id}: 4-space indentation left"


@pytest.mark.parametrize(
    "concept_id, function, make_args",
    [
        ("focal", "focal_loss", lambda: (torch.randn(5, 4, dtype=torch.float64), torch.tensor([0, 1, 2, 3, 0]))),
        ("cut-cross-entropy", "chunked_cross_entropy", lambda: (
            torch.randn(6, 3, dtype=torch.float64), torch.randn(11, 3, dtype=torch.float64), torch.tensor([0, 10, 4, -100, 2, 7]), 4)),
        ("ldr-kl", "ldr_kl_loss", lambda: (torch.randn(5, 4, dtype=torch.float64), torch.tensor([0, 1, 2, 3, 0]), 2.0, 0.1)),
        ("multi-similarity", "multi_similarity_loss", lambda: (torch.randn(8, 3, dtype=torch.float64), torch.tensor([0, 0, 1, 1, 2, 2, 3, 3]))),
        ("self-adjusting-dice", "self_adjusting_dice_loss", lambda: (torch.randn(6, 3, dtype=torch.float64), torch.tensor([0, 1, 2, 0, 1, 2]), 0.5)),
    ],
)
def test_rendered_code_runs_and_matches_the_snippet(rendered, concept_id, function, make_args):
    namespace = {"__name__": "rendered"}
    exec(compile(_assemble(rendered[concept_id]), f"<rendered {concept_id}>", "exec"), namespace)
    torch.manual_seed(0)
    args = make_args()
    expected = getattr(load_snippet(concept_id), function)(*args)
    assert torch.allclose(namespace[function](*args), expected)


def test_every_rendered_snippet_compiles_and_defines_its_functions(rendered):
    for concept_id, entry in rendered.items():
        namespace = {"__name__": "rendered"}
        exec(compile(_assemble(entry), f"<rendered {concept_id}>", "exec"), namespace)
        module = load_snippet(concept_id)
        public = [name for name in vars(module) if callable(getattr(module, name)) and not name.startswith("_")]
        for name in public:
            if getattr(getattr(module, name), "__module__", None) == module.__name__:
                assert callable(namespace.get(name)), f"{concept_id}: {name} missing after rendering"
