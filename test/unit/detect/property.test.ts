/**
 * Property tests: for any input — random text, Python-shaped token soup, or real fixtures mutated
 * at random — the detector never throws, and every reported range lies inside the text and spells
 * the identifier it claims, at the line and column it claims.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanNotebook, scanSource, type SourceScan } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { parseIpynb } from '../../../src/core/detect/notebook';
import { tokenize } from '../../../src/core/python/tokenizer';
import { fixtureConcepts } from './fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);
const RUNS = Number(process.env.PAPERLENS_PROPERTY_RUNS ?? 300);

function checkScan(text: string, result: SourceScan): void {
  let previous = -1;
  for (const u of result.usages) {
    assert.ok(u.start >= 0 && u.start < u.end && u.end <= text.length, `range ${u.start}-${u.end} outside 0-${text.length}`);
    assert.ok(u.start > previous, 'usages are sorted and distinct');
    previous = u.start;
    assert.equal(text.slice(u.start, u.end), u.identifier);
    assert.ok(u.expressionStart <= u.start);
    assert.deepEqual(result.positionOf(u.start), { line: u.line, column: u.column });
    assert.equal(u.endColumn, u.column + u.identifier.length);
    assert.equal(result.usageAt(u.start), u);
    if (u.call) {
      assert.ok(u.call.openParen >= u.end && u.call.end <= text.length && u.call.openParen < u.call.end);
      for (const a of u.call.arguments) {
        assert.ok(a.start >= u.call.openParen && a.end <= u.call.end && a.start <= a.valueStart && a.valueStart <= a.end);
        assert.equal(text.slice(a.valueStart, a.end), a.value);
      }
    }
  }
}

function checkTokens(text: string): void {
  const t = tokenize(text);
  let last = 0;
  for (let i = 0; i < t.count; i++) {
    assert.ok(t.start[i] >= last && t.start[i] <= t.end[i] && t.end[i] <= text.length);
    last = t.end[i];
  }
}

const corpus: string[] = (() => {
  const out: string[] = [];
  for (const group of ['rules', 'realistic', 'heldout']) {
    const dir = path.join(__dirname, 'fixtures', group);
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.py')) out.push(readFileSync(path.join(dir, f), 'utf8'));
      if (f.endsWith('.ipynb')) out.push(...parseIpynb(readFileSync(path.join(dir, f), 'utf8')).cells.map((c) => c.source));
    }
  }
  return out;
})();

/** Pieces that stress the tokenizer: quotes, prefixes, brackets, escapes, line breaks. */
const PIECES = [
  'import torch.nn.functional as F\n', 'from torch import nn\n', 'from torch.nn import (CrossEntropyLoss as CE,\n', 'import optax\n',
  'F', '.', 'cross_entropy', 'CrossEntropyLoss', 'nn', 'CE', 'focal_loss', 'def ', 'class ', 'lambda', '=', '==', ':', ',', '*', '**',
  '(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", 'f"', "rb'", 'f"{', 'F"{x:{', '}', '{{', '\\', '\\\n', '#', ' ', '\t',
  '\n', '\r\n', '\r', '%time ', '!', '?', 'λ', '𝑥', '\uFEFF', '\u0000', '\uD800', '@', 'from ', 'import ', ' as ', '...', '1e-5', '0x1f',
];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...PIECES) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat({ max: 200 }), to: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = { op: 'delete'; at: number; len: number } | { op: 'insert'; at: number; piece: string } | { op: 'duplicate'; at: number; len: number; to: number } | { op: 'truncate'; at: number };

function mutate(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.op === 'insert') t = t.slice(0, at) + m.piece + t.slice(at);
    else if (m.op === 'duplicate') {
      const to = t.length === 0 ? 0 : m.to % (t.length + 1);
      t = t.slice(0, to) + t.slice(at, at + m.len) + t.slice(to);
    } else t = t.slice(0, at);
  }
  return t;
}

test('random text never throws and never reports a range outside the text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
    checkTokens(text);
    checkScan(text, scanSource(text, index));
  }), { numRuns: RUNS });
});

test('Python-shaped token soup never throws and reports consistent ranges', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 200 }), (pieces) => {
    const text = pieces.join('');
    checkTokens(text);
    checkScan(text, scanSource(text, index));
    checkScan(text, scanSource(text, index, { ipython: true }));
  }), { numRuns: RUNS });
});

test('mutated real code never throws and reports consistent ranges', () => {
  fc.assert(fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 8 }), (source, mutations) => {
    const text = mutate(source, mutations as Mutation[]);
    checkScan(text, scanSource(text, index));
  }), { numRuns: RUNS });
});

test('line endings do not change what is found, nor its line and column', () => {
  fc.assert(fc.property(fc.constantFrom(...corpus), fc.array(mutation, { maxLength: 4 }), (source, mutations) => {
    const text = mutate(source, mutations as Mutation[]);
    fc.pre(!text.includes('\r'));
    const key = (r: SourceScan) => r.usages.map((u) => `${u.line}:${u.column}:${u.identifier}:${u.conceptId}:${u.role}`);
    const lf = scanSource(text, index);
    const crlf = scanSource(text.replace(/\n/g, '\r\n'), index);
    assert.deepEqual(key(crlf), key(lf));
  }), { numRuns: RUNS });
});

test('any string literal hides its content', () => {
  const prefix = fc.constantFrom('', 'r', 'b', 'u', 'f', 'rb', 'BR', 'Rf', 'fR', 't');
  const quote = fc.constantFrom("'", '"', "'''", '"""');
  const word = fc.constantFrom('F.cross_entropy(a, b)', 'nn.CrossEntropyLoss()', 'focal_loss', ' ', '{x}', '{{', '}}', '#', 'CE', '\\\\', "\\'", '\\"', 'λ');
  fc.assert(fc.property(prefix, quote, fc.array(word, { maxLength: 12 }), (p, q, words) => {
    const body = words.join('').replace(/\{(?!x\})|(?<!\{x)\}/g, (m) => m + m); // keep braces balanced for f-strings
    const text = `import torch.nn.functional as F\nfrom torch import nn\nfrom torch.nn import CrossEntropyLoss as CE\ndef focal_loss(): pass\nx = ${p}${q}${body}${q}\n`;
    const found = scanSource(text, index).usages.filter((u) => u.line === 5);
    assert.deepEqual(found, []);
  }), { numRuns: RUNS });
});

test('notebooks and ipynb JSON: never throw', () => {
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 80 }), { maxLength: 6 }), fc.string({ maxLength: 200 }), (cells, json) => {
    const scan = scanNotebook(cells, index);
    cells.forEach((c, i) => checkScan(c, scan.cells[i]));
    parseIpynb(json);
    parseIpynb(JSON.stringify({ cells: cells.map((source) => ({ cell_type: 'code', source })) }));
  }), { numRuns: RUNS });
});
