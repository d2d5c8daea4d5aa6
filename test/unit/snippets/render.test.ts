import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadSnippetCatalog } from '../../../src/core/snippets/catalog';
import { detectEol, detectIndentUnit, renderSnippet } from '../../../src/core/snippets/render';
import type { Snippet } from '../../../src/core/snippets/types';

const catalog = loadSnippetCatalog(path.join(__dirname, '../../../paper-data'));
const focal = catalog.get('focal') as Snippet;
const ldr = catalog.get('ldr-kl') as Snippet;
const tversky = catalog.get('tversky') as Snippet;

/** Every non-empty line's indentation must be made of `unit` repeated, plus at most unit-1 alignment spaces. */
function assertIndentedWith(body: string, base: string, unit: string): void {
  for (const line of body.split(/\r?\n/)) {
    if (line === '') continue;
    assert.ok(line.startsWith(base), `missing base indent: ${JSON.stringify(line)}`);
    const rest = line.slice(base.length);
    const lead = /^[ \t]*/.exec(rest)![0];
    let i = 0;
    while (lead.startsWith(unit, i)) i += unit.length;
    assert.ok(/^ {0,3}$/.test(lead.slice(i)), `unexpected indentation ${JSON.stringify(lead)} for unit ${JSON.stringify(unit)}`);
    assert.equal(line, line.trimEnd(), 'trailing whitespace');
  }
}

