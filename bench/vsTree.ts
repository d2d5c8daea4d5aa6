/**
 * Scanning a whole repository against `ruff check` on the same tree: a generated, real-shaped tree
 * of ≥ 2,000 Python files and notebooks (bench/genTree.ts), `paperlens scan --json` as it ships
 * (src/cli/main.ts and its scan worker bundled like dist/cli.js and dist/scanWorker.js; worker
 * threads on the cores available) against ruff, alternating, each a fresh process timed from spawn
 * to exit, medians; peak memory (max RSS, /usr/bin/time) of each, and the scan's own `--stats`.
 * By default the scan uses the idle cores (cores less the load average), so on a busy machine it
 * runs on one thread; the same command on one thread (`--jobs 1`) and on every core
 * (`--jobs <cores>`) is measured in the same rounds, for reference.
 *
 *   npx tsx bench/vsTree.ts [--json] [--files 2400] [--rounds 3]
 *
 * ruff comes from the machine's Python package index (`pip install --user ruff`); it is looked for
 * as $RUFF, on PATH, in ~/.local/bin, then as `python3 -m ruff`. Without it the figure is reported
 * with no baseline and says so.
 */
import { buildSync } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateTree } from './genTree';
import { argValue, goal, interleave, median, ms, round, type Goal } from './lib';

const root = path.resolve(__dirname, '..');

/** How to run ruff here, or undefined. */
export function findRuff(): { command: string; args: string[]; version: string } | undefined {
  const candidates: { command: string; args: string[] }[] = [];
  if (process.env.RUFF) candidates.push({ command: process.env.RUFF, args: [] });
  candidates.push({ command: 'ruff', args: [] }, { command: path.join(os.homedir(), '.local', 'bin', 'ruff'), args: [] }, { command: 'python3', args: ['-m', 'ruff'] });
  for (const c of candidates) {
    const r = spawnSync(c.command, [...c.args, '--version'], { encoding: 'utf8' });
    if (r.status === 0) return { ...c, version: r.stdout.trim() };
  }
  return undefined;
}

/** Runs a command under /usr/bin/time when present: wall ms (spawn to exit) and max RSS in MB. */
function runTimed(command: string, args: string[], env?: NodeJS.ProcessEnv): { ms: number; maxRssMB: number | null; stdout: string; status: number | null } {
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', command, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, env })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 << 20, env });
  const elapsed = performance.now() - started;
  const m = /maxrss=(\d+)/.exec(r.stderr ?? '');
  return { ms: elapsed, maxRssMB: m ? Number(m[1]) / 1024 : null, stdout: r.stdout, status: r.status };
}

/** Counts from `paperlens scan --json --stats` output. */
function summary(stdout: string): { files: number; usages: number; findings: number; errors: number; stats?: { threads: number; peakMemoryMB: number } } {
  const out = JSON.parse(stdout) as { files: { usages: unknown[]; findings: unknown[] }[]; errors: unknown[]; stats?: { threads: number; peakMemoryMB: number } };
  return {
    files: out.files.length,
    usages: out.files.reduce((n, f) => n + f.usages.length, 0),
    findings: out.files.reduce((n, f) => n + f.findings.length, 0),
    errors: out.errors.length,
    stats: out.stats,
  };
}

