/**
 * The layering rules (.dependency-cruiser.cjs, ARCHITECTURE.md) hold on the real source tree, and
 * the check fails on a copy of it with planted violations: core importing `vscode` or a service,
 * services importing `vscode`, the CLI and the sidebar importing editor code, the webview importing
 * core, and an import cycle. This test is how CI (the unit tier of `npm test`) runs the check.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Runs the check exactly as `npm run lint:layers` does, in `cwd`: its exit code and the violations
 * it prints (`error <rule>: <from> → <to>`).
 */
function cruise(cwd: string): { code: number | null; violations: Violation[]; output: string } {
  const r = spawnSync(process.execPath, [cli, 'src', '--config', config], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout}${r.stderr}`;
  // A cycle prints as `error no-circular: a → ⏎ b → ⏎ a`: the first hop is its from and to.
  const violations = [...output.matchAll(/^\s*error ([a-z-]+): (\S+) →\s+(\S+)/gm)].map((m) => ({ rule: m[1], from: m[2], to: m[3] }));
  assert.match(output, /modules, \d+ dependencies cruised/, `dependency-cruiser did not run: ${output.slice(0, 2000)}`);
  return { code: r.status, violations, output };
}

const short = (v: Violation) => `${v.rule}: ${v.from} → ${v.to}`;

describe('layering (dependency-cruiser)', () => {
  it('the source tree keeps every rule', () => {
    const { code, violations } = cruise(root);
    assert.deepEqual(violations.map(short), []);
    assert.equal(code, 0);
  });

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-layers-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('fails on planted violations, naming each rule and file', () => {
    cpSync(path.join(root, 'src'), path.join(tmp, 'src'), { recursive: true });
    // The same module resolution as the real tree (so `vscode` resolves to its @types package).
    symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const plant = (file: string, text: string) => writeFileSync(path.join(tmp, file), text);
    plant('src/core/plantedVscode.ts', "import * as vscode from 'vscode';\nexport const version = vscode.version;\n");
    plant('src/core/plantedUp.ts', "import { settingsFrom } from '../services/settings';\nexport const read = settingsFrom;\n");
    plant('src/services/plantedVscode.ts', "import type { Uri } from 'vscode';\nexport type Target = Uri;\n");
    plant('src/panel/plantedEditor.ts', "import { readConfig } from '../editor/config';\nexport const read = readConfig;\n");
    plant('src/cli/plantedEditor.ts', "import { readConfig } from '../editor/config';\nexport const read = readConfig;\n");
    plant('src/webview/plantedCore.ts', "import { RULES } from '../core/checks/rules';\nexport const rules = RULES;\n");
    plant('src/services/plantedCycleA.ts', "import { b } from './plantedCycleB';\nexport const a = (): number => b() + 1;\n");
    plant('src/services/plantedCycleB.ts', "import { a } from './plantedCycleA';\nexport const b = (): number => (Math.random() > 2 ? a() : 0);\n");

    const { code, violations } = cruise(tmp);
    assert.notEqual(code, 0, 'the check exits non-zero');
    const found = new Set(violations.map((v) => `${v.rule} ${v.from}`));
    for (const expected of [
      'core-no-vscode src/core/plantedVscode.ts',
      'core-no-upper-layer src/core/plantedUp.ts',
      'services-no-vscode src/services/plantedVscode.ts',
      'panel-not-editor src/panel/plantedEditor.ts',
      'cli-no-vscode src/cli/plantedEditor.ts',
      'webview-only-protocol src/webview/plantedCore.ts',
      'no-circular src/services/plantedCycleA.ts',
    ]) {
      assert.ok(found.has(expected), `expected ${expected}; got:\n${violations.map(short).join('\n')}`);
    }
    // Only the planted files are reported: the copy is otherwise the clean tree.
    assert.deepEqual(violations.filter((v) => !/planted/.test(v.from)).map(short), []);
  });
});

describe('adapter folders', () => {
  it('hold only adapters: every module in src/editor and src/panel uses the VS Code API (vscode-free code belongs in core or services)', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const files = ['editor', 'panel'].flatMap((d) => walk(path.join(root, 'src', d)));
    assert.ok(files.length >= 10, `only ${files.length} adapter modules found`);
    const free = files.filter((f) => !/^import\b[^;]*from 'vscode';/m.test(readFileSync(f, 'utf8'))).map((f) => path.relative(root, f));
    assert.deepEqual(free, []);
  });
});
