import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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

  it('follows a model defined in one notebook cell into the loss of a later cell', async () => {
    const r = await runCli(['scan', '--json', 'test/unit/cli/scanChecks/cells.ipynb']);
    const json = JSON.parse(r.out) as { files: { findings: { cell: number; rule: string; line: number; column: number }[] }[] };
    assert.deepEqual(json.files[0].findings.map((f) => [f.cell, f.rule, f.line, f.column]), [[3, 'keras-from-logits', 2, 38], [3, 'softmax-before-ce', 4, 18]]);
    const messages = (JSON.parse(r.out) as { files: { findings: { message: string }[] }[] }).files[0].findings.map((f) => f.message);
    assert.match(messages[0], /`keras\.layers\.Dense\(10\)` on line 5 of cell 1 has no activation/);
    assert.match(messages[1], /`nn\.Softmax\(dim=1\)` at line 6 of cell 1/);
  });

  it('pairs compile with the layers added before the variable is reassigned to another model', async () => {
    const text = 'import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(1))\nmodel.compile(loss="mae")\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(1, activation="sigmoid"))\nmodel.compile(loss="binary_crossentropy")\n';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-keras-'));
    try {
      writeFileSync(path.join(dir, 'two.py'), text);
      const json = JSON.parse((await runCli(['scan', '--json', dir])).out) as { files: { findings: unknown[] }[] };
      assert.deepEqual(json.files[0].findings, []);
      writeFileSync(path.join(dir, 'two.py'), text.replace('activation="sigmoid"', 'activation=None'));
      const bad = JSON.parse((await runCli(['scan', '--json', dir])).out) as { files: { findings: { rule: string; line: number }[] }[] };
      assert.deepEqual(bad.files[0].findings.map((f) => [f.rule, f.line]), [['keras-from-logits', 7]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows models, helpers and losses across the files of a package, reporting at the loss line', async () => {
    const dir = 'test/unit/cli/scanChecks/pkg';
    const expected: string[] = [];
    for (const f of readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.py'))) {
      readFileSync(path.join(root, dir, f), 'utf8').split('\n').forEach((line, i) => {
        const m = /#\s*expect:\s*([\w, -]+)$/.exec(line);
        if (m) for (const rule of m[1].split(',').map((x) => x.trim())) expected.push(`${f}:${i + 1}:${rule}`);
      });
    }
    const r = await runCli(['scan', '--json', '--enable', 'label-smoothing-convention', dir]);
    const json = JSON.parse(r.out) as { files: { path: string; findings: { rule: string; line: number }[] }[] };
    const got = json.files.flatMap((f) => f.findings.map((x) => `${path.basename(f.path)}:${x.line}:${x.rule}`));
    assert.deepEqual(got.sort(), expected.sort());
    assert.equal(new Set(expected.map((e) => e.split(':')[2])).size, 11, 'every rule has a cross-file case');
    // The same training file alone: the model, helpers and loss objects in the other files are unknown.
    const alone = JSON.parse((await runCli(['scan', '--json', `${dir}/train.py`])).out) as { files: { findings: unknown[] }[] };
    assert.deepEqual(alone.files[0].findings, []);
    const message = JSON.parse((await runCli(['scan', '--json', dir])).out) as { files: { path: string; findings: { rule: string; message: string }[] }[] };
    const sig = message.files.find((f) => f.path.endsWith('/train.py'))!.findings.find((f) => f.rule === 'sigmoid-before-bce')!;
    assert.match(sig.message, /`nn\.Sigmoid\(\)` at line 24 of models\.py/);
  });

  it('exits 2 when a path given does not exist, in every output format, with or without --fail-on', async () => {
    const r = await runCli(['scan', '--fail-on', 'warning', 'no/such/dir']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no\/such\/dir: no such file or directory/);
    for (const format of [[], ['--json'], ['--format', 'sarif']]) {
      const plain = await runCli(['scan', ...format, 'no/such/dir']);
      assert.equal(plain.code, 2, `${format.join(' ') || 'text'}: a mistyped path is not a clean scan`);
      // JSON carries it in `errors`; text and SARIF say it on stderr.
      assert.match(format[0] === '--json' ? plain.out : plain.err, /no\/such\/dir.*no such file or directory/s);
    }
    const mixed = await runCli(['scan', '--json', CLEAN, 'no/such/file.py']);
    assert.equal(mixed.code, 2);
    assert.equal((JSON.parse(mixed.out) as { files: unknown[] }).files.length, 1, 'the other path is still scanned');
  });

  it('with --fail-on, exits 2 when a file cannot be read', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-scan-'));
    try {
      writeFileSync(path.join(dir, 'ok.py'), 'x = 1\n');
      symlinkSync(path.join(dir, 'missing-target.py'), path.join(dir, 'dangling.py'));
      const r = await runCli(['scan', '--json', '--fail-on', 'warning', dir]);
      assert.equal(r.code, 2);
      const json = JSON.parse(r.out) as { errors: { path: string; message: string }[] };
      assert.deepEqual(json.errors.map((e) => [path.basename(e.path), e.message]), [['dangling.py', 'no such file or directory']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a Python file that does not parse as an error with its line', async () => {
    const broken = 'test/unit/cli/scanChecks/broken.py';
    const json = JSON.parse((await runCli(['scan', '--json', broken])).out) as ScanOut;
    assert.deepEqual(json.errors, [{ path: broken, message: "line 3: invalid Python: '(' was never closed", line: 3 }]);
    const text = await runCli(['scan', broken]);
    assert.match(text.err, /broken\.py: line 3: invalid Python: '\(' was never closed/);
    assert.match(text.out, /\(1 error\)/);
    assert.equal((await runCli(['scan', '--fail-on', 'error', broken])).code, 2);
  });

  it('writes the quick fixes into SARIF results, and applying them gives the fixed file', async () => {
    const r = await runCli(['scan', '--format', 'sarif', BCE]);
    const sarif = JSON.parse(r.out) as { runs: { results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }[] }[] }[] }[] }[] };
    const first = sarif.runs[0].results[0];
    assert.equal(first.ruleId, 'sigmoid-before-bce');
    const fix = first.fixes![0];
    assert.equal(fix.description.text, 'Use binary_cross_entropy_with_logits on the logits');
    assert.equal(fix.artifactChanges[0].artifactLocation.uri, BCE);
    const lines = readFileSync(path.join(root, BCE), 'utf8').split('\n');
    // Apply the replacements (all on line 9), last first.
    const reps = [...fix.artifactChanges[0].replacements].sort((a, b) => b.deletedRegion.startColumn - a.deletedRegion.startColumn);
    let line = lines[8];
    for (const rep of reps) {
      assert.equal(rep.deletedRegion.startLine, 9);
      line = line.slice(0, rep.deletedRegion.startColumn - 1) + rep.insertedContent.text + line.slice(rep.deletedRegion.endColumn - 1);
    }
    assert.equal(line, 'bad = F.binary_cross_entropy_with_logits(z, y)  # expect: sigmoid-before-bce');
    // Findings without a safe fix carry none.
    assert.ok(sarif.runs[0].results.some((x) => x.fixes === undefined));
  });
});

type ScanOut = { errors: { path: string; message: string; line?: number }[] };
