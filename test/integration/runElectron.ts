/**
 * The conventional launcher for machines with VS Code desktop: @vscode/test-electron starts VS Code
 * (downloading it into .vscode-test/ unless PAPERLENS_VSCODE names an executable) with the same
 * suite that scripts/tiers/integration.mjs runs in code-server. Not used by `npm test` or CI here,
 * where nothing can be downloaded at test time.
 *
 * Usage: npx tsx test/integration/runElectron.ts
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { runTests } from '@vscode/test-electron';
import { buildIntegrationSuite } from './build.mjs';
import { RESULTS_ENV, type IntegrationResults } from './results';

async function main(): Promise<number> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(process.execPath, ['esbuild.config.mjs', '--dev'], { cwd: root, stdio: 'inherit' });
  const { entry } = await buildIntegrationSuite({ root });
  const resultsFile = path.join(root, '.vscode-test', 'electron', 'results.json');
  rmSync(resultsFile, { force: true });

  const exitCode = await runTests({
    vscodeExecutablePath: process.env.PAPERLENS_VSCODE || undefined,
    extensionDevelopmentPath: root,
    extensionTestsPath: entry,
    extensionTestsEnv: { [RESULTS_ENV]: resultsFile },
    // Only this extension, a throwaway profile, and the samples workspace, as in the code-server run.
    launchArgs: [path.join(root, 'samples'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  });

  if (!existsSync(resultsFile)) {
    console.error(`no results file (${resultsFile}): the suite did not run`);
    return 1;
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as IntegrationResults;
  console.log(`VS Code ${results.vscodeVersion}: ${results.passes.length} passed, ${results.failures.length} failed; activationMs ${results.activationMs ?? 'n/a'}`);
  for (const f of results.failures) console.log(`  ✘ ${f.fullTitle}: ${f.message}`);
  return results.failures.length > 0 || results.passes.length === 0 ? 1 : exitCode;
}

main().then((code) => process.exit(code));
