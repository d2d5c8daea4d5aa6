#!/usr/bin/env node
// Runs every test tier and prints one closing line, `N passed, N failed`, that sums them all.
// Usage: node scripts/test.mjs [tier...] [--no-setup]   tiers: unit, python, integration, e2e (default: all)
// Each tier lives in scripts/tiers/<name>.mjs and exports `run(): Promise<{passed, failed, note?}>`.
// First, scripts/setup.mjs installs what the asked-for tiers need on a fresh clone (npm packages,
// Debian packages when root, else it prints the command; the python tier's venv); --no-setup skips it.
// With the unit tier, the type-check (`npm run typecheck`) runs too and counts as one test.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allTiers = ['unit', 'python', 'integration', 'e2e'];
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: node scripts/test.mjs [tier...] [--no-setup]\nTiers: ${allTiers.join(', ')} (default: all). Installs what the tiers need first (scripts/setup.mjs) unless --no-setup. Prints one closing line "N passed, N failed".`);
  process.exit(0);
}
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((t) => !allTiers.includes(t));
if (unknown.length) {
  console.error(`Unknown tier(s): ${unknown.join(', ')}. Known: ${allTiers.join(', ')}`);
  process.exit(2);
}
const tiers = asked.length ? asked : allTiers;

if (!process.argv.includes('--no-setup')) {
  const { ensureSetup } = await import('./setup.mjs');
  try {
    await ensureSetup({ targets: tiers });
  } catch (err) {
    console.error(`\n[setup] ${err instanceof Error ? err.message : String(err)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const results = [];
if (tiers.includes('unit')) {
  console.log('\n=== typecheck ===');
  const { runCommand } = await import('./tiers/run.mjs');
  const { code } = await runCommand(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'typecheck'], { cwd: root });
  results.push({ tier: 'typecheck', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 });
}
for (const tier of tiers) {
  const file = path.join(root, 'scripts', 'tiers', `${tier}.mjs`);
  if (!existsSync(file)) {
    results.push({ tier, passed: 0, failed: 1, note: `scripts/tiers/${tier}.mjs is missing` });
    continue;
  }
  console.log(`\n=== ${tier} tests ===`);
  try {
    const mod = await import(pathToFileURL(file).href);
    const r = await mod.run({ root });
    results.push({ tier, ...r });
  } catch (err) {
    console.error(`[${tier}] ${err instanceof Error ? err.message : String(err)}`);
    results.push({ tier, passed: 0, failed: 1, note: 'tier crashed' });
  }
}

console.log('\n=== summary ===');
for (const r of results) {
  console.log(`${r.tier.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed${r.note ? `  (${r.note})` : ''}`);
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
const ranNothing = passed + failed === 0;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || ranNothing ? 1 : 0);
