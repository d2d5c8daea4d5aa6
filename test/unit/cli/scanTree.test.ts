/**
 * `paperlens scan` over a whole tree: the excluded folders come from one list
 * (src/core/fs/excluded.ts) that the CLI, the sidebar's "find usages" and corpus discovery all
 * use; a tree of many files is scanned by worker threads with output identical to one thread's
 * (cross-file findings, errors, skipped binary files and exit codes included); --stats reports
 * threads and peak memory.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import type { ScanJsonOutput } from '../../../src/cli/commands/scan';
import { MIN_FILES_PER_THREAD } from '../../../src/cli/scan/parallelScan';
import { EXCLUDE_GLOB, EXCLUDED_DIRS, inExcludedDir, isExcludedDir } from '../../../src/core/fs/excluded';
import { globToRegExp } from '../../../src/core/papers/corpusPaths';

const root = path.join(__dirname, '../../..');
let tmp: string;

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO & { errIsTTY: boolean } = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd: tmp, errIsTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

function write(rel: string, text: string | Buffer): void {
  const file = path.join(tmp, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const LOSS = 'import torch.nn.functional as F\nloss = F.cross_entropy(a, b)\n';
const BINARY = Buffer.from([0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]);
const FILLERS = MIN_FILES_PER_THREAD * 2 + 6;

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-tree-'));
  // A package whose findings need the other files (the model in models.py, the loss in train.py).
  cpSync(path.join(root, 'test/unit/cli/scanChecks/pkg'), path.join(tmp, 'repo/pkg'), { recursive: true });
  for (let i = 0; i < FILLERS; i++) {
    write(`repo/mod${String(i).padStart(3, '0')}.py`, i % 4 === 0 ? LOSS : i % 4 === 1 ? 'from torch import nn\ncrit = nn.MSELoss()\n' : `def f${i}(x):\n    return x\n`);
  }
  write('repo/nb/demo.ipynb', JSON.stringify({ metadata: { kernelspec: { language: 'python' } }, cells: [{ cell_type: 'code', source: 'import torch.nn.functional as F' }, { cell_type: 'code', source: 'F.kl_div(a, b)' }] }));
  write('repo/nb/broken.ipynb', '{"cells": [');
  write('repo/bad_syntax.py', 'def f(:\n');
  write('repo/blob.py', BINARY);
  for (const dir of EXCLUDED_DIRS) write(`repo/${dir}/inside.py`, LOSS);
  // Not excluded by name: a package called env (reinforcement-learning environments) is code.
  write('repo/env/cartpole.py', LOSS);
});

after(() => rmSync(tmp, { recursive: true, force: true }));

describe('one list of excluded folders', () => {
  it('derives the set, the path test and the findFiles glob from the same list', () => {
    const glob = globToRegExp(EXCLUDE_GLOB);
    for (const dir of EXCLUDED_DIRS) {
      assert.ok(isExcludedDir(dir), dir);
      assert.ok(inExcludedDir(`/w/${dir}/x.py`), dir);
      assert.ok(glob.test(`a/${dir}/x.py`), `the glob excludes ${dir}`);
    }
    assert.ok(!glob.test('a/src/x.py') && !glob.test('a/env/x.py') && !inExcludedDir('/w/envs/x.py'));
    assert.equal(EXCLUDE_GLOB.match(/,/g)?.length, EXCLUDED_DIRS.length - 1, 'the glob names every folder of the list and no other');
  });

  it('no other source file keeps its own list of folders to skip', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.ts$/.test(name) && !file.endsWith(path.join('core', 'fs', 'excluded.ts'))) {
          const text = readFileSync(file, 'utf8');
          // A folder-name literal next to another one, in a list, a set or a glob.
          if (/['"`{,]\s*(node_modules|__pycache__|site-packages|\.ipynb_checkpoints)\s*['"`},]/.test(text)) offenders.push(path.relative(root, file));
        }
      }
    };
    walk(path.join(root, 'src'));
    assert.deepEqual(offenders, []);
    // The sidebar's find-usages (a VS Code adapter, so not imported here) passes the shared glob.
    const usages = readFileSync(path.join(root, 'src/panel/workspaceUsages.ts'), 'utf8');
    assert.match(usages, /import \{ EXCLUDE_GLOB \} from '\.\.\/core\/fs\/excluded'/);
    assert.match(usages, /findFiles\('\*\*\/\*\.\{py,ipynb\}', EXCLUDE_GLOB,/);
  });

  it('paperlens scan skips each listed folder, and scans a package named env', async () => {
    const json = JSON.parse((await runCli(['scan', '--json', '--jobs', '1', 'repo'])).out) as ScanJsonOutput;
    const paths = json.files.map((f) => f.path);
    for (const dir of EXCLUDED_DIRS) assert.ok(!paths.includes(`repo/${dir}/inside.py`), `${dir} was scanned`);
    assert.ok(paths.includes('repo/env/cartpole.py'));
  });
});

describe('paperlens scan on worker threads', () => {
  let serial: { code: number; out: string; err: string };
  let parallel: { code: number; out: string; err: string };
  before(async () => {
    serial = await runCli(['scan', '--json', '--enable', 'label-smoothing-convention', '--jobs', '1', 'repo']);
    parallel = await runCli(['scan', '--json', '--enable', 'label-smoothing-convention', '--jobs', '2', 'repo']);
  });

  it('gives one thread\'s output, byte for byte, following values across the package\'s files', () => {
    assert.equal(parallel.out, serial.out);
    assert.equal(parallel.err, serial.err);
    const json = JSON.parse(parallel.out) as ScanJsonOutput;
    assert.ok(json.files.length > FILLERS);
    const train = json.files.find((f) => f.path === 'repo/pkg/train.py')!;
    const sig = train.findings.find((f) => f.rule === 'sigmoid-before-bce');
    assert.ok(sig, JSON.stringify(train.findings));
    assert.match(sig.message, /at line 24 of models\.py/);
    assert.deepEqual(json.files.map((f) => f.path), [...json.files.map((f) => f.path)].sort(), 'files in name order');
  });

  it('lists a binary .py file as skipped with its path, a broken notebook and a syntax error as errors', () => {
    const json = JSON.parse(parallel.out) as ScanJsonOutput;
    assert.deepEqual(json.errors.map((e) => [e.path, e.line ?? null]), [['repo/bad_syntax.py', 1], ['repo/blob.py', null], ['repo/nb/broken.ipynb', null]]);
    assert.equal(json.errors[1].message, 'this file is not text (it contains binary data), so it was skipped');
  });

  it('exits 2 under --fail-on on either path, and says which files it skipped', async () => {
    for (const jobs of ['1', '2']) {
      const r = await runCli(['scan', '--fail-on', 'error', '--jobs', jobs, 'repo']);
      assert.equal(r.code, 2, `--jobs ${jobs}`);
      assert.match(r.err, /^paperlens scan: repo\/blob\.py: this file is not text \(it contains binary data\), so it was skipped$/m);
      assert.match(r.out, /\(3 errors\)\n$/);
    }
    assert.equal((await runCli(['scan', '--jobs', '2', 'repo'])).code, 0, 'without --fail-on the scan only reports');
  });

  it('with --fail-on, a --corpus file that cannot be read fails the run, naming it', async () => {
    const r = await runCli(['scan', '--fail-on', 'error', '--corpus', 'nope.bib', 'repo/mod000.py']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^nope\.bib:\d+: error: /m);
    assert.equal((await runCli(['scan', '--fail-on', 'error', 'repo/mod000.py'])).code, 0);
  });

  it('--stats reports the threads and the peak memory, in JSON too', async () => {
    const r = await runCli(['scan', '--json', '--stats', '--jobs', '2', 'repo']);
    const json = JSON.parse(r.out) as ScanJsonOutput;
    assert.equal(json.stats?.threads, 2);
    assert.equal(json.stats?.files, json.files.length + 2, 'files scanned, plus the binary and the broken notebook');
    assert.ok(json.stats!.peakMemoryMB > 10, JSON.stringify(json.stats));
    assert.match(r.err, /^paperlens scan: \d+ files in \d+\.\d\d s on 2 threads \(the main thread and 1 worker\); peak memory \d+ MB$/m);
    const one = await runCli(['scan', '--stats', '--jobs', '1', 'repo/pkg']);
    assert.match(one.err, /on the main thread; peak memory \d+ MB/);
    assert.equal((await runCli(['scan', '--jobs', '0', 'repo'])).code, 2);
  });
});
