import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import {
  buildReport,
  detectFile,
  findSnapshot,
  labelSetDir,
  loadLabelSet,
  matchFile,
  parseLabelLines,
  readSnapshotFile,
  type DetectedUsage,
} from '../../../scripts/realcode/evaluate';

// A tiny labelled "repository" written for this test (no third-party code).
const fixture = path.join(__dirname, 'evaluate');
const set = loadLabelSet(fixture);
const FILE = 'train.py';
const REPO = 'example/tiny';

/** A detector usage at `line:column` spanning `identifier`. */
function usage(line: number, column: number, identifier: string, conceptId: string, how?: string): DetectedUsage {
  return { line, column, endColumn: column + identifier.length, identifier, conceptId, ...(how ? { how } : {}) };
}

test('the fixture labels load: 6 positives, 1 negative, no errors', () => {
  assert.deepEqual(set.errors, []);
  assert.equal(set.positives.length, 6);
  assert.equal(set.negatives.length, 1);
  assert.equal(set.negatives[0].why, 'variable holding a computed value');
  assert.equal(set.positives.find((l) => l.how === 'string')?.token, 'sparse_categorical_crossentropy');
});

test('a usage on the right token with the right concept is found; the others are missed', () => {
  const r = matchFile(REPO, FILE, [usage(5, 16, 'CrossEntropyLoss', 'cross-entropy'), usage(8, 10, 'mse_loss', 'mse')], set.positives, set.negatives);
  assert.deepEqual(r.found.map((f) => f.label.token), ['CrossEntropyLoss', 'mse_loss']);
  assert.equal(r.missed.length, 4);
  assert.deepEqual(r.falsePositives, []);
});

test('a Keras string matches with or without its quotes, and at a column inside the token', () => {
  const quoted = matchFile(REPO, FILE, [usage(9, 20, '"sparse_categorical_crossentropy"', 'cross-entropy')], set.positives, set.negatives);
  assert.equal(quoted.found.length, 1);
  const bare = matchFile(REPO, FILE, [usage(9, 21, 'sparse_categorical_crossentropy', 'cross-entropy')], set.positives, set.negatives);
  assert.equal(bare.found.length, 1);
});

test('the wrong concept on a positive is a false positive and leaves the positive missed', () => {
  const r = matchFile(REPO, FILE, [usage(8, 10, 'mse_loss', 'l1')], set.positives, set.negatives);
  assert.equal(r.found.length, 0);
  assert.equal(r.falsePositives.length, 1);
  assert.equal(r.falsePositives[0].wrongConcept?.concept, 'mse');
  assert.ok(r.missed.some((l) => l.token === 'mse_loss'));
});

test('a usage on a labelled negative, another line or another token is a false positive', () => {
  const r = matchFile(
    REPO,
    FILE,
    [usage(7, 1, 'nll_loss', 'nll'), usage(4, 16, 'CrossEntropyLoss', 'cross-entropy'), usage(5, 16, 'CrossEntropy', 'cross-entropy')],
    set.positives,
    set.negatives,
  );
  assert.equal(r.found.length, 0);
  assert.equal(r.falsePositives.length, 3);
  assert.equal(r.falsePositives[0].negative?.token, 'nll_loss');
  assert.equal(r.falsePositives[1].negative, undefined);
});

test('one label is matched once: a second usage on the same token is a false positive', () => {
  const r = matchFile(REPO, FILE, [usage(6, 8, 'DiceLoss', 'dice'), usage(6, 8, 'DiceLoss', 'dice')], set.positives, set.negatives);
  assert.equal(r.found.length, 1);
  assert.equal(r.falsePositives.length, 1);
});

test('the report gives recall and precision overall, per label slice and per repository', () => {
  const usages = [
    usage(3, 21, 'DiceLoss', 'dice', 'local'),
    usage(5, 16, 'CrossEntropyLoss', 'cross-entropy', 'library'),
    usage(7, 1, 'nll_loss', 'nll', 'definition'),
  ];
  const report = buildReport(set, [{ repo: REPO, path: FILE, usages }]);
  assert.equal(report.overall.positives, 6);
  assert.equal(report.overall.found, 2);
  assert.equal(report.overall.reported, 3);
  assert.equal(report.overall.precision, 2 / 3);
  assert.equal(report.byHow.library.found, 1);
  assert.equal(report.byHow.library.positives, 3);
  assert.equal(report.byHow.local.recall, 1 / 2);
  assert.equal(report.byHow.string.recall, 0);
  // The false positive lands in the slice of the detector's own `how`.
  assert.equal(report.byHow.definition.positives, 0);
  assert.equal(report.byHow.definition.falsePositives, 1);
  assert.equal(report.byRepo[REPO].recall, 2 / 6);
  assert.equal(report.negativesHit, 1);
});

