/**
 * Writes the README's table of performance goals from `npm run bench -- --json` output, between
 * the markers `<!-- bench-goals:start -->` and `<!-- bench-goals:end -->` in README.md.
 *
 *   npm run bench -- --json --goals-only > bench.json && npx tsx scripts/benchTable.ts bench.json
 *   npx tsx scripts/benchTable.ts bench.json --check   (exit 1 if the README's table differs)
 *
 * Each row is one goal: the measured figure, its baseline measured in the same run (interleaved),
 * the ratio, the goal and whether it is met, with how it was measured as a note under the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchGoal {
  name: string;
  value: number | null;
  baseline: number | null;
  ratio: number | null;
  goal: number;
  direction: '<=' | '>=';
  met?: boolean | null;
  note?: string;
}

const START = '<!-- bench-goals:start -->';
const END = '<!-- bench-goals:end -->';

/** The baseline each goal is measured against (what the issue names). */
const BASELINE_NAMES: Record<string, string> = {
  'search.p95': 'MiniSearch p95',
  'search.recall5.vs-fuse': 'fuse.js recall@5',
  'search.recall5.vs-minisearch': 'MiniSearch recall@5',
  'index.build': 'bare tokenising pass',
  'index.load': 'time-sliced build',
  'detector.cold': 'web-tree-sitter cold parse',
  'detector.warm': 'web-tree-sitter warm parse',
  'scan.tree': 'ruff check',
  'host.maxSliceMs': 'limit',
  'editor.keystroke.p95Ms': 'limit',
};

function baselineName(goal: string): string {
  const key = Object.keys(BASELINE_NAMES).find((k) => goal.startsWith(k));
  return key ? BASELINE_NAMES[key] : 'baseline';
}

function figure(name: string, n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  if (name.includes('recall')) return `${(n * 100).toFixed(1)}%`;
  const text = n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 1 ? n.toFixed(1) : n.toFixed(3);
  return `${text} ms`;
}

export function goalTable(goals: readonly BenchGoal[], machine?: { cpus?: number; node?: string; loadAverage?: number; note?: string }): string {
  const lines = [
    `Goals of \`npm run bench -- --json\`: each figure next to its baseline, measured interleaved in the same run (A, B, A, B…; medians)${machine ? ` — ${machine.cpus} cores, Node ${machine.node}, load average ${machine.loadAverage} at the start` : ''}.${machine?.note ? ` ${machine.note.charAt(0).toUpperCase()}${machine.note.slice(1)}.` : ''}`,
    '',
    '| goal | PaperLens | baseline | ratio | goal | met |',
    '|---|---:|---|---:|---:|:---:|',
  ];
  for (const g of goals) {
    const met = g.met === null || g.met === undefined ? 'not measured' : g.met ? 'yes' : '**no**';
    const ratio = g.ratio === null ? 'n/a' : g.ratio.toFixed(g.ratio < 0.1 ? 4 : 3);
    lines.push(`| \`${g.name}\` | ${figure(g.name, g.value)} | ${baselineName(g.name)} ${figure(g.name, g.baseline)} | ${ratio} | ${g.direction} ${g.goal} | ${met} |`);
  }
  const notes = goals.filter((g) => g.note);
  if (notes.length) {
    lines.push('');
    for (const g of notes) lines.push(`- \`${g.name}\`: ${g.note}`);
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by `table`; throws when the markers are missing. */
export function replaceBetweenMarkers(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: npx tsx scripts/benchTable.ts <bench.json> [--check]');
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text.slice(text.indexOf('{'))) as { goals?: BenchGoal[]; machine?: { cpus?: number; node?: string; loadAverage?: number; note?: string } };
  if (!json.goals?.length) throw new Error(`${file}: no "goals" list (run npm run bench -- --json)`);
  const readmePath = path.resolve(__dirname, '..', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const next = replaceBetweenMarkers(readme, goalTable(json.goals, json.machine));
  if (args.includes('--check')) {
    if (next !== readme) {
      console.error('README.md: the performance goals table is not the one this bench output gives');
      process.exit(1);
    }
  } else {
    writeFileSync(readmePath, next);
    console.log(`README.md: ${json.goals.length} goals written`);
  }
}
