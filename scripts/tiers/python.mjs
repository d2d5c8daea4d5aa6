// Python tier: every shipped snippet executed under real PyTorch with pytest.
// The interpreter is $PAPERLENS_PYTHON, else /usr/bin/python3 (Debian's python3-torch), else python3.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCommand } from './run.mjs';

function pickPython() {
  const candidates = [process.env.PAPERLENS_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import torch, pytest'], { encoding: 'utf8' });
    if (probe.status === 0) return py;
  }
  return null;
}

export async function run({ root }) {
  const dir = path.join(root, 'test', 'python');
  if (!existsSync(dir)) return { passed: 0, failed: 0, note: 'no python tests yet' };
  const py = pickPython();
  if (!py) {
    console.error('Python tier needs PyTorch and pytest: on Debian run `apt-get install python3-torch python3-pytest`, or set PAPERLENS_PYTHON to an interpreter that has both.');
    return { passed: 0, failed: 1, note: 'python3-torch / python3-pytest missing' };
  }
  const { code, out } = await runCommand(py, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test/python'], { cwd: root, capture: true });
  const num = (word) => Number((out.match(new RegExp(`(\\d+) ${word}`)) ?? [])[1] ?? 0);
  const passed = num('passed');
  let failed = num('failed') + num('error');
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}
