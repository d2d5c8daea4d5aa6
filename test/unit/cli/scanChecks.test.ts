import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

const root = path.join(__dirname, '../../..');

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd: root };
  const code = await main(args, io);
  return { code, out, err };
}

const BCE = 'test/unit/checks/fixtures/bce.py';
const CLEAN = 'test/unit/checks/fixtures/small_head.py';

describe('paperlens scan: findings of the paper-aware checks', () => {
  it('lists findings in the JSON output, in the documented shape', async () => {
    const r = await runCli(['scan', '--json', BCE]);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { files: { findings: Record<string, unknown>[] }[] };
    const findings = json.files[0].findings;
    assert.equal(findings.length, 6);
    assert.deepEqual(Object.keys(findings[0]), ['rule', 'line', 'column', 'endLine', 'endColumn', 'message', 'severity', 'source', 'concept']);
    assert.deepEqual(
      { rule: findings[0].rule, line: findings[0].line, column: findings[0].column, severity: findings[0].severity },
      { rule: 'sigmoid-before-bce', line: 9, column: 30, severity: 'warning' },
    );
  });

  it('exits 1 with --fail-on warning when a warning is found, 0 on clean code', async () => {
    assert.equal((await runCli(['scan', '--fail-on', 'warning', BCE])).code, 1);
    assert.equal((await runCli(['scan', '--fail-on', 'error', BCE])).code, 0);
    assert.equal((await runCli(['scan', '--fail-on', 'warning', CLEAN])).code, 0);
    const bad = await runCli(['scan', '--fail-on', 'loud', BCE]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--fail-on must be error, warning, information or hint/);
  });

  it('prints findings in the text output with location, severity and rule', async () => {
    const r = await runCli(['scan', BCE]);
    assert.match(r.out, /^test\/unit\/checks\/fixtures\/bce\.py:9:30 warning sigmoid-before-bce: /m);
    assert.match(r.out, /, 6 findings\n$/);
  });

  it('writes SARIF 2.1.0 with rules and located results', async () => {
    const r = await runCli(['scan', '--format', 'sarif', BCE]);
    const sarif = JSON.parse(r.out) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.ok(run.tool.driver.rules.some((x) => x.id === 'kl-div-mean' && x.helpUri.endsWith('#paper-aware-checks-kl-div-mean')));
    assert.equal(run.results.length, 6);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 9, startColumn: 30, endLine: 9, endColumn: 46 });
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, BCE);
    assert.equal(run.results[0].level, 'warning');
  });

  it('turns rules on and off', async () => {
    const off = JSON.parse((await runCli(['scan', '--json', '--disable', 'sigmoid-before-bce', BCE])).out) as { files: { findings: { rule: string }[] }[] };
    assert.deepEqual([...new Set(off.files[0].findings.map((f) => f.rule))], ['sigmoid-before-bce-with-logits']);
    const lm = 'test/unit/checks/fixtures/lm_head.py';
    const without = JSON.parse((await runCli(['scan', '--json', lm])).out) as { files: { findings: { rule: string }[] }[] };
    assert.ok(!without.files[0].findings.some((f) => f.rule === 'label-smoothing-convention'));
    const withIt = JSON.parse((await runCli(['scan', '--json', '--enable', 'label-smoothing-convention', lm])).out) as { files: { findings: { rule: string }[] }[] };
    assert.ok(withIt.files[0].findings.some((f) => f.rule === 'label-smoothing-convention'));
    const unknown = await runCli(['scan', '--disable', 'nope', BCE]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown rule "nope"/);
  });

  it('checks notebook cells with imports from earlier cells, positions per cell', async () => {
    const r = await runCli(['scan', '--json', 'test/unit/cli/scanChecks/notebook.ipynb']);
    const json = JSON.parse(r.out) as { files: { findings: { cell: number; rule: string; line: number }[] }[] };
    assert.deepEqual(json.files[0].findings.map((f) => [f.cell, f.rule, f.line]), [[2, 'kl-div-mean', 2]]);
  });
});
