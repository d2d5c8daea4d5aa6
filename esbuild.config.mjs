// Bundles the extension host code, the CLI and the webview, and writes the shipped data to dist/data.
// Usage: node esbuild.config.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { buildData } from './scripts/buildData.mjs';
import { buildFormulas } from './scripts/buildFormulas.mjs';

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
    // The CLI's program; dist/cli.js loads it with the code cache scripts/cliCodeCache.ts makes.
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // The `paperlens` bin: a small launcher (src/cli/launch.ts).
    ...common,
    entryPoints: ['src/cli/launch.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // `paperlens scan` of a large tree: files are read and scanned by these worker threads.
    ...common,
    entryPoints: ['src/cli/scan/scanWorker.ts'],
    outfile: 'dist/scanWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // Users' corpus files are parsed in this worker thread, off the extension host's thread.
    ...common,
    entryPoints: ['src/services/userCorpusWorker.ts'],
    outfile: 'dist/userCorpusWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // MathJax, kept out of extension.js: loaded on demand for LaTeX that was not pre-rendered, and
    // used by scripts/buildFormulas.mjs to pre-render the shipped formulas.
    ...common,
    entryPoints: ['src/core/formula/texToSvg.ts'],
    outfile: 'dist/texToSvg.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // The Papers sidebar (a webview): browser code with markdown-it and KaTeX, and its stylesheet.
    ...common,
    entryPoints: [{ in: 'src/webview/main.ts', out: 'sidebar' }, { in: 'media/sidebar.css', out: 'sidebar' }],
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    tsconfig: 'src/webview/tsconfig.json',
  },
];

/** KaTeX's stylesheet and fonts, next to the sidebar: the webview loads nothing remote. */
async function copyKatex() {
  const { copyFile, mkdir, readdir, readFile, writeFile } = await import('node:fs/promises');
  const from = 'node_modules/katex/dist';
  await mkdir('dist/webview/katex/fonts', { recursive: true });
  // The webview is Chromium: woff2 only; the woff/ttf fallbacks would just grow the .vsix.
  const css = (await readFile(`${from}/katex.min.css`, 'utf8')).replace(/,url\(fonts\/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, '');
  await writeFile('dist/webview/katex/katex.min.css', css);
  for (const f of await readdir(`${from}/fonts`)) if (f.endsWith('.woff2')) await copyFile(`${from}/fonts/${f}`, `dist/webview/katex/fonts/${f}`);
}

await buildData();
await copyKatex();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
// In watch mode the first build may still be running; a missing renderer is then only a warning.
await buildFormulas().catch((err) => {
  if (!watch) throw err;
  console.warn(`formulas: ${err.message}`);
});
// The CLI's code cache, made by running its commands on the samples (a watch build leaves it
// stale, which the launcher detects and ignores).
if (!watch) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/cliCodeCache.ts', 'dist'], { stdio: 'inherit' });
}
