import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  TK_ARROW, TK_AUGASSIGN, TK_DOT, TK_DOUBLESTAR, TK_ELLIPSIS, TK_EQUAL, TK_ERROR, TK_LPAR, TK_NAME,
  TK_NEWLINE, TK_NUMBER, TK_OP, TK_RPAR, TK_STRING, TK_WALRUS, tokenize,
} from '../../../src/core/python/tokenizer';
import { computeLineStarts } from '../../../src/core/text/lineIndex';

/** [kind, text] pairs, NEWLINE tokens shown as '\n'. */
function toks(text: string, options = {}): [number, string][] {
  const t = tokenize(text, options);
  const out: [number, string][] = [];
  for (let i = 0; i < t.count; i++) out.push([t.kind[i], t.kind[i] === TK_NEWLINE ? '\n' : text.slice(t.start[i], t.end[i])]);
  return out;
}

function texts(text: string, options = {}): string[] {
  return toks(text, options).map(([, s]) => s);
}

describe('strings', () => {
  for (const prefix of ['', 'r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 'rb', 'Rb', 'bR', 'BR', 'br', 'fr', 'Rf', 'rF', 't', 'tr']) {
    for (const quote of ["'", '"', "'''", '"""']) {
      test(`${prefix}${quote}…${quote} is one token`, () => {
        const s = `${prefix}${quote}F.cross_entropy # not a comment${quote}`;
        assert.deepEqual(toks(`x = ${s}\n`), [[TK_NAME, 'x'], [TK_EQUAL, '='], [TK_STRING, s], [TK_NEWLINE, '\n']]);
      });
    }
  }

  test('an invalid prefix is a name followed by a string', () => {
    assert.deepEqual(texts('bf"x"'), ['bf', '"x"', '\n']);
    assert.deepEqual(texts('ub"x"'), ['ub', '"x"', '\n']);
  });

  test('escaped quotes, raw strings and escaped newlines stay inside the string', () => {
    assert.deepEqual(texts(String.raw`a = "x\"y" + r'z\'w'`), ['a', '=', String.raw`"x\"y"`, '+', String.raw`r'z\'w'`, '\n']);
    assert.deepEqual(texts("a = 'one \\\ntwo'\nb"), ['a', '=', "'one \\\ntwo'", '\n', 'b', '\n']);
    assert.deepEqual(texts("a = 'one \\\r\ntwo'\r\nb"), ['a', '=', "'one \\\r\ntwo'", '\n', 'b', '\n']);
  });

  test('triple-quoted strings span lines and hold lone quotes', () => {
    const s = `"""a "quoted" ""word""\nF.cross_entropy\n"""`;
    assert.deepEqual(texts(`x = ${s}\ny`), ['x', '=', s, '\n', 'y', '\n']);
  });

  test('f-string replacement fields nest quotes (PEP 701) and format specs', () => {
    for (const s of [
      `f"{x["key"]} and {y}"`,
      `f'{a:{width}.{prec}}'`,
      `f"{x:'>10}"`,
      `f"{{literal}} {x!r} {y=}"`,
      `f"{f"{f"{deep}"}"}"`,
      `f"""{x}\n{ {'a': 1}['a'] }\n"""`,
      `f"{x:%Y-%m-%d}"`,
      `rf"{path}\\d"`,
    ]) {
      assert.deepEqual(texts(`s = ${s}\nz`), ['s', '=', s, '\n', 'z', '\n'], s);
    }
  });

  test('a backslash before \\r\\n inside an f-string field escapes the whole line break (found by fast-check)', () => {
    for (const eol of ['\n', '\r\n']) {
      const s = `f'{\\${eol}d["F.cross_entropy"]} {x:\\${eol}>3}'`;
      assert.deepEqual(texts(`s = ${s}${eol}z`), ['s', '=', s, '\n', 'z', '\n']);
    }
  });

  test('a single-quoted string ends at the end of its line when unterminated', () => {
    assert.deepEqual(texts(`a = "open\nF.cross_entropy`), ['a', '=', '"open', '\n', 'F', '.', 'cross_entropy', '\n']);
    assert.deepEqual(texts(`a = f"{open\nb`), ['a', '=', 'f"{open', '\n', 'b', '\n']);
  });

  test('an unterminated triple-quoted string runs to the end', () => {
    assert.deepEqual(texts(`a = '''open\nF.cross_entropy`), ['a', '=', `'''open\nF.cross_entropy`, '\n']);
  });
});

describe('lines', () => {
  test('comments are skipped; # inside a string is not a comment', () => {
    assert.deepEqual(texts(`a = "#x"  # F.cross_entropy\nb`), ['a', '=', '"#x"', '\n', 'b', '\n']);
  });

  test('NEWLINE only at bracket depth 0 and not after a backslash', () => {
    assert.deepEqual(texts('f(a,\n  b)\nc = 1 + \\\n  2\n'), ['f', '(', 'a', ',', 'b', ')', '\n', 'c', '=', '1', '+', '2', '\n']);
  });

  test('\\r\\n, \\r and \\n all end lines', () => {
    assert.deepEqual(texts('a\r\nb\rc\nd'), ['a', '\n', 'b', '\n', 'c', '\n', 'd', '\n']);
    assert.deepEqual([...computeLineStarts('a\r\nb\rc\nd')], [0, 3, 5, 7]);
    assert.deepEqual([...computeLineStarts('')], [0]);
    assert.deepEqual([...computeLineStarts('x\n')], [0, 2]);
  });

  test('a statement keyword at the start of a line closes unclosed brackets', () => {
    assert.deepEqual(texts('x = f(a,\ndef g(): pass'), ['x', '=', 'f', '(', 'a', ',', '\n', 'def', 'g', '(', ')', ':', 'pass', '\n']);
    // but not expression keywords, which may legally continue a bracketed expression
    assert.deepEqual(texts('x = (a\n if b\n else c)\n'), ['x', '=', '(', 'a', 'if', 'b', 'else', 'c', ')', '\n']);
  });

  test('stray closing brackets do not make depth negative', () => {
    assert.deepEqual(texts(')\na\n'), [')', '\n', 'a', '\n']);
  });

  test('IPython magics, shell escapes and help lines are comments in notebook mode', () => {
    assert.deepEqual(texts('%time x = 1\n!pip install torch\nF.cross_entropy?\ny\n', { ipython: true }), ['y', '\n']);
    assert.deepEqual(texts('  %time f()\nx % 2\n', { ipython: true }), ['x', '%', '2', '\n']);
  });
});

describe('names, numbers, operators', () => {
  test('Unicode identifiers', () => {
    assert.deepEqual(toks('λ_loss = ŷ\n'), [[TK_NAME, 'λ_loss'], [TK_EQUAL, '='], [TK_NAME, 'ŷ'], [TK_NEWLINE, '\n']]);
    assert.deepEqual(texts('𝑥 = 1'), ['𝑥', '=', '1', '\n']);
    assert.deepEqual(toks('a → b').map(([k]) => k), [TK_NAME, TK_ERROR, TK_NAME, TK_NEWLINE]);
    assert.deepEqual(texts('a 😀 b'), ['a', '😀', 'b', '\n']);
  });

  test('numbers', () => {
    assert.deepEqual(toks('1e-5 0x1e+1 1. .5 1_000j 3.14e+10').filter(([k]) => k !== TK_NEWLINE), [
      [TK_NUMBER, '1e-5'], [TK_NUMBER, '0x1e'], [TK_OP, '+'], [TK_NUMBER, '1'], [TK_NUMBER, '1.'], [TK_NUMBER, '.5'],
      [TK_NUMBER, '1_000j'], [TK_NUMBER, '3.14e+10'],
    ]);
  });

  test('multi-character operators', () => {
    assert.deepEqual(toks('a **= b -> c := d ... e == f ** g').map(([k]) => k), [
      TK_NAME, TK_AUGASSIGN, TK_NAME, TK_ARROW, TK_NAME, TK_WALRUS, TK_NAME, TK_ELLIPSIS, TK_NAME, TK_OP, TK_NAME, TK_DOUBLESTAR, TK_NAME, TK_NEWLINE,
    ]);
    assert.deepEqual(toks('F.f(x)').map(([k]) => k), [TK_NAME, TK_DOT, TK_NAME, TK_LPAR, TK_NAME, TK_RPAR, TK_NEWLINE]);
  });

  test('token ranges cover the text in order and never overlap', () => {
    const text = 'import torch.nn.functional as F\nx = F.cross_entropy(a, b, label_smoothing=0.1)  # c\n';
    const t = tokenize(text);
    let last = 0;
    for (let i = 0; i < t.count; i++) {
      assert.ok(t.start[i] >= last && t.end[i] >= t.start[i] && t.end[i] <= text.length);
      last = t.end[i];
    }
  });
});