test('a labelled file that was not scanned counts its positives as missed, an unreadable one is left out', () => {
  assert.equal(buildReport(set, []).overall.recall, 0);
  const skipped = buildReport(set, [], [{ repo: REPO, path: FILE, message: 'gone' }]);
  assert.equal(skipped.overall.positives, 0);
  assert.equal(skipped.unreadable[0].message, 'gone');
});

test('malformed label lines are reported by file and line, and the good lines are kept', () => {
  const c = '0123456789abcdef0123456789abcdef01234567';
  const text = [
    `{"repo":"a/b","commit":"${c}","path":"x.py","line":1,"column":1,"token":"mse_loss","concept":"mse","how":"library"}`,
    '{not json',
    `{"repo":"a/b","commit":"${c}","path":"x.py","line":0,"column":1,"token":"t","concept":"mse","how":"guess"}`,
    '',
    `{"repo":"a/b","commit":"${c}","path":"x.py","line":2,"column":1,"token":"acc","why":"a metric"}`,
  ].join('\n');
  const r = parseLabelLines(text, 'labels/a+b.jsonl');
  assert.equal(r.positives.length, 1);
  assert.equal(r.negatives.length, 1);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0], /^labels\/a\+b\.jsonl:2: not valid JSON/);
  assert.match(r.errors[1], /^labels\/a\+b\.jsonl:3: .*"line".*"how" must be one of/);
});

