import type { Measurement } from './measurements';

/**
 * The file the integration suite writes when it finishes, read by both launchers. The extension host
 * exits on its own when the suite's `run()` returns, and in the browser VS Code nobody sees its exit
 * code, so this file is how passes and failures reach `npm test`.
 */
export interface IntegrationResults {
  passes: TestOutcome[];
  failures: TestFailure[];
  /** Tests marked pending; listed so that a skipped test shows up rather than vanishing. */
  pending: TestOutcome[];
  /** What `activate()` returned as `activationMs`, read after the run; null if the extension never activated. */
  activationMs: number | null;
  /** `vscode.version` and `vscode.env.appHost` ("desktop" or "web"), to tell the two launchers apart in logs. */
  vscodeVersion: string;
  appHost: string;
  /** Figures measured in the extension host (reported, never asserted); see measurements.ts. */
  measurements?: Measurement[];
  startedAt: string;
  finishedAt: string;
}

export interface TestOutcome {
  title: string;
  fullTitle: string;
  /** Test file relative to the suite folder, when mocha knows it. */
  file?: string;
}

export interface TestFailure extends TestOutcome {
  message: string;
  stack?: string;
}

/** Environment variable naming the results file; the launchers set it on the process that hosts the suite. */
export const RESULTS_ENV = 'PAPERLENS_TEST_RESULTS';
