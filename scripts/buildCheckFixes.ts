/**
 * Applies every preferred quick fix to the PyTorch check fixtures and writes the results to
 * test/python/check_fixes/, where pytest runs them under real PyTorch. A unit test regenerates
 * them and compares, so the committed files always match what the fixes produce.
 * Usage: npx tsx scripts/buildCheckFixes.ts [--check]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyAllFixes, checkSource } from '../src/core/checks/analyze';
import { loadConcepts } from '../src/core/concepts/load';
import { scanSource } from '../src/core/detect/detector';
import { buildLossIndex } from '../src/core/detect/lossIndex';

const root = path.resolve(__dirname, '..');
export const FIXTURES = path.join(root, 'test/unit/checks/fixtures');
export const OUT = path.join(root, 'test/python/check_fixes');

/** The fixed text of every PyTorch fixture (Keras fixtures need TensorFlow, which CI does not install). */
export function buildFixedFixtures(): Map<string, string> {
  const { concepts } = loadConcepts(path.join(root, 'paper-data/generated/concepts.json'));
  const index = buildLossIndex(concepts);
  const check = (text: string) => checkSource(text, scanSource(text, index));
  const out = new Map<string, string>();
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.py') && !f.startsWith('keras')).sort()) {
    const text = readFileSync(path.join(FIXTURES, name), 'utf8');
    // The fixtures' `# expect: rule` markers become `# fixed: rule` so the output reads honestly.
    out.set(name.replace(/\.py$/, '_fixed.py'), applyAllFixes(text, check).replace(/# expect: /g, '# fixed: '));
  }
  return out;
}

if (path.resolve(process.argv[1] ?? '') === path.resolve(__filename)) {
  const fixed = buildFixedFixtures();
  mkdirSync(OUT, { recursive: true });
  for (const [name, text] of fixed) writeFileSync(path.join(OUT, name), text);
  console.log(`Wrote ${fixed.size} fixed fixtures to ${path.relative(root, OUT)}`);
}
