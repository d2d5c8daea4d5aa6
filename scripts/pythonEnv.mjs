#!/usr/bin/env node
// The Python environment of the python test tier: a virtual environment that sees Debian's
// python3-torch (created with --system-site-packages) and adds Keras, JAX, Optax and Flax from pip.
//
//   node scripts/pythonEnv.mjs          create or update it, print its interpreter
//   import { ensurePythonEnv } from './pythonEnv.mjs'
//
// Location: $PAPERLENS_VENV, else ~/.cache/paperlens/python-venv (one per machine, shared by all
// checkouts). The packages are test/python/requirements.txt; the venv is reinstalled when that file
// changes (its hash is stored in the venv). pip uses its own configuration (pip.conf, PIP_INDEX_URL…).
// Base interpreter: $PAPERLENS_PYTHON_BASE, else /usr/bin/python3 (Debian's, with python3-torch),
// else python3. Needs the venv module (Debian: apt-get install python3-venv).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REQUIREMENTS = path.join(root, 'test', 'python', 'requirements.txt');

export function venvDir() {
  return process.env.PAPERLENS_VENV || path.join(os.homedir(), '.cache', 'paperlens', 'python-venv');
}

function baseInterpreter() {
  for (const py of [process.env.PAPERLENS_PYTHON_BASE, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    if (spawnSync(py, ['-c', 'import venv'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

function run(cmd, args, log) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trim());
  return r.stdout;
}

/** Waits for (or takes) the creation lock: another checkout may be installing the same venv. */
function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} has been held for 30 minutes; remove it if no install is running`);
      spawnSync('sleep', ['2']);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Creates or updates the venv and returns its interpreter. Throws with the failing command's output.
 * @param {{log?: (line: string) => void}} [opts]
 */
export function ensurePythonEnv(opts = {}) {
  const log = opts.log ?? ((line) => console.error(`[python-env] ${line}`));
  const dir = venvDir();
  const python = path.join(dir, 'bin', 'python');
  const requirements = readFileSync(REQUIREMENTS, 'utf8');
  const hash = createHash('sha256').update(requirements).digest('hex');
  const stamp = path.join(dir, '.paperlens-requirements');
  const ready = () => existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash;
  if (ready()) return python;
  return withLock(dir, () => {
    if (ready()) return python;
    if (!existsSync(python)) {
      const base = baseInterpreter();
      if (!base) throw new Error('no Python with the venv module: on Debian run `apt-get install python3-venv`, or set PAPERLENS_PYTHON_BASE');
      run(base, ['-m', 'venv', '--system-site-packages', dir], log);
    }
    run(python, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], log);
    writeFileSync(stamp, hash);
    return python;
  });
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensurePythonEnv());
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
