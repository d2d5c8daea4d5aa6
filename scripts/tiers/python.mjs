// Python tier: every shipped snippet and fixed check fixture executed under real PyTorch with pytest,
// and the Keras/JAX tests (test/python/keras_jax/) under real Keras on JAX.
// PyTorch: $PAPERLENS_PYTHON, else /usr/bin/python3 (Debian's python3-torch), else python3.
// Keras/JAX: the venv of scripts/pythonEnv.mjs (created on first use). It is a separate run because
// JAX needs NumPy 2, which Debian's PyTorch build cannot use.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCommand } from './run.mjs';
import { ensurePythonEnv } from '../pythonEnv.mjs';

const VENV_TESTS = path.join('test', 'python', 'keras_jax');

function pickPython() {
  const candidates = [process.env.PAPERLENS_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import torch, pytest'], { encoding: 'utf8' });
    if (probe.status === 0) return py;
  }
  return null;
}

async function pytest(py, args, root, env) {
  const { code, out } = await runCommand(py, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...args], { cwd: root, capture: true, env });
  const num = (word) => Number((out.match(new RegExp(`(\\d+) ${word}`)) ?? [])[1] ?? 0);
  const passed = num('passed');
  let failed = num('failed') + num('error');
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

export async function run({ root }) {
  const dir = path.join(root, 'test', 'python');
  if (!existsSync(dir)) return { passed: 0, failed: 0, note: 'no python tests yet' };
  const py = pickPython();
  if (!py) {
    console.error('Python tier needs PyTorch and pytest: on Debian run `apt-get install python3-torch python3-pytest`, or set PAPERLENS_PYTHON to an interpreter that has both.');
    return { passed: 0, failed: 1, note: 'python3-torch / python3-pytest missing' };
  }
  const hasVenvTests = existsSync(path.join(root, VENV_TESTS));
  const torch = await pytest(py, ['test/python', ...(hasVenvTests ? ['--ignore', VENV_TESTS] : [])], root);
  if (!hasVenvTests) return torch;
  let venvPython;
  try {
    venvPython = ensurePythonEnv();
  } catch (err) {
    console.error(`Python tier: cannot set up the Keras/JAX environment: ${err instanceof Error ? err.message : String(err)}`);
    return { passed: torch.passed, failed: torch.failed + 1, note: 'Keras/JAX venv missing' };
  }
  const keras = await pytest(venvPython, [VENV_TESTS], root, { ...process.env, KERAS_BACKEND: 'jax' });
  return { passed: torch.passed + keras.passed, failed: torch.failed + keras.failed };
}
