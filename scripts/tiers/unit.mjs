// Unit tier: node's test runner over test/unit/**/*.test.ts (TypeScript through tsx).
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './run.mjs';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

export async function run({ root }) {
  const files = findTests(path.join(root, 'test', 'unit')).map((f) => path.relative(root, f));
  if (files.length === 0) return { passed: 0, failed: 1, note: 'no unit tests found' };
  // Some tests drive the bundled CLI in a child process (the MCP server over stdio): build dist/
  // first, so that they run here rather than skip. A build that fails is a failure of the tier.
  const build = await runCommand(process.execPath, ['esbuild.config.mjs'], { cwd: root });
  if (build.code !== 0) return { passed: 0, failed: 1, note: 'the build (node esbuild.config.mjs) failed' };
  const tap = path.join(mkdtempSync(path.join(os.tmpdir(), 'paperlens-unit-')), 'results.tap');
  const { code } = await runCommand(process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { cwd: root });
  const text = readFileSync(tap, 'utf8');
  const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  // With dist/ built, nothing should skip; a skipped test is reported, not hidden.
  const skipped = count('skipped');
  if (code !== 0 && failed === 0) failed = 1; // the runner itself failed (e.g. a file did not load)
  return { passed, failed, ...(skipped ? { note: `${skipped} skipped` } : {}) };
}
