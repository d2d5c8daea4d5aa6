/**
 * The layering rules of ARCHITECTURE.md, checked by dependency-cruiser (`npm run lint:layers`, and
 * by test/unit/house/layers.test.ts in the unit tier, so CI fails on a violation).
 *
 *   front ends (src/editor, src/panel, src/cli, src/extension.ts) → src/services → src/core
 *   src/webview (browser) → src/protocol.ts only
 *
 * Paths are relative to the folder the check runs in; the test runs the same rules on a planted
 * fixture tree with the same layout.
 */
/** The VS Code API: the `vscode` module, however it resolves (an @types package or unresolved). */
const path = require('node:path');

const VSCODE = '^vscode$|node_modules/@types/vscode/';
const ADAPTERS = '^src/(editor|panel|webview)/|^src/extension\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-vscode',
      comment: 'src/core is pure TypeScript that node runs alone: it never imports the VS Code API.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: VSCODE },
    },
    {
      name: 'core-no-upper-layer',
      comment: 'src/core imports nothing above it: no services, no front end, no adapter.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: `^src/(services|cli)/|${ADAPTERS}` },
    },
    {
      name: 'services-no-vscode',
      comment: 'src/services is shared by the extension and the CLI: no VS Code API.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: VSCODE },
    },
    {
      name: 'services-no-front-end',
      comment: 'src/services sits below the front ends: it imports core only.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: `^src/cli/|${ADAPTERS}` },
    },
    {
      name: 'cli-no-vscode',
      comment: 'The CLI runs under plain node: no VS Code API and no adapter code.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: `${VSCODE}|${ADAPTERS}` },
    },
    {
      name: 'panel-not-editor',
      comment: 'The sidebar (src/panel) and the editor features (src/editor) are sibling adapters: they share services, not each other.',
      severity: 'error',
      from: { path: '^src/panel/' },
      to: { path: '^src/editor/' },
    },
    {
      name: 'editor-not-panel',
      comment: 'The editor features open the sidebar through its commands, not its code.',
      severity: 'error',
      from: { path: '^src/editor/' },
      to: { path: '^src/panel/' },
    },
    {
      name: 'webview-only-protocol',
      comment: 'Browser code (src/webview) imports its own files and the typed message protocol, nothing else of src.',
      severity: 'error',
      from: { path: '^src/webview/' },
      to: { path: '^src/', pathNot: '^src/webview/|^src/protocol\\.ts$' },
    },
    {
      name: 'webview-no-vscode',
      comment: 'Browser code talks to the host through postMessage only.',
      severity: 'error',
      from: { path: '^src/webview/' },
      to: { path: VSCODE },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: each layer and each file can be read and tested from the bottom up.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
