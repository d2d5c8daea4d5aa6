// Pre-renders every shipped concept's formula to SVG, at build time, into dist/data/formulas.json:
// concept id → { latex, svg, glyphs, width, height } (or { latex, error } when it does not parse), glyph
// outlines shared in one table (src/core/formula/glyphTable.ts). The SVGs
// are colour-neutral (`currentColor`); the extension substitutes a colour per theme kind at runtime,
// so one file serves light, dark and high-contrast themes. Rendering uses dist/texToSvg.js, the same
// bundle the extension loads for LaTeX that was not pre-rendered, so both paths draw identically.
// Usage: node scripts/buildFormulas.mjs   (after the esbuild step has written dist/texToSvg.js)
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Renders the formulas of `dist/data/concepts.json` (falling back to paper-data/generated) and
 * writes `dist/data/formulas.json`. Returns counts for the build log; never throws for a formula
 * that does not parse (it is recorded with its error and shown as source by the hover).
 */
export async function buildFormulas({ quiet = false } = {}) {
  const dist = path.join(root, 'dist');
  const rendererFile = path.join(dist, 'texToSvg.js');
  if (!existsSync(rendererFile)) throw new Error(`${path.relative(root, rendererFile)} is missing: build the bundles first`);
  const conceptsFile = [path.join(dist, 'data', 'concepts.json'), path.join(root, 'paper-data', 'generated', 'concepts.json')].find(existsSync);
  const concepts = conceptsFile ? readConcepts(conceptsFile) : [];
  const require = createRequire(import.meta.url);
  delete require.cache[rendererFile];
  const { texToSvg, compactFormula } = require(rendererFile);
  const mathjaxVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'mathjax-full', 'package.json'), 'utf8')).version;

  const formulas = {};
  const glyphs = {};
  const failed = [];
  for (const concept of concepts) {
    const latex = concept?.formula?.latex;
    if (typeof concept?.id !== 'string' || typeof latex !== 'string') continue;
    const result = texToSvg(latex);
    if (result.ok) {
      // Glyph outlines go to one shared table (the extension puts them back when it shows the image).
      const compact = compactFormula(result.svg, glyphs);
      formulas[concept.id] = compact
        ? { latex, svg: compact.svg, glyphs: compact.glyphs, width: result.width, height: result.height }
        : { latex, svg: result.svg, width: result.width, height: result.height };
    }
    else {
      formulas[concept.id] = { latex, error: result.error };
      failed.push(`${concept.id}: ${result.error}`);
    }
  }
  const out = path.join(dist, 'data', 'formulas.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const text = JSON.stringify({ version: 1, renderer: `mathjax-full ${mathjaxVersion}`, glyphs, formulas });
  writeFileSync(out, text);
  const count = Object.keys(formulas).length;
  if (!quiet) {
    const where = conceptsFile ? path.relative(root, conceptsFile) : 'no concepts.json found';
    console.log(`formulas: ${count - failed.length}/${count} rendered from ${where} → ${path.relative(root, out)} (${(text.length / 1024).toFixed(0)} KB)`);
    for (const f of failed) console.warn(`formulas: does not parse, the hover shows its source: ${f}`);
  }
  return { count, failed: failed.length, bytes: text.length };
}

function readConcepts(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(json) ? json : Array.isArray(json?.concepts) ? json.concepts : [];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildFormulas();
