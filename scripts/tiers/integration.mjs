// Integration tier: the mocha suite in test/integration/suite runs inside a real VS Code extension
// host (code-server 4.100.3, driven by headless Chromium). First run installs code-server (~1 min).
import { printResults, runIntegrationInCodeServer } from '../../test/integration/runCodeServer.mjs';

export async function run({ root }) {
  const results = await runIntegrationInCodeServer({ root });
  printResults(results);
  const note = results.activationMs === null ? 'extension never activated' : `activationMs ${results.activationMs.toFixed(2)}`;
  // A suite that ran nothing proves nothing: count it as a failure rather than a pass.
  const failed = results.failures.length + (results.passes.length === 0 ? 1 : 0);
  return { passed: results.passes.length, failed, note };
}
