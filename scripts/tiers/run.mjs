// Small helpers shared by the tier scripts.
import { spawn } from 'node:child_process';

/**
 * Runs a command with inherited stdio (or piped, when `capture`), resolving with its exit code and output.
 * @param {string} cmd @param {string[]} args @param {{cwd?: string, env?: NodeJS.ProcessEnv, capture?: boolean}} [opts]
 * @returns {Promise<{code: number, out: string}>}
 */
export function runCommand(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let out = '';
    if (opts.capture) {
      child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
      child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    }
    child.on('error', (err) => resolve({ code: 127, out: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}
