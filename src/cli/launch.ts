/**
 * `dist/cli.js`, the `paperlens` bin: loads the CLI's program (`dist/cli-main.js`, bundled from
 * main.ts) with the V8 code cache the build made for it (codeCache.ts) and runs it. Without a
 * usable cache the program is compiled as usual: the cache only saves start-up time.
 */
import path from 'node:path';
import { loadBundle } from './codeCache';
import { applyCliEngineFlags } from './engineFlags';

applyCliEngineFlags();

const programPath = path.join(__dirname, 'cli-main.js');
let run: unknown;
try {
  run = loadBundle(programPath, module).exports.runFromCommandLine;
} catch (err) {
  // A missing or unreadable program file (a partial copy of dist/): say which, without a stack trace.
  const code = (err as NodeJS.ErrnoException).code;
  process.stderr.write(`paperlens: cannot load ${programPath}: ${code === 'ENOENT' ? 'no such file (run `npm run build`)' : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
if (typeof run !== 'function') {
  process.stderr.write(`paperlens: ${programPath} does not export runFromCommandLine (run \`npm run build\`)\n`);
  process.exit(1);
}
(run as () => void)();
