import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadBibtexParser } from '../../../src/core/papers/bibtexParser';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import type { Paper } from '../../../src/core/papers/types';

const root = path.join(__dirname, '../../..');
const papers = JSON.parse(readFileSync(path.join(root, 'paper-data/papers.json'), 'utf8')) as Paper[];

/** Runs the CLI in-process against the source-tree data; returns exit code and captured output. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd: root };
  const code = await main(args, io);
  return { code, out, err };
}

let parse: Awaited<ReturnType<typeof loadBibtexParser>>['parse'];
before(async () => {
  parse = (await loadBibtexParser()).parse;
});

describe('paperlens cite', () => {
  it('prints a parseable BibTeX entry for every shipped paper', async () => {
    for (const p of papers) {
      const r = await runCli(['cite', p.id]);
      assert.equal(r.code, 0, `${p.id}: ${r.err}`);
      const lib = parse(r.out);
      assert.deepEqual(lib.errors, []);
      assert.equal(lib.entries.length, 1);
    }
  });

  it('exits 2 with a one-line error for an unknown id', async () => {
    const r = await runCli(['cite', '2411.0900']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.match(r.err, /unknown paper id "2411\.0900" \(did you mean 2411\.09009/);
  });

  it('prints a citation comment with --comment', async () => {
    const r = await runCli(['cite', '--comment', '1904.06627']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^# Wang et al., "Multi-Similarity Loss/);
  });
});

describe('paperlens search', () => {
  it('finds a paper by title words, as JSON, honouring --limit', async () => {
    const r = await runCli(['search', 'harmonic', 'loss', '--json', '--limit', '3']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { results: { id: string }[] };
    // The original harmonic-loss paper (classics) and the seed paper that revisits it.
    assert.deepEqual(json.results.slice(0, 2).map((p) => p.id), ['2502.01628', '2603.10225']);
    assert.ok(json.results.length <= 3);
  });

  it('prints a friendly line when nothing matches, and rejects a bad limit', async () => {
    assert.match((await runCli(['search', 'zzzqqq'])).out, /^No paper in your corpus is about zzzqqq\.$/m);
    const bad = await runCli(['search', 'focal', '--limit', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--limit must be a positive integer/);
  });

  it('corrects typos and says so', async () => {
    const r = await runCli(['search', 'harmonc', 'loss', '--limit', '1']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Showing results for "harmonic" \(you typed "harmonc"\); search instead for it as typed: paperlens search '"harmonc" loss'/);
    assert.match(r.out, /^2502\.01628 /m);
    const json = JSON.parse((await runCli(['search', 'focl', '--json'])).out) as { results: { id: string }[]; corrections: { word: string; searchInstead: string }[] };
    // "focl" → "focal": the focal loss paper itself (classics) comes before the seed study of it.
    assert.equal(json.results[0].id, '1708.02002');
    assert.ok(json.results.some((p) => p.id === '2512.20520'));
    assert.deepEqual(json.corrections.map((c) => [c.word, c.searchInstead]), [['focl', '"focl"']]);
  });

  it('says first when no paper is about the query, then lists weak matches apart (text and --json)', async () => {
    const text = (await runCli(['search', 'weather', 'forecasting', 'transformer'])).out.split('\n');
    assert.equal(text[0], 'No paper in your corpus is about weather forecasting transformer.');
    assert.equal(text[1], 'Weak matches (they share only some of the words):');
    const json = JSON.parse((await runCli(['search', 'federated learning differential privacy', '--json'])).out) as {
      noAnswer: string | null; strongTotal: number; total: number; results: { match: string }[];
    };
    assert.equal(json.noAnswer, 'No paper in your corpus is about federated learning differential privacy');
    assert.equal(json.strongTotal, 0);
    assert.ok(json.total > 0 && json.results.every((r) => r.match === 'weak'));
  });

  it('names the loss an identifier stands for first, with its formula, then its papers as strong matches', async () => {
    const r = await runCli(['search', 'BCEWithLogitsLoss', 'pos_weight']);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^Loss: Binary cross-entropy \(binary-cross-entropy\) — /);
    const json = JSON.parse((await runCli(['search', 'BCEWithLogitsLoss pos_weight', '--json'])).out) as {
      concepts: { id: string; formula: string }[]; results: { id: string; match: string; concepts: string[] }[];
    };
    assert.deepEqual(json.concepts.map((c) => c.id), ['binary-cross-entropy']);
    assert.ok(json.concepts[0].formula.length > 0);
    const strong = json.results.filter((x) => x.match === 'strong');
    assert.ok(strong.length > 0);
    for (const x of strong) assert.ok(x.concepts.includes('binary-cross-entropy'), `${x.id} is strong but not a BCE paper`);
    assert.deepEqual(json.results.slice(0, strong.length), strong, 'strong results come first');
  });

  it('honours hints and --newest', async () => {
    const r = JSON.parse((await runCli(['search', 'scaling', 'year:2020..2021', '--json', '--newest'])).out) as { total: number; results: { year: number }[] };
    assert.ok(r.total >= 2);
    assert.ok(r.results.every((p) => p.year >= 2020 && p.year <= 2021));
    assert.deepEqual(r.results.map((p) => p.year), [...r.results.map((p) => p.year)].sort().reverse());
    const author = JSON.parse((await runCli(['search', 'author:mohri', '--json'])).out) as { results: { id: string }[] };
    assert.deepEqual(author.results.map((p) => p.id), ['2304.07288']);
  });

  it('rejects a query with nothing to search for', async () => {
    const r = await runCli(['search', '!!!']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no words or hints/);
  });
});

describe('paperlens import-hf', () => {
  it('prints the 41 papers of the seed page as JSON with --year', async () => {
    const r = await runCli(['import-hf', 'paper-data/sources/hf-daily-papers-loss-functions.txt', '--year', '2026', '--json']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { papers: Paper[]; pageDate: string };
    assert.equal(json.papers.length, 41);
    assert.equal(json.pageDate, '2026-06-15');
    assert.equal(json.papers.find((p) => p.title.startsWith('Ghosts'))?.date, '2026-03-13');
  });

  it('reports an unreadable file and an empty page', async () => {
    const missing = await runCli(['import-hf', 'no/such/file.txt', '--year', '2026']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read .*file\.txt: ENOENT/);
    const empty = await runCli(['import-hf', 'test/unit/papers/hfPageDump/garbage.bin', '--year', '2026']);
    assert.equal(empty.code, 1);
    assert.match(empty.err, /garbage\.bin:1: error: .*not text/);
  });
});

describe('paperlens usage', () => {
  it('names the unknown command and exits 2', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "frobnicate"/);
  });
});

describe('the classics collection in the CLI', () => {
  it('cites a classic paper, by id or by arXiv id, and one that is not on arXiv', async () => {
    const r = await runCli(['cite', 'arXiv:1708.02002']);
    assert.equal(r.code, 0, r.err);
    const lib = parse(r.out);
    assert.deepEqual(lib.errors, []);
    assert.match(r.out, /Focal Loss for Dense Object Detection/);
    const ctc = await runCli(['cite', 'graves-2006-connectionist-temporal-classification']);
    assert.equal(ctc.code, 0, ctc.err);
    assert.match(ctc.out, /10\.1145\/1143844\.1143891/);
  });

  it('finds classics in search, filtered with source:classics', async () => {
    const json = JSON.parse((await runCli(['search', 'source:classics', 'triplet', '--json'])).out) as { results: { id: string }[] };
    assert.ok(json.results.length > 0);
    assert.equal(json.results[0].id, '1503.03832');
  });
});

describe('the classics collection in scan', () => {
  it('lists the classic paper first for a loss found in code', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperlens-scan-classics-'));
    try {
      const file = path.join(dir, 'train.py');
      writeFileSync(file, 'from torchvision.ops import sigmoid_focal_loss\nloss = sigmoid_focal_loss(logits, targets)\n');
      const r = await runCli(['scan', '--json', file]);
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out) as { files: { usages: { concept: string; papers: string[] }[] }[] };
      const call = json.files[0].usages.find((u) => u.concept === 'focal');
      assert.deepEqual(call?.papers, ['1708.02002', '2512.20520']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
