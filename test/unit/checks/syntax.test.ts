import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pythonSyntaxError } from '../../../src/core/checks/syntax';

describe('pythonSyntaxError', () => {
  it('reports the first error with the line and wording Python uses', () => {
    const cases: [string, number, string][] = [
      ['x = (1,\ny = 2\n', 1, "'(' was never closed"],
      ['x = 1)\n', 1, "unmatched ')'"],
      ['x = [1, 2)\n', 1, "closing parenthesis ')' does not match opening parenthesis '['"],
      ['def f(x)\n    return x\n', 1, "expected ':'"],
      ['if x:\ny = 1\n', 2, 'expected an indented block after line 1'],
      ['x = 1\n    y = 2\n', 2, 'unexpected indent'],
      ['def f():\n    if x:\n        y\n      z\n', 4, 'unindent does not match any outer indentation level'],
      ['s = "abc\n', 1, 'unterminated string literal'],
      ['a = 1\ns = """abc\n', 2, 'unterminated triple-quoted string literal'],
      ['x = 1\ny = $\n', 2, "invalid character '$'"],
      ['class A:\n', 2, 'expected an indented block after line 1'],
    ];
    for (const [text, line, message] of cases) {
      const e = pythonSyntaxError(text);
      assert.ok(e, `no error for ${JSON.stringify(text)}`);
      assert.deepEqual([e.line, e.message], [line, message], JSON.stringify(text));
    }
  });

  it('accepts valid code: one-line compound statements, lambdas, dict and slice colons, continuations, strings', () => {
    const ok = [
      'if a: b\nelse: c\n',
      'f = lambda x: x\nd = {1: 2}\ny = z[1:2]\n',
      'x = (1,\n     2)\ny = 1 + \\\n    2\n',
      's = """a\n"b"\n"""\nt = \'it\\\'s\'\n',
      'class A: pass\ndef f(): return 1\n',
      'async def f():\n    async with a as b:\n        pass\n',
      'try:\n    x\nexcept (A, B) as e:\n    y\nfinally:\n    z\n',
      'x = 1; y = 2\n',
      '@dec\ndef f(a: int = 1, *args, **kw) -> None:\n    """doc"""\n',
      '',
    ];
    for (const text of ok) assert.equal(pythonSyntaxError(text), undefined, JSON.stringify(text));
  });

  it('accepts every Python fixture and shipped snippet of the repository', () => {
    const root = path.join(__dirname, '../../..');
    const dirs = ['test/unit/checks/fixtures', 'test/unit/cli/scanChecks/pkg', 'test/python/check_fixes', 'paper-data/snippets/pytorch'];
    let n = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.py'))) {
        assert.equal(pythonSyntaxError(readFileSync(path.join(root, dir, f), 'utf8')), undefined, `${dir}/${f}`);
        n++;
      }
    }
    assert.ok(n > 30);
  });
});
