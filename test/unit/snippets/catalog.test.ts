import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSnippet, buildSnippetCatalog, collectSnippetFiles, serializeSnippetCatalog } from '../../../src/core/snippets/build';
import { SnippetCatalog, loadSnippetCatalog } from '../../../src/core/snippets/catalog';

const root = path.join(__dirname, '../../..');
const generated = path.join(root, 'paper-data/generated/snippets.json');
const catalog = loadSnippetCatalog(path.join(root, 'paper-data'));

describe('snippet catalog build', () => {
  it('the committed snippets.json is byte for byte a fresh build (run npx tsx scripts/buildSnippets.ts)', () => {
    const { catalog: built, issues } = buildSnippetCatalog(collectSnippetFiles(root));
    assert.deepEqual(issues, []);
    assert.equal(readFileSync(generated, 'utf8'), serializeSnippetCatalog(built));
  });

  it('has one entry per .py file, with papers, functions and a header', () => {
    const count = (framework: string): number => readdirSync(path.join(root, 'paper-data/snippets', framework)).filter((f) => f.endsWith('.py')).length;
    assert.equal(catalog.size, count('pytorch') + count('jax') + count('keras'));
    for (const framework of ['pytorch', 'jax', 'keras'] as const) assert.equal(catalog.list(framework).length, count(framework));
    assert.ok(catalog.list('pytorch').length >= 26);
    assert.ok(catalog.list('jax').length >= 16 && catalog.list('keras').length >= 16);
    const importPattern = {
      pytorch: /^import (math|torch|torch\.nn as nn|torch\.nn\.functional as F)$/,
      jax: /^import (jax|jax\.numpy as jnp|jax\.scipy\.special)$/,
      keras: /^(import keras|import numpy as np|from keras import ops)$/,
    };
    for (const s of catalog.list()) {
      assert.equal(s.source, `paper-data/snippets/${s.framework}/${s.conceptId}.py`);
      assert.ok(s.papers.length > 0, s.conceptId);
      assert.ok(s.functions.length > 0, s.conceptId);
      assert.ok(s.header.startsWith(`# PaperLens: ${s.title} — ${s.papers[0].title}`), s.header);
      assert.ok(!s.code.includes('\r'));
      for (const imp of s.imports) assert.match(imp, importPattern[s.framework], `${s.source}: ${imp}`);
    }
  });

  it('reads titles, papers, functions and signatures from the docstring and code', () => {
    const focal = catalog.get('focal');
    assert.ok(focal);
    assert.equal(focal.title, 'Focal loss, softmax (multi-class) and sigmoid (multi-label) forms');
    assert.deepEqual(focal.papers, [{ id: '1708.02002', title: 'Focal Loss for Dense Object Detection', arxivId: '1708.02002' }]);
    assert.deepEqual(focal.functions.map((f) => f.name), ['focal_loss', 'sigmoid_focal_loss']);
    assert.equal(
      focal.functions[0].signature,
      'focal_loss(logits: torch.Tensor, target: torch.Tensor, gamma: float = 2.0, alpha: "float | torch.Tensor | None" = None, reduction: str = "mean") -> torch.Tensor',
    );
    assert.equal(focal.functions[0].summary, 'Softmax focal loss for multi-class classification.');
    assert.equal(focal.header, '# PaperLens: Focal loss, softmax (multi-class) and sigmoid (multi-label) forms — Focal Loss for Dense Object Detection, arXiv:1708.02002');
    assert.deepEqual(catalog.get('harmonic')?.papers.map((p) => p.id), ['2603.10225', '2502.01628']);
    assert.deepEqual(catalog.get('ldr-kl')?.imports, ['import math', 'import torch']);
  });

  it('cites the seed papers by their corpus ids', () => {
    const expected: Record<string, string> = {
      'cut-cross-entropy': '2411.09009', gem: '2408.16673', satimp: '2505.11953', 'decoupled-softmax': '2310.10636',
      'clip-weighted-cross-entropy': '2501.00437', emo: '2310.04691', weat: '2407.06315', 'spherical-z-loss': '1604.08859',
    };
    for (const [id, paper] of Object.entries(expected)) assert.equal(catalog.get(id)?.papers[0].id, paper, id);
  });

  it('accepts slug paper ids and rejects malformed files with a reason', () => {
    const ok = buildSnippet({
      path: 'paper-data/snippets/pytorch/dr-loss.py',
      text: '"""DR loss.\n\nPaper: Doubly Robust Instance-Reweighted Adversarial Training, id:doubly-robust-instance-reweighted-adversarial-training\nConcept: dr-loss\n"""\nimport torch\n\n\ndef dr_loss(x):\n    """Doc."""\n    return x\n',
    });
    assert.ok(!('message' in ok));
    assert.deepEqual(ok.papers, [{ id: 'doubly-robust-instance-reweighted-adversarial-training', title: 'Doubly Robust Instance-Reweighted Adversarial Training', arxivId: null }]);
    assert.equal(ok.header, '# PaperLens: DR loss — Doubly Robust Instance-Reweighted Adversarial Training');

    const bad = (name: string, text: string): string => {
      const r = buildSnippet({ path: `paper-data/snippets/pytorch/${name}.py`, text });
      assert.ok('message' in r, name);
      return r.message;
    };
    assert.match(bad('x', 'import torch\n'), /missing module docstring/);
    assert.match(bad('x', '"""T.\n\nConcept: x\n"""\ndef f():\n    pass\n'), /names no paper/);
    assert.match(bad('x', '"""T.\n\nPaper: P, arXiv:12\nConcept: x\n"""\n'), /malformed paper line/);
    assert.match(bad('x', '"""T.\n\nPaper: P, arXiv:1234.56789\nConcept: y\n"""\ndef f():\n    pass\n'), /does not match the file name/);
    assert.match(bad('x', '"""T.\n\nPaper: P, arXiv:1234.56789\nConcept: x\n"""\ndef _f():\n    pass\n'), /no public function/);
    const wrongFramework = buildSnippet({ path: 'paper-data/snippets/flax/x.py', text: '"""T."""\n' });
    assert.ok('message' in wrongFramework && /unknown framework/.test(wrongFramework.message));
  });
});

