/**
 * A project's modules on disk for the detector's project imports (src/services/projectFiles.ts):
 * only `.py` files inside the root, up to 1 MB; with real paths (Restricted Mode, MCP), a link out
 * of the root is not followed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConcepts } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { diskProjects, MAX_PROJECT_MODULE_BYTES, readProjectModule, toPosixPath } from '../../../src/services/projectFiles';

const root = path.resolve(__dirname, '..', '..', '..');
const index = buildLossIndex(loadConcepts(path.join(root, 'paper-data', 'generated', 'concepts.json')).concepts);

describe('project modules on disk', () => {
  let tmp: string;
  let ws: string;
  let outside: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-projfiles-'));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'private');
    mkdirSync(path.join(ws, 'pkg'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(ws, 'pkg', '__init__.py'), 'from .losses import MarginRankLoss\n');
    writeFileSync(path.join(ws, 'pkg', 'losses.py'), 'class MarginRankLoss:\n    """Pairwise loss for reward model training."""\n');
    writeFileSync(path.join(ws, 'pkg', 'notes.txt'), 'class X: pass\n');
    writeFileSync(path.join(ws, 'pkg', 'huge.py'), '#'.repeat(MAX_PROJECT_MODULE_BYTES + 1));
    writeFileSync(path.join(outside, 'secret.py'), 'class SecretObjective:\n    """Focal loss."""\n');
    symlinkSync(path.join(outside, 'secret.py'), path.join(ws, 'pkg', 'linked.py'));
    writeFileSync(path.join(ws, 'train.py'), 'from pkg import MarginRankLoss\nfrom pkg.linked import SecretObjective\n');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const posix = (p: string) => toPosixPath(p);

  it('reads .py files inside the root only, and none over 1 MB', () => {
    assert.match(readProjectModule(ws, posix(path.join(ws, 'pkg', 'losses.py')), true) ?? '', /MarginRankLoss/);
    assert.equal(readProjectModule(ws, posix(path.join(ws, 'pkg', 'notes.txt')), true), undefined);
    assert.equal(readProjectModule(ws, posix(path.join(ws, 'pkg', 'huge.py')), false), undefined);
    assert.equal(readProjectModule(ws, posix(path.join(outside, 'secret.py')), false), undefined);
    assert.equal(readProjectModule(ws, posix(path.join(ws, '..', 'private', 'secret.py')), false), undefined);
  });

  it('follows a link out of the root only without real paths (a trusted workspace)', () => {
    const link = posix(path.join(ws, 'pkg', 'linked.py'));
    assert.equal(readProjectModule(ws, link, true), undefined);
    assert.match(readProjectModule(ws, link, false) ?? '', /SecretObjective/);
  });

  it('gives the detector the imports of a file inside a root, by real path when asked', () => {
    const train = path.join(ws, 'train.py');
    const text = 'from pkg import MarginRankLoss\nfrom pkg.linked import SecretObjective\n';
    const found = (realPaths: boolean) => scanSource(text, index, { project: diskProjects(index, [ws], realPaths)(train) }).usages.map((u) => `${u.identifier}:${u.conceptId}`);
    assert.deepEqual(found(true), ['MarginRankLoss:bradley-terry-reward']);
    assert.deepEqual(found(false), ['MarginRankLoss:bradley-terry-reward', 'SecretObjective:focal']);
    assert.equal(diskProjects(index, [ws], true)(path.join(outside, 'secret.py')), undefined, 'a file outside every root has no project');
  });
});
