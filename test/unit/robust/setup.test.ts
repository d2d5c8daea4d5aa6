/**
 * scripts/setup.mjs, which `npm test`, `npm run demo` and CI run first on a fresh clone: it
 * installs npm packages when node_modules is missing, and names the one command to run for
 * missing system packages when it cannot install them itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '../../..');
const load = () => import(path.join(root, 'scripts', 'setup.mjs')) as Promise<{
  ensureSetup(opts: { targets?: string[]; log?: (l: string) => void; packages?: Record<string, string[]>; isRoot?: boolean }): Promise<void>;
  npmInstallNeeded(dir?: string): boolean;
  missingDebianPackages(wanted: string[]): string[] | null;
  SYSTEM_PACKAGES: Record<string, string[]>;
}>;
const isDebian = spawnSync('dpkg-query', ['--version']).status === 0;

describe('setup for a fresh clone', () => {
  it('needs npm ci without node_modules, or when the lock file is newer than the install', async () => {
    const { npmInstallNeeded } = await load();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-setup-'));
    writeFileSync(path.join(dir, 'package-lock.json'), '{}');
    assert.equal(npmInstallNeeded(dir), true);
    mkdirSync(path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{}');
    utimesSync(path.join(dir, 'package-lock.json'), new Date(1_000_000), new Date(1_000_000));
    assert.equal(npmInstallNeeded(dir), false);
    utimesSync(path.join(dir, 'package-lock.json'), new Date(), new Date(Date.now() + 60_000));
    assert.equal(npmInstallNeeded(dir), true);
  });

  it('asks for no system package for the unit tier, and for Chromium for the browser tiers', async () => {
    const { SYSTEM_PACKAGES } = await load();
    assert.deepEqual(SYSTEM_PACKAGES.unit, []);
    assert.ok(SYSTEM_PACKAGES.e2e.includes('chromium'));
    assert.ok(SYSTEM_PACKAGES.python.includes('python3-torch') && SYSTEM_PACKAGES.python.includes('python3-venv'));
  });

  it('prints the one command to run when it cannot install a missing package (not root)', { skip: !isDebian && 'not Debian' }, async () => {
    const { ensureSetup, missingDebianPackages } = await load();
    assert.deepEqual(missingDebianPackages(['paperlens-no-such-package']), ['paperlens-no-such-package']);
    await assert.rejects(
      ensureSetup({ targets: ['x'], packages: { x: ['paperlens-no-such-package'] }, isRoot: false, log: () => {} }),
      /Run:\n\n {2}sudo apt-get install -y --no-install-recommends paperlens-no-such-package\n/,
    );
  });
});
