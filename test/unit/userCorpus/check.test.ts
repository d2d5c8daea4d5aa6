import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { fixtures, root } from './helpers';

/** Runs the CLI in-process from the fixtures folder, against the source tree's data. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd: fixtures };
  const code = await main(args, io);
  return { code, out, err };
}

describe('paperlens check', () => {
  it('reports {"loaded", "errors"} as JSON and exits 1 when an entry failed', async () => {
    const r = await cli(['check', '--json', 'bibtex/unclosedBrace.bib', 'json/team.paperlens.json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as { loaded: number; errors: { file: string; line: number; message: string }[]; warnings: unknown[] };
    assert.equal(json.loaded, 4 + 3);
    assert.deepEqual(json.errors.map((e) => [e.file, e.line]), [
      ['bibtex/unclosedBrace.bib', 8], ['bibtex/unclosedBrace.bib', 20], ['bibtex/unclosedBrace.bib', 30], ['bibtex/unclosedBrace.bib', 33],
    ]);
    assert.deepEqual(Object.keys(json.errors[0]), ['file', 'line', 'message']);
  });

  it('exits 0 when everything loads, printing file:line lines and a summary', async () => {
    const r = await cli(['check', 'bibtex/realWorld.bib', 'pageDump/saved-page.txt']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^8 papers loaded from 2 files; 0 errors, \d+ warnings?\.$/m);
  });

  it('an unreadable file fails the check once', async () => {
    const r = await cli(['check', '--json', 'bibtex/garbage.bib', 'no/such.bib']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as { loaded: number; errors: { file: string; line: number }[] };
    assert.deepEqual(json.errors.map((e) => [e.file, e.line]), [['bibtex/garbage.bib', 1], ['no/such.bib', 1]]);
    assert.equal(json.loaded, 0);
  });

  it('needs at least one file (exit 2)', async () => {
    const r = await cli(['check']);
    assert.equal(r.code, 2);
    assert.match(r.err, /expected one or more corpus files/);
  });
});

describe('paperlens search --corpus', () => {
  it('finds a user’s paper, merged with the shipped corpus', async () => {
    const r = await cli(['search', 'calibrated', 'losses', 'internal', '--json', '--corpus', 'json/team.paperlens.json', '--corpus', 'merge/duplicates.bib']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { results: { id: string; title: string }[] };
    assert.equal(json.results[0].title, 'Our Internal Tech Report on Calibrated Losses');
  });

  it('reports broken entries on stderr, still searches, and exits 1', async () => {
    const r = await cli(['search', 'last', 'entry', '--json', '--corpus', 'bibtex/unclosedBrace.bib']);
    assert.equal(r.code, 1);
    assert.match(r.err, /unclosedBrace\.bib:8: error: Entry “broken1”/);
    assert.equal((JSON.parse(r.out) as { results: { title: string }[] }).results[0].title, 'Last Entry Still Loads');
  });
});

describe('paperlens scan --corpus', () => {
  it('lists the user’s papers for a loss alongside the shipped ones', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-scan-'));
    writeFileSync(path.join(dir, 'train.py'), 'from torchvision.ops import sigmoid_focal_loss\n\nloss = sigmoid_focal_loss(logits, targets)\n');
    type Out = { files: { usages: { concept: string; papers: string[] }[] }[] };
    const focalPapers = (out: string) => (JSON.parse(out) as Out).files.flatMap((f) => f.usages).find((u) => u.concept === 'focal')?.papers ?? [];
    const plain = await cli(['scan', '--json', dir]);
    const withCorpus = await cli(['scan', '--json', '--corpus', 'json/team.paperlens.json', dir]);
    assert.equal(withCorpus.code, 0, withCorpus.err);
    // The focal loss paper ships in the classics collection; the user's copy merges into it.
    assert.equal(focalPapers(plain.out)[0], '1708.02002');
    assert.ok(!focalPapers(plain.out).includes('2204.12511'));
    assert.equal(focalPapers(withCorpus.out)[0], '1708.02002', 'the user\'s copy of the classic stays one paper, first');
    assert.ok(focalPapers(withCorpus.out).includes('2204.12511'), 'the user\'s PolyLoss record (its abstract names focal loss) joins the list');
  });
});