describe('renderSnippet', () => {
  it('renders into an empty file: all imports, header first, no module docstring, 4 spaces, LF', () => {
    const r = renderSnippet(focal);
    assert.deepEqual(r.imports, ['import torch', 'import torch.nn.functional as F']);
    assert.equal(r.importsText, 'import torch\nimport torch.nn.functional as F\n');
    assert.equal(r.importLine, 0);
    assert.equal(r.eol, '\n');
    assert.equal(r.indentUnit, '    ');
    assert.equal(r.body.split('\n')[0], focal.header);
    assert.match(r.body, /^def focal_loss\($/m);
    assert.ok(!r.body.includes('Concept: focal'), 'module docstring must not be inserted');
    assert.ok(!/^import /m.test(r.body), 'imports go separately');
    assert.ok(r.body.endsWith('return _focal_reduce(loss, reduction)\n'));
    assert.equal(r.text, `${r.importsText}\n\n${r.body}`);
    assertIndentedWith(r.body, '', '    ');
  });

  it('follows a tab-indented document', () => {
    const doc = 'import torch\n\n\ndef train(model):\n\tfor x in model:\n\t\tif x:\n\t\t\tpass\n';
    assert.equal(detectIndentUnit(doc), '\t');
    const r = renderSnippet(focal, { documentText: doc });
    assert.equal(r.indentUnit, '\t');
    assert.match(r.body, /^\tif not isinstance\(logits, torch\.Tensor\)/m);
    assert.match(r.body, /^\t\traise TypeError/m);
    assert.ok(!/^ {4}/m.test(r.body), 'no 4-space indentation left');
    assertIndentedWith(r.body, '', '\t');
    assert.deepEqual(r.imports, ['import torch.nn.functional as F']);
  });

  it('follows a 2-space document and keeps alignment spaces of continuation lines', () => {
    const doc = 'def f(x):\n  if x:\n    return 1\n  return 2\n';
    assert.equal(detectIndentUnit(doc), '  ');
    const r = renderSnippet(tversky, { documentText: doc });
    assert.match(r.body, /^  if not isinstance\(probs, torch\.Tensor\)/m);
    assert.match(r.body, /^    raise TypeError/m);
    assertIndentedWith(r.body, '', '  ');
  });

  it('uses CRLF line endings when the document does', () => {
    const doc = '"""Training script."""\r\nimport os\r\n\r\ndef main():\r\n    pass\r\n';
    assert.equal(detectEol(doc), '\r\n');
    const r = renderSnippet(focal, { documentText: doc });
    assert.equal(r.eol, '\r\n');
    for (const part of [r.body, r.importsText, r.text]) {
      assert.ok(!/(^|[^\r])\n/.test(part), 'every line break is CRLF');
      assert.ok(part.endsWith('\r\n'));
    }
    assert.equal(r.importLine, 2, 'after `import os`');
  });

  it('does not duplicate imports the document already has, in any equivalent spelling', () => {
    const cases: [string, string[]][] = [
      ['import torch\nimport torch.nn.functional as F\n', []],
      ['import torch\nfrom torch.nn import functional as F\n', []],
      ['import torch, numpy as np\nfrom torch.nn import (\n    functional as F,\n)\n', []],
      ['import torch.nn.functional as F\n', ['import torch']],
      ['import torch.nn\nimport torch.nn.functional as F\n', []],
      ['import torch as th\nimport torch.nn.functional as F\n', ['import torch']],
      ['import torch\nfrom torch.nn import functional\n', ['import torch.nn.functional as F']],
      ['import numpy as np\n', ['import torch', 'import torch.nn.functional as F']],
    ];
    for (const [doc, expected] of cases) {
      assert.deepEqual(renderSnippet(focal, { documentText: doc }).imports, expected, doc);
    }
    assert.deepEqual(renderSnippet(ldr, { documentText: 'import math\n' }).imports, ['import torch']);
    assert.deepEqual(renderSnippet(ldr, { documentText: 'from math import log\n' }).imports, ['import math', 'import torch']);
  });

  it('ignores imports that are not at module level or not code', () => {
    const doc = [
      '"""Notes: import torch and import torch.nn.functional as F here."""',
      'def f():',
      '    import torch',
      '    import torch.nn.functional as F',
      '# import torch',
      's = "import torch"',
      '',
    ].join('\n');
    const r = renderSnippet(focal, { documentText: doc });
    assert.deepEqual(r.imports, ['import torch', 'import torch.nn.functional as F']);
    assert.equal(r.importLine, 1, 'after the module docstring');
  });

  it('reports a name bound to something else and still lists its import', () => {
    const r = renderSnippet(focal, { documentText: 'import torch\nimport jax.numpy as F\n' });
    assert.deepEqual(r.conflicts, ['F']);
    assert.deepEqual(r.imports, ['import torch.nn.functional as F']);
  });

  it('places imports after the last module-level import, past docstring and __future__', () => {
    const doc = '"""Doc.\n\nMore.\n"""\nfrom __future__ import annotations\n\nimport os\nfrom typing import (\n    Any,\n)\n\nx = 1\nimport sys\n';
    assert.equal(renderSnippet(focal, { documentText: doc }).importLine, 13);
    assert.equal(renderSnippet(focal, { documentText: '"""Doc.\n\nMore.\n"""\n\nx = 1\n' }).importLine, 4);
    assert.equal(renderSnippet(focal, { documentText: 'x = 1\n' }).importLine, 0);
  });

  it('takes bindings from outside the document (earlier notebook cells)', () => {
    const r = renderSnippet(focal, {
      documentText: 'loss = 0\n',
      extraBindings: [{ name: 'torch', target: 'torch' }, { name: 'F', target: 'torch.nn.functional' }],
    });
    assert.deepEqual(r.imports, []);
    assert.equal(r.importsText, '');
    assert.equal(r.text, r.body);
  });

  it('prefixes a base indentation and can drop the header', () => {
    const r = renderSnippet(tversky, { baseIndent: '\t', indentUnit: '\t', header: false });
    assert.ok(r.body.startsWith('\t_MIN_DENOMINATOR = 1e-7\n'));
    assertIndentedWith(r.body, '\t', '\t');
    assert.ok(!r.body.includes('PaperLens'));
  });

  it('renders every catalog snippet with tabs and CRLF without leaving 4-space indentation', () => {
    for (const s of catalog.list()) {
      const r = renderSnippet(s, { documentText: 'import torch\r\n\r\nif True:\r\n\tpass\r\n' });
      assert.equal(r.eol, '\r\n');
      assert.ok(!/^ {4}/m.test(r.body), s.conceptId);
      assert.ok(!r.imports.includes('import torch'), s.conceptId);
      assert.ok(r.body.startsWith(`${s.header}\r\n`), s.conceptId);
    }
  });
});

describe('detectIndentUnit / detectEol', () => {
  it('defaults to 4 spaces and LF, ignores strings and continuation lines', () => {
    assert.equal(detectIndentUnit(''), '    ');
    assert.equal(detectIndentUnit('x = 1\n'), '    ');
    const doc = 'def f(a,\n       b):\n   """Doc\n          text"""\n   return a\n';
    assert.equal(detectIndentUnit(doc), '   ');
    assert.equal(detectIndentUnit('class A:\n        def f(self):\n                pass\n'), ' '.repeat(8));
    assert.equal(detectEol(''), '\n');
    assert.equal(detectEol('a\r\nb\nc\r\n'), '\r\n');
    assert.equal(detectEol('a\nb\nc\r\n'), '\n');
  });
});
