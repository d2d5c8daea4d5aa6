/**
 * The parallel scan of a whole tree: worker threads give the same results, in the same order, as
 * one thread; results stream in order; unreadable files and broken notebooks are per-file errors;
 * cancelling stops the scan.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { idleCores, scanFilesInParallel, threadsFor, MIN_FILES_PER_THREAD } from '../../../src/cli/scan/parallelScan';
import type { TreeScanSetup } from '../../../src/services/treeScan';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-pscan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const files: string[] = [];
for (let i = 0; i < 90; i++) {
  const file = path.join(dir, `m${String(i).padStart(3, '0')}.py`);
  const body = i % 3 === 0
    ? `import torch.nn as nn\nimport torch.nn.functional as F\n\ncriterion = nn.CrossEntropyLoss(label_smoothing=0.1)\nloss${i} = F.binary_cross_entropy_with_logits(x, y)\n`
    : i % 3 === 1 ? `from torch import nn\nloss_fn = nn.MSELoss()\n` : `def helper_${i}(x):\n    return x + ${i}\n`;
  writeFileSync(file, body);
  files.push(file);
}
const notebook = path.join(dir, 'z.ipynb');
writeFileSync(notebook, JSON.stringify({ metadata: { kernelspec: { language: 'python' } }, nbformat: 4, cells: [{ cell_type: 'markdown', source: ['# t'] }, { cell_type: 'code', source: ['import torch.nn as nn\n', 'l = nn.KLDivLoss()\n'] }] }));
const broken = path.join(dir, 'broken.ipynb');
writeFileSync(broken, '{ not json');
files.push(notebook, broken, path.join(dir, 'missing.py'));
// A package whose findings need its other files: workers must follow imports as one thread does.
cpSync(path.join(root, 'test/unit/cli/scanChecks/pkg'), path.join(dir, 'pkg'), { recursive: true });
const pkg = readdirSync(path.join(dir, 'pkg')).sort().map((f) => path.join(dir, 'pkg', f));
files.push(...pkg);
const setup: TreeScanSetup = {
  dataDir: path.join(root, 'paper-data'),
  rules: {},
  papers: [['cross-entropy', ['1234.56789']]],
  pythonFiles: files.filter((f) => f.endsWith('.py')).map((f) => f.split(path.sep).join('/')),
};

describe('parallel scan of a tree', () => {
  it('uses one thread per MIN_FILES_PER_THREAD files at most, the threads asked for, and one for a small tree', () => {
    assert.equal(threadsFor(10), 1);
    assert.equal(threadsFor(MIN_FILES_PER_THREAD * 2, 8), 2);
    assert.equal(threadsFor(10_000, 3), 3);
    assert.equal(threadsFor(10_000, 1), 1);
    assert.ok(threadsFor(10_000) >= 1 && threadsFor(10_000) <= 8);
  });

  it('counts the idle cores: the cores less the load average, at least one', () => {
    assert.equal(idleCores(2, 0.3), 2);
    assert.equal(idleCores(2, 1.0), 1);
    assert.equal(idleCores(2, 13.2), 1);
    assert.equal(idleCores(8, 2.5), 6);
    assert.equal(idleCores(4, 0), 4);
  });

  it('worker threads give one thread\'s results in the files\' order, streamed in order', async () => {
    const serial = await scanFilesInParallel(files, { setup, threads: 1 });
    const streamed: number[] = [];
    // Every file through the two workers (the calling thread only hands out batches).
    const parallel = await scanFilesInParallel(files, { setup, threads: 3, callerScans: false, onResult: (i) => streamed.push(i) });
    assert.deepEqual(parallel, serial);
    assert.deepEqual(streamed, files.map((_, i) => i));
    const train = serial[files.indexOf(path.join(dir, 'pkg', 'train.py'))];
    assert.ok('findings' in train && train.findings.some((f) => f.rule === 'sigmoid-before-bce' && /line 24 of models\.py/.test(f.message)), JSON.stringify(train));
    // The calling thread and a worker together: the same again.
    assert.deepEqual(await scanFilesInParallel(files, { setup, threads: 2 }), serial);
    const first = serial[0];
    assert.ok('usages' in first && first.usages.some((u) => u.concept === 'cross-entropy' && u.papers[0] === '1234.56789'), JSON.stringify(first));
    const nb = serial[files.indexOf(notebook)];
    assert.ok('usages' in nb && nb.usages.some((u) => u.cell === 1 && u.line === 2), JSON.stringify(nb));
  });

  it('a broken notebook and a missing file are errors of their own; the others are scanned', async () => {
    const results = await scanFilesInParallel(files, { setup, threads: 2, callerScans: false });
    assert.match((results[files.indexOf(broken)] as { error: string }).error, /.+/);
    assert.equal((results[files.indexOf(path.join(dir, 'missing.py'))] as { error: string }).error, 'no such file or directory');
    assert.equal(results.filter((r) => 'usages' in r).length, files.length - 2);
  });

  it('reports progress up to the total, and a cancelled scan rejects', async () => {
    const seen: number[] = [];
    await scanFilesInParallel(files, { setup, threads: 2, callerScans: false, onProgress: (done, total) => { assert.equal(total, files.length); seen.push(done); } });
    assert.equal(seen.at(-1), files.length);
    const controller = new AbortController();
    await assert.rejects(scanFilesInParallel(files, { setup, threads: 2, onProgress: (done) => { if (done >= 10) controller.abort(); }, signal: controller.signal }), { name: 'AbortError' });
  });
});
