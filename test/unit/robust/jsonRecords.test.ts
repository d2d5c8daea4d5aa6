/**
 * A PaperLens JSON file whose records are broken is recovered record by record without an
 * exception per record (a throw cost ten times the parse of the record: 60,000 broken records
 * took 1.5 s), and the non-throwing check says what JSON.parse says, at the same position.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonSyntaxProblem } from '../../../src/core/papers/jsonSyntax';
import { importPapersJson } from '../../../src/core/papers/userJson';

/** V8's verdict on `text`: undefined when it parses, else its message (position stripped) and position. */
function v8Verdict(text: string): { offset: number | undefined; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    return {
      offset: pos ? Number(pos[1]) : undefined,
      message: message.replace(/ (?:in JSON )?at position \d+[\s\S]*$/, '').replace(/^(Unexpected token '[\s\S]'), [\s\S]*$/, '$1'),
    };
  }
}

/** Counts the exceptions JSON.parse throws while `fn` runs. */
async function countParseThrows(fn: () => Promise<void>): Promise<number> {
  const parse = JSON.parse;
  let throws = 0;
  JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
    try {
      return parse(text, reviver);
    } catch (err) {
      throws++;
      throw err;
    }
  }) as typeof JSON.parse;
  try {
    await fn();
  } finally {
    JSON.parse = parse;
  }
  return throws;
}

const EDITS = ['', ',', '}', ']', '"', '\\', '\n', '1', ' 2', '-', '.', 'e', 'x', '\u0001', '{', '[', ':', 'tru', '\\u12', '\\x', '0'];

describe('jsonSyntaxProblem', () => {
  it('agrees with JSON.parse on validity, message and position (seeded property)', () => {
    const mutated = fc.tuple(fc.json(), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EDITS)), { maxLength: 3 })).map(([json, edits]) => {
      let s = json;
      for (const [p, t] of edits) {
        const k = p % (s.length + 1);
        s = s.slice(0, k) + t + s.slice(k + (t === '' ? 1 : 0));
      }
      return s;
    });
    fc.assert(fc.property(fc.oneof(mutated, fc.json(), fc.string()), (text) => {
      const expected = v8Verdict(text);
      const got = jsonSyntaxProblem(text);
      if (expected === undefined) return got === undefined;
      // V8 leaves the position out of its "Unexpected token" messages; ours always has one.
      return got !== undefined && got.message === expected.message && (expected.offset === undefined || got.offset === expected.offset);
    }), { seed: 23, numRuns: 3000 });
  });

  it('checks a range of a larger text and reports offsets into the whole text', () => {
    const text = 'xx{"a": 1 "b": 2}yy';
    assert.deepEqual(jsonSyntaxProblem(text, 2, text.length - 2), { offset: 10, message: "Expected ',' or '}' after property value" });
    const valid = 'xx{"a": 1}yy';
    assert.equal(jsonSyntaxProblem(valid, 2, valid.length - 2), undefined);
    assert.deepEqual(jsonSyntaxProblem(valid), { offset: 0, message: "Unexpected token 'x'" });
    assert.equal(jsonSyntaxProblem('{"a": [1, {"b": null}]}'), undefined);
  });

  it('does not recurse: 200,000 nested brackets are checked like JSON.parse does', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.equal(jsonSyntaxProblem(deep), undefined);
    assert.deepEqual(jsonSyntaxProblem('['.repeat(200_000)), { offset: undefined, message: 'Unexpected end of JSON input' });
  });
});

describe('a PaperLens JSON file of broken records on one line (as JSON.stringify writes it)', () => {
  const count = 60_000;
  const text = JSON.stringify({ papers: Array.from({ length: count }, (_, k) => ({ title: `Paper ${k}`, year: 2020 })) })
    .replace(/"year":2020/g, '"year":20 20');

  it('reports every broken record at its own place without one exception per record', async () => {
    let r: Awaited<ReturnType<typeof importPapersJson>> | undefined;
    const throws = await countParseThrows(async () => {
      r = await importPapersJson(text, 'one.paperlens.json');
    });
    assert.equal(r!.failed, count);
    assert.equal(r!.papers.length, 0);
    const errors = r!.issues.filter((i) => i.severity === 'error');
    assert.equal(errors.length, count);
    assert.equal(errors[0].message, "Paper #1 is not valid JSON (Expected ',' or '}' after property value); it is skipped.");
    assert.match(errors[count - 1].message, new RegExp(`^Paper #${count} is not valid JSON`));
    assert.ok(errors.every((e) => e.line === 1));
    // The whole-file attempt throws once; each record is checked without throwing.
    assert.ok(throws <= 1, `JSON.parse threw ${throws} times`);
  });

  it('keeps the good records between broken ones and words an unexpected token as before', async () => {
    const mixed = '{"papers": [{"title": "A"}, {"title": "B",}, {"title": "C", "year": x}, {"title": "D"}]}';
    const r = await importPapersJson(mixed, 'mixed.paperlens.json');
    assert.deepEqual(r.papers.map((p) => p.title), ['A', 'D']);
    assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => i.message), [
      'Paper #2 is not valid JSON (Expected double-quoted property name (is there a trailing comma?)); it is skipped.',
      'Paper #3 is not valid JSON (unexpected “x”); it is skipped.',
    ]);
  });
});

describe('40,000 valid papers on one line', () => {
  it('loads every paper and still places a field problem at its record', async () => {
    const papers: object[] = Array.from({ length: 40_000 }, (_, k) => ({ title: `Paper number ${k}`, authors: ['Ada Lovelace'], year: 2000 + (k % 25), url: `https://example.org/${k}` }));
    papers[39_998] = { title: 'Late paper', year: 'soon' };
    const r = await importPapersJson(JSON.stringify({ papers }), 'one.paperlens.json');
    assert.equal(r.papers.length, 40_000);
    assert.equal(r.failed, 0);
    assert.deepEqual(r.issues.map((i) => [i.line, i.message]), [[1, 'Paper #39999 (“Late paper”): “year” must be a year such as 2021; it is ignored.']]);
  });
});
