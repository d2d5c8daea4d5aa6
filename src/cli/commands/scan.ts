/**
 * `paperlens scan [--json] [--progress] <file-or-dir>...` — lists every loss named in Python files
 * and notebooks, with the concept it resolves to and the papers behind it.
 *
 * Directories are walked recursively in name order, skipping version-control folders,
 * `node_modules`, caches, `.ipynb_checkpoints` and virtual environments (by name, or any folder
 * holding `pyvenv.cfg` or `conda-meta`). A file that cannot be read, or a notebook that is not
 * valid JSON, is listed under `errors` and the scan goes on. Each file also gets the findings of the
 * paper-aware checks (src/core/checks). Exit code 0, or 1 with `--fail-on SEVERITY` when a finding
 * is at least that severe.
 *
 * Lines and columns are 1-based, columns in UTF-16 code units; `endColumn = column + length of the
 * identifier` (the column just after it). Notebook positions carry `cell`: the 0-based index of the
 * cell among all cells of the notebook (markdown cells count), as in the .ipynb `cells` array and
 * VS Code's `NotebookCell.index`; `line` is then 1-based within the cell.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseConceptBundle } from '../../core/concepts/load';
import { ConceptRegistry } from '../../core/concepts/registry';
import { applyRuleSettings, checkSource, type RuleSettings } from '../../core/checks/analyze';
import { WorkspaceFiles } from '../../core/checks/flow';
import { kerasLossNames, type KerasLossNames } from '../../core/checks/keras';
import { pythonSyntaxError } from '../../core/checks/syntax';
import { RULES_BY_ID } from '../../core/checks/rules';
import { atLeast, isSeverity, sarifFixes, toSarif, type LocatedFinding, type SarifFix } from '../../core/checks/sarif';
import type { Finding, Severity } from '../../core/checks/types';
import { loadShippedCorpus, readDataFile } from '../../core/dataFiles';
import { isForeignCellMagic, scanNotebook, scanSource } from '../../core/detect/detector';
import { buildLossIndex, type LossIndex } from '../../core/detect/lossIndex';
import { isPythonNotebook, parseIpynb } from '../../core/detect/notebook';
import type { LossUsage } from '../../core/detect/types';
import type { LoadIssue, Paper } from '../../core/papers/types';
import { parseArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../io';
import { corpusWithUserFiles } from './check';
import { RULES_DOC } from '../../services/ruleDocs';

const USAGE = `Usage: paperlens scan [--json | --format text|json|sarif] [--fail-on SEVERITY] [--enable RULE]... [--disable RULE]... [--progress|--no-progress] <file-or-dir>...

Lists the losses named in .py files and .ipynb notebooks (directories are scanned recursively),
and the loss bugs the paper-aware checks find.
  --json             machine-readable output: {"files":[{"path","usages","findings"}],"errors":[…]}
  --format sarif     SARIF 2.1.0 for code-scanning tools (findings only)
  --fail-on SEV      exit 1 when a finding is at least SEV: error, warning, information or hint;
                     exit 2 when a path is missing, a file cannot be read or a .py file does not parse
  --enable RULE      turn on a rule that is off by default (label-smoothing-convention)
  --disable RULE     turn a rule off
  --progress         report progress on stderr (default: only on a terminal, for more than ${200} files)
  --corpus FILE      also list your own papers (.bib, .paperlens.json, a page dump); repeatable`;

/** One finding as printed in the JSON output. Key order is part of the format (see `toJsonFinding`). */
export interface ScanJsonFinding extends Pick<Finding, 'rule' | 'line' | 'column' | 'endLine' | 'endColumn' | 'message' | 'severity' | 'source'> {
  cell?: number;
  concept: string;
}

/** One usage as printed in the JSON output. Key order is part of the format. */
export interface ScanJsonUsage {
  cell?: number;
  line: number;
  column: number;
  endColumn: number;
  identifier: string;
  qualifiedName: string;
  concept: string;
  framework: string;
  /** How the detector recognised it: library, definition, local, name or string. */
  how: string;
  papers: string[];
}

export interface ScanJsonOutput {
  files: { path: string; usages: ScanJsonUsage[]; findings: ScanJsonFinding[] }[];
  /** Paths that could not be scanned, and Python files that do not parse (`line`: where). */
  errors: { path: string; message: string; line?: number }[];
}

/** Folder names never scanned. */
const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.ipynb_checkpoints', 'site-packages',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs',
  'venv', '.venv', 'virtualenvs', '.virtualenvs',
]);

