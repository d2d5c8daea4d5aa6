/**
 * `npm run eval:realcode -- <snapshots-dir> [--misses] [--json] [--set dev|holdout|holdout2|holdout3] [--labels DIR] [--repo owner/name] [--per-file]`
 *
 * Reads every file labelled in test/realcode/ from local snapshots of its repository at the pinned
 * commit, runs the loss detector on it, and prints recall and precision overall, per slice (the
 * label's `how`) and per repository. `<snapshots-dir>` holds one `<owner>+<name>` entry per
 * repository: a bare git directory, a folder with one in `repo/` (the layout of the fetch tool), a
 * clone, or a checked-out tree (whose commit cannot be checked). With `--misses`, lists the missed
 * positives and the false positives; `--json` prints the whole report as JSON. `--set holdout` reads
 * the held-out labels (test/realcode/holdout/, report only, never tuned on), `--set holdout2` the second
 * held-out set (test/realcode/holdout2/, likewise), `--set holdout3` the third (test/realcode/holdout3/,
 * likewise); `--set dev` (the default)
 * the dev labels; `--labels DIR` reads any other directory in the same layout. The detector sees
 * each repository as `paperlens scan <repo>` does, following names imported from the repository's
 * own modules into the files that define them; `--per-file` scans each file alone, as the editor
 * sees a file whose imports it cannot follow.
 * Exit code 0; 1 when a label file is malformed or a labelled file cannot be read; 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConceptBundle } from '../src/core/concepts/load';
import { buildLossIndex } from '../src/core/detect/lossIndex';
import {
  buildReport,
  detectFile,
  findSnapshot,
  HOWS,
  labelSetDir,
  loadLabelSet,
  readSnapshotFile,
  snapshotProject,
  type DetectedUsage,
  type FileUsages,
  type Report,
  type Score,
} from './realcode/evaluate';

const root = path.resolve(__dirname, '..');
const USAGE = 'Usage: npm run eval:realcode -- <snapshots-dir> [--misses] [--json] [--set dev|holdout|holdout2|holdout3] [--labels DIR] [--repo owner/name] [--per-file]';

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const args = process.argv.slice(2);
let snapshotsDir: string | undefined;
const realcodeDir = path.join(root, 'test', 'realcode');
let labelsDir: string | undefined;
let setName = 'dev';
let showMisses = false;
let asJson = false;
let perFileOnly = false;
const onlyRepos: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--misses') showMisses = true;
  else if (a === '--json') asJson = true;
  else if (a === '--per-file') perFileOnly = true;
  else if (a === '--set') setName = args[++i] ?? fail('--set needs dev, holdout, holdout2 or holdout3');
  else if (a === '--labels') labelsDir = path.resolve(args[++i] ?? fail('--labels needs a directory'));
  else if (a === '--repo') onlyRepos.push(args[++i] ?? fail('--repo needs owner/name'));
  else if (a === '--help' || a === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else if (a.startsWith('-')) fail(`Unknown option ${a}`);
  else if (snapshotsDir === undefined) snapshotsDir = path.resolve(a);
  else fail(`Unexpected argument ${a}`);
}
if (!snapshotsDir) fail('Missing <snapshots-dir>.');
if (labelsDir === undefined) {
  try {
    labelsDir = labelSetDir(realcodeDir, setName);
  } catch (err) {
    fail((err as Error).message);
  }
}

const set = loadLabelSet(labelsDir);
if (onlyRepos.length) {
  const keepRepo = (r: { repo: string }) => onlyRepos.includes(r.repo);
  set.repos = set.repos.filter(keepRepo);
  set.positives = set.positives.filter(keepRepo);
  set.negatives = set.negatives.filter(keepRepo);
}
for (const e of set.errors) console.error(e);

const concepts = parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'paper-data/generated/concepts.json');
const index = buildLossIndex(concepts.concepts);
const known = new Set(concepts.concepts.map((c) => c.id));

const perFile: FileUsages[] = [];
const unreadable: Report['unreadable'] = [];
for (const entry of set.repos) {
  const snapshot = findSnapshot(snapshotsDir, entry.repo);
  if (!snapshot) {
    for (const p of entry.paths) unreadable.push({ repo: entry.repo, path: p, message: `no snapshot ${entry.repo.replace('/', '+')} in ${snapshotsDir}` });
    continue;
  }
  // The whole repository, as `paperlens scan <repo>` sees it, unless --no-project (one file at a time,
  // as the editor sees a file whose imports it cannot follow).
  const project = perFileOnly ? undefined : snapshotProject(snapshot, entry.commit, index);
  for (const p of entry.paths) {
    let text: string;
    try {
      text = readSnapshotFile(snapshot, entry.commit, p);
    } catch (err) {
      unreadable.push({ repo: entry.repo, path: p, message: (err as Error).message });
      continue;
    }
    let usages: DetectedUsage[];
    try {
      usages = detectFile(p, text, index, project);
    } catch (err) {
      unreadable.push({ repo: entry.repo, path: p, message: `not a readable notebook: ${(err as Error).message}` });
      continue;
    }
    perFile.push({ repo: entry.repo, path: p, usages });
  }
}

const report = buildReport(set, perFile, unreadable);
const unknownConcepts = [...new Set(set.positives.map((l) => l.concept).filter((c) => !known.has(c)))].sort();

if (asJson) {
  console.log(JSON.stringify({ ...report, labelErrors: set.errors, conceptsNotInRegistry: unknownConcepts }, null, 2));
} else {
  const pct = (x: number) => x.toFixed(3);
  const line = (name: string, s: Score) =>
    `  ${name.padEnd(44)} recall ${pct(s.recall)} (${s.found}/${s.positives})   precision ${pct(s.precision)} (${s.found}/${s.reported})`;
  console.log(`realcode (${path.relative(root, labelsDir) || labelsDir}): ${report.overall.positives} positives, ${report.negatives} negatives in ${report.files} files of ${report.repos} repositories`);
  console.log(line('overall', report.overall));
  console.log('by how (label slice; false positives by the detector\'s how, "unsliced" when it gives none):');
  for (const how of [...HOWS, ...Object.keys(report.byHow).filter((k) => !(HOWS as readonly string[]).includes(k))]) {
    if (report.byHow[how]) console.log(line(how, report.byHow[how]));
  }
  console.log('by repository:');
  for (const [repo, s] of Object.entries(report.byRepo)) console.log(line(repo, s));
  console.log(`labelled negatives reported as usages: ${report.negativesHit} of ${report.negatives}`);
  console.log(`usages with the wrong concept on a positive's token: ${report.wrongConcept}`);
  if (unknownConcepts.length) console.log(`label concepts not in the registry (${unknownConcepts.length}): ${unknownConcepts.join(', ')}`);
  for (const u of report.unreadable) console.log(`unreadable: ${u.repo} ${u.path}: ${u.message}`);
  if (showMisses) {
    const where = (p: string, cell: number | undefined, l: number) => `${p}${cell !== undefined ? `#cell${cell}` : ''}:${l}`;
    console.log(`\nmissed positives (${report.missed.length}):`);
    for (const l of report.missed) console.log(`  ${l.repo} ${where(l.path, l.cell, l.line)}:${l.column} ${l.token} ${l.concept} [${l.how}]`);
    console.log(`\nfalse positives (${report.falsePositives.length}):`);
    for (const f of report.falsePositives) {
      const note = f.wrongConcept ? ` (label says ${f.wrongConcept.concept})` : f.negative ? ` (labelled negative: ${f.negative.why})` : '';
      console.log(`  ${f.repo} ${where(f.path, f.usage.cell, f.usage.line)}:${f.usage.column} ${f.usage.identifier} ${f.usage.conceptId}${note}`);
    }
  }
}
process.exit(set.errors.length || report.unreadable.length ? 1 : 0);
