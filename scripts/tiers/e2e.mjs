// E2E tier: checks of the real VS Code UI (test/e2e/checks/*.check.mjs) in headless Chromium against
// code-server, each leaving a screenshot in test-results/screenshots/.
import { runE2E } from '../../test/e2e/harness.mjs';

export async function run({ root }) {
  const results = await runE2E({ root });
  const failed = results.filter((r) => !r.ok).length;
  return { passed: results.length - failed, failed, note: 'screenshots in test-results/screenshots/' };
}
