/**
 * Restricted Mode reads only files that really are inside the workspace: a workspace file that is
 * a link to ~/private.bib is outside it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isWithin, realPathInside } from '../../../src/core/fs/containment';

describe('realPathInside', () => {
  const top = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'paperlens-trust-')));
  const workspace = path.join(top, 'workspace');
  const home = path.join(top, 'home');
  mkdirSync(path.join(workspace, 'refs'), { recursive: true });
  mkdirSync(home);
  writeFileSync(path.join(home, 'private.bib'), '@misc{secret, title = {Secret}}');
  writeFileSync(path.join(workspace, 'refs', 'own.bib'), '@misc{own, title = {Own}}');
  symlinkSync(path.join(home, 'private.bib'), path.join(workspace, 'x.bib'));
  symlinkSync(path.join('refs', 'own.bib'), path.join(workspace, 'inner.bib'));
  symlinkSync(home, path.join(workspace, 'homedir'));

  it('refuses a workspace link to a file outside the workspace', async () => {
    assert.equal(await realPathInside(path.join(workspace, 'x.bib'), [workspace]), undefined);
    assert.equal(await realPathInside(path.join(workspace, 'homedir', 'private.bib'), [workspace]), undefined);
  });
  it('accepts files inside, links between files inside, and returns the real path', async () => {
    assert.equal(await realPathInside(path.join(workspace, 'refs', 'own.bib'), [workspace]), path.join(workspace, 'refs', 'own.bib'));
    assert.equal(await realPathInside(path.join(workspace, 'inner.bib'), [workspace]), path.join(workspace, 'refs', 'own.bib'));
  });
  it('refuses what cannot be resolved', async () => {
    assert.equal(await realPathInside(path.join(workspace, 'missing.bib'), [workspace]), undefined);
  });
  it('compares whole path segments', () => {
    assert.ok(isWithin('/a/ws', '/a/ws/x.bib'));
    assert.ok(!isWithin('/a/ws', '/a/ws2/x.bib'));
    assert.ok(!isWithin('/a/ws', '/a/x.bib'));
  });
});
