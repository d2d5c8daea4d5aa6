// Bundles the extension host code, the CLI and the webview, and writes the shipped data to dist/data.
// Usage: node esbuild.config.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { buildData } from './scripts/buildData.mjs';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev') || watch;

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
];

await buildData();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
