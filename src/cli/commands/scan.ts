/**
 * `paperlens scan [--json] [--progress] <file-or-dir>...` — lists every loss named in Python files
 * and notebooks, with the concept it resolves to and the papers behind it.
 *
 * Directories are walked recursively in name order, skipping the folders of
 * src/core/fs/excluded.ts (version control, dependencies, caches, virtual environments by name)
 * and any folder holding `pyvenv.cfg` or `conda-meta`. Each file is scanned by
 * src/services/fileScan.ts (the detector, then the paper-aware checks, which follow values into
 * the other .py files of the scan); a tree of many files is scanned by the main thread and
 * worker threads (src/cli/scan/parallelScan.ts), with results in the same order and the same content as on one
 * thread. A file that cannot be read, a notebook that is not valid JSON and a file of binary data
 * are listed under `errors` with their path, and the scan goes on. Exit code 0, or 2 when a path
 * given on the command line is missing or not a .py/.ipynb file; with `--fail-on SEVERITY`, 1 when
 * a finding is at least that severe and 2 when anything could not be scanned.
 *
 * Lines and columns are 1-based, columns in UTF-16 code units; `endColumn = column + length of the
 * identifier` (the column just after it). Notebook positions carry `cell`: the 0-based index of the
 * cell among all cells of the notebook (markdown cells count), as in the .ipynb `cells` array and
 * VS Code's `NotebookCell.index`; `line` is then 1-based within the cell.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RuleSettings } from '../../core/checks/analyze';
import { RULES_BY_ID } from '../../core/checks/rules';
import { atLeast, isSeverity, toSarif, type LocatedFinding, type SarifFix } from '../../core/checks/sarif';
import type { Severity } from '../../core/checks/types';
import { isEnvironmentFolder, isExcludedDir } from '../../core/fs/excluded';
import { DataServices } from '../../services/dataServices';
import { fileKind, type ScanJsonFinding, type ScanJsonUsage } from '../../services/fileScan';
import { RULES_DOC } from '../../services/ruleDocs';
import { createTreeScanner, errorMessage, type TreeScanSetup } from '../../services/treeScan';
import { intOption, parseArgs } from '../args';
import { restoreDefaultEngineFlags } from '../engineFlags';
import { UsageError, type CliCommand, type CliIO } from '../io';
import { scanFilesInParallel, threadsFor } from '../scan/parallelScan';

export type { ScanJsonFinding, ScanJsonUsage };

const USAGE = `Usage: paperlens scan [--json | --format text|json|sarif] [--fail-on SEVERITY] [--enable RULE]... [--disable RULE]... [--progress|--no-progress] [--jobs N] [--stats] [--corpus FILE]... <file-or-dir>...

Lists the losses named in .py files and .ipynb notebooks (directories are scanned recursively),
and the loss bugs the paper-aware checks find.
  --json             machine-readable output: {"files":[{"path","usages","findings"}],"errors":[…]}
  --format sarif     SARIF 2.1.0 for code-scanning tools (findings only)
  --fail-on SEV      exit 1 when a finding is at least SEV: error, warning, information or hint;
                     exit 2 when a file cannot be read or is binary data (skipped), a .py file does
                     not parse or a --corpus file does not load
  --enable RULE      turn on a rule that is off by default (label-smoothing-convention)
  --disable RULE     turn a rule off
  --progress         report progress on stderr (default: only on a terminal, for more than ${200} files)
  --jobs N           threads that scan files (default: the idle cores — cores less the load average —,
                     at most 8, one per 128 files)
  --stats            report files, threads, time and peak memory on stderr (with --json: also as "stats")
  --corpus FILE      also list your own papers (.bib, .paperlens.json, a page dump); repeatable
A path given here that is missing or not a .py/.ipynb file is reported and exits 2 (the other
paths are still scanned).`;

export interface ScanJsonOutput {
  files: { path: string; usages: ScanJsonUsage[]; findings: ScanJsonFinding[] }[];
  /** Paths that could not be scanned, and Python files that do not parse (`line`: where). */
  errors: { path: string; message: string; line?: number }[];
  /** With --stats: how the scan ran. */
  stats?: ScanStats;
}