test('labels off the pinned commit or off the listed paths are rejected by name', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realcode-'));
  try {
    const c = '0123456789abcdef0123456789abcdef01234567';
    writeFileSync(path.join(dir, 'repos.json'), JSON.stringify({ repos: [{ repo: 'a/b', commit: c, paths: ['x.py'] }] }));
    execFileSync('mkdir', [path.join(dir, 'labels')]);
    const other = 'f'.repeat(40);
    writeFileSync(
      path.join(dir, 'labels', 'a+b.jsonl'),
      [
        JSON.stringify({ repo: 'a/b', commit: other, path: 'x.py', line: 1, column: 1, token: 't', concept: 'mse', how: 'library' }),
        JSON.stringify({ repo: 'a/b', commit: c, path: 'y.py', line: 1, column: 1, token: 't', concept: 'mse', how: 'library' }),
        JSON.stringify({ repo: 'a/b', commit: c, path: 'x.py', line: 1, column: 1, token: 't', concept: 'mse', how: 'library' }),
        JSON.stringify({ repo: 'a/b', commit: c, path: 'x.py', line: 1, column: 1, token: 't', why: 'twice' }),
      ].join('\n'),
    );
    const loaded = loadLabelSet(dir);
    assert.equal(loaded.positives.length, 1);
    assert.equal(loaded.negatives.length, 0);
    assert.equal(loaded.errors.length, 3);
    assert.match(loaded.errors[0], /a\+b\.jsonl:1: commit ffffffffff is not the pinned 0123456789/);
    assert.match(loaded.errors[1], /a\+b\.jsonl:2: y\.py is not among the labelled paths/);
    assert.match(loaded.errors[2], /a\+b\.jsonl:4: same place as .*a\+b\.jsonl:3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshots are read from a checked-out tree or from a bare git directory at the pinned commit', () => {
  const tree = findSnapshot(path.join(fixture, 'snapshots'), REPO);
  assert.equal(tree?.kind, 'tree');
  assert.match(readSnapshotFile(tree!, set.repos[0].commit, FILE), /nn\.CrossEntropyLoss\(label_smoothing=0\.1\)/);
  assert.throws(() => readSnapshotFile(tree!, set.repos[0].commit, 'missing.py'), /missing\.py: not in the checked-out tree/);
  assert.equal(findSnapshot(path.join(fixture, 'snapshots'), 'example/absent'), undefined);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'realcode-git-'));
  try {
    const work = path.join(dir, 'work');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    execFileSync('mkdir', ['-p', work]);
    git('init', '-q');
    writeFileSync(path.join(work, 'a.py'), 'first = 1\n');
    git('add', 'a.py');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
    const pinned = git('rev-parse', 'HEAD');
    writeFileSync(path.join(work, 'a.py'), 'second = 2\n');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-am', 'two');
    execFileSync('git', ['clone', '-q', '--bare', work, path.join(dir, 'snaps', 'o+r', 'repo')]);
    const snap = findSnapshot(path.join(dir, 'snaps'), 'o/r');
    assert.equal(snap?.kind, 'git');
    assert.equal(readSnapshotFile(snap!, pinned, 'a.py'), 'first = 1\n');
    assert.throws(() => readSnapshotFile(snap!, pinned, 'b.py'), /b\.py at [0-9a-f]{10}: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('notebook usages carry the index of their cell among all cells, markdown included', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const bundle = parseConceptBundle(readFileSync(path.join(root, 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json');
  const index = buildLossIndex(bundle.concepts);
  const notebook = JSON.stringify({
    cells: [
      { cell_type: 'markdown', source: ['# Train\n', 'nn.MSELoss in prose is not code\n'] },
      { cell_type: 'code', source: ['import torch.nn as nn\n'] },
      { cell_type: 'markdown', source: 'Then the loss:' },
      { cell_type: 'code', source: ['x = 1\n', 'criterion = nn.MSELoss()\n'] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
  const usages = detectFile('demo.ipynb', notebook, index).filter((u) => u.identifier === 'MSELoss');
  assert.deepEqual(usages.map((u) => [u.cell, u.line, u.column]), [[3, 2, 16]]);
  assert.throws(() => detectFile('broken.ipynb', '{not json', index), /not valid JSON/);
  // A .py file is scanned as Python, without a cell.
  const py = detectFile('train.py', 'import torch.nn as nn\ncriterion = nn.MSELoss()\n', index);
  assert.deepEqual(py.map((u) => [u.cell, u.line, u.identifier]), [[undefined, 2, 'MSELoss']]);
});

test('the shipped real-code labels are well formed and cover the agreed breadth', () => {
  const shipped = loadLabelSet(path.join(__dirname, '..', '..', 'realcode'));
  assert.deepEqual(shipped.errors, []);
  assert.ok(shipped.positives.length >= 1000, `${shipped.positives.length} positives`);
  assert.ok(shipped.negatives.length >= 300, `${shipped.negatives.length} negatives`);
  const files = new Set(shipped.repos.flatMap((r) => r.paths.map((p) => `${r.repo}/${p}`)));
  assert.ok(files.size >= 150, `${files.size} files`);
  assert.ok(shipped.repos.length >= 10, `${shipped.repos.length} repositories`);
  // Every slice is represented, and notebooks are labelled by cell.
  for (const how of ['library', 'definition', 'local', 'name', 'string']) {
    assert.ok(shipped.positives.some((l) => l.how === how), `no ${how} positive`);
  }
  assert.ok(shipped.positives.some((l) => l.path.endsWith('.ipynb') && l.cell !== undefined));
  assert.ok(shipped.positives.every((l) => !l.path.endsWith('.ipynb') || l.cell !== undefined), 'a notebook label without a cell');
});

test('--set picks the dev labels by default and the held-out labels by name; an unknown set is an error', () => {
  const realcode = path.join(__dirname, '..', '..', 'realcode');
  assert.equal(labelSetDir(realcode, 'dev'), realcode);
  assert.equal(labelSetDir(realcode, 'holdout'), path.join(realcode, 'holdout'));
  assert.equal(labelSetDir(realcode, 'holdout2'), path.join(realcode, 'holdout2'));
  assert.equal(labelSetDir(realcode, 'holdout3'), path.join(realcode, 'holdout3'));
  assert.throws(() => labelSetDir(realcode, 'test'), /Unknown label set "test" \(known: dev, holdout, holdout2, holdout3\)/);
  assert.throws(() => labelSetDir(realcode, 'toString'), /Unknown label set/);
  // The CLI resolves --set holdout to the held-out labels (an empty snapshots dir: every file is unreadable).
  const empty = mkdtempSync(path.join(os.tmpdir(), 'realcode-set-'));
  try {
    const run = (extra: string[]) => {
      try {
        return execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', '..', 'scripts', 'evalRealcode.ts'), empty, ...extra], { encoding: 'utf8' });
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? '') + String((err as { stderr?: string }).stderr ?? '');
      }
    };
    assert.match(run(['--set', 'holdout']), /^realcode \(test\/realcode\/holdout\):/m);
    assert.match(run(['--set', 'holdout2']), /^realcode \(test\/realcode\/holdout2\):/m);
    assert.match(run(['--set', 'holdout3']), /^realcode \(test\/realcode\/holdout3\):/m);
    assert.match(run([]), /^realcode \(test\/realcode\):/m);
    assert.match(run(['--set', 'nope']), /Unknown label set "nope"/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('the held-out labels are well formed, cover the agreed breadth and share no repository with dev', () => {
  const realcode = path.join(__dirname, '..', '..', 'realcode');
  const dev = loadLabelSet(labelSetDir(realcode, 'dev'));
  const held = loadLabelSet(labelSetDir(realcode, 'holdout'));
  assert.deepEqual(held.errors, []);
  const devRepos = new Set(dev.repos.map((r) => r.repo.toLowerCase()));
  assert.deepEqual(held.repos.map((r) => r.repo).filter((r) => devRepos.has(r.toLowerCase())), []);
  assert.ok(held.positives.length >= 300, `${held.positives.length} positives`);
  assert.ok(held.negatives.length >= 100, `${held.negatives.length} negatives`);
  const files = held.repos.flatMap((r) => r.paths);
  assert.ok(files.length >= 60, `${files.length} files`);
  assert.ok(held.repos.length >= 10, `${held.repos.length} repositories`);
  assert.ok(files.some((p) => p.endsWith('.ipynb')), 'no notebook');
  assert.ok(held.positives.some((l) => l.how === 'string'), 'no Keras string');
});

/** A fresh held-out set: well formed, disjoint from the earlier sets, of the agreed breadth, every label on a listed file. */
function checkFreshSet(name: string, earlierSets: readonly string[], min: { repos: number; files: number; positives: number; negatives: number }): void {
  const realcode = path.join(__dirname, '..', '..', 'realcode');
  const earlier = new Set(earlierSets.flatMap((set) => loadLabelSet(labelSetDir(realcode, set)).repos).map((r) => r.repo.toLowerCase()));
  const fresh = loadLabelSet(labelSetDir(realcode, name));
  assert.deepEqual(fresh.errors, []);
  assert.deepEqual(fresh.repos.map((r) => r.repo).filter((r) => earlier.has(r.toLowerCase())), []);
  assert.ok(fresh.repos.length >= min.repos, `${fresh.repos.length} repositories`);
  assert.ok(fresh.repos.flatMap((r) => r.paths).length >= min.files, `fewer than ${min.files} files`);
  assert.ok(fresh.positives.length >= min.positives, `${fresh.positives.length} positives`);
  assert.ok(fresh.negatives.length >= min.negatives, `${fresh.negatives.length} negatives`);
  for (const how of ['library', 'definition', 'local', 'name', 'string']) {
    assert.ok(fresh.positives.some((l) => l.how === how), `no ${how} positive`);
  }
  assert.ok(fresh.positives.some((l) => l.path.endsWith('.ipynb') && l.cell !== undefined), 'no notebook positive');
  // Every label sits on a listed file of its repository at the pinned commit.
  const listed = new Map(fresh.repos.map((r) => [r.repo, { commit: r.commit, paths: new Set(r.paths) }]));
  for (const l of [...fresh.positives, ...fresh.negatives]) {
    const entry = listed.get(l.repo);
    assert.ok(entry && entry.commit === l.commit && entry.paths.has(l.path), `${l.repo} ${l.path}:${l.line} is not a listed file at the pinned commit`);
  }
}

test('the second held-out labels are well formed, cover the agreed breadth and share no repository with dev or holdout', () => {
  checkFreshSet('holdout2', ['dev', 'holdout'], { repos: 12, files: 100, positives: 300, negatives: 100 });
});

test('the third held-out labels are well formed, cover the agreed breadth and share no repository with dev, holdout or holdout2', () => {
  checkFreshSet('holdout3', ['dev', 'holdout', 'holdout2'], { repos: 6, files: 40, positives: 200, negatives: 150 });
});
