/**
 * Hover-card benchmark: time to build the card markdown for a loss, as the hover provider does
 * (scan lookup excluded; bench/detect.ts measures it), with the formula image cached (pre-rendered
 * at build time, or rendered once) and uncached (LaTeX → SVG with MathJax on the spot).
 * Baseline in the same run: rendering the formula with MathJax on every hover.
 * Usage: npx tsx bench/hover.ts [--json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConcepts } from '../src/core/concepts/load';
import { ConceptRegistry } from '../src/core/concepts/registry';
import { FormulaStore } from '../src/core/formula/formulaStore';
import { texToSvg } from '../src/core/formula/texToSvg';
import type { PrerenderedFormulaFile } from '../src/core/formula/types';
import { buildHoverCard, hoverCardMarkdown, type CardUsage } from '../src/core/hover/card';
import type { Paper } from '../src/core/papers/types';
import { percentile } from './lib';

const root = path.resolve(__dirname, '..');

export interface HoverBenchResult {
  concepts: number;
  /** Median ms to build a card whose formula image is already known (the normal case). */
  cachedMs: number;
  cachedP95Ms: number;
  /** Median ms when the formula must first be rendered by MathJax (a user's formula, first hover). */
  uncachedMs: number;
  uncachedP95Ms: number;
  /** Median ms to render a formula with MathJax alone (the first call includes loading MathJax). */
  mathjaxFirstCallMs: number;
}


export function runHoverBench(): HoverBenchResult {
  const { concepts } = loadConcepts(path.join(root, 'paper-data/generated/concepts.json'));
  const registry = new ConceptRegistry(concepts);
  const papers = JSON.parse(readFileSync(path.join(root, 'paper-data/papers.json'), 'utf8')) as Paper[];
  const prerenderedPath = path.join(root, 'dist/data/formulas.json');
  let prerendered: PrerenderedFormulaFile | undefined;
  try {
    prerendered = JSON.parse(readFileSync(prerenderedPath, 'utf8')) as PrerenderedFormulaFile;
  } catch {
    prerendered = undefined; // not built: every formula is rendered on first use below
  }

  const card = (store: FormulaStore, conceptId: string) => {
    const concept = registry.get(conceptId)!;
    const usage: CardUsage = {
      identifier: 'CrossEntropyLoss', qualifiedName: concept.identifiers[0]?.qualifiedName ?? concept.id,
      framework: concept.identifiers[0]?.framework ?? 'pytorch', role: 'call',
      call: { arguments: [{ kind: 'keyword', name: 'label_smoothing', value: '0.1', start: 0, end: 19, valueStart: 16 }] },
    };
    return hoverCardMarkdown(buildHoverCard({
      concept, usage, parameter: (id, name, fw) => registry.parameter(id, name, fw),
      papers: registry.papersFor(concept.id, papers), maxPapers: 3,
      formula: store.view(concept.formula.latex, 'dark'), snippet: { id: concept.id },
      commandLink: (command, ...args) => `command:${command}?${encodeURIComponent(JSON.stringify(args))}`,
    }));
  };

  const mathjaxStart = performance.now();
  texToSvg('x^2');
  const mathjaxFirstCallMs = performance.now() - mathjaxStart;

  // Cached: the store knows every formula (pre-rendered, or rendered once beforehand).
  const warm = new FormulaStore({ loadPrerendered: () => prerendered, loadRenderer: () => ({ texToSvg }), schedule: (job) => job() });
  for (const c of concepts) warm.renderNow(c.formula.latex);
  const cached: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const c of concepts) {
      const t = performance.now();
      card(warm, c.id);
      cached.push(performance.now() - t);
    }
  }

  // Uncached: a fresh store per card, so each formula goes through MathJax before the card is built.
  const uncached: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const c of concepts) {
      const store = new FormulaStore({ loadRenderer: () => ({ texToSvg }), schedule: (job) => job() });
      const t = performance.now();
      store.renderNow(c.formula.latex);
      card(store, c.id);
      uncached.push(performance.now() - t);
    }
  }
  cached.sort((a, b) => a - b);
  uncached.sort((a, b) => a - b);
  return {
    concepts: concepts.length,
    cachedMs: percentile(cached, 50),
    cachedP95Ms: percentile(cached, 95),
    uncachedMs: percentile(uncached, 50),
    uncachedP95Ms: percentile(uncached, 95),
    mathjaxFirstCallMs,
  };
}

if (path.resolve(process.argv[1] ?? '') === path.resolve(__filename)) {
  const r = runHoverBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ hover: r }, null, 2));
  else {
    console.log(`hover card over ${r.concepts} concepts`);
    console.log(`  formula cached    median ${r.cachedMs.toFixed(3)} ms, p95 ${r.cachedP95Ms.toFixed(3)} ms`);
    console.log(`  formula uncached  median ${r.uncachedMs.toFixed(2)} ms, p95 ${r.uncachedP95Ms.toFixed(2)} ms  → cache ${(r.uncachedMs / r.cachedMs).toFixed(0)}× faster`);
    console.log(`  MathJax first call (load + one formula) ${r.mathjaxFirstCallMs.toFixed(0)} ms`);
  }
}
