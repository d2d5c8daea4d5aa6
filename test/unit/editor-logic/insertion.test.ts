// Insertion planning: where a loss implementation goes, which imports are added, the call at the
// cursor, indentation and line endings. Pure text in, edits out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeSnippet, planAt, planInsertion, readSignatures, snippetParts, type InsertionPlan, type InsertionRequest, type PlannedEdit } from '../../../src/services/insertion/plan';
import { outlineModule, positionContext } from '../../../src/core/python/module';

const SNIPPET = `import torch
import torch.nn.functional as F


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    return loss.mean() if reduction == "mean" else loss


def focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    gamma: float = 2.0,
    *,
    reduction: str = "mean",
) -> torch.Tensor:
    """Softmax focal loss."""
    log_pt = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return _reduce(-torch.pow(-torch.expm1(log_pt), gamma) * log_pt, reduction)
`;

const HEADER = '# PaperLens: Focal loss — Focal Loss for Dense Object Detection, arXiv:1708.02002';
const snippet = { code: `"""Focal loss.\n\nPaper: Focal Loss for Dense Object Detection, arXiv:1708.02002\n"""\n${SNIPPET}`, header: HEADER };
/** What renderSnippet makes of it for a 4-space LF file: header, then the code after the imports. */
const BODY = `${HEADER}\n${SNIPPET.slice(SNIPPET.indexOf('def _reduce')).trimEnd()}`;

