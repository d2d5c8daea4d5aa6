import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logicalLineIndents, outlineModule } from '../../../src/core/python/module';

/** The snippet catalogue's view: top-level import statements and the names they bind. */
const analyzePython = (src: string) => {
  const o = outlineModule(src);
  return { ...o, imports: o.imports.filter((s) => s.topLevel) };
};
const importBindings = (src: string) => analyzePython(src).imports.flatMap((s) => s.bindings.map(({ name, target }) => ({ name, target })));

describe('outlineModule (snippet catalogue)', () => {
  it('reads import bindings in every form', () => {
    const src = [
      'import torch',
      'import torch.nn as nn, math',
      'import torch.nn.functional',
      'from torch.nn import functional as F, init',
      'from . import local',
      'from .pkg import thing as other',
      'from os import *',
      'from typing import (',
      '    Any,',
      '    Optional as Opt,',
      ')',
      '',
    ].join('\n');
    assert.deepEqual(importBindings(src), [
      { name: 'torch', target: 'torch' },
      { name: 'nn', target: 'torch.nn' },
      { name: 'math', target: 'math' },
      { name: 'torch', target: 'torch' },
      { name: 'F', target: 'torch.nn.functional' },
      { name: 'init', target: 'torch.nn.init' },
      { name: 'local', target: '.local' },
      { name: 'other', target: '.pkg.thing' },
      { name: 'Any', target: 'typing.Any' },
      { name: 'Opt', target: 'typing.Optional' },
    ]);
    const info = analyzePython(src);
    assert.equal(info.imports.length, 8);
    assert.equal(info.imports[6].text, 'from os import *');
    assert.equal(info.imports[7].text, 'from typing import (Any, Optional as Opt)');
    assert.deepEqual([info.imports[7].startLine, info.imports[7].endLine], [7, 10]);
    assert.equal(info.preambleEndLine, 11);
  });

  it('finds the docstring, the preamble end and top-level function signatures', () => {
    const src = [
      '"""Title.',
      '',
      'Body."""',
      'import torch',
      '',
      '',
      'def f(',
      '    x: torch.Tensor,',
      '    dims=(1,),',
      '    name: str = "a  b",',
      ') -> torch.Tensor:',
      '    """Does f.',
      '',
      '    More."""',
      '    def inner():',
      '        pass',
      '    return x',
      '',
      'async def g(): "One-liner."',
      'class C:',
      '    def method(self):',
      '        pass',
      '',
    ].join('\n');
    const info = analyzePython(src);
    assert.equal(info.docstring, 'Title.\n\nBody.');
    assert.equal(info.preambleEndLine, 4);
    assert.deepEqual(info.functions.map((f) => [f.name, f.signature, f.docstring?.split('\n')[0], f.line]), [
      ['f', 'f(x: torch.Tensor, dims=(1,), name: str = "a b") -> torch.Tensor', 'Does f.', 6],
      ['g', 'g()', 'One-liner.', 18],
    ]);
  });

  it('lists the indentation of logical lines only', () => {
    const src = 'def f(a,\n      b):\n    """x\n        y"""\n    # c\n\n    return (a +\n            b)\n';
    assert.deepEqual(logicalLineIndents(src), ['', '    ', '    ']);
  });

  it('never throws on malformed code', () => {
    for (const src of ['import', 'from import x', 'def (', '"""unterminated', 'from a import (b,', '\r\n\r\n']) {
      assert.doesNotThrow(() => analyzePython(src));
    }
    assert.deepEqual(importBindings('import'), []);
  });
});
