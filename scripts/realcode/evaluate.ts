/**
 * The real-code evaluation: labels of loss usages in public repositories (test/realcode/), read
 * against local snapshots of those repositories, compared with what the detector reports.
 *
 * Kept apart from the command line (scripts/evalRealcode.ts) so the matching can be unit-tested on
 * a tiny fixture. The labelling rules are in test/realcode/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ProjectLosses, scanNotebook, scanSource } from '../../src/core/detect/detector';
import type { LossIndex } from '../../src/core/detect/lossIndex';
import { parseIpynb } from '../../src/core/detect/notebook';
import type { LossUsage } from '../../src/core/detect/types';

/** How a positive is named in the code (the label's slice). See test/realcode/README.md. */
export const HOWS = ['library', 'definition', 'local', 'name', 'string'] as const;
export type How = (typeof HOWS)[number];

/** A place where a user would want a hover card for a loss. */
export interface PositiveLabel {
  repo: string;
  commit: string;
  path: string;
  /** 0-based index of the cell among all cells, for notebooks only. */
  cell?: number;
  /** 1-based line (within the cell for notebooks). */
  line: number;
  /** 1-based column of the token's first character, in UTF-16 code units. */
  column: number;
  /** The identifier as written; for a string, its contents without quotes. */
  token: string;
  concept: string;
  how: How;
  /** Where the label was written: `file:line` of the JSONL (not part of the file). */
  origin: string;
}

/** A loss-like token that is not a loss usage (a variable, a metric, a path component, a log key). */
export interface NegativeLabel {
  repo: string;
  commit: string;
  path: string;
  cell?: number;
  line: number;
  column: number;
  token: string;
  why: string;
  origin: string;
}

/** One labelled repository: the commit read and the files whose every loss usage is labelled. */
export interface RepoEntry {
  repo: string;
  commit: string;
  paths: string[];
}

export interface LabelSet {
  repos: RepoEntry[];
  positives: PositiveLabel[];
  negatives: NegativeLabel[];
  /** Malformed lines, each naming its file and line; the other lines are kept. */
  errors: string[];
}

/** What the evaluation needs of a detector usage (a subset of LossUsage, plus a future `how`). */
export interface DetectedUsage {
  line: number;
  column: number;
  endColumn: number;
  identifier: string;
  conceptId: string;
  /** The detector's own slice, when it reports one. */
  how?: string;
  cell?: number;
}

/** Detector usages of one labelled file. */
export interface FileUsages {
  repo: string;
  path: string;
  usages: DetectedUsage[];
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SHA_RE = /^[0-9a-f]{40}$/;

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** Reads `repos.json`: `{ "repos": [{ "repo", "commit", "paths": [...] }] }`. */
export function parseRepos(text: string, file: string): { repos: RepoEntry[]; errors: string[] } {
  const errors: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { repos: [], errors: [`${file}: not valid JSON (${(err as Error).message})`] };
  }
  const list = (data as { repos?: unknown })?.repos;
  if (!Array.isArray(list)) return { repos: [], errors: [`${file}: expected {"repos": [...]}`] };
  const repos: RepoEntry[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const where = `${file}: repos[${i}]`;
    const e = entry as Partial<RepoEntry>;
    if (typeof e?.repo !== 'string' || !ID_RE.test(e.repo)) return void errors.push(`${where}: "repo" must be "owner/name"`);
    if (typeof e.commit !== 'string' || !SHA_RE.test(e.commit)) return void errors.push(`${where} (${e.repo}): "commit" must be 40 lowercase hex digits`);
    if (!Array.isArray(e.paths) || !e.paths.every((p) => typeof p === 'string' && p.length > 0)) return void errors.push(`${where} (${e.repo}): "paths" must be a list of file paths`);
    if (seen.has(e.repo)) return void errors.push(`${where}: ${e.repo} is listed twice`);
    seen.add(e.repo);
    repos.push({ repo: e.repo, commit: e.commit, paths: [...new Set(e.paths)] });
  });
  return { repos, errors };
}

/**
 * Reads one JSONL label file. A line with `why` is a negative, a line with `concept` and `how` a
 * positive. Blank lines are skipped; a malformed line is reported (file:line) and the rest is kept.
 */