/** Progress is reported for trees larger than this, every PROGRESS_EVERY files. */
const PROGRESS_THRESHOLD = 200;
const PROGRESS_EVERY = 100;
/** Files read concurrently. */
const READ_CONCURRENCY = 16;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    const known: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ELOOP: 'too many symbolic links',
    };
    return known[code] ?? `${code}: ${(err as unknown as Error).message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A folder that is a virtual environment (venv, virtualenv, conda), judged by its contents. */
function isEnvironment(entries: string[]): boolean {
  return entries.includes('pyvenv.cfg') || entries.includes('conda-meta');
}

/** Collects `.py`/`.ipynb` files under the arguments, in a stable order, and path errors. */
async function collectFiles(args: string[], cwd: string): Promise<{ files: { abs: string; shown: string }[]; errors: { path: string; message: string }[] }> {
  const files: { abs: string; shown: string }[] = [];
  const errors: { path: string; message: string }[] = [];
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
    if (isEnvironment(entries.map((e) => e.name))) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dirAbs, entry.name);
      const shown = path.join(dirShown, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        await walk(abs, shown);
      } else if (/\.(py|ipynb)$/i.test(entry.name)) {
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
      continue;
    }
    if (info.isDirectory()) await walk(abs, shown === '.' ? '' : shown);
    else if (/\.(py|ipynb)$/i.test(abs)) add(abs, shown);
    else errors.push({ path: toPosix(arg), message: 'not a .py or .ipynb file' });
  }
  return { files, errors };
}

/** The shipped corpus's papers (seed and classics) with the problems met loading them. */
function shippedPapers(dataDir: string): { papers: readonly Paper[]; issues: LoadIssue[] } {
  const { corpus, issues } = loadShippedCorpus(dataDir);
  return { papers: corpus.papers, issues };
}

/** `corpusPapers`: the shipped corpus merged with `--corpus` files, when any were given. */
function loadData(io: CliIO, corpusPapers?: readonly Paper[]): { index: LossIndex; papers: Map<string, string[]>; warnings: string[]; kerasNames: KerasLossNames } {
  const conceptsFile = readDataFile(io.dataDir, 'concepts.json');
  const loadedConcepts = parseConceptBundle(conceptsFile.text, conceptsFile.path);
  // Both shipped collections (seed and classics), as every other front end sees them.
  const loadedPapers = corpusPapers ? { papers: corpusPapers, issues: [] } : shippedPapers(io.dataDir);
  const warnings: string[] = [];
  const fatal = [...loadedConcepts.issues, ...loadedPapers.issues].filter((i) => i.severity === 'error');
  if (loadedConcepts.concepts.length === 0) {
    throw new Error(`no usable concepts in ${conceptsFile.path}${fatal[0] ? `: ${fatal[0].message} (line ${fatal[0].line})` : ''}`);
  }
  if (fatal.length) warnings.push(`${fatal.length} problem(s) in the data files; first: ${fatal[0].file}:${fatal[0].line}: ${fatal[0].message}`);
  const index = buildLossIndex(loadedConcepts.concepts);
  // Papers per concept in the registry's ranking (introduces-classic, proposes, studies; newest first).
  const registry = new ConceptRegistry(loadedConcepts.concepts);
  const papers = new Map<string, string[]>();
  for (const concept of registry.all()) {
    papers.set(concept.id, registry.papersFor(concept.id, loadedPapers.papers).map((link) => link.paper.id));
  }
  return { index, papers, warnings, kerasNames: kerasLossNames(loadedConcepts.concepts) };
}

function toJsonUsage(u: LossUsage, papers: Map<string, string[]>, cell?: number): ScanJsonUsage {
  const out: ScanJsonUsage = cell === undefined ? ({} as ScanJsonUsage) : ({ cell } as ScanJsonUsage);
  out.line = u.line;
  out.column = u.column;
  out.endColumn = u.endColumn;
  out.identifier = u.identifier;
  out.qualifiedName = u.qualifiedName;
  out.concept = u.conceptId;
  out.framework = u.framework;
  out.how = u.how;
  out.papers = papers.get(u.conceptId) ?? [];
  return out;
}

function toJsonFinding(f: Finding, cell?: number): ScanJsonFinding {
  const out: ScanJsonFinding = cell === undefined ? ({} as ScanJsonFinding) : ({ cell } as ScanJsonFinding);
  out.rule = f.rule;
  out.line = f.line;
  out.column = f.column;
  out.endLine = f.endLine;
  out.endColumn = f.endColumn;
  out.message = f.message;
  out.severity = f.severity;
  out.source = f.source;
  out.concept = f.conceptId;
  return out;
}

type FileResult =
  | { usages: ScanJsonUsage[]; findings: ScanJsonFinding[]; fixes: (SarifFix[] | undefined)[]; syntax?: { line: number; message: string } }
  | { error: string };

/** What the checks need beyond one file's text: Keras loss names and the other files of the scan. */
interface CheckContext {
  kerasNames: KerasLossNames;
  workspace?: WorkspaceFiles;
}

/** The checks' findings over a notebook's code cells (non-Python cell magics blanked), per cell. */
function notebookFindings(cells: readonly { index: number; source: string }[], index: LossIndex, rules: RuleSettings, ctx: CheckContext): ScanJsonFinding[] {
  const parts: string[] = [];
  const starts: { offset: number; line: number; cell: number }[] = [];
  let offset = 0;
  let line = 1;
  for (const c of cells) {
    const body = isForeignCellMagic(c.source) ? c.source.replace(/[^\n]/g, ' ') : c.source;
    starts.push({ offset, line, cell: c.index });
    parts.push(body);
    offset += body.length + 1;
    line += body.split('\n').length;
  }
  const joined = parts.join('\n');
  const cellOfLine = (line: number) => {
    let k = starts.length - 1;
    while (k > 0 && starts[k].line > line) k--;
    return starts[k];
  };
  const lineLabel = (line: number) => {
    const at = cellOfLine(line);
    return `line ${line - at.line + 1} of cell ${at.cell}`;
  };
  const found = applyRuleSettings(checkSource(joined, scanSource(joined, index, { ipython: true }), { ipython: true, kerasNames: ctx.kerasNames, lineLabel }), rules);
  return found.map((f) => {
    const at = cellOfLine(f.line);
    return toJsonFinding({ ...f, line: f.line - at.line + 1, endLine: f.endLine - at.line + 1 }, at.cell);
  });
}

/** Scans one file's text; notebooks by cell. Returns an error message instead of throwing. */
function scanFile(file: string, text: string, index: LossIndex, papers: Map<string, string[]>, rules: RuleSettings, ctx: CheckContext): FileResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.ipynb$/i.test(file)) {
    const notebook = parseIpynb(source);
    if (notebook.error) return { error: notebook.error };
    if (!isPythonNotebook(notebook)) return { usages: [], findings: [], fixes: [] };
    const scan = scanNotebook(notebook.cells.map((c) => c.source), index);
    const usages: ScanJsonUsage[] = [];
    scan.cells.forEach((cellScan, i) => {
      for (const u of cellScan.usages) usages.push(toJsonUsage(u, papers, notebook.cells[i].index));
    });
    // Checks run over the code cells joined in order, so a model defined in one cell is followed
    // into the loss of a later one; findings are mapped back to their cell. Fixes inside a cell
    // have no file region SARIF can express.
    const findings = notebookFindings(notebook.cells, index, rules, ctx);
    return { usages, findings, fixes: findings.map(() => undefined) };
  }
  const scan = scanSource(source, index);
  const syntax = pythonSyntaxError(source);
  const found = applyRuleSettings(checkSource(source, scan, { kerasNames: ctx.kerasNames, path: file, workspace: ctx.workspace }), rules);
  return {
    usages: scan.usages.map((u) => toJsonUsage(u, papers)),
    findings: found.map((f) => toJsonFinding(f)),
    fixes: found.map((f) => sarifFixes(f, scan.lineStarts)),
    syntax: syntax ? { line: syntax.line, message: `line ${syntax.line}: invalid Python: ${syntax.message}` } : undefined,
  };
}

function location(file: string, u: { cell?: number; line: number; column: number }): string {
  return u.cell === undefined ? `${file}:${u.line}:${u.column}` : `${file}#cell${u.cell}:${u.line}:${u.column}`;
}

