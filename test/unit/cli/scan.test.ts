/**
 * `paperlens scan`, run in-process with a fake io over temporary trees and fixture data
 * (test/unit/detect/fixtures/concepts.ts written out as concepts.json, plus a small papers.json).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scanCommand, type ScanJsonOutput } from '../../../src/cli/commands/scan';
import { UsageError, type CliIO } from '../../../src/cli/io';
import type { Paper } from '../../../src/core/papers/types';
import { fixtureConcepts } from '../detect/fixtures/concepts';

function paper(id: string, year: number, concepts: Paper['concepts']): Paper {
  return { id, title: `Paper ${id}`, abstract: '', authors: [], authorCount: null, date: null, year, venue: null, arxivId: id, links: {}, concepts, sources: ['test'] };
}

const PAPERS: Paper[] = [
  paper('2001.00001', 2020, [{ id: 'cross-entropy', relation: 'studies' }]),
  paper('1708.02002', 2017, [{ id: 'focal', relation: 'proposes' }]),
  paper('2101.00002', 2021, [{ id: 'cross-entropy', relation: 'proposes' }, { id: 'focal', relation: 'studies' }]),
];

let tmp: string;
let dataDir: string;

function write(rel: string, text: string): string {
  const file = path.join(tmp, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function run(args: string[], options: { cwd?: string; dataDir?: string; errIsTTY?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO & { errIsTTY?: boolean } = {
    out: (t) => { out += `${t}\n`; },
    err: (t) => { err += `${t}\n`; },
    dataDir: options.dataDir ?? dataDir,
    cwd: options.cwd ?? tmp,
    errIsTTY: options.errIsTTY ?? false,
  };
  const code = await scanCommand(args, io);
  return { code, out, err };
}

const notebook = (cells: string[]) => JSON.stringify({
  metadata: { kernelspec: { language: 'python' } },
  cells: [{ cell_type: 'markdown', source: 'F.cross_entropy' }, ...cells.map((source) => ({ cell_type: 'code', source }))],
});

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-scan-'));
  dataDir = path.join(tmp, 'data');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'concepts.json'), JSON.stringify({ schemaVersion: 1, concepts: fixtureConcepts }));
  writeFileSync(path.join(dataDir, 'papers.json'), JSON.stringify(PAPERS));

  write('proj/train.py', 'import torch.nn.functional as F\n\nloss = F.cross_entropy(x, y)  # F.kl_div\n');
  write('proj/models/focal.py', 'def focal_loss(p, y):\n    return p\n');
  write('proj/nb/demo.ipynb', notebook(['import torch.nn.functional as F', 'x = 1\ny = F.cross_entropy(a, b)']));
  write('proj/nb/.ipynb_checkpoints/demo-checkpoint.ipynb', notebook(['import torch.nn.functional as F\nF.cross_entropy(a, b)']));
  write('proj/nb/bad.ipynb', '{"cells": [');
  write('proj/nb/r.ipynb', JSON.stringify({ metadata: { kernelspec: { language: 'R' } }, cells: [{ cell_type: 'code', source: 'F.cross_entropy' }] }));
  write('proj/README.md', 'F.cross_entropy');
  write('proj/nothing.py', 'print("hello")\n');
  for (const skipped of ['.git/hooks/x.py', 'node_modules/pkg/x.py', '__pycache__/x.py', 'venv/lib/x.py', '.venv/lib/x.py', '.tox/x.py']) {
    write(`proj/${skipped}`, 'import torch.nn.functional as F\nF.cross_entropy(a, b)\n');
  }
  // Environments recognised by their contents, whatever their name.
  write('proj/env/pyvenv.cfg', 'home = /usr/bin\n');
  write('proj/env/lib/x.py', 'import torch.nn.functional as F\nF.cross_entropy(a, b)\n');
  write('proj/condaenv/conda-meta/history', '');
  write('proj/condaenv/lib/x.py', 'import torch.nn.functional as F\nF.cross_entropy(a, b)\n');
  // A folder merely named like an environment is still code.
  write('proj/envs/cartpole.py', 'from torch import nn\ncrit = nn.MSELoss()\n');
  symlinkSync(path.join(tmp, 'missing-target.py'), path.join(tmp, 'proj', 'dangling.py'));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

describe('paperlens scan --json', () => {
  test('the exact JSON shape: files, usages, findings, errors', async () => {
    const r = await run(['--json', 'proj']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as ScanJsonOutput;
    assert.deepEqual(json, {
      files: [
        { path: 'proj/envs/cartpole.py', usages: [{ line: 2, column: 11, endColumn: 18, identifier: 'MSELoss', qualifiedName: 'torch.nn.MSELoss', concept: 'mse', framework: 'pytorch', how: 'library', papers: [] }], findings: [] },
        { path: 'proj/models/focal.py', usages: [{ line: 1, column: 5, endColumn: 15, identifier: 'focal_loss', qualifiedName: 'focal_loss', concept: 'focal', framework: 'handwritten', how: 'definition', papers: ['1708.02002', '2101.00002'] }], findings: [] },
        { path: 'proj/nb/demo.ipynb', usages: [{ cell: 2, line: 2, column: 7, endColumn: 20, identifier: 'cross_entropy', qualifiedName: 'torch.nn.functional.cross_entropy', concept: 'cross-entropy', framework: 'pytorch', how: 'library', papers: ['2101.00002', '2001.00001'] }], findings: [] },
        { path: 'proj/nb/r.ipynb', usages: [], findings: [] },
        { path: 'proj/nothing.py', usages: [], findings: [] },
        { path: 'proj/train.py', usages: [{ line: 3, column: 10, endColumn: 23, identifier: 'cross_entropy', qualifiedName: 'torch.nn.functional.cross_entropy', concept: 'cross-entropy', framework: 'pytorch', how: 'library', papers: ['2101.00002', '2001.00001'] }], findings: [] },
      ],
      errors: [
        { path: 'proj/dangling.py', message: 'no such file or directory' },
        { path: 'proj/nb/bad.ipynb', message: json.errors.find((e) => e.path === 'proj/nb/bad.ipynb')?.message ?? 'missing' },
      ],
    });
    assert.match(json.errors[1].message, /^not valid JSON/);
    // Key order is part of the format: `cell` first for notebooks.
    assert.deepEqual(Object.keys(json.files[2].usages[0]), ['cell', 'line', 'column', 'endColumn', 'identifier', 'qualifiedName', 'concept', 'framework', 'how', 'papers']);
    assert.deepEqual(Object.keys(json.files[0].usages[0]), ['line', 'column', 'endColumn', 'identifier', 'qualifiedName', 'concept', 'framework', 'how', 'papers']);
  });

  test('files named explicitly, missing paths and other file types land in errors; the scan goes on and exits 2', async () => {
    const r = await run(['--json', 'proj/train.py', 'nope.py', 'proj/README.md', 'proj/train.py']);
    const json = JSON.parse(r.out) as ScanJsonOutput;
    // It did not do all that was asked: a mistyped path must not pass as a clean scan.
    assert.equal(r.code, 2);
    assert.deepEqual(json.files.map((f) => f.path), ['proj/train.py']);
    assert.deepEqual(json.errors, [
      { path: 'nope.py', message: 'no such file or directory' },
      { path: 'proj/README.md', message: 'not a .py or .ipynb file' },
    ]);
  });

  test('a file that disappears between listing and reading is an error, not a stop', async (t) => {
    // Runs the same as root (CI) and as a user: the file is listed, then removed as it is read.
    const gone = write('vanishing/gone.py', 'import torch.nn.functional as F\nF.cross_entropy(a, b)\n');
    write('vanishing/stays.py', 'import torch.nn.functional as F\nF.kl_div(a, b)\n');
    const readFile = fs.readFileSync;
    const reads: string[] = [];
    t.mock.method(fs, 'readFileSync', (file: Parameters<typeof readFile>[0], ...rest: unknown[]) => {
      reads.push(String(file));
      if (file === gone) rmSync(gone);
      return (readFile as (...a: unknown[]) => unknown)(file, ...rest);
    });
    const r = await run(['--json', 'vanishing']);
    const json = JSON.parse(r.out) as ScanJsonOutput;
    assert.ok(reads.includes(gone), 'the scan read the listed file');
    assert.equal(r.code, 0);
    assert.deepEqual(json.errors, [{ path: 'vanishing/gone.py', message: 'no such file or directory' }]);
    assert.deepEqual(json.files.map((f) => f.path), ['vanishing/stays.py']);
    assert.equal(json.files[0].usages[0].concept, 'kl-divergence');
  });

  test('absolute paths, a BOM and CRLF line endings', async () => {
    const file = write('crlf/w.py', '\uFEFFimport torch.nn.functional as F\r\nx = 1\r\n\tF.mse_loss(a, b)\r\n');
    const json = JSON.parse((await run(['--json', file])).out) as ScanJsonOutput;
    assert.equal(json.files[0].path, file.split(path.sep).join('/'));
    assert.deepEqual([json.files[0].usages[0].line, json.files[0].usages[0].column], [3, 4]);
  });
});

describe('paperlens scan (text)', () => {
  test('one line per usage, then a count per concept and a summary', async () => {
    const r = await run(['proj/train.py', 'proj/nb/demo.ipynb', 'proj/models', 'nope.py']);
    assert.equal(r.code, 2);
    assert.equal(r.out, [
      'proj/train.py:3:10 cross-entropy torch.nn.functional.cross_entropy',
      'proj/nb/demo.ipynb#cell2:2:7 cross-entropy torch.nn.functional.cross_entropy',
      'proj/models/focal.py:1:5 focal focal_loss',
      '',
      'cross-entropy  2',
      'focal          1',
      '3 loss usages of 2 concepts in 3 files, 0 findings (1 error)',
      '',
    ].join('\n'));
    assert.equal(r.err, 'paperlens scan: nope.py: no such file or directory\n');
  });

  test('nothing found', async () => {
    const r = await run(['proj/nothing.py']);
    assert.equal(r.out, '0 loss usages of 0 concepts in 1 file, 0 findings\n');
  });
});

describe('progress, usage and data errors', () => {
  before(() => {
    for (let i = 0; i < 250; i++) write(`big/m${String(i).padStart(3, '0')}.py`, i % 50 === 0 ? 'from torch import nn\nnn.MSELoss()\n' : 'x = 1\n');
  });

  test('progress on stderr for a large tree when stderr is a terminal, or with --progress', async () => {
    const tty = await run(['big'], { errIsTTY: true });
    assert.match(tty.err, /paperlens scan: 1\d\d\/250 files/);
    assert.match(tty.err, /250\/250 files/);
    assert.equal((await run(['big'], { errIsTTY: false })).err, '');
    assert.equal((await run(['big', '--no-progress'], { errIsTTY: true })).err, '');
    assert.match((await run(['proj/train.py', '--progress'])).err, /1\/1 files/);
    const small = await run(['proj/models'], { errIsTTY: true });
    assert.equal(small.err, '');
    assert.match(tty.out, /5 loss usages of 1 concept in 250 files/);
  });

  test('usage errors', async () => {
    await assert.rejects(run([]), (e: unknown) => e instanceof UsageError && /at least one file or directory/.test(e.message));
    await assert.rejects(run(['--bogus', 'x']), UsageError);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: paperlens scan/);
  });

  test('a missing data file is a clear error naming it', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'paperlens-nodata-'));
    try {
      await assert.rejects(run(['proj'], { dataDir: empty }), /concepts\.json not found/);
      writeFileSync(path.join(empty, 'concepts.json'), readFileSync(path.join(dataDir, 'concepts.json')));
      await assert.rejects(run(['proj'], { dataDir: empty }), /papers\.json not found/);
      writeFileSync(path.join(empty, 'concepts.json'), '{"concepts": [');
      writeFileSync(path.join(empty, 'papers.json'), '[]');
      await assert.rejects(run(['proj'], { dataDir: empty }), /no usable concepts/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
