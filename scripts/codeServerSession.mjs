// What the integration and e2e tiers share: check the machine, install code-server once, build the
// extension, make fresh per-run folders, start code-server on the samples workspace and drive it
// with headless Chromium.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, describeMissing, ensureCodeServer, findChromium, isCodeServerInstalled, missingSystemPackages, offlineGalleryEnv, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { runCommand } from './tiers/run.mjs';

/**
 * Fails with one line naming the missing Debian packages, installs code-server if needed and
 * builds the extension (dev build: sourcemaps, no minification).
 * @param {{root: string, build?: boolean}} opts
 */
export async function prepare({ root, build = true }) {
  const problem = describeMissing(missingSystemPackages({ browser: true, build: !isCodeServerInstalled(root) }));
  if (problem) throw new Error(problem);
  await ensureCodeServer({ root });
  // `npm test` runs the integration and e2e tiers in one process: build once for both.
  if (build && !builtIn.has(root)) {
    const { code } = await runCommand(process.execPath, ['esbuild.config.mjs', '--dev'], { cwd: root, capture: true });
    if (code !== 0) throw new Error('building the extension (node esbuild.config.mjs --dev) failed; see the errors above');
    builtIn.add(root);
  }
}

/** Roots already built by this process. */
const builtIn = new Set();

/**
 * Empty per-run folders under .vscode-test/<name>/run-<pid>/, so no state (open editors, settings,
 * installed extensions) leaks from one run into the next, and two `npm test` runs in the same tree
 * do not delete each other's folders. Folders of runs whose process is gone are removed first; the
 * current one stays after the run for its logs.
 * @param {string} root @param {string} name
 */
export function freshRunDirs(root, name) {
  const parent = path.join(root, '.vscode-test', name);
  mkdirSync(parent, { recursive: true });
  for (const entry of readdirSync(parent)) {
    const pid = Number((/^run-(\d+)$/.exec(entry) ?? [])[1]);
    if (pid && !isAlive(pid)) rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
  const base = path.join(parent, `run-${process.pid}`);
  rmSync(base, { recursive: true, force: true });
  const dirs = { base, userDataDir: path.join(base, 'user-data'), extensionsDir: path.join(base, 'extensions') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/** Starts code-server on samples/ with fresh folders (or the given ones). */
export async function startOnSamples({ root, name, env = {}, settings = {}, dirs = freshRunDirs(root, name) }) {
  const workspace = path.join(root, 'samples');
  const server = await startCodeServer({ root, workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, env: { ...offlineGalleryEnv, ...env }, settings });
  return { ...dirs, workspace, server };
}

/** Headless Chromium with every background network feature off and a throwaway profile. */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(describeMissing([{ pkg: 'chromium', why: 'no Chromium to drive the browser VS Code' }]) ?? 'no Chromium');
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs });
}

/** The extension-host log lines of the newest session, where errors from the extension and the suite land. */
export function extensionHostLogTail(userDataDir, lines = 30) {
  const logs = path.join(userDataDir, 'logs');
  if (!existsSync(logs)) return '(no logs folder)';
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$/i.test(e.name)) found.push(p);
    }
  };
  walk(logs);
  if (!found.length) return '(no extension host log)';
  const newest = found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const text = readFileSync(newest, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `${path.relative(userDataDir, newest)}:\n${text}`;
}

/**
 * Sends the page's console, uncaught errors and failed requests to a log file: the first place to
 * look when the workbench misbehaves, and the proof that nothing tried to reach the network.
 * @param {import('playwright-core').Page} page @param {string} file
 */
export function recordBrowserLog(page, file) {
  page.on('console', (m) => appendFileSync(file, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(file, `[pageerror] ${e.message}\n`));
  page.on('requestfailed', (r) => appendFileSync(file, `[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}\n`));
}

export { workbenchUrl };
