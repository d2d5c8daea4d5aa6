#!/usr/bin/env node
// The browser VS Code (code-server) that the integration and e2e tiers and `npm run demo` run in.
//
// @vscode/test-electron downloads VS Code desktop at test time, which cannot happen offline; code-server
// installs from the npm registry instead. Its postinstall downloads things, so it is installed by hand
// (recipe in issue 3) into .vscode-test/code-server-<version>/, once, and reused while the marker file
// says it was built for this Node ABI.
//
// Usage: node scripts/codeServer.mjs [--check]   (--check only reports missing system packages)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, openSync, closeSync, accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Folder that caches the code-server install (git-ignored through `.vscode-test/`). */
export function codeServerDir(root = repoRoot) {
  return path.join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
}

/** The script that starts code-server: run it with the current `node`. */
export function codeServerEntry(root = repoRoot) {
  return path.join(codeServerDir(root), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

const markerFile = (root) => path.join(codeServerDir(root), '.paperlens-installed.json');

/** Bump when the install steps below change, so existing caches are redone rather than trusted. */
const RECIPE = 3;

/** Native modules are built for one Node ABI; a marker from another Node version means rebuild. */
function expectedMarker() {
  return { version: CODE_SERVER_VERSION, recipe: RECIPE, nodeAbi: process.versions.modules, platform: `${process.platform}-${process.arch}` };
}

/** True when a complete install for this version and Node ABI is already cached. */
export function isCodeServerInstalled(root = repoRoot) {
  try {
    const marker = JSON.parse(readFileSync(markerFile(root), 'utf8'));
    const want = expectedMarker();
    return Object.keys(want).every((k) => marker[k] === want[k]) && existsSync(codeServerEntry(root));
  } catch {
    return false;
  }
}

/** Path of an executable on PATH, or null. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
}

/** The Chromium that playwright-core drives: $PAPERLENS_CHROMIUM, Debian's /usr/bin/chromium, or one on PATH. */
export function findChromium() {
  const candidates = [process.env.PAPERLENS_CHROMIUM, '/usr/bin/chromium', which('chromium'), which('chromium-browser'), which('google-chrome')];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/**
 * The folder whose include/node/node.h matches this Node: npm's `nodedir` if configured, else the
 * install prefix of the running node. node-gyp builds offline only when it finds these headers.
 */
function nodeHeadersDir() {
  const configured = process.env.npm_config_nodedir || spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [configured, path.resolve(path.dirname(process.execPath), '..')].filter((d) => d && d !== 'undefined' && d !== 'null');
  return candidates.find((d) => existsSync(path.join(d, 'include', 'node', 'node.h'))) ?? null;
}

const hasHeader = (rel) => ['/usr/include', '/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu']
  .some((dir) => existsSync(path.join(dir, rel)));
const pkgConfigHas = (lib) => spawnSync('pkg-config', ['--exists', lib]).status === 0;

/**
 * Lists the Debian packages that are missing for installing and driving code-server, each with the
 * reason, so a failure reads "apt-get install X" rather than a node-gyp stack trace.
 * @param {{browser?: boolean, build?: boolean}} [need] browser: Chromium is needed; build: the native build tools are needed
 * @returns {{pkg: string, why: string}[]}
 */
export function missingSystemPackages({ browser = true, build = true } = {}) {
  const missing = [];
  const need = (ok, pkg, why) => { if (!ok) missing.push({ pkg, why }); };
  if (browser) need(findChromium(), 'chromium', 'no Chromium to drive the browser VS Code');
  if (build) {
    need(which('rg'), 'ripgrep', 'no `rg` (VS Code search needs it; its own download is offline-unsafe)');
    need(which('g++') && which('make'), 'build-essential', 'no C++ compiler / make to build code-server native modules');
    need(which('python3'), 'python3', 'no python3 for node-gyp');
    need(which('pkg-config'), 'pkg-config', 'no pkg-config for native module builds');
    need(nodeHeadersDir(), 'libnode-dev', 'no Node.js headers (include/node/node.h) for node-gyp, which would otherwise download them');
    need(hasHeader('krb5.h') || hasHeader('gssapi/gssapi.h'), 'libkrb5-dev', 'no Kerberos headers (krb5.h) for the kerberos module');
    need(hasHeader('X11/Xlib.h'), 'libx11-dev', 'no X11 headers (X11/Xlib.h) for native-keymap');
    need(hasHeader('X11/extensions/XKBrules.h'), 'libxkbfile-dev', 'no xkbfile headers (X11/extensions/XKBrules.h) for native-keymap');
    need(!which('pkg-config') || pkgConfigHas('libsecret-1'), 'libsecret-1-dev', 'no libsecret-1 (pkg-config libsecret-1) for the keychain module');
  }
  return missing;
}

/** One line naming the Debian packages to install, or null when nothing is missing. */
export function describeMissing(missing) {
  if (!missing.length) return null;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  return `Missing system package(s): apt-get install ${pkgs.join(' ')}  (${missing.map((m) => m.why).join('; ')})`;
}

function step(label, cmd, args, cwd, log, nodedir) {
  log(`[code-server] ${label}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // Progress bars and funding banners only clutter CI logs.
    // nodedir: point node-gyp at the local headers so no rebuild tries to download them.
    env: { ...process.env, npm_config_nodedir: nodedir, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', npm_config_progress: 'false' },
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`code-server install step failed: ${label} (${cmd} ${args.join(' ')} in ${cwd})\n${tail || r.error}`);
  }
  log(`[code-server]   done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Installs code-server into the cache folder unless the marker says it is already there. Idempotent:
 * every step can be re-run, and the marker is written only after the last one succeeds.
 * @param {{root?: string, log?: (line: string) => void}} [opts]
 * @returns {Promise<{dir: string, entry: string, installed: boolean}>} installed: whether this call did the work
 */
export async function ensureCodeServer({ root = repoRoot, log = (l) => console.log(l) } = {}) {
  const dir = codeServerDir(root);
  const entry = codeServerEntry(root);
  if (isCodeServerInstalled(root)) return { dir, entry, installed: false };

  const problem = describeMissing(missingSystemPackages({ browser: false, build: true }));
  if (problem) throw new Error(problem);
  if (Number(process.versions.node.split('.')[0]) !== 20) {
    log(`[code-server] warning: code-server ${CODE_SERVER_VERSION} targets Node 20; this is Node ${process.versions.node}`);
  }

  const nodedir = /** @type {string} */ (nodeHeadersDir());
  log(`[code-server] installing code-server ${CODE_SERVER_VERSION} into ${path.relative(root, dir)} (first run only; takes a few minutes)`);
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  rmSync(markerFile(root), { force: true });
  // Without its own package.json, npm would walk up and install into the repository's node_modules.
  const pkgJson = path.join(dir, 'package.json');
  if (!existsSync(pkgJson)) {
    writeFileSync(pkgJson, JSON.stringify({ name: 'paperlens-code-server-cache', private: true, description: 'Test fixture: code-server for PaperLens tests (scripts/codeServer.mjs)' }, null, 2) + '\n');
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');

  step(`npm install --ignore-scripts code-server@${CODE_SERVER_VERSION}`, npm, ['install', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], dir, log, nodedir);
  step('npm rebuild argon2', npm, ['rebuild', 'argon2'], dir, log, nodedir);
  step('lib/vscode: npm install --omit=dev --ignore-scripts', npm, ['install', '--omit=dev', '--ignore-scripts'], vscodeDir, log, nodedir);

  // @vscode/ripgrep's postinstall downloads rg from GitHub; the system one is the same tool.
  const rgTarget = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  mkdirSync(path.dirname(rgTarget), { recursive: true });
  copyFileSync(/** @type {string} */ (which('rg')), rgTarget);
  chmodSync(rgTarget, 0o755);
  log('[code-server] copied system rg into @vscode/ripgrep');

  // native-watchdog is not in the list, but without it every extension host logs
  // "Cannot find module './build/Release/watchdog'"; it builds offline like the others.
  step('lib/vscode: npm rebuild kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog', npm,
    ['rebuild', 'kerberos', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog'], vscodeDir, log, nodedir);
  // Through npx so that npm's `nodedir` config reaches node-gyp; a bare node-gyp would download headers.
  step('node-pty: npx --yes node-gyp rebuild', npx, ['--yes', 'node-gyp', 'rebuild'], path.join(vscodeDir, 'node_modules', 'node-pty'), log, nodedir);

  // The server looks for node_modules.asar (the desktop packaging); the plain folder serves the same files.
  const asar = path.join(vscodeDir, 'node_modules.asar');
  rmSync(asar, { force: true, recursive: false });
  symlinkSync('node_modules', asar);

  step('lib/vscode/extensions: npm install --omit=dev --ignore-scripts', npm, ['install', '--omit=dev', '--ignore-scripts'], path.join(vscodeDir, 'extensions'), log, nodedir);

  if (!existsSync(entry)) throw new Error(`code-server install finished but ${entry} is missing`);
  writeFileSync(markerFile(root), JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }, null, 2) + '\n');
  log(`[code-server] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { dir, entry, installed: true };
}

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * User settings that keep first-run UI (trust prompt, welcome page, walkthroughs, tips, surveys,
 * update and extension-gallery checks) out of tests and screenshots, and keep the run offline.
 */
export const quietSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.autofetch': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.surveys.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
};

async function waitForHttp(url, { timeoutMs, isAlive }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) return false;
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      if (res.status > 0) return true;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Starts code-server on 127.0.0.1 (auth off, telemetry and update checks off) and waits until it
 * answers HTTP. Writes the quiet user settings first, merged under `settings`. Pass
 * `env: offlineGalleryEnv` to keep the extension gallery (open-vsx.org) from being queried.
 * @param {{workspace: string, userDataDir: string, extensionsDir: string, port?: number, root?: string,
 *   settings?: Record<string, unknown>, env?: NodeJS.ProcessEnv, logFile?: string, extraArgs?: string[], timeoutMs?: number}} opts
 * @returns {Promise<{url: string, port: number, logFile: string, logTail: (lines?: number) => string, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, port, root = repoRoot, settings = {}, env = {}, logFile, extraArgs = [], timeoutMs = 60_000 }) {
  const entry = codeServerEntry(root);
  if (!isCodeServerInstalled(root)) throw new Error(`code-server is not installed: run \`node scripts/codeServer.mjs\` (or any tier that needs it) first`);
  port ??= await freePort();
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2) + '\n');
  logFile ??= path.join(userDataDir, 'code-server.log');
  // code-server otherwise creates ~/.config/code-server/config.yaml (with a password) and
  // ~/.local/share/code-server; keep every file it writes inside the run's folder.
  const configFile = path.join(userDataDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const dataHome = path.join(userDataDir, 'xdg-data');
  const fd = openSync(logFile, 'a');

  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...extraArgs,
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', fd, fd],
    // Its own process group, so stop() also ends the extension hosts and pty hosts it forks.
    detached: true,
    env: { ...process.env, XDG_DATA_HOME: dataHome, ...env },
  });
  closeSync(fd);
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(undefined); }));

  const logTail = (lines = 40) => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no code-server log)';
    }
  };
  const stop = async () => {
    if (exited) return;
    try { process.kill(-(/** @type {number} */ (child.pid)), 'SIGTERM'); } catch { /* already gone */ }
    const killer = setTimeout(() => { try { process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exitedPromise;
    clearTimeout(killer);
  };

  const url = `http://127.0.0.1:${port}`;
  const up = await waitForHttp(`${url}/healthz`, { timeoutMs, isAlive: () => !exited });
  if (!up) {
    await stop();
    throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s. Log tail (${logFile}):\n${logTail()}`);
  }
  return { url, port, logFile, logTail, stop };
}

/**
 * The workbench URL that opens `folder`, optionally loading an extension under development and
 * running a test suite in its extension host (the same `payload` that VS Code's own web tests use).
 * @param {{url: string, port: number, folder: string, extensionDevelopmentPath?: string, extensionTestsPath?: string}} o
 */
export function workbenchUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const q = `folder=${encodeURIComponent(folder)}` + (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  return `${url}/?${q}`;
}

/**
 * Environment that removes the extension gallery from code-server's product configuration: with no
 * gallery URL, VS Code never queries open-vsx.org (it otherwise does on startup, even with
 * auto-update off). Tests use it; the demo does not, so a user can still install extensions.
 */
export const offlineGalleryEnv = { EXTENSIONS_GALLERY: '{}' };

/** Chromium flags: headless-friendly and with every background network feature off. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const checkOnly = process.argv.includes('--check');
  const problem = describeMissing(missingSystemPackages({ browser: true, build: !isCodeServerInstalled() }));
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  if (checkOnly) {
    console.log('System packages for code-server and Chromium are present.');
  } else {
    const started = Date.now();
    const { dir, installed } = await ensureCodeServer();
    console.log(installed ? `code-server ready in ${dir} (${((Date.now() - started) / 1000).toFixed(0)} s)` : `code-server already installed in ${dir}`);
  }
}