export async function runTreeGoals(options: { files?: number; rounds?: number; log?: (l: string) => void } = {}): Promise<{ detail: Record<string, unknown>; goals: Goal[] }> {
  const log = options.log ?? (() => undefined);
  const rounds = options.rounds ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-vstree-'));
  try {
    const tree = path.join(dir, 'repo');
    const shape = generateTree(tree, { files: options.files ?? 2400 });
    // The CLI and its worker, bundled as esbuild.config.mjs ships them: the launcher dist/cli.js,
    // the program dist/cli-main.js with its code cache (scripts/cliCodeCache.ts), dist/scanWorker.js.
    const bin = path.join(dir, 'bin');
    for (const [entry, out] of [['launch.ts', 'cli.js'], ['main.ts', 'cli-main.js'], [path.join('scan', 'scanWorker.ts'), 'scanWorker.js']]) {
      buildSync({ entryPoints: [path.join(root, 'src', 'cli', entry)], bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node18', outfile: path.join(bin, out), logLevel: 'error' });
    }
    const dataDir = existsSync(path.join(root, 'dist', 'data', 'concepts.json')) ? path.join(root, 'dist', 'data') : path.join(root, 'paper-data');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'cliCodeCache.ts'), bin, '--data', dataDir, '--root', root], { cwd: root, stdio: 'ignore' });
    const env = { ...process.env, PAPERLENS_DATA_DIR: dataDir };
    const cli = path.join(bin, 'cli.js');
    const ruff = findRuff();
    log(`  tree: ${shape.files.toLocaleString('en-US')} files (${shape.notebooks} notebooks), ${(shape.bytes / 1e6).toFixed(1)} MB, ${shape.lines.toLocaleString('en-US')} lines; ruff: ${ruff?.version ?? 'not found'}`);
    const ours: ReturnType<typeof runTimed>[] = [];
    const theirs: ReturnType<typeof runTimed>[] = [];
    const serial: ReturnType<typeof runTimed>[] = [];
    const everyCore: ReturnType<typeof runTimed>[] = [];
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const runOurs = () => {
      const r = runTimed(process.execPath, [cli, 'scan', '--json', '--no-progress', '--stats', tree], env);
      if (r.status !== 0) throw new Error(`paperlens scan failed (exit ${r.status})`);
      ours.push(r);
      serial.push(runTimed(process.execPath, [cli, 'scan', '--json', '--no-progress', '--jobs', '1', tree], env));
      everyCore.push(runTimed(process.execPath, [cli, 'scan', '--json', '--no-progress', '--jobs', String(cores), tree], env));
      return r.ms;
    };
    let scanned: ReturnType<typeof summary> | undefined;
    if (!ruff) {
      for (let r = 0; r < rounds; r++) runOurs();
      scanned = summary(ours[0].stdout);
      const value = median(ours.map((r) => r.ms));
      const note = 'ruff is not installed (pip install --user ruff): no baseline measured';
      log(`  paperlens scan ${ms(value)} ms; ${note}`);
      return { detail: { ...shape, scanned, parallelMs: round(value), ruff: null, note }, goals: [goal('scan.tree.vs-ruff', value, null, 2, '<=', note)] };
    }
    const runRuff = () => {
      const r = runTimed(ruff.command, [...ruff.args, 'check', '--no-cache', '--quiet', '--exit-zero', tree]);
      if (r.status !== 0) throw new Error(`ruff failed (exit ${r.status})`);
      theirs.push(r);
      return r.ms;
    };
    const result = await interleave(rounds, runOurs, runRuff);
    scanned = summary(ours[0].stdout);
    const peak = (list: ReturnType<typeof runTimed>[]) => (list.every((r) => r.maxRssMB !== null) && list.length ? Math.max(...list.map((r) => r.maxRssMB!)) : null);
    const serialMs = serial.length ? median(serial.map((r) => r.ms)) : null;
    const everyCoreMs = everyCore.length ? median(everyCore.map((r) => r.ms)) : null;
    const threads = scanned.stats?.threads ?? 0;
    log(`  paperlens scan ${ms(result.medianA)} ms on ${threads} thread${threads === 1 ? '' : 's'} (peak ${peak(ours)?.toFixed(0)} MB) vs ruff ${ms(result.medianB)} ms (peak ${peak(theirs)?.toFixed(0)} MB) → ${result.ratio.toFixed(2)}×; --jobs 1 ${ms(serialMs)} ms, --jobs ${cores} ${ms(everyCoreMs)} ms; load average ${os.loadavg()[0].toFixed(1)} on ${cores} cores`);
    return {
      detail: {
        ...shape, scanned,
        parallelMs: round(result.medianA), ruffMs: round(result.medianB), serialCliMs: round(serialMs), everyCoreMs: round(everyCoreMs), cores, loadAverage: round(os.loadavg()[0], 2),
        peakMB: { parallel: round(peak(ours), 1), ruff: round(peak(theirs), 1), serialCli: round(peak(serial), 1), everyCore: round(peak(everyCore), 1) },
        ruff: ruff.version, rounds,
        samples: { parallel: result.a.map((x) => round(x)), ruff: result.b.map((x) => round(x)) },
      },
      goals: [goal('scan.tree.vs-ruff', result.medianA, result.medianB, 2, '<=', `${shape.files} files (${shape.notebooks} notebooks), each a fresh process from spawn to exit; paperlens scan --json (bundled CLI, ${scanned.stats?.threads ?? '?'} thread(s) for the idle cores, detector + checks) vs ${ruff.version} check --no-cache; peak RSS ${peak(ours)?.toFixed(0)} MB vs ${peak(theirs)?.toFixed(0)} MB`)],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  void runTreeGoals({
    files: argValue(args, '--files') ? Number(argValue(args, '--files')) : undefined,
    rounds: argValue(args, '--rounds') ? Number(argValue(args, '--rounds')) : undefined,
    log: (l) => console.error(l),
  }).then((r) => {
    if (json) console.log(JSON.stringify({ tree: r.detail, goals: r.goals }, null, 2));
    else for (const g of r.goals) console.log(`${g.name}: ${g.value} vs ${g.baseline} → ${g.ratio} (goal ${g.direction} ${g.goal})`);
  });
}
