import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import type { IntegrationResults, TestFailure, TestOutcome } from './results';

/** Options given through `reporterOptions`. */
export interface JsonFileReporterOptions {
  /** Where the results JSON goes. */
  output: string;
  /** Folder that test file paths are made relative to. */
  suiteDir: string;
  /** Called once at the end for values that only the extension host knows (activation time, version). */
  collect: () => Pick<IntegrationResults, 'activationMs' | 'vscodeVersion' | 'appHost' | 'measurements'>;
}

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

/**
 * Spec output for the extension host log, plus a JSON results file for the launcher. The file is
 * written to a temporary name and renamed, so a launcher polling for it never reads half of it.
 */
export class JsonFileReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions & { reporterOptions?: JsonFileReporterOptions }) {
    super(runner, options);
    const opts = options.reporterOptions;
    if (!opts) throw new Error('JsonFileReporter needs reporterOptions { output, suiteDir, collect }');
    const passes: TestOutcome[] = [];
    const failures: TestFailure[] = [];
    const pending: TestOutcome[] = [];
    let startedAt = new Date().toISOString();
    const outcome = (t: Mocha.Runnable): TestOutcome => ({
      title: t.title,
      fullTitle: t.fullTitle(),
      file: t.file ? path.relative(opts.suiteDir, t.file) : undefined,
    });

    runner.on(EVENT_RUN_BEGIN, () => { startedAt = new Date().toISOString(); });
    runner.on(EVENT_TEST_PASS, (t) => passes.push(outcome(t)));
    runner.on(EVENT_TEST_PENDING, (t) => pending.push(outcome(t)));
    // Hook failures arrive here too (titled `"before each" hook for …`), so a broken setup still fails.
    runner.on(EVENT_TEST_FAIL, (t, err: Error) => failures.push({ ...outcome(t), message: String(err?.message ?? err), stack: err?.stack }));
    runner.once(EVENT_RUN_END, () => {
      const results: IntegrationResults = { passes, failures, pending, ...opts.collect(), startedAt, finishedAt: new Date().toISOString() };
      writeResultsFile(opts.output, results);
    });
  }
}

/** Writes the results atomically (temporary file + rename). */
export function writeResultsFile(output: string, results: IntegrationResults): void {
  mkdirSync(path.dirname(output), { recursive: true });
  const tmp = `${output}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(results, null, 2) + '\n');
  renameSync(tmp, output);
}
