/**
 * What the detector benches share: real-shaped Python documents built from the repository's own
 * sources, the concept registry, and the detector bundled as it ships.
 */
import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConcepts } from '../src/core/concepts/load';
import type { Concept } from '../src/core/concepts/types';
import type * as Cache from '../src/core/detect/cache';
import type * as Detector from '../src/core/detect/detector';
import type * as LossIndexModule from '../src/core/detect/lossIndex';
import { fixtureConcepts } from '../test/unit/detect/fixtures/concepts';

export const root = process.env.PAPERLENS_ROOT ?? path.resolve(__dirname, '..');

/** Bundles the detector (and the concept loader) as dist/extension.js bundles it, to `outfile`. */
export function bundleDetector(outfile: string): void {
  buildSync({
    stdin: {
      contents: "export * from './src/core/detect/cache'; export * from './src/core/detect/detector'; export * from './src/core/detect/lossIndex'; export { loadConcepts } from './src/core/concepts/load';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node18', outfile, logLevel: 'error',
  });
}

/**
 * The detector as it ships: bundled and minified by esbuild like dist/extension.js, then loaded
 * with plain `require`. Timing the TypeScript sources under tsx instead measured tsx's module
 * wrappers (every imported constant a getter call) and overstated the first scan about twofold.
 */
export function loadShippedDetector(): typeof Cache & typeof Detector & typeof LossIndexModule {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-bench-'));
  const outfile = path.join(dir, 'detector.js');
  try {
    bundleDetector(outfile);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pyFiles(p));
    else if (entry.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

export function loadRegistry(): { concepts: Concept[]; source: string } {
  const generated = path.join(root, 'paper-data', 'generated', 'concepts.json');
  if (existsSync(generated)) {
    const { concepts } = loadConcepts(generated);
    if (concepts.length) return { concepts, source: 'paper-data/generated/concepts.json' };
  }
  return { concepts: fixtureConcepts, source: 'test fixture concepts' };
}

/** A file of about `lines` lines built from real-shaped sources, with a very long line every 2,000 lines. */
export function buildDocument(lines: number): string {
  const sources = [...pyFiles(path.join(root, 'test', 'unit', 'detect', 'fixtures', 'realistic')), ...pyFiles(path.join(root, 'samples'))]
    .map((f) => readFileSync(f, 'utf8'));
  if (sources.length === 0) throw new Error(`no Python sources found under ${root}`);
  const longLine = `total = ${Array.from({ length: 400 }, (_, i) => `F.cross_entropy(logits_${i}, y)`).join(' + ')}\n`;
  const out: string[] = ['import torch.nn.functional as F\n'];
  let count = 1;
  for (let round = 0; count < lines; round++) {
    for (const s of sources) {
      if (count >= lines) break;
      const chunk = s.split('\n');
      const take = chunk.slice(0, Math.min(chunk.length, lines - count));
      out.push(`${take.join('\n')}\n`);
      count += take.length;
      if (Math.floor(count / 2000) !== Math.floor((count - take.length) / 2000)) {
        out.push(longLine);
        count++;
      }
    }
  }
  return out.join('');
}
