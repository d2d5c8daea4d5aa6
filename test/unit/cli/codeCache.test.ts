/**
 * The CLI's code cache (src/cli/codeCache.ts): a bundle loads with the cache made from it, runs
 * the same without one, and a cache made from another bundle (even one of the same length, which
 * V8 itself would take), a damaged one or one V8 turns down is never used. The built `dist/cli.js`
 * ships a cache that node accepts under the launcher's V8 flags, and runs commands with the same
 * output as its program run directly.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cachePathOf, loadBundle, writeCodeCache, type LoadedBundle } from '../../../src/cli/codeCache';
import { CLI_V8_FLAGS } from '../../../src/cli/engineFlags';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-codecache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small CommonJS bundle: its exports answer with `k`, and it reads its own module variables. */
function bundleSource(k: number): string {
  return `#!/usr/bin/env node\n"use strict";\nconst path = require('node:path');\nexports.answer = function answer(x) { return x * ${k}; };\nexports.where = path.basename(__dirname) + '/' + path.basename(__filename);\nexports.isModule = typeof module.exports === 'object';\n`;
}

/** The loaded bundle's `answer(x)`. */
function answer(loaded: LoadedBundle, x: number): number {
  return (loaded.exports.answer as (x: number) => number)(x);
}

describe('code cache', () => {
  const file = path.join(dir, 'bundle.js');

  it('loads a bundle with no cache, then with the cache written from it', () => {
    writeFileSync(file, bundleSource(2));
    const first = loadBundle(file);
    assert.equal(first.status, 'missing');
    assert.equal(answer(first, 21), 42);
    assert.equal(first.exports.where, `${path.basename(dir)}/bundle.js`);
    assert.equal(first.exports.isModule, true);
    assert.ok(writeCodeCache(file, first) > 100);
    const second = loadBundle(file);
    assert.equal(second.status, 'accepted');
    assert.equal(answer(second, 21), 42);
  });

  it('does not use the cache of another bundle of the same length', () => {
    writeFileSync(file, bundleSource(2));
    writeCodeCache(file, loadBundle(file));
    // Same length, other code: V8 would take the old bytecode and answer 42.
    writeFileSync(file, bundleSource(3));
    assert.equal(readFileSync(file, 'utf8').length, bundleSource(2).length);
    const loaded = loadBundle(file);
    assert.equal(loaded.status, 'stale');
    assert.equal(answer(loaded, 21), 63);
  });

  it('does not use a damaged cache, or one V8 turns down, and still runs the bundle', () => {
    writeFileSync(file, bundleSource(2));
    writeCodeCache(file, loadBundle(file));
    const cache = readFileSync(cachePathOf(file));
    // The header is right but the bytecode is not what was written (V8 itself would run it).
    writeFileSync(cachePathOf(file), Buffer.concat([cache.subarray(0, cache.length - 64), Buffer.alloc(64, 0xab)]));
    const damaged = loadBundle(file);
    assert.equal(damaged.status, 'damaged');
    assert.equal(answer(damaged, 5), 10);
    writeFileSync(cachePathOf(file), 'not a cache');
    const foreign = loadBundle(file);
    assert.equal(foreign.status, 'stale');
    assert.equal(answer(foreign, 5), 10);
    // Made by a node with other V8 flags: V8 turns it down.
    execFileSync(process.execPath, ['--no-opt', '--import', 'tsx', '-e',
      `const { loadBundle, writeCodeCache } = require(${JSON.stringify(path.join(root, 'src/cli/codeCache.ts'))}); writeCodeCache(${JSON.stringify(file)}, loadBundle(${JSON.stringify(file)}));`,
    ], { cwd: root });
    // Loaded in a fresh process: this one has compiled the source already, and V8 answers a
    // second compile from its own in-memory cache without looking at the file's.
    const child = execFileSync(process.execPath, ['--import', 'tsx', '-e',
      `const { loadBundle } = require(${JSON.stringify(path.join(root, 'src/cli/codeCache.ts'))}); const b = loadBundle(${JSON.stringify(file)}); console.log(b.status, b.exports.answer(5));`,
    ], { cwd: root, encoding: 'utf8' }).trim();
    assert.equal(child, 'rejected 10');
  });
});

const built = existsSync(path.join(root, 'dist/cli.js')) && existsSync(path.join(root, 'dist/cli-main.js'));
describe('built CLI', { skip: !built && 'dist/ not built' }, () => {
  it('ships a code cache that node accepts for dist/cli-main.js under the launcher\'s V8 flags', () => {
    // In children, as the bin runs: the cache is checked against the process's V8 flags. The
    // launcher sets its flags (engineFlags.ts) before loading the program; the build made the cache
    // under the same ones, and a plain node, with other flags, turns it down.
    const status = (flags: string): string => execFileSync(process.execPath, ['--import', 'tsx', '-e',
      `const e = require(${JSON.stringify(path.join(root, 'src/cli/engineFlags.ts'))}); ${flags} const { loadBundle } = require(${JSON.stringify(path.join(root, 'src/cli/codeCache.ts'))}); console.log(loadBundle(${JSON.stringify(path.join(root, 'dist/cli-main.js'))}).status);`,
    ], { cwd: root, encoding: 'utf8' }).trim();
    assert.equal(status('e.applyCliEngineFlags();'), 'accepted');
    if (CLI_V8_FLAGS.length > 0) {
      assert.equal(status(''), 'rejected');
      // A long scan or the MCP server goes back to V8's defaults: those are a plain node's flags.
      assert.equal(status('e.applyCliEngineFlags(); e.restoreDefaultEngineFlags();'), 'rejected');
    }
  });

  it('runs a scan through the launcher exactly as the program run directly', () => {
    const args = ['scan', '--json', path.join(root, 'test/unit/checks/fixtures/softmax_ce.py')];
    const viaLauncher = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: root, encoding: 'utf8' });
    const direct = execFileSync(process.execPath, [path.join(root, 'dist/cli-main.js'), ...args], { cwd: root, encoding: 'utf8' });
    assert.equal(viaLauncher, direct);
    assert.ok(JSON.parse(viaLauncher).files[0].findings.length > 0);
  });

  it('says which file is missing when dist/ is copied without the program', () => {
    const partial = path.join(dir, 'partial');
    mkdirSync(partial);
    copyFileSync(path.join(root, 'dist/cli.js'), path.join(partial, 'cli.js'));
    const r = spawnSync(process.execPath, [path.join(partial, 'cli.js'), '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `paperlens: cannot load ${path.join(partial, 'cli-main.js')}: no such file (run \`npm run build\`)\n`);
  });

  it('stops quietly when its reader closes the pipe early', () => {
    // `paperlens scan --json … | head -c 10` with more output than a pipe holds: no EPIPE stack trace, exit 0.
    const cli = [process.execPath, path.join(root, 'dist/cli.js'), 'scan', '--json', path.join(root, 'samples'), path.join(root, 'test/unit/checks/fixtures')].map((a) => JSON.stringify(a)).join(' ');
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${cli} | head -c 10 >/dev/null`], { cwd: root, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
  });
});
