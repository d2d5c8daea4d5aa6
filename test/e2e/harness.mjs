#!/usr/bin/env node
// @ts-check
// The e2e harness: drives the real VS Code UI in headless Chromium against code-server, with the
// extension loaded from this checkout (extensionDevelopmentPath, no test runner in the host).
//
// Checks live in test/e2e/checks/*.check.mjs, one file per feature, each exporting
//   export const checks = [{ name: 'what the user sees', async run(wb) { ... } }];
// where `wb` is a Workbench (./workbench.mjs). Every check gets a fresh browser context (so no
// editors or view state carry over), runs with a time limit, and leaves a screenshot in
// test-results/screenshots/ whether it passed or failed.
//
// Usage: node test/e2e/harness.mjs [substring of a check name...]
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium, prepare, recordBrowserLog, startOnSamples, workbenchUrl } from '../../scripts/codeServerSession.mjs';
import { Workbench } from './workbench.mjs';

/**
 * @typedef {{name: string, run: (wb: Workbench) => Promise<void>, timeoutMs?: number}} Check
 * @typedef {{file: string, name: string, ok: boolean, message?: string, screenshots: string[]}} CheckResult
 */

/** Attempts per check (see the retry note in runE2E). */
const MAX_ATTEMPTS = 2;
const CHECK_TIMEOUT_MS = 90_000;

/** @param {string} dir @returns {Promise<{file: string, check: Check}[]>} */
async function loadChecks(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.check.mjs')).sort();
  const all = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    if (!Array.isArray(mod.checks)) throw new Error(`${file} must export \`checks\`, an array of { name, run }`);
    for (const check of mod.checks) all.push({ file: file.replace(/\.check\.mjs$/, ''), check });
  }
  return all;
}

/** @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>} */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout])).finally(() => clearTimeout(timer));
}

/**
 * Runs the checks (all, or those whose name contains one of `filters`).
 * @param {{root: string, filters?: string[], build?: boolean}} opts
 * @returns {Promise<CheckResult[]>}
 */
export async function runE2E({ root, filters = [], build = true }) {
  const checksDir = path.join(root, 'test', 'e2e', 'checks');
  const screenshotDir = path.join(root, 'test-results', 'screenshots');
  let checks = await loadChecks(checksDir);
  if (filters.length) checks = checks.filter(({ check }) => filters.some((f) => check.name.includes(f)));
  if (!checks.length) throw new Error(`no e2e checks${filters.length ? ` match ${filters.join(', ')}` : ` in ${checksDir}`}`);

  await prepare({ root, build });
  // Stale screenshots from an earlier run would pass for this run's evidence.
  if (existsSync(screenshotDir)) for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png')) rmSync(path.join(screenshotDir, f));
  mkdirSync(screenshotDir, { recursive: true });

  const { base, workspace, server } = await startOnSamples({ root, name: 'e2e' });
  const url = workbenchUrl({ url: server.url, port: server.port, folder: workspace, extensionDevelopmentPath: root });
  console.log(`[e2e] code-server on ${server.url}; ${checks.length} check(s); screenshots in ${path.relative(root, screenshotDir)}/`);
  /** @type {CheckResult[]} */
  const results = [];
  const browser = await launchChromium();
  try {
    for (const { file, check } of checks) {
      // A check that fails is run once more in a fresh browser context: the browser VS Code is
      // occasionally slow to register commands in a fresh profile. A real failure fails twice, and a
      // pass on the second attempt is reported as such.
      let result;
      let firstFailure;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        recordBrowserLog(page, path.join(base, `browser-${file}.log`));
        const wb = new Workbench(page, { url, screenshotDir, screenshotPrefix: `${file}--${check.name}`, samplesDir: workspace });
        /** @type {CheckResult} */
        result = { file, name: check.name, ok: false, screenshots: wb.screenshots };
        try {
          await withTimeout((async () => { await wb.open(); await check.run(wb); })(), check.timeoutMs ?? CHECK_TIMEOUT_MS, `"${check.name}"`);
          result.ok = true;
        } catch (err) {
          result.message = err instanceof Error ? err.message : String(err);
        }
        // The final state, pass or fail: what a reviewer (or a failing CI run) looks at first.
        await wb.screenshot(result.ok ? 'final' : attempt < MAX_ATTEMPTS ? `failed-attempt-${attempt}` : 'failed').catch(() => {});
        await context.close();
        if (result.ok || attempt === MAX_ATTEMPTS) break;
        firstFailure = result.message;
        console.log(`  … ${file}: ${check.name} failed on attempt ${attempt}, retrying once: ${String(result.message).split('\n')[0]}`);
      }
      const note = result.ok && firstFailure ? ' (passed on the second attempt)' : '';
      console.log(`  ${result.ok ? '✔' : '✘'} ${file}: ${check.name}${note}${result.ok ? '' : `\n      ${String(result.message).split('\n').join('\n      ')}`}`);
      results.push(result);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  if (results.some((r) => !r.ok)) console.log(`[e2e] code-server log: ${path.relative(root, server.logFile)}; browser logs: ${path.relative(root, base)}/browser-*.log`);
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const results = await runE2E({ root, filters: process.argv.slice(2) }).catch((err) => {
    console.error(`[e2e] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
