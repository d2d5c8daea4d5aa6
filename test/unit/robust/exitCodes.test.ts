/**
 * Exit codes a CI job can trust: a command exits 0 only when it did what was asked. A missing,
 * unreadable or unparsable input is an error naming its path and line. (`scan` is covered by its
 * own tests.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

const root = path.join(__dirname, '../../..');

/** Runs the CLI in-process against the source-tree data. */
async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd: root };
  const code = await main(args, io);
  return { code, out, err };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-exit-'));
const good = path.join(dir, 'good.bib');
writeFileSync(good, '@misc{mine, title = {My Own Harmonic Loss Paper}, year = {2024}}\n');
const broken = path.join(dir, 'broken.bib');
writeFileSync(broken, '@misc{ok, title = {Fine Entry}}\n@misc{bad, title = {Never closed\n');
const binary = path.join(dir, 'model.py');
writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]));

describe('search --corpus', () => {
  it('exits 0 when every corpus file loads', async () => {
    const r = await runCli(['search', 'harmonic', '--corpus', good]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /My Own Harmonic Loss Paper/);
  });
  it('exits 1 naming the path when a corpus file is missing (text and --json)', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await runCli(['search', 'harmonic', '--corpus', path.join(dir, 'refs.bbi'), ...extra]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.err, /refs\.bbi:1: error: The file does not exist\./);
    }
  });
  it('exits 1 naming file and line when an entry cannot be loaded', async () => {
    const r = await runCli(['search', 'fine', '--corpus', broken]);
    assert.equal(r.code, 1);
    assert.match(r.err, /broken\.bib:2: error: /);
  });
});

describe('check', () => {
  it('reports a binary file named .py as skipped, and fails', async () => {
    const r = await runCli(['check', binary]);
    assert.equal(r.code, 1);
    assert.match(r.out, /model\.py:1: error: This file is not text \(it contains binary data\), so it was skipped\./);
  });
  it('fails on a missing path and on a broken entry, with path and line', async () => {
    const missing = await runCli(['check', path.join(dir, 'nope.bib')]);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /nope\.bib:1: error: The file does not exist\./);
    const bad = await runCli(['check', broken]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /broken\.bib:2: error: /);
  });
});

describe('import-hf', () => {
  it('requires its documented --year', async () => {
    const r = await runCli(['import-hf', 'paper-data/sources/hf-daily-papers-loss-functions.txt']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--year YYYY is required/);
  });
});
