/**
 * Makes `dist/cli-main.js.cache`, the V8 code cache `dist/cli.js` loads the CLI with
 * (src/cli/codeCache.ts): loads the bundle, runs the commands people run most (scan in each output
 * format, search, cite, snippet) on the shipped samples and the checks' fixtures with their output discarded, so that the
 * functions they call are compiled, then saves the bytecode. Run by `npm run build` after
 * bundling, with the Node that runs the tests (a cache from another Node is turned down, which
 * only costs the compile it would have saved).
 *
 * Usage: node --import tsx scripts/cliCodeCache.ts [dist-dir] [--data DIR] [--root DIR]
 *   --data: the shipped data (default: <dist-dir>/data); --root: the repository, whose samples and
 *   fixtures are scanned (default: the parent of <dist-dir>). bench/vsTree.ts builds into a
 *   temporary folder and passes both.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadBundle, writeCodeCache } from '../src/cli/codeCache';
import { applyCliEngineFlags } from '../src/cli/engineFlags';
import type { CliIO } from '../src/cli/io';

type Main = (argv: string[], io: CliIO) => Promise<number>;

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args.splice(k, 2)[1] : undefined;
  };
  const data = option('--data');
  const rootArg = option('--root');
  const dist = path.resolve(args[0] ?? 'dist');
  const bundle = path.join(dist, 'cli-main.js');
  // The launcher's V8 flags: a cache made under other flags is turned down.
  applyCliEngineFlags();
  const loaded = loadBundle(bundle, module);
  const main = loaded.exports.main as Main;
  const root = path.resolve(rootArg ?? path.join(dist, '..'));
  const io: CliIO = { out: () => undefined, err: () => undefined, dataDir: path.resolve(data ?? path.join(dist, 'data')), cwd: root };
  // The samples, and the checks' fixtures: every rule finds something there.
  const trees = [path.join(root, 'samples'), path.join(root, 'test/unit/checks/fixtures')].filter((p) => existsSync(p));
  const runs = [
    ['scan', ...trees],
    ['scan', '--json', ...trees],
    ['scan', '--format', 'sarif', ...trees],
    ['search', 'focal loss for dense object detection'],
    ['search', '--json', 'label smoothing'],
    ['snippet', 'focal'],
    ['cite', '1708.02002'],
  ];
  for (const argv of runs) await main(argv, io);
  const size = writeCodeCache(bundle, loaded);
  console.log(`code cache: ${path.relative(root, bundle)}.cache (${Math.round(size / 1024)} KB, ${runs.length} commands run)`);
}

run().catch((err: unknown) => {
  console.error(`code cache: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