/** How a scan ran (`--stats`). */
export interface ScanStats {
  files: number;
  /** Threads that scanned: the main thread and `threads - 1` workers. */
  threads: number;
  ms: number;
  /** The process's peak resident memory (main thread and workers), in MB. */
  peakMemoryMB: number;
}

/** Progress is reported for trees larger than this, every PROGRESS_EVERY files. */
const PROGRESS_THRESHOLD = 200;
const PROGRESS_EVERY = 100;
/**
 * From this many files, a scan runs long enough for V8's default compiler settings to win
 * (engineFlags.ts). Measured on the benchmark's generated tree (bench/genTree.ts): without
 * inlining, 20 files took 0.44 s instead of 0.50 s, 100 files 0.63 s instead of 0.72 s, 400 files
 * 1.00 s instead of 1.08 s; 1,000 files tied (1.36 s, 1.37 s); all 2,400 files took 3.00 s instead
 * of 2.62 s with inlining.
 */
const MANY_FILES = 1000;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Collects `.py`/`.ipynb` files under the arguments, in a stable order, and path errors. */
async function collectFiles(args: string[], cwd: string): Promise<{ files: { abs: string; shown: string }[]; errors: { path: string; message: string }[]; badArguments: number }> {
  const files: { abs: string; shown: string }[] = [];
  const errors: { path: string; message: string }[] = [];
  // Paths on the command line that name nothing to scan (missing, or not a .py/.ipynb file).
  let badArguments = 0;
  const seen = new Set<string>();

  const add = (abs: string, shown: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, shown: toPosix(shown) });
  };

  const walk = async (dirAbs: string, dirShown: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      errors.push({ path: toPosix(dirShown), message: errorMessage(err) });
      return;
    }
    if (isEnvironmentFolder(entries.map((e) => e.name))) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dirAbs, entry.name);
      const shown = path.join(dirShown, entry.name);
      if (entry.isDirectory()) {
        if (isExcludedDir(entry.name)) continue;
        await walk(abs, shown);
      } else if (fileKind(entry.name)) {
        if (entry.isFile()) add(abs, shown);
        else if (entry.isSymbolicLink()) {
          // Follow file links; directory links are not followed (no cycles, no escaping the tree).
          try {
            if ((await stat(abs)).isFile()) add(abs, shown);
          } catch (err) {
            errors.push({ path: toPosix(shown), message: errorMessage(err) });
          }
        }
      }
    }
  };

  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const shown = path.isAbsolute(arg) ? arg : path.normalize(arg);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      errors.push({ path: toPosix(arg), message: errorMessage(err) });
      badArguments++;
      continue;
    }
    if (info.isDirectory()) await walk(abs, shown === '.' ? '' : shown);
    else if (fileKind(abs)) add(abs, shown);
    else {
      errors.push({ path: toPosix(arg), message: 'not a .py or .ipynb file' });
      badArguments++;
    }
  }
  return { files, errors, badArguments };
}

function location(file: string, u: { cell?: number; line: number; column: number }): string {
  return u.cell === undefined ? `${file}:${u.line}:${u.column}` : `${file}#cell${u.cell}:${u.line}:${u.column}`;
}

