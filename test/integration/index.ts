/**
 * The suite entry that the extension host loads (`extensionTestsPath`). It runs every
 * `suite/*.test.ts` (bundled to `suite/*.test.js` next to this file) with mocha and reports through
 * a results file, because under code-server nothing else carries the outcome back to the launcher.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';
import { JsonFileReporter, writeResultsFile, type JsonFileReporterOptions } from './jsonFileReporter';
import { measurements } from './measurements';
import { RESULTS_ENV, type IntegrationResults } from './results';

/** The launchers name the results file in the environment; next to the bundle otherwise. */
function resultsPath(): string {
  return process.env[RESULTS_ENV] || path.join(__dirname, 'results.json');
}

function collect(): Pick<IntegrationResults, 'activationMs' | 'vscodeVersion' | 'appHost' | 'measurements'> {
  const ext = vscode.extensions.getExtension<{ activationMs?: unknown }>(EXTENSION_ID);
  const ms = ext?.isActive ? ext.exports?.activationMs : undefined;
  return {
    activationMs: typeof ms === 'number' && Number.isFinite(ms) ? ms : null,
    vscodeVersion: vscode.version,
    appHost: vscode.env.appHost,
    measurements: measurements(),
  };
}

/** Called by the extension host. Rejects when a test failed, which is what the desktop runner checks. */
export async function run(): Promise<void> {
  const suiteDir = path.join(__dirname, 'suite');
  const output = resultsPath();
  const reporterOptions: JsonFileReporterOptions = { output, suiteDir, collect };
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Generous: the first test pays for extension activation in a cold extension host.
    timeout: 30_000,
    // .only and .skip would silently shrink the suite; mocha turns them into failures.
    forbidOnly: true,
    forbidPending: true,
    reporter: JsonFileReporter,
    reporterOptions,
  });
  // One file per feature; sorted so the run order is stable across machines.
  const files = readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(suiteDir, f));

  let failures: number;
  try {
    if (files.length === 0) throw new Error(`no *.test.js files in ${suiteDir}`);
    await mocha.loadFilesAsync();
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (err) {
    // A test file that throws while loading never reaches the reporter: report it as a failure.
    const e = err instanceof Error ? err : new Error(String(err));
    writeResultsFile(output, {
      passes: [], pending: [],
      failures: [{ title: 'load suite', fullTitle: 'load suite', message: e.message, stack: e.stack }],
      ...collect(), startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
    });
    throw e;
  }
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
