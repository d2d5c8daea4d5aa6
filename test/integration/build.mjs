// Bundles the integration suite for the extension host, which loads plain CommonJS: index.ts and
// each suite/*.test.ts become out/test/integration/{index,suite/*.test}.js. `vscode` comes from
// the host and mocha from the repository's node_modules, so both stay external.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * @param {{root: string, outDir?: string}} opts outDir: defaults to out/test/integration; the code-server
 *   launcher uses its run folder so that concurrent runs do not rebuild each other's bundle
 * @returns {Promise<{outDir: string, entry: string, tests: string[]}>} entry: the file to pass as extensionTestsPath
 */
export async function buildIntegrationSuite({ root, outDir = path.join(root, 'out', 'test', 'integration') }) {
  const srcDir = path.join(root, 'test', 'integration');
  const tests = readdirSync(path.join(srcDir, 'suite')).filter((f) => f.endsWith('.test.ts')).sort();
  // A test file deleted from the source must not keep running from a stale bundle.
  if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(srcDir, 'index.ts'), ...tests.map((t) => path.join(srcDir, 'suite', t))],
    outbase: srcDir,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return { outDir, entry: path.join(outDir, 'index.js'), tests };
}