export function parseLabelLines(text: string, file: string): { positives: PositiveLabel[]; negatives: NegativeLabel[]; errors: string[] } {
  const positives: PositiveLabel[] = [];
  const negatives: NegativeLabel[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const origin = `${file}:${i + 1}`;
    if (raw.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch (err) {
      return void errors.push(`${origin}: not valid JSON (${(err as Error).message})`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) return void errors.push(`${origin}: expected a JSON object`);
    const problems: string[] = [];
    if (typeof row.repo !== 'string' || !ID_RE.test(row.repo)) problems.push('"repo" must be "owner/name"');
    if (typeof row.commit !== 'string' || !SHA_RE.test(row.commit)) problems.push('"commit" must be 40 lowercase hex digits');
    if (typeof row.path !== 'string' || row.path === '') problems.push('"path" is missing');
    if (!isPositiveInteger(row.line)) problems.push('"line" must be an integer ≥ 1');
    if (!isPositiveInteger(row.column)) problems.push('"column" must be an integer ≥ 1');
    if (typeof row.token !== 'string' || row.token === '') problems.push('"token" is missing');
    if (row.cell !== undefined && !(typeof row.cell === 'number' && Number.isInteger(row.cell) && row.cell >= 0)) problems.push('"cell" must be an integer ≥ 0');
    const isNegative = row.why !== undefined;
    if (isNegative) {
      if (typeof row.why !== 'string' || row.why === '') problems.push('"why" must be a non-empty string');
      if (row.concept !== undefined || row.how !== undefined) problems.push('a negative (with "why") has no "concept" or "how"');
    } else {
      if (typeof row.concept !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(row.concept)) problems.push('"concept" must be a concept id (or give "why" for a negative)');
      if (!HOWS.includes(row.how as How)) problems.push(`"how" must be one of ${HOWS.join(', ')}`);
    }
    if (problems.length) return void errors.push(`${origin}: ${problems.join('; ')}`);
    const base = {
      repo: row.repo as string,
      commit: row.commit as string,
      path: row.path as string,
      ...(row.cell !== undefined ? { cell: row.cell as number } : {}),
      line: row.line as number,
      column: row.column as number,
      token: row.token as string,
      origin,
    };
    if (isNegative) negatives.push({ ...base, why: row.why as string });
    else positives.push({ ...base, concept: row.concept as string, how: row.how as How });
  });
  return { positives, negatives, errors };
}

/**
 * Loads `repos.json` and every `labels/*.jsonl` under `dir`, and checks them against each other:
 * a label must name a listed repository, its pinned commit and one of its labelled paths, and no
 * two labels may sit on the same token.
 */
export function loadLabelSet(dir: string): LabelSet {
  const reposFile = path.join(dir, 'repos.json');
  const { repos, errors } = existsSync(reposFile)
    ? parseRepos(readFileSync(reposFile, 'utf8'), reposFile)
    : { repos: [], errors: [`${reposFile}: missing`] };
  const positives: PositiveLabel[] = [];
  const negatives: NegativeLabel[] = [];
  const labelsDir = path.join(dir, 'labels');
  const files = existsSync(labelsDir) ? readdirSync(labelsDir).filter((f) => f.endsWith('.jsonl')).sort() : [];
  for (const f of files) {
    const file = path.join(labelsDir, f);
    const parsed = parseLabelLines(readFileSync(file, 'utf8'), file);
    errors.push(...parsed.errors);
    positives.push(...parsed.positives);
    negatives.push(...parsed.negatives);
  }
  const byRepo = new Map(repos.map((r) => [r.repo, r]));
  const seenAt = new Map<string, string>();
  const keep = <T extends PositiveLabel | NegativeLabel>(label: T): boolean => {
    const entry = byRepo.get(label.repo);
    if (!entry) return void errors.push(`${label.origin}: ${label.repo} is not in repos.json`), false;
    if (entry.commit !== label.commit) return void errors.push(`${label.origin}: commit ${label.commit.slice(0, 10)} is not the pinned ${entry.commit.slice(0, 10)} of ${label.repo}`), false;
    if (!entry.paths.includes(label.path)) return void errors.push(`${label.origin}: ${label.path} is not among the labelled paths of ${label.repo} in repos.json`), false;
    const key = `${label.repo}\t${label.path}\t${label.cell ?? ''}\t${label.line}\t${label.column}`;
    const other = seenAt.get(key);
    if (other) return void errors.push(`${label.origin}: same place as ${other}`), false;
    seenAt.set(key, label.origin);
    return true;
  };
  return { repos, positives: positives.filter(keep), negatives: negatives.filter(keep), errors };
}

/** Strips one pair of surrounding quotes (with an optional string prefix) from a token. */
function bareToken(token: string): string {
  const m = /^[rRbBuUfF]{0,2}(['"])(.*)\1$/s.exec(token);
  return m ? m[2] : token;
}

function spanOverlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** Result of matching one file's (or all files') usages with the labels. */
export interface MatchResult {
  /** Positives the detector found with the right concept. */
  found: { label: PositiveLabel; usage: DetectedUsage }[];
  /** Positives not found (including those found with another concept). */
  missed: PositiveLabel[];
  /** Usages that match no positive: wrong place, wrong token, or wrong concept. */
  falsePositives: { repo: string; path: string; usage: DetectedUsage; negative?: NegativeLabel; wrongConcept?: PositiveLabel }[];
}

/**
 * Matches the detector's usages of one file with that file's labels. A usage matches a positive on
 * the same cell and line when their spans overlap, the tokens agree (quotes aside) and the concept
 * is the same; each label is matched at most once. A usage on a positive with another concept is a
 * false positive (and the positive stays missed); a usage on a labelled negative is a false
 * positive that names the negative.
 */
export function matchFile(
  repo: string,
  filePath: string,
  usages: readonly DetectedUsage[],
  positives: readonly PositiveLabel[],
  negatives: readonly NegativeLabel[],
): MatchResult {
  const result: MatchResult = { found: [], missed: [], falsePositives: [] };
  const used = new Set<PositiveLabel>();
  const same = (u: DetectedUsage, l: PositiveLabel | NegativeLabel): boolean => {
    if ((u.cell ?? -1) !== (l.cell ?? -1) || u.line !== l.line) return false;
    const token = bareToken(l.token);
    const ident = bareToken(u.identifier);
    if (token !== ident) return false;
    return spanOverlaps(u.column, Math.max(u.endColumn, u.column + 1), l.column, l.column + Math.max(1, l.token.length));
  };
  for (const u of usages) {
    const candidates = positives.filter((l) => !used.has(l) && same(u, l));
    const hit = candidates.find((l) => l.concept === u.conceptId);
    if (hit) {
      used.add(hit);
      result.found.push({ label: hit, usage: u });
      continue;
    }
    const negative = negatives.find((n) => same(u, n));
    result.falsePositives.push({
      repo,
      path: filePath,
      usage: u,
      ...(negative ? { negative } : {}),
      ...(candidates[0] ? { wrongConcept: candidates[0] } : {}),
    });
  }
  for (const l of positives) if (!used.has(l)) result.missed.push(l);
  return result;
}

/** Counts behind one line of the report. */
export interface Score {
  positives: number;
  found: number;
  reported: number;
  falsePositives: number;
  recall: number;
  precision: number;
}

function score(positives: number, found: number, falsePositives: number): Score {
  const reported = found + falsePositives;
  return {
    positives,
    found,
    reported,
    falsePositives,
    recall: positives === 0 ? 1 : found / positives,
    precision: reported === 0 ? 1 : found / reported,
  };
}

export interface Report {
  files: number;
  repos: number;
  negatives: number;
  overall: Score;
  /** By the label's `how`; false positives are counted in the slice of the detector's `how` when it gives one. */
  byHow: Record<string, Score>;
  byRepo: Record<string, Score>;
  /** Labelled negatives the detector reported as usages. */
  negativesHit: number;
  /** Usages on a positive's token with another concept. */
  wrongConcept: number;
  missed: PositiveLabel[];
  falsePositives: MatchResult['falsePositives'];
  /** Files that could not be read (named), left out of every figure. */
  unreadable: { repo: string; path: string; message: string }[];
}

/** Sums per-file matches into the report. */
export function buildReport(set: LabelSet, perFile: readonly FileUsages[], unreadable: Report['unreadable'] = []): Report {
  const skipped = new Set(unreadable.map((u) => `${u.repo}\t${u.path}`));
  const key = (repo: string, p: string) => `${repo}\t${p}`;
  const posBy = new Map<string, PositiveLabel[]>();
  const negBy = new Map<string, NegativeLabel[]>();
  for (const l of set.positives) if (!skipped.has(key(l.repo, l.path))) (posBy.get(key(l.repo, l.path)) ?? posBy.set(key(l.repo, l.path), []).get(key(l.repo, l.path))!).push(l);
  for (const l of set.negatives) if (!skipped.has(key(l.repo, l.path))) (negBy.get(key(l.repo, l.path)) ?? negBy.set(key(l.repo, l.path), []).get(key(l.repo, l.path))!).push(l);
  const all: MatchResult = { found: [], missed: [], falsePositives: [] };
  for (const f of perFile) {
    const r = matchFile(f.repo, f.path, f.usages, posBy.get(key(f.repo, f.path)) ?? [], negBy.get(key(f.repo, f.path)) ?? []);
    all.found.push(...r.found);
    all.missed.push(...r.missed);
    all.falsePositives.push(...r.falsePositives);
  }
  // Labelled files the caller did not scan still count their positives as missed.
  const scanned = new Set(perFile.map((f) => key(f.repo, f.path)));
  for (const [k, labels] of posBy) if (!scanned.has(k)) all.missed.push(...labels);

  const tally = (pick: (repo: string, how: string | undefined) => string | undefined) => {
    const pos = new Map<string, number>();
    const found = new Map<string, number>();
    const fp = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string | undefined) => k !== undefined && m.set(k, (m.get(k) ?? 0) + 1);
    for (const { label } of all.found) bump(found, pick(label.repo, label.how)), bump(pos, pick(label.repo, label.how));
    for (const label of all.missed) bump(pos, pick(label.repo, label.how));
    for (const f of all.falsePositives) bump(fp, pick(f.repo, f.usage.how ?? f.wrongConcept?.how));
    const keys = [...new Set([...pos.keys(), ...fp.keys()])].sort();
    return Object.fromEntries(keys.map((k) => [k, score(pos.get(k) ?? 0, found.get(k) ?? 0, fp.get(k) ?? 0)]));
  };
  const filesWithLabels = new Set([...set.positives, ...set.negatives].map((l) => key(l.repo, l.path)));
  const listed = new Set(set.repos.flatMap((r) => r.paths.map((p) => key(r.repo, p))));
  return {
    files: [...listed].filter((k) => !skipped.has(k)).length || filesWithLabels.size,
    repos: set.repos.length,
    negatives: set.negatives.filter((n) => !skipped.has(key(n.repo, n.path))).length,
    overall: score(all.found.length + all.missed.length, all.found.length, all.falsePositives.length),
    byHow: tally((_, how) => how ?? 'unsliced'),
    byRepo: tally((repo) => repo),
    negativesHit: all.falsePositives.filter((f) => f.negative).length,
    wrongConcept: all.falsePositives.filter((f) => f.wrongConcept).length,
    missed: all.missed,
    falsePositives: all.falsePositives,
    unreadable,
  };
}

/**
 * The named label sets under test/realcode/: `dev` (the labels the detector may be tuned on),
 * `holdout` (repositories disjoint from dev, for reporting generalisation only; see the README),
 * `holdout2` (a fresh held-out set, disjoint from both, labelled before the detector was run on it)
 * and `holdout3` (a third one, disjoint from all three, also labelled before the detector ran on it).
 */
export const LABEL_SETS = { dev: '.', holdout: 'holdout', holdout2: 'holdout2', holdout3: 'holdout3' } as const;
export type LabelSetName = keyof typeof LABEL_SETS;

/** The directory of the label set `name` under `realcodeDir`; throws on an unknown name. */
export function labelSetDir(realcodeDir: string, name: string): string {
  if (!Object.prototype.hasOwnProperty.call(LABEL_SETS, name)) {
    throw new Error(`Unknown label set "${name}" (known: ${Object.keys(LABEL_SETS).join(', ')})`);
  }
  return path.join(realcodeDir, LABEL_SETS[name as LabelSetName]);
}

/**
 * Finds the snapshot of `owner/name` under `dir`: `<owner>+<name>` as a bare git directory, a
 * folder holding one (`repo/`, the fetch layout), a clone (`.git/`), or a plain checked-out tree.
 */
export type Snapshot = { kind: 'git'; gitDir: string } | { kind: 'tree'; root: string };

export function findSnapshot(dir: string, repo: string): Snapshot | undefined {
  const base = path.join(dir, repo.replace('/', '+'));
  if (!existsSync(base) || !statSync(base).isDirectory()) return undefined;
  const isBare = (d: string) => existsSync(path.join(d, 'HEAD')) && existsSync(path.join(d, 'objects'));
  for (const candidate of [base, path.join(base, 'repo'), path.join(base, '.git')]) {
    if (existsSync(candidate) && isBare(candidate)) return { kind: 'git', gitDir: candidate };
  }
  return { kind: 'tree', root: base };
}

/** The text of `filePath` at `commit` in a snapshot. Throws an Error naming the file on failure. */
export function readSnapshotFile(snapshot: Snapshot, commit: string, filePath: string): string {
  if (snapshot.kind === 'git') {
    try {
      return execFileSync('git', ['--git-dir', snapshot.gitDir, 'show', `${commit}:${filePath}`], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
      throw new Error(`${filePath} at ${commit.slice(0, 10)}: ${stderr || (err as Error).message}`);
    }
  }
  const abs = path.join(snapshot.root, ...filePath.split('/'));
  if (!existsSync(abs)) throw new Error(`${filePath}: not in the checked-out tree ${snapshot.root}`);
  return readFileSync(abs, 'utf8');
}

/**
 * The repository at `commit` as the project the detector follows imports into, as `paperlens scan`
 * of the repository's folder would: every `.py` file of the snapshot (listed once), read on first use.
 */
export function snapshotProject(snapshot: Snapshot, commit: string, index: LossIndex): ProjectLosses {
  let listed: Set<string> | undefined;
  if (snapshot.kind === 'git') {
    try {
      const out = execFileSync('git', ['--git-dir', snapshot.gitDir, 'ls-tree', '-r', '--name-only', commit], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
      listed = new Set(out.split('\n').filter((p) => p.endsWith('.py')));
    } catch {
      listed = new Set();
    }
  }
  const texts = new Map<string, string | undefined>();
  return new ProjectLosses(index, (filePath) => {
    if (!filePath.endsWith('.py') || (listed && !listed.has(filePath))) return undefined;
    if (!texts.has(filePath)) {
      let text: string | undefined;
      try {
        text = readSnapshotFile(snapshot, commit, filePath);
      } catch {
        text = undefined;
      }
      texts.set(filePath, text);
    }
    return texts.get(filePath);
  }, '');
}

/** The detector's `how` when it gives one (a later detector may add the field). */
function toDetected(u: LossUsage, cell?: number): DetectedUsage {
  const how = (u as LossUsage & { how?: unknown }).how;
  return {
    line: u.line,
    column: u.column,
    endColumn: u.endColumn,
    identifier: u.identifier,
    conceptId: u.conceptId,
    ...(typeof how === 'string' ? { how } : {}),
    ...(cell !== undefined ? { cell } : {}),
  };
}

/**
 * Runs the detector on one file as the CLI scan would (`project`: the repository, for names imported
 * from its own modules): a `.ipynb` cell by cell (usages carry the
 * cell's index among all cells, markdown included, as the labels do), anything else as Python.
 * Throws an Error naming the problem when a notebook is not valid JSON.
 */
export function detectFile(filePath: string, text: string, index: LossIndex, project?: ProjectLosses): DetectedUsage[] {
  const imports = project?.importsOf(filePath);
  if (!filePath.endsWith('.ipynb')) return scanSource(text, index, { project: imports }).usages.map((u) => toDetected(u));
  const notebook = parseIpynb(text);
  if (notebook.error) throw new Error(notebook.error);
  const usages: DetectedUsage[] = [];
  scanNotebook(notebook.cells.map((c) => c.source), index, { project: imports }).cells.forEach((scan, i) => {
    usages.push(...scan.usages.map((u) => toDetected(u, notebook.cells[i].index)));
  });
  return usages;
}
