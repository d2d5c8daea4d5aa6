/**
 * `dist/cli.js`, the `paperlens` bin: loads the CLI's program (`dist/cli-main.js`, bundled from
 * main.ts) with the V8 code cache the build made for it (codeCache.ts) and runs it. Without a
 * usable cache the program is compiled as usual: the cache only saves start-up time.
 */
import path from 'node:path';
import { loadBundle } from './codeCache';

const program = loadBundle(path.join(__dirname, 'cli-main.js'), module);
const run = program.exports.runFromCommandLine;
if (typeof run !== 'function') throw new Error(`${path.join(__dirname, 'cli-main.js')} does not export runFromCommandLine`);
run();
