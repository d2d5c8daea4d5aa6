#!/usr/bin/env node
// `npm run demo`: build and package PaperLens, install the .vsix, and open samples/ with it.
//   - VS Code desktop when `code` is on PATH (pass --browser to use the browser VS Code anyway);
//   - otherwise the browser VS Code (code-server, installed into .vscode-test/ on first use),
//     served on 127.0.0.1 until Ctrl-C. PAPERLENS_DEMO_PORT picks the port (default 8080, or a free one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';
import { codeServerEntry, describeMissing, ensureCodeServer, freePort, isCodeServerInstalled, missingSystemPackages, startCodeServer, which } from './codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsix = path.join(root, 'dist', 'paperlens.vsix');
const samples = path.join(root, 'samples');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n[demo] ${what} failed (${cmd} ${args.join(' ')}${r.error ? `: ${r.error.message}` : ''})`);
    process.exit(1);
  }
}

/** Port 8080 reads well in a URL; fall back to any free port when it is taken. */
async function pickPort() {
  if (process.env.PAPERLENS_DEMO_PORT) return Number(process.env.PAPERLENS_DEMO_PORT);
  const net = await import('node:net');
  const free = await new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false)).listen(8080, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  return free ? 8080 : freePort();
}

async function demoInDesktop(code) {
  console.log(`[demo] installing ${path.relative(root, vsix)} into VS Code desktop (${code})`);
  run(code, ['--install-extension', vsix, '--force'], 'installing the extension into VS Code');
  run(code, [samples], 'opening samples/ in VS Code');
  console.log('[demo] VS Code is opening samples/. Open classification/train_cifar.py and hover a loss such as nn.CrossEntropyLoss.');
}

async function demoInBrowser() {
  const problem = describeMissing(missingSystemPackages({ browser: false, build: !isCodeServerInstalled(root) }));
  if (problem) {
    console.error(`[demo] ${problem}`);
    process.exit(1);
  }
  await ensureCodeServer({ root });
  const base = path.join(root, '.vscode-test', 'demo');
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  mkdirSync(userDataDir, { recursive: true });

  console.log('[demo] installing the .vsix into the browser VS Code');
  const install = spawnSync(process.execPath, [
    codeServerEntry(root), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--config', path.join(userDataDir, 'code-server.yaml'), '--install-extension', vsix, '--force',
  ], { cwd: root, encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: path.join(userDataDir, 'xdg-data') } });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    console.error(`[demo] installing the extension into code-server failed:\n${install.stdout}${install.stderr}`);
    process.exit(1);
  }

  const server = await startCodeServer({ root, workspace: samples, userDataDir, extensionsDir, port: await pickPort() });
  // Slashes left readable: VS Code accepts them unescaped in the folder parameter.
  const url = `${server.url}/?folder=${encodeURIComponent(samples).replace(/%2F/g, '/')}`;
  console.log(`\n  PaperLens demo: ${url}\n`);
  console.log('  Open classification/train_cifar.py (or any file under samples/) and hover a loss such as nn.CrossEntropyLoss;');
  console.log('  the PaperLens icon in the activity bar opens the paper search. Ctrl-C stops the server.');
  console.log(`  (server log: ${path.relative(root, server.logFile)})\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Stay in the foreground; notice if the server dies on its own.
  const watch = setInterval(async () => {
    try {
      await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    } catch {
      if (stopping) return;
      clearInterval(watch);
      console.error(`[demo] code-server stopped answering. Log tail:\n${server.logTail()}`);
      process.exit(1);
    }
  }, 5000);
}

const forceBrowser = process.argv.includes('--browser');
console.log('[demo] PaperLens demo. The first run builds, packages and (without VS Code desktop) installs the browser VS Code; that can take a few minutes.');
const code = forceBrowser ? null : which('code');
// npm packages on a fresh clone, and (for the browser VS Code) the system packages it builds with:
// installed with apt-get when root on Debian, otherwise the one command to run is printed.
try {
  await ensureSetup({ targets: code ? ['unit'] : ['demo'], log: (line) => console.log(`[demo] ${line}`) });
} catch (err) {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
run(npm, ['run', 'package'], 'building and packaging the extension (npm run package)');
if (!existsSync(vsix)) {
  console.error(`[demo] npm run package did not produce ${path.relative(root, vsix)}`);
  process.exit(1);
}
if (code) await demoInDesktop(code);
else await demoInBrowser();
