import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadSnippetCatalog } from '../../../src/core/snippets/catalog';
import { frameworkList, frameworksInSources, parseFrameworkSetting, resolveSnippetFramework } from '../../../src/core/snippets/framework';
import { renderSnippet } from '../../../src/core/snippets/render';
import { SNIPPET_FRAMEWORKS } from '../../../src/core/snippets/types';

const catalog = loadSnippetCatalog(path.join(__dirname, '../../../paper-data'));

describe('frameworksInSources', () => {
  it('reads the framework from module-level imports', () => {
    assert.deepEqual(frameworksInSources(['import jax.numpy as jnp\nimport optax\n']), ['jax']);
    assert.deepEqual(frameworksInSources(['from flax import linen as nn\n']), ['jax']);
    assert.deepEqual(frameworksInSources(['import keras\nfrom keras import ops\n']), ['keras']);
    assert.deepEqual(frameworksInSources(['from tensorflow import keras\n']), ['keras']);
    assert.deepEqual(frameworksInSources(['import tensorflow as tf\n']), ['keras']);
    assert.deepEqual(frameworksInSources(['import torch.nn.functional as F\n']), ['pytorch']);
    assert.deepEqual(frameworksInSources(['import numpy as np\nimport os\n']), []);
  });

  it('ignores imports inside functions or try blocks and names in strings and comments', () => {
    const text = '"""Uses torch? No."""\nimport numpy as np\n# import torch\n\ndef f():\n    import jax\n\ntry:\n    import keras\nexcept ImportError:\n    pass\n';
    assert.deepEqual(frameworksInSources([text]), []);
  });

  it('reads every cell of a notebook and lists several frameworks in catalog order', () => {
    assert.deepEqual(frameworksInSources(['import keras\n', 'x = 1\n', 'import jax\n']), ['jax', 'keras']);
    assert.deepEqual(frameworksInSources(['import jax\nimport torch\n']), ['pytorch', 'jax']);
  });
});

describe('resolveSnippetFramework', () => {
  it('a fixed setting wins over the imports', () => {
    assert.deepEqual(resolveSnippetFramework('keras', ['jax']), { kind: 'resolved', framework: 'keras', reason: 'setting' });
  });
  it('auto: one framework from the imports, PyTorch when none, a question when several', () => {
    assert.deepEqual(resolveSnippetFramework('auto', ['jax']), { kind: 'resolved', framework: 'jax', reason: 'imports' });
    assert.deepEqual(resolveSnippetFramework('auto', []), { kind: 'resolved', framework: 'pytorch', reason: 'default' });
    assert.deepEqual(resolveSnippetFramework('auto', ['jax', 'keras']), { kind: 'ambiguous', candidates: ['jax', 'keras'] });
  });
  it('an unknown setting value reads as auto', () => {
    assert.equal(parseFrameworkSetting('tensorflow'), 'auto');
    assert.equal(parseFrameworkSetting(undefined), 'auto');
    assert.equal(parseFrameworkSetting('jax'), 'jax');
  });
  it('names frameworks for messages', () => {
    assert.equal(frameworkList(['pytorch']), 'PyTorch');
    assert.equal(frameworkList(['pytorch', 'keras']), 'PyTorch or Keras');
    assert.equal(frameworkList(['pytorch', 'jax', 'keras'], 'and'), 'PyTorch, JAX and Keras');
  });
});

describe('snippet catalog per framework', () => {
  it('ships the issue 17 concepts for JAX and Keras, with the PyTorch functions', () => {
    const required = ['focal', 'dice', 'tversky', 'label-smoothing', 'z-loss', 'info-nce', 'supcon', 'generalized-cross-entropy',
      'poly-loss', 'symmetric-cross-entropy', 'dpo', 'knowledge-distillation', 'siglip', 'clip', 'giou', 'vae-kl'];
    for (const framework of ['jax', 'keras'] as const) {
      for (const id of required) {
        const snippet = catalog.get(id, framework);
        assert.ok(snippet, `${framework}/${id} missing`);
        assert.deepEqual(snippet.functions.map((f) => f.name), catalog.get(id, 'pytorch')!.functions.map((f) => f.name), `${framework}/${id}`);
        assert.equal(snippet.source, `paper-data/snippets/${framework}/${id}.py`);
      }
    }
  });

  it('JAX and Keras snippets import their framework, never torch', () => {
    for (const s of catalog.list('jax')) {
      assert.ok(s.imports.includes('import jax.numpy as jnp'), s.conceptId);
      assert.ok(!s.imports.some((i) => i.includes('torch')), s.conceptId);
    }
    for (const s of catalog.list('keras')) {
      assert.ok(s.imports.includes('from keras import ops'), s.conceptId);
      assert.ok(!s.imports.some((i) => i.includes('torch') || i.includes('jax')), s.conceptId);
    }
  });

  it('imports are merged per framework: a JAX file that imports jnp gets only the missing jax import', () => {
    const r = renderSnippet(catalog.get('focal', 'jax')!, { documentText: 'import jax.numpy as jnp\n\n\ndef step(params):\n    pass\n' });
    assert.deepEqual(r.imports, ['import jax']);
    const k = renderSnippet(catalog.get('dice', 'keras')!, { documentText: 'import keras\nfrom keras import ops\n' });
    assert.deepEqual(k.imports, []);
  });

  it('no two snippets of a framework define the same private helper, so two insertions never clash', () => {
    for (const framework of SNIPPET_FRAMEWORKS) {
      const owner = new Map<string, string>();
      for (const s of catalog.list(framework)) {
        for (const m of s.code.matchAll(/^(?:def (_\w+)\(|(_\w+)\s*=)/gm)) {
          const name = m[1] ?? m[2];
          assert.ok(!owner.has(name) || owner.get(name) === s.conceptId, `${framework}: ${name} is defined by ${owner.get(name)} and ${s.conceptId}`);
          owner.set(name, s.conceptId);
        }
      }
    }
  });
});