function apply(text: string, edits: readonly PlannedEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Text with `|` marking the cursor; returns the plan and the result. */
function run(marked: string, extra: Partial<InsertionRequest> = {}): { plan: InsertionPlan; result: string; text: string } {
  const cursor = marked.indexOf('|');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const plan = planInsertion({ text, cursor, snippet, ...extra });
  return { plan, result: apply(text, plan.edits), text };
}

describe('snippetParts', () => {
  it('reads public signatures and every top-level name', () => {
    const parts = snippetParts(snippet.code);
    assert.deepEqual(parts.functions, [{ name: 'focal_loss', required: ['logits', 'target'] }]);
    assert.deepEqual(parts.definedNames, ['_reduce', 'focal_loss']);
  });

  it('reads signatures with defaults, stars, annotations and methods left out', () => {
    const sigs = readSignatures('def f(a, b: "int | None", /, c=1, *args, d, e: int = 2, **kw):\n    pass\nclass A:\n    def m(self, x):\n        pass\n');
    assert.deepEqual(sigs, [{ name: 'f', required: ['a', 'b', 'd'] }]);
  });
});

describe('outlineModule', () => {
  it('finds the preamble end after docstring and imports, and module-level bindings', () => {
    const text = '"""Doc."""\nfrom __future__ import annotations\nimport torch\n# comment\nfrom torch import nn as N, optim\n\nx = 1\nimport late\ndef f():\n    import inner\ntry:\n    import yaml\nexcept ImportError:\n    yaml = None\n';
    const o = outlineModule(text);
    assert.equal(text.slice(o.preambleEnd).split('\n')[0], '');
    assert.equal(text.slice(0, o.preambleEnd).trimEnd().split('\n').pop(), 'from torch import nn as N, optim');
    assert.equal(o.preambleKind, 'imports');
    const names = o.imports.flatMap((i) => i.bindings.map((b) => `${b.name}=${b.target}`));
    assert.deepEqual(names, ['annotations=__future__.annotations', 'torch=torch', 'N=torch.nn', 'optim=torch.optim', 'late=late', 'yaml=yaml']);
    assert.deepEqual([...o.definitions.keys()], ['f']);
  });

  it('parses parenthesised, relative and dotted imports', () => {
    const o = outlineModule('from .losses import (\n    focal_loss as fl,\n    dice,\n)\nimport a.b.c\nimport a.b as ab\n');
    assert.deepEqual(o.imports.flatMap((i) => i.bindings.map(({ name, target }) => ({ name, target }))), [
      { name: 'fl', target: '.losses.focal_loss' },
      { name: 'dice', target: '.losses.dice' },
      { name: 'a', target: 'a' },
      { name: 'ab', target: 'a.b' },
    ]);
  });
});

describe('positionContext', () => {
  it('tells code from strings and comments', () => {
    const at = (marked: string) => positionContext(marked.replace('|', ''), marked.indexOf('|'));
    assert.equal(at('x = "foc|al"').inStringOrComment, true);
    assert.equal(at('x = 1  # foc|al').inStringOrComment, true);
    assert.equal(at('x = "#"; foc|').inStringOrComment, false);
    assert.equal(at('"""\nfocal|\n"""').inStringOrComment, true);
    assert.equal(at('x = f(a, foc|').bracketDepth, 1);
    assert.equal(at('x = foc|').inStringOrComment, false);
  });

  it('knows an empty top-level line from one that must hold a block body', () => {
    const at = (marked: string) => positionContext(marked.replace('|', ''), marked.indexOf('|'));
    assert.equal(at('import a\n\n|\n').moduleLevel, true);
    assert.equal(at('def f():\n|').moduleLevel, false);
    assert.equal(at('def f():\n    return 1\n\n|').moduleLevel, true);
    assert.equal(at('def f():\n    |').moduleLevel, false);
    assert.equal(at('x = [\n|').moduleLevel, false);
  });
});

describe('planInsertion', () => {
  it('puts the function after the imports with PEP 8 spacing and adds the missing import once', () => {
    const { plan, result } = run('"""Train."""\nimport torch\n\nclass Net:\n    def step(self):\n        loss = |\n');
    assert.equal(plan.placement, 'after-imports');
    assert.deepEqual(plan.addedImports, ['import torch.nn.functional as F']);
    assert.equal(
      result,
      `"""Train."""\nimport torch\nimport torch.nn.functional as F\n\n\n${BODY}\n\n\nclass Net:\n    def step(self):\n        loss = \n`,
    );
    assert.ok(result.slice(plan.revealOffset).startsWith(HEADER));
    assert.equal(plan.edits.length, 1, 'one edit');
  });

  it('inserts the call only when the user typed the name in code, replacing the typed word', () => {
    const marked = 'import torch\n\ndef train(logits, y):\n    loss = foc|\n';
    const cursor = marked.indexOf('|');
    const text = marked.replace('|', '');
    const plan = planInsertion({ text, cursor, snippet, typed: { start: cursor - 3, end: cursor }, call: 'focal_loss' });
    assert.deepEqual(plan.primary && { start: plan.primary.start, text: plan.primary.text, snippet: plan.primary.snippet }, {
      start: cursor - 3,
      text: 'focal_loss(logits, target)',
      snippet: 'focal_loss(${1:logits}, ${2:target})$0',
    });
    const result = apply(text, plan.edits);
    assert.match(result, /import torch\nimport torch\.nn\.functional as F\n\n\n# PaperLens: Focal loss/);
    assert.match(result, /\n\n\ndef train\(logits, y\):\n    loss = focal_loss\(logits, target\)\n$/);
    assert.ok(plan.edits.every((e) => e === plan.primary || e.end <= plan.primary!.start || e.start >= plan.primary!.end));
  });

  it('puts the function at the cursor on an empty module-level line below the imports', () => {
    const { plan, result } = run('import torch\nimport torch.nn.functional as F\n\nMODEL = 1\n|\nprint(MODEL)\n');
    assert.equal(plan.placement, 'at-cursor');
    assert.deepEqual(plan.addedImports, []);
    assert.equal(result, `import torch\nimport torch.nn.functional as F\n\nMODEL = 1\n\n\n${BODY}\n\n\nprint(MODEL)\n`);
    assert.ok(result.slice(plan.revealOffset).startsWith(HEADER));
  });

  it('at the cursor right after the imports, merges the import edit with the definition', () => {
    const { plan, result } = run('import torch\n|\n');
    assert.equal(plan.placement, 'at-cursor');
    assert.equal(plan.edits.length, 1);
    assert.equal(result, `import torch\nimport torch.nn.functional as F\n\n\n${BODY}\n`);
    assert.ok(result.slice(plan.revealOffset).startsWith(HEADER));
  });

  it('a typed `loss:` trigger at module level becomes the definition, in the completion’s own edit', () => {
    const marked = 'import torch\n\nloss:foc|\n\nx = 1\n';
    const cursor = marked.indexOf('|');
    const text = marked.replace('|', '');
    const start = text.indexOf('loss:');
    const plan = planInsertion({ text, cursor, snippet, typed: { start, end: cursor } });
    assert.equal(plan.placement, 'at-cursor');
    assert.ok(plan.primary);
    assert.equal(plan.primary!.start, start);
    assert.match(plan.primary!.snippet, /def focal_loss/);
    const result = apply(text, plan.edits);
    assert.equal(result, `import torch\nimport torch.nn.functional as F\n\n\n${BODY}\n\n\nx = 1\n`);
  });

  it('inside a function, a `loss:` trigger is removed and the definition goes after the imports', () => {
    const marked = 'import torch\n\ndef f():\n    loss:|\n';
    const cursor = marked.indexOf('|');
    const text = marked.replace('|', '');
    const plan = planInsertion({ text, cursor, snippet, typed: { start: text.indexOf('loss:'), end: cursor } });
    assert.equal(plan.placement, 'after-imports');
    assert.equal(apply(text, plan.edits), `import torch\nimport torch.nn.functional as F\n\n\n${BODY}\n\n\ndef f():\n    \n`);
  });

  it('does not define the function twice: only the call is written', () => {
    const text = `import torch\nimport torch.nn.functional as F\n\n\ndef focal_loss(logits, target):\n    return 0\n\n\nloss = foc\n`;
    const cursor = text.length - 1;
    const plan = planInsertion({ text, cursor, snippet, typed: { start: cursor - 3, end: cursor }, call: 'focal_loss' });
    assert.equal(plan.placement, 'already-defined');
    assert.equal(apply(text, plan.edits), text.replace('loss = foc', 'loss = focal_loss(logits, target)'));
    assert.ok(apply(text, plan.edits).slice(plan.revealOffset).startsWith('def focal_loss('));
  });

  it('reports helpers it redefines', () => {
    const { plan } = run('import torch\n\ndef _reduce(x):\n    return x\n\n\n|');
    assert.deepEqual(plan.redefined, ['_reduce']);
  });

  it('respects tabs', () => {
    const { result } = run('import torch\n\ndef f():\n\treturn 1\n\nx = |\n');
    assert.match(result, /\ndef focal_loss\(\n\tlogits: torch\.Tensor,\n/);
    assert.match(result, /\n\tlog_pt = F\.log_softmax/);
    assert.doesNotMatch(result.slice(result.indexOf('def _reduce')), /^ {4}/m);
    assert.equal(result.split('\n').filter((l) => /^[ \t]+$/.test(l)).length, 0, 'no whitespace-only lines');
  });

  it('respects CRLF line endings everywhere it writes', () => {
    const { result } = run('import torch\r\n\r\nx = |\r\n');
    assert.equal(result.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
    assert.match(result, /^import torch\r\nimport torch\.nn\.functional as F\r\n\r\n\r\n# PaperLens: Focal loss/);
  });

  it('handles an empty file, a file without a trailing newline, and a comment header', () => {
    assert.equal(run('|').result, `import torch\nimport torch.nn.functional as F\n\n\n${BODY}\n`);
    assert.equal(run('import torch|').result, `import torch\nimport torch.nn.functional as F\n\n\n${BODY}\n`);
    const header = run('#!/usr/bin/env python\n# Copyright 2024\n\nx = 1|\n').result;
    assert.ok(header.startsWith(`#!/usr/bin/env python\n# Copyright 2024\n\nimport torch\nimport torch.nn.functional as F\n\n\n${BODY}\n\n\nx = 1\n`), header);
  });

  it('in a notebook cell, counts imports of earlier cells and skips magics', () => {
    const { plan, result } = run('%matplotlib inline\nx = |\n', { ipython: true, priorBindings: [{ name: 'torch', target: 'torch' }] });
    assert.deepEqual(plan.addedImports, ['import torch.nn.functional as F']);
    assert.equal(result, `%matplotlib inline\nimport torch.nn.functional as F\n\n\n${BODY}\n\n\nx = \n`);
    const cellMagic = run('%%time\nx = |', { ipython: true }).result;
    assert.ok(cellMagic.startsWith('%%time\nimport torch\n'), 'a cell magic stays on the first line');
  });

  it('is total on odd input', () => {
    for (const text of ['(((', '"""', 'def', 'from import', '\r\r\n\n', 'import torch\\\n', '\t\t\tx']) {
      for (let cursor = 0; cursor <= text.length; cursor++) {
        const plan = planInsertion({ text, cursor, snippet });
        const result = apply(text, plan.edits);
        assert.ok(result.includes('def focal_loss('), JSON.stringify(text));
      }
    }
  });
});

describe('helpers', () => {
  it('escapes snippet syntax', () => {
    assert.equal(escapeSnippet('a $1 ${x} \\'), 'a \\$1 \\${x\\} \\\\');
  });
});

describe('imports', () => {
  it('counts a binding as present whatever the spelling, including try blocks and earlier cells', () => {
    const { plan } = run('from torch.nn import functional as F\ntry:\n    import torch\nexcept ImportError:\n    torch = None\n\nx = |\n');
    assert.deepEqual(plan.addedImports, []);
    const cell = run('x = |\n', { ipython: true, priorBindings: [{ name: 'torch', target: 'torch' }, { name: 'F', target: 'torch.nn.functional' }] });
    assert.deepEqual(cell.plan.addedImports, []);
  });

  it('does not rebind a name the file uses for something else, and reports it', () => {
    const { plan, result } = run('import torch\nimport jax.nn as F\n\nx = |\n');
    assert.deepEqual(plan.addedImports, []);
    assert.deepEqual(plan.conflicts, [{ name: 'F', existing: 'jax.nn', wanted: 'torch.nn.functional' }]);
    assert.equal(result.split('import jax.nn as F').length, 2);
  });
});

describe('planning while a word is typed', () => {
  // planInsertion plans on the text without the typed word (the same text at every keystroke, so
  // its outline is reused) and shifts the edits; it must give what planning on the text as it is
  // gives, for every kind of place the word can be in.
  const LINES = ['"""Doc."""', 'import torch', 'import torch.nn.functional as F', 'from x import (a,', '    b)', '', 'def focal():', '    pass', 'x = 1', 'class M:', '    def f(self):', '        return 0', '# comment', 'y = [', '  2]', '', ''];
  it('matches the plan made on the text as typed (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...LINES), { minLength: 0, maxLength: 14 }),
      fc.nat(), fc.constantFrom('', '    ', 'loss = ', '    loss = ', 'total += '), fc.constantFrom('f', 'foc', 'focal_l', '_', 'x1', 'for'),
      fc.boolean(), fc.boolean(),
      (lines, at, lead, word, call, ipython) => {
        const line = at % (lines.length + 1);
        const before = [...lines.slice(0, line), lead].join('\n');
        const text = `${before}${word}\n${lines.slice(line).join('\n')}`;
        const start = before.length;
        const req: InsertionRequest = { text, cursor: start + word.length, snippet, typed: { start, end: start + word.length }, call: call ? 'focal_loss' : undefined, ipython };
        const reused = planInsertion(req);
        const fresh = planAt(req);
        assert.deepEqual(reused, fresh);
        if (reused.primary) assert.ok(reused.edits.includes(reused.primary), 'primary is one of the edits');
      },
    ), { numRuns: 500, seed: 3 });
  });
});
