#!/usr/bin/env node
// Runs the integration suite inside code-server's extension host: the launcher `npm test` and CI use.
// Chromium opens the workbench with `extensionDevelopmentPath` + `extensionTestsPath` in the URL
// payload; the extension host runs the suite's run() and the suite's reporter writes the results
// file that this launcher waits for.
//
// Usage: node test/integration/runCodeServer.mjs   (exit code 1 when a test fails)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionHostLogTail, freshRunDirs, launchChromium, prepare, recordBrowserLog, startOnSamples, workbenchUrl } from '../../scripts/codeServerSession.mjs';
import { buildIntegrationSuite } from './build.mjs';

const RESULTS_ENV = 'PAPERLENS_TEST_RESULTS'; // same name as in results.ts

/**
 * @param {{root: string, timeoutMs?: number, build?: boolean}} opts
 * @returns {Promise<import('./results').IntegrationResults>}
 */
export async function runIntegrationInCodeServer({ root, timeoutMs = Number(process.env.PAPERLENS_INTEGRATION_TIMEOUT_MS) || 240_000, build = true }) {
  await prepare({ root, build });
  const dirs = freshRunDirs(root, 'integration');
  const { entry, tests } = await buildIntegrationSuite({ root, outDir: path.join(dirs.base, 'suite-bundle') });
  console.log(`[integration] suite: ${tests.join(', ')}`);

  const resultsFile = path.join(dirs.base, 'results.json');
  const { base, userDataDir, workspace, server } = await startOnSamples({ root, name: 'integration', dirs, env: { [RESULTS_ENV]: resultsFile } });
  const browserLog = path.join(base, 'browser-console.log');
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    recordBrowserLog(page, browserLog);
    const url = workbenchUrl({ url: server.url, port: server.port, folder: workspace, extensionDevelopmentPath: root, extensionTestsPath: entry });
    console.log(`[integration] code-server on ${server.url}; running the suite in its extension host`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    const deadline = Date.now() + timeoutMs;
    /** @type {number | null} */
    let hostExitedAt = null;
    while (!existsSync(resultsFile)) {
      // The extension host exits once run() settles; if it is gone and no file came, stop waiting
      // (after a grace period for the rename) instead of sitting out the whole timeout.
      if (hostExitedAt === null && /Extension Host Process exited/.test(server.logTail(200))) hostExitedAt = Date.now();
      const hostGone = hostExitedAt !== null && Date.now() - hostExitedAt > 3000;
      if (hostGone || Date.now() > deadline) {
        throw new Error([
          hostGone
            ? 'the extension host exited without writing integration results: the suite did not load or the extension host crashed.'
            : `no integration results after ${timeoutMs / 1000} s: the extension host did not start, the suite did not load, or a test hung.`,
          `(expected ${path.relative(root, resultsFile)})`,
          `--- code-server log (${path.relative(root, server.logFile)}) ---`, server.logTail(25),
          `--- extension host log ---`, extensionHostLogTail(userDataDir),
          `--- browser console: ${path.relative(root, browserLog)}`,
        ].join('\n'));
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const text = readFileSync(resultsFile, 'utf8');
    // Kept beside the per-run folders so `npm run bench` can report the measured activation time.
    writeFileSync(path.join(root, '.vscode-test', 'integration', 'last-results.json'), text);
    return JSON.parse(text);
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
}

/** Prints failures the way mocha would, for the tier log. */
export function printResults(results) {
  console.log(`[integration] VS Code ${results.vscodeVersion} (${results.appHost}); activationMs: ${results.activationMs ?? 'n/a'}`);
  for (const p of results.passes) console.log(`  ✔ ${p.fullTitle}`);
  for (const p of results.pending) console.log(`  - ${p.fullTitle} (pending)`);
  for (const f of results.failures) console.log(`  ✘ ${f.fullTitle}${f.file ? `  [${f.file}]` : ''}\n      ${f.message.split('\n').join('\n      ')}`);
  // Reported, never asserted: timings depend on the machine's load.
  for (const m of results.measurements ?? []) {
    console.log(`  measured ${m.name}: ${m.value.toFixed(2)} ${m.unit} vs ${m.baseline.toFixed(2)} ${m.unit} (ratio ${m.ratio.toFixed(2)}) — ${m.note}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const results = await runIntegrationInCodeServer({ root }).catch((err) => {
    console.error(`[integration] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
  printResults(results);
  console.log(`${results.passes.length} passed, ${results.failures.length} failed`);
  process.exit(results.failures.length > 0 || results.passes.length === 0 ? 1 : 0);
}