describe('SnippetCatalog', () => {
  it('gets by concept id and framework', () => {
    assert.equal(catalog.get('cut-cross-entropy')?.functions[0].name, 'chunked_cross_entropy');
    assert.equal(catalog.get('cut-cross-entropy', 'pytorch')?.conceptId, 'cut-cross-entropy');
    assert.equal(catalog.get('cross-entropy'), undefined);
    assert.deepEqual(catalog.list().map((s) => s.conceptId), [...catalog.list().map((s) => s.conceptId)].sort());
    assert.equal(catalog.get('focal', 'jax')?.source, 'paper-data/snippets/jax/focal.py');
    assert.equal(catalog.get('focal', 'keras')?.functions.map((f) => f.name).join(), 'focal_loss,sigmoid_focal_loss');
    assert.equal(catalog.get('cut-cross-entropy', 'jax'), undefined);
  });

  it('searches ids, function names, titles and papers, best first', () => {
    const pytorch = { framework: 'pytorch' } as const;
    assert.equal(catalog.search('focal', pytorch)[0].conceptId, 'focal');
    assert.equal(catalog.search('dice', pytorch)[0].conceptId, 'dice');
    assert.deepEqual(catalog.search('dice', pytorch).map((s) => s.conceptId).sort(), ['dice', 'self-adjusting-dice', 'tversky'].sort());
    assert.deepEqual(catalog.search('dice', { framework: 'jax' }).map((s) => s.conceptId).sort(), ['dice', 'tversky']);
    assert.equal(catalog.search('chunked_cross_entropy', pytorch)[0].conceptId, 'cut-cross-entropy');
    assert.equal(catalog.search('2411.09009', pytorch)[0].conceptId, 'cut-cross-entropy');
    assert.equal(catalog.search('unlearning', pytorch)[0].conceptId, 'satimp');
    assert.deepEqual(catalog.search('zzzz-nothing'), []);
    assert.deepEqual(catalog.search('   '), []);
    assert.equal(catalog.search('loss', { limit: 3 }).length, 3);
  });

  it('suggests close concept ids', () => {
    assert.deepEqual(catalog.suggest('focall'), ['focal']);
    assert.deepEqual(catalog.suggest('focal_loss'), ['focal']);
    assert.equal(catalog.suggest('cut')[0], 'cut-cross-entropy');
    assert.ok(catalog.suggest('tverski').includes('tversky'));
    assert.deepEqual(catalog.suggest('qwertyuiop'), []);
  });

  it('rejects malformed catalog JSON with the file name', () => {
    assert.throws(() => SnippetCatalog.fromJson('{', 'x.json'), /x\.json: not valid JSON/);
    assert.throws(() => SnippetCatalog.fromJson('{"schemaVersion": 2, "snippets": []}', 'x.json'), /schemaVersion: 1/);
    const entry = JSON.parse(readFileSync(generated, 'utf8')).snippets[0];
    const broken = (patch: Record<string, unknown>): string => JSON.stringify({ schemaVersion: 1, snippets: [{ ...entry, ...patch }] });
    assert.throws(() => SnippetCatalog.fromJson(broken({ code: '' })), /snippets\[0\] has no code/);
    assert.throws(() => SnippetCatalog.fromJson(broken({ framework: 'flax' })), /unknown framework flax/);
    assert.throws(() => SnippetCatalog.fromJson(broken({ papers: [] })), /cites no paper/);
    assert.throws(() => SnippetCatalog.fromJson(broken({ functions: [{ name: 'f' }] })), /malformed functions/);
    assert.equal(SnippetCatalog.fromJson(broken({})).size, 1);
  });

  it('names the missing file when the data directory has no catalog', () => {
    assert.throws(() => loadSnippetCatalog(path.join(root, 'test')), /snippets\.json not found/);
  });
});
