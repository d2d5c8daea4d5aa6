/**
 * Applies every preferred quick fix to the check fixtures and writes the results to
 * test/python/check_fixes/ (PyTorch fixtures, run by pytest under real PyTorch) and
 * test/python/keras_jax/check_fixes/ (keras*.py fixtures, run under real Keras on JAX). A unit test
 * regenerates them and compares, so the committed files always match what the fixes produce.
 * Usage: npx tsx scripts/buildCheckFixes.ts [--check]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyAllFixes, checkSource } from '../src/core/checks/analyze';
import { kerasLossNames } from '../src/core/checks/keras';
import { loadConcepts } from '../src/core/concepts/load';
import { scanSource } from '../src/core/detect/detector';
import { buildLossIndex } from '../src/core/detect/lossIndex';

const root = path.resolve(__dirname, '..');
export const FIXTURES = path.join(root, 'test/unit/checks/fixtures');
export const OUT = path.join(root, 'test/python/check_fixes');
export const KERAS_OUT = path.join(root, 'test/python/keras_jax/check_fixes');

/** The fixed text of every PyTorch fixture, or (`keras`) of every keras*.py fixture. */
export function buildFixedFixtures(keras = false): Map<string, string> {
  const { concepts } = loadConcepts(path.join(root, 'paper-data/generated/concepts.json'));
  const index = buildLossIndex(concepts);
  const kerasNames = kerasLossNames(concepts);
  const check = (text: string) => checkSource(text, scanSource(text, index), { kerasNames });
  const out = new Map<string, string>();
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.py') && f.startsWith('keras') === keras).sort()) {
    const text = readFileSync(path.join(FIXTURES, name), 'utf8');
    // The fixtures' `# expect: rule` markers become `# fixed: rule` so the output reads honestly.
    out.set(name.replace(/\.py$/, '_fixed.py'), applyAllFixes(text, check).replace(/# expect: /g, '# fixed: '));
  }
  return out;
}

if (path.resolve(process.argv[1] ?? '') === path.resolve(__filename)) {
  for (const [keras, dir] of [[false, OUT], [true, KERAS_OUT]] as const) {
    const fixed = buildFixedFixtures(keras);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of fixed) writeFileSync(path.join(dir, name), text);
    console.log(`Wrote ${fixed.size} fixed fixtures to ${path.relative(root, dir)}`);
  }
}
