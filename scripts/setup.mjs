#!/usr/bin/env node
// Sets up a fresh clone for `npm test` and `npm run demo` (and CI, through .ci/run): only Node 20
// and npm are assumed. Each step is skipped when its work is already done.
//
//   1. npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
//   2. System packages the asked-for tiers need (Debian names): installed with apt-get when this
//      runs as root on Debian, otherwise the one command to run is printed and setup fails.
//   3. The python tier's Keras/JAX virtual environment (scripts/pythonEnv.mjs), when it exists.
//
//   node scripts/setup.mjs [unit|python|integration|e2e|demo]...   (default: every test tier)
//   import { ensureSetup } from './setup.mjs'
//
// Only Node's own modules are imported here: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Debian packages each tier (and the demo) needs, with what for. The integration and e2e tiers
 * and the browser demo build code-server's native modules (toolchain and headers) and use
 * ripgrep for its search; the tiers drive it with Chromium. The python tier runs the snippets under
 * Debian's PyTorch with pytest, and Keras/JAX in a venv.
 */
export const SYSTEM_PACKAGES = {
  unit: [],
  python: ['python3-torch', 'python3-numpy', 'python3-pytest', 'python3-venv'],
  integration: ['build-essential', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'ripgrep', 'chromium', 'fonts-dejavu-core'],
  e2e: ['build-essential', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'ripgrep', 'chromium', 'fonts-dejavu-core'],
  demo: ['build-essential', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'ripgrep'],
};
export const ALL_TIERS = ['unit', 'python', 'integration', 'e2e'];

function run(cmd, args, log, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`);
}

/** Whether `npm ci` is needed: no node_modules, or a lock file newer than npm's record of the install. */
export function npmInstallNeeded(dir = root) {
  const installed = path.join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(path.join(dir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

/** The Debian packages in `wanted` that dpkg does not list as installed; null when this is not Debian. */
export function missingDebianPackages(wanted) {
  const probe = spawnSync('dpkg-query', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  return wanted.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && /install ok installed/.test(r.stdout));
  });
}

/**
 * Runs the setup steps for `targets` (tier names and/or `demo`). Throws with a message that says
 * what to do when a step cannot be done here (e.g. system packages without root).
 * `packages` and `isRoot` replace the package table and the root check (for tests).
 * @param {{targets?: string[], log?: (line: string) => void, packages?: Record<string, string[]>, isRoot?: boolean}} [opts]
 */
export async function ensureSetup(opts = {}) {
  const targets = opts.targets?.length ? opts.targets : ALL_TIERS;
  const log = opts.log ?? ((line) => console.log(`[setup] ${line}`));
  const table = opts.packages ?? SYSTEM_PACKAGES;

  if (npmInstallNeeded()) {
    const link = path.join(root, 'node_modules');
    // npm ci empties node_modules first: through a symbolic link that would empty the shared
    // folder it points to (a worktree sharing another checkout's packages).
    if (existsSync(link) && lstatSync(link).isSymbolicLink()) log('node_modules is a symbolic link to another checkout; not reinstalling through it (run npm ci there if packages are missing)');
    else {
      log('installing npm packages (npm ci)');
      run(npm, ['ci', '--no-audit', '--no-fund'], log);
    }
  }

  const wanted = [...new Set(targets.flatMap((t) => table[t] ?? []))];
  const missing = wanted.length ? missingDebianPackages(wanted) : [];
  if (missing === null) {
    if (wanted.length) log(`not Debian (no dpkg): make sure the equivalents of ${wanted.join(' ')} are installed`);
  } else if (missing.length) {
    const isRoot = opts.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
    const hasApt = spawnSync('apt-get', ['--version'], { encoding: 'utf8' }).status === 0;
    if (isRoot && hasApt) {
      log(`installing Debian packages: ${missing.join(' ')}`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      run('apt-get', ['update', '-qq'], log, { env });
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], log, { env });
    } else {
      throw new Error(`missing system packages for ${targets.join(', ')}. Run:\n\n  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n\nthen run the command again.`);
    }
  }

  // The Keras/JAX venv of the python tier, when this checkout has one (scripts/pythonEnv.mjs).
  const pythonEnv = path.join(root, 'scripts', 'pythonEnv.mjs');
  if (targets.includes('python') && existsSync(pythonEnv)) {
    const { ensurePythonEnv } = await import(pathToFileURL(pythonEnv).href);
    log(`python environment: ${ensurePythonEnv({ log })}`);
  }
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const targets = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = targets.filter((t) => !(t in SYSTEM_PACKAGES));
  if (unknown.length) {
    console.error(`Unknown target(s): ${unknown.join(', ')}. Known: ${Object.keys(SYSTEM_PACKAGES).join(', ')}`);
    process.exit(2);
  }
  try {
    await ensureSetup({ targets });
  } catch (err) {
    console.error(`[setup] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