/** `paperlens scan`: see the module comment. */
export const scanCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'progress', 'no-progress', 'stats', 'help'], valued: ['format', 'fail-on', 'enable', 'disable', 'corpus', 'jobs'] });
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError(`expected at least one file or directory.\n${USAGE}`);
  const format = parsed.options.get('format')?.at(-1) ?? (parsed.flags.has('json') ? 'json' : 'text');
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, got "${format}"`);
  const json = format === 'json';
  const failOn = parsed.options.get('fail-on')?.at(-1);
  if (failOn !== undefined && !isSeverity(failOn)) throw new UsageError(`--fail-on must be error, warning, information or hint, got "${failOn}"`);
  const rules = ruleSettings(parsed.options.get('enable') ?? [], parsed.options.get('disable') ?? []);

  const jobs = parsed.options.has('jobs') ? intOption(parsed, 'jobs', 1) : undefined;
  const started = performance.now();

  const services = new DataServices(io.dataDir);
  const userFiles = parsed.options.get('corpus') ?? [];
  // No usable concept is an error naming concepts.json, before any file is read.
  const issues = services.concepts.length ? services.conceptFile.issues : [];
  const corpus = await services.addUserFiles(userFiles, io.cwd, (i) => io.err(`${i.file}:${i.line}: ${i.severity}: ${i.message}`));
  // Problems in the shipped data (users' files reported theirs above).
  const fatal = [...issues, ...(userFiles.length ? [] : services.shipped.issues)].filter((i) => i.severity === 'error');
  if (fatal.length) io.err(`paperlens scan: warning: ${fatal.length} problem(s) in the data files; first: ${fatal[0].file}:${fatal[0].line}: ${fatal[0].message}`);

  const { files, errors, badArguments } = await collectFiles(parsed.positionals, io.cwd);
  const errIsTTY = (io as CliIO & { errIsTTY?: boolean }).errIsTTY ?? process.stderr.isTTY === true;
  const showProgress = !parsed.flags.has('no-progress') &&
    (parsed.flags.has('progress') || (errIsTTY && files.length > PROGRESS_THRESHOLD));

  const output: ScanJsonOutput = { files: [], errors };
  const setup: TreeScanSetup = {
    dataDir: io.dataDir,
    rules,
    // Only JSON lists each usage's papers: text and SARIF do not read the corpus for them.
    papers: json ? [...services.papersByConcept()] : [],
    pythonFiles: files.filter((f) => fileKind(f.abs) === 'python').map((f) => toPosix(f.abs)),
  };
  // Many files: a long run, where V8's inlining pays off (engineFlags.ts).
  if (files.length >= MANY_FILES) restoreDefaultEngineFlags();
  const threads = threadsFor(files.length, jobs);
  const sarifFixesByFinding = new Map<ScanJsonFinding, SarifFix[]>();
  // Results arrive in the files' order, from one thread or many.
  await scanFilesInParallel(files.map((f) => f.abs), {
    setup,
    threads,
    scanner: createTreeScanner(setup, services),
    onResult: (k, result) => {
      const file = files[k];
      if ('error' in result) output.errors.push({ path: file.shown, message: result.error });
      else {
        output.files.push({ path: file.shown, usages: result.usages, findings: result.findings });
        result.findings.forEach((f, j) => {
          const fx = result.fixes[j];
          if (fx?.length) sarifFixesByFinding.set(f, fx);
        });
        if (result.syntax) output.errors.push({ path: file.shown, message: result.syntax.message, line: result.syntax.line });
      }
      const done = k + 1;
      if (showProgress && (done % PROGRESS_EVERY === 0 || done === files.length)) {
        io.err(`paperlens scan: ${done}/${files.length} files`);
      }
    },
  });
  if (parsed.flags.has('stats')) {
    // maxRSS is in kilobytes: the peak of the whole process, worker threads included.
    const stats: ScanStats = { files: files.length, threads, ms: Math.round(performance.now() - started), peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024) };
    io.err(`paperlens scan: ${stats.files} files in ${(stats.ms / 1000).toFixed(2)} s on ${threads === 1 ? 'the main thread' : `${threads} threads (the main thread and ${threads - 1} worker${threads === 2 ? '' : 's'})`}; peak memory ${stats.peakMemoryMB} MB`);
    if (json) output.stats = stats;
  }

  // Every finding with its file and SARIF fixes: built for --format sarif only (a copy per
  // finding was a fortieth of a 50,000-line file's scan, issue 23).
  const locatedFindings = (): LocatedFinding[] => output.files.flatMap((file) => file.findings.map((f) => {
    const fixes = sarifFixesByFinding.get(f);
    return fixes ? { path: file.path, ...f, fixes } : { path: file.path, ...f };
  }));
  const findingCount = output.files.reduce((n, file) => n + file.findings.length, 0);
  // A path on the command line that names nothing to scan (`paperlens scan srcc/`) exits 2 in
  // every mode: the scan did not do what was asked (the other paths are still scanned and shown).
  // With --fail-on, a scan that could not read everything fails too: an unreadable file or a
  // Python file that does not parse exits 2 (a CI gate must not pass on what it never saw). A
  // --corpus file that could not be (fully) loaded counts the same way.
  const exitCode = badArguments > 0 ? 2
    : failOn === undefined ? 0
    : output.errors.length > 0 || corpus.errors > 0 ? 2
      : output.files.some((file) => file.findings.some((f) => atLeast(f.severity, failOn as Severity))) ? 1 : 0;
  if (json) {
    io.out(JSON.stringify(output, null, 2));
    return exitCode;
  }
  if (format === 'sarif') {
    io.out(JSON.stringify(toSarif(locatedFindings(), '0.1.0', RULES_DOC), null, 2));
    for (const e of output.errors) io.err(`paperlens scan: ${e.path}: ${e.message}`);
    return exitCode;
  }

  // Lines are written in two blocks (one write each, not one per line: a write per line was a
  // twentieth of a 50,000-line file's scan, issue 23), with the errors on stderr between them.
  const counts = new Map<string, number>();
  let total = 0;
  const usageLines: string[] = [];
  for (const file of output.files) {
    for (const u of file.usages) {
      usageLines.push(`${location(file.path, u)} ${u.concept} ${u.qualifiedName}`);
      counts.set(u.concept, (counts.get(u.concept) ?? 0) + 1);
      total++;
    }
  }
  if (usageLines.length) io.out(usageLines.join('\n'));
  for (const e of output.errors) io.err(`paperlens scan: ${e.path}: ${e.message}`);
  const rest: string[] = [];
  if (total > 0) {
    rest.push('');
    const width = Math.max(...[...counts.keys()].map((k) => k.length));
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [concept, n] of sorted) rest.push(`${concept.padEnd(width)}  ${n}`);
  }
  if (findingCount > 0) {
    rest.push('');
    for (const file of output.files) {
      for (const f of file.findings) rest.push(`${location(file.path, f)} ${f.severity} ${f.rule}: ${f.message}`);
    }
  }
  const fileWord = output.files.length === 1 ? 'file' : 'files';
  rest.push(`${total} loss usage${total === 1 ? '' : 's'} of ${counts.size} concept${counts.size === 1 ? '' : 's'} in ${output.files.length} ${fileWord}` +
    `, ${findingCount} finding${findingCount === 1 ? '' : 's'}` +
    (output.errors.length ? ` (${output.errors.length} error${output.errors.length === 1 ? '' : 's'})` : ''));
  io.out(rest.join('\n'));
  return exitCode;
};

/** Rule settings from --enable/--disable; unknown rule ids are usage errors. */
function ruleSettings(enable: string[], disable: string[]): RuleSettings {
  for (const id of [...enable, ...disable]) {
    if (!RULES_BY_ID.has(id)) throw new UsageError(`unknown rule "${id}"; rules: ${[...RULES_BY_ID.keys()].join(', ')}`);
  }
  const severity: Record<string, Severity> = {};
  for (const id of enable) severity[id] = RULES_BY_ID.get(id)!.defaultSeverity;
  return { disabled: disable, severity };
}

/** The same command under the name the issue uses. */
export const scan: CliCommand = scanCommand;
