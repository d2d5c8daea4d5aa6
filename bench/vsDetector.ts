/**
 * The detector against the parser an editor would otherwise use: web-tree-sitter with the Python
 * grammar (tree-sitter-python.wasm from the npm package), over the same 20,000-line document.
 *
 *   npx tsx bench/vsDetector.ts [--json] [--lines N] [--rounds N]
 *
 *  - cold: a fresh Node process per run, alternating PaperLens / tree-sitter. PaperLens's time runs
 *    from before `require` of the detector bundle to the end of the first scan, loading the concept
 *    registry and building its loss index included; tree-sitter's from before `require` of
 *    web-tree-sitter to the end of the first parse, `Parser.init()` (its WebAssembly runtime) and
 *    loading the Python grammar included. Node's own start-up is the same for both and left out.
 *  - warm: in this process, both warmed up, then scan / parse alternately; medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDocument, bundleDetector, loadRegistry, root } from './detectorShared';
import { argValue, goal, interleave, ms, round, type Goal } from './lib';

interface TreeSitterModule {
  Parser: { init(): Promise<void>; new(): { setLanguage(l: unknown): void; parse(text: string): { delete(): void } | null } };
  Language: { load(file: string): Promise<unknown> };
}

function treeSitterPaths(): { module: string; wasm: string } | undefined {
  try {
    return { module: require.resolve('web-tree-sitter'), wasm: require.resolve('tree-sitter-python/tree-sitter-python.wasm') };
  } catch {
    return undefined;
  }
}

const COLD_PAPERLENS = `
const fs = require('fs');
const [bundle, conceptsPath, docPath] = process.argv.slice(2);
const text = fs.readFileSync(docPath, 'utf8');
const t0 = performance.now();
const d = require(bundle);
const { concepts } = d.loadConcepts(conceptsPath);
const index = d.buildLossIndex(concepts);
const scan = d.scanSource(text, index);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, usages: scan.usages.length }));
`;

const COLD_TREE_SITTER = `
const fs = require('fs');
const [modulePath, wasmPath, docPath] = process.argv.slice(2);
const text = fs.readFileSync(docPath, 'utf8');
(async () => {
  const t0 = performance.now();
  const { Parser, Language } = require(modulePath);
  await Parser.init();
  const python = await Language.load(wasmPath);
  const parser = new Parser();
  parser.setLanguage(python);
  const tree = parser.parse(text);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, nodes: tree.rootNode.descendantCount }));
})();
`;

function runChild(script: string, args: string[]): number {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(script)} failed: ${r.stderr.slice(0, 400)}`);
  return (JSON.parse(r.stdout) as { ms: number }).ms;
}

export async function runDetectorGoals(options: { lines?: number; rounds?: number; log?: (l: string) => void } = {}): Promise<{ detail: Record<string, unknown>; goals: Goal[] }> {
  const log = options.log ?? (() => undefined);
  const lines = options.lines ?? 20_000;
  const rounds = options.rounds ?? 7;
  const ts = treeSitterPaths();
  const registry = loadRegistry();
  const conceptsPath = path.join(root, 'paper-data', 'generated', 'concepts.json');
  const text = buildDocument(lines);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-vsdetector-'));
  try {
    const docPath = path.join(dir, 'document.py');
    writeFileSync(docPath, text);
    const bundle = path.join(dir, 'detector.js');
    bundleDetector(bundle);
    if (!ts) {
      const note = 'web-tree-sitter or tree-sitter-python is not installed (npm install): no baseline';
      log(`  ${note}`);
      return { detail: { lines, note }, goals: [goal('detector.cold.vs-tree-sitter', null, null, 1, '<=', note), goal('detector.warm.vs-tree-sitter', null, null, 0.5, '<=', note)] };
    }
    const coldA = path.join(dir, 'cold-paperlens.cjs');
    const coldB = path.join(dir, 'cold-tree-sitter.cjs');
    writeFileSync(coldA, COLD_PAPERLENS);
    writeFileSync(coldB, COLD_TREE_SITTER);
    log(`  cold: ${rounds} fresh processes each, alternating (document: ${text.split('\n').length.toLocaleString('en-US')} lines, ${registry.concepts.length} concepts)`);
    const cold = await interleave(rounds, () => runChild(coldA, [bundle, conceptsPath, docPath]), () => runChild(coldB, [ts.module, ts.wasm, docPath]));
    log(`  cold: PaperLens ${ms(cold.medianA)} ms vs tree-sitter ${ms(cold.medianB)} ms → ${cold.ratio.toFixed(2)}×`);

    // Warm, in this process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const detector = require(bundle) as typeof import('./detectorShared') & { buildLossIndex(c: unknown): unknown; scanSource(t: string, i: unknown): { usages: unknown[] } };
    const index = detector.buildLossIndex(registry.concepts);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require(ts.module) as TreeSitterModule;
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(ts.wasm));
    const scan = () => { detector.scanSource(text, index); };
    const parse = () => { parser.parse(text)?.delete(); };
    for (let i = 0; i < 5; i++) { scan(); parse(); }
    const warm = await interleave(rounds * 3, scan, parse);
    log(`  warm: PaperLens ${ms(warm.medianA)} ms vs tree-sitter ${ms(warm.medianB)} ms → ${warm.ratio.toFixed(2)}×`);
    return {
      detail: {
        lines: text.split('\n').length, chars: text.length, concepts: registry.concepts.length, rounds,
        coldMs: round(cold.medianA), coldTreeSitterMs: round(cold.medianB), coldSamples: { paperlens: cold.a.map((x) => round(x)), treeSitter: cold.b.map((x) => round(x)) },
        warmMs: round(warm.medianA), warmTreeSitterMs: round(warm.medianB),
      },
      goals: [
        goal('detector.cold.vs-tree-sitter', cold.medianA, cold.medianB, 1, '<=', 'first scan in a fresh process (registry load + loss index + scan) vs web-tree-sitter init + Python grammar load + first parse; medians of alternating runs'),
        goal('detector.warm.vs-tree-sitter', warm.medianA, warm.medianB, 0.5, '<=', 'full rescan vs full reparse of the same text, warmed up, alternating; medians'),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  void runDetectorGoals({
    lines: argValue(args, '--lines') ? Number(argValue(args, '--lines')) : undefined,
    rounds: argValue(args, '--rounds') ? Number(argValue(args, '--rounds')) : undefined,
    log: (l) => console.error(l),
  }).then((r) => {
    if (json) console.log(JSON.stringify({ detector: r.detail, goals: r.goals }, null, 2));
    else for (const g of r.goals) console.log(`${g.name}: ${g.value} ms vs ${g.baseline} ms → ${g.ratio} (goal ${g.direction} ${g.goal})`);
  });
}