/** `paperlens scan`: see the module comment. */
export const scanCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'progress', 'no-progress', 'help'], valued: ['format', 'fail-on', 'enable', 'disable', 'corpus'] });
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

  const userFiles = parsed.options.get('corpus') ?? [];
  const { index, papers, warnings, kerasNames } = loadData(io, userFiles.length ? (await corpusWithUserFiles(userFiles, io)).papers : undefined);
  for (const w of warnings) io.err(`paperlens scan: warning: ${w}`);

  const { files, errors } = await collectFiles(parsed.positionals, io.cwd);
  const errIsTTY = (io as CliIO & { errIsTTY?: boolean }).errIsTTY ?? process.stderr.isTTY === true;
  const showProgress = !parsed.flags.has('no-progress') &&
    (parsed.flags.has('progress') || (errIsTTY && files.length > PROGRESS_THRESHOLD));

  const output: ScanJsonOutput = { files: [], errors };
  // Read every file first: the checks follow imports into the other .py files of the scan.
  const texts: ({ text: string } | { err: unknown })[] = [];
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const batch = files.slice(i, i + READ_CONCURRENCY);
    texts.push(...await Promise.all(batch.map((f) => readFile(f.abs, 'utf8').then((text) => ({ text }), (err: unknown) => ({ err })))));
  }
  const pyTexts = new Map<string, string>();
  files.forEach((f, k) => {
    const read = texts[k];
    if ('text' in read && /\.py$/i.test(f.abs)) pyTexts.set(toPosix(f.abs), read.text.charCodeAt(0) === 0xfeff ? read.text.slice(1) : read.text);
  });
  const ctx: CheckContext = { kerasNames, workspace: pyTexts.size > 1 ? new WorkspaceFiles(pyTexts) : undefined };
  const sarifFixesByFinding = new Map<ScanJsonFinding, SarifFix[]>();
  files.forEach((file, k) => {
    const read = texts[k];
    if ('err' in read) {
      output.errors.push({ path: file.shown, message: errorMessage(read.err) });
    } else {
      const result = scanFile(toPosix(file.abs), read.text, index, papers, rules, ctx);
      if ('error' in result) output.errors.push({ path: file.shown, message: result.error });
      else {
        output.files.push({ path: file.shown, usages: result.usages, findings: result.findings });
        result.findings.forEach((f, j) => {
          const fx = result.fixes[j];
          if (fx?.length) sarifFixesByFinding.set(f, fx);
        });
        if (result.syntax) output.errors.push({ path: file.shown, message: result.syntax.message, line: result.syntax.line });
      }
    }
    const done = k + 1;
    if (showProgress && (done % PROGRESS_EVERY === 0 || done === files.length)) {
      io.err(`paperlens scan: ${done}/${files.length} files`);
    }
  });

  const allFindings: LocatedFinding[] = output.files.flatMap((file) => file.findings.map((f) => {
    const fixes = sarifFixesByFinding.get(f);
    return fixes ? { path: file.path, ...f, fixes } : { path: file.path, ...f };
  }));
  // With --fail-on, a scan that could not read everything fails too: a missing path, an unreadable
  // file or a Python file that does not parse exits 2 (a CI gate must not pass on what it never saw).
  const exitCode = failOn === undefined ? 0
    : output.errors.length > 0 ? 2
      : allFindings.some((f) => atLeast(f.severity, failOn as Severity)) ? 1 : 0;
  if (json) {
    io.out(JSON.stringify(output, null, 2));
    return exitCode;
  }
  if (format === 'sarif') {
    io.out(JSON.stringify(toSarif(allFindings, '0.1.0', RULES_DOC), null, 2));
    for (const e of output.errors) io.err(`paperlens scan: ${e.path}: ${e.message}`);
    return exitCode;
  }

  const counts = new Map<string, number>();
  let total = 0;
  for (const file of output.files) {
    for (const u of file.usages) {
      io.out(`${location(file.path, u)} ${u.concept} ${u.qualifiedName}`);
      counts.set(u.concept, (counts.get(u.concept) ?? 0) + 1);
      total++;
    }
  }
  for (const e of output.errors) io.err(`paperlens scan: ${e.path}: ${e.message}`);
  if (total > 0) {
    io.out('');
    const width = Math.max(...[...counts.keys()].map((k) => k.length));
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [concept, n] of sorted) io.out(`${concept.padEnd(width)}  ${n}`);
  }
  if (allFindings.length > 0) {
    io.out('');
    for (const f of allFindings) io.out(`${location(f.path, f)} ${f.severity} ${f.rule}: ${f.message}`);
  }
  const fileWord = output.files.length === 1 ? 'file' : 'files';
  io.out(`${total} loss usage${total === 1 ? '' : 's'} of ${counts.size} concept${counts.size === 1 ? '' : 's'} in ${output.files.length} ${fileWord}` +
    `, ${allFindings.length} finding${allFindings.length === 1 ? '' : 's'}` +
    (output.errors.length ? ` (${output.errors.length} error${output.errors.length === 1 ? '' : 's'})` : ''));
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
