/**
 * The one file scan (src/services/fileScan.ts) that `paperlens scan`, its worker threads and the
 * sidebar's "find usages" share: binary data is refused with a reason, a BOM is dropped, notebooks
 * are scanned cell by cell, and the scan's other Python files are read only when an import needs them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { applyRuleSettings, checkSource } from '../../../src/core/checks/analyze';
import { kerasLossNames } from '../../../src/core/checks/keras';
import { pythonSyntaxError } from '../../../src/core/checks/syntax';
import { parseConceptBundle } from '../../../src/core/concepts/load';
import { scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { BINARY_FILE, detectFile, DiskPythonFiles, fileKind, isBinaryText, scanFile, type ScanContext } from '../../../src/services/fileScan';
import { usagesInFile } from '../../../src/services/usagesInFile';
import { realShapedPython } from '../checks/scaling/realShape';
import { fixtureConcepts } from '../detect/fixtures/concepts';

const index = buildLossIndex(fixtureConcepts);
const realConcepts = parseConceptBundle(readFileSync(path.join(__dirname, '..', '..', '..', 'paper-data', 'generated', 'concepts.json'), 'utf8'), 'concepts.json').concepts;
const realIndex = buildLossIndex(realConcepts);
const realCtx: ScanContext = { index: realIndex, papers: new Map(), kerasNames: kerasLossNames(realConcepts), rules: {} };
const ctx: ScanContext = { index, papers: new Map([['cross-entropy', ['2101.00002']]]), kerasNames: new Map(), rules: {} };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-filescan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('one file scan for every front end', () => {
  it('knows .py and .ipynb files by name, in any case', () => {
    assert.equal(fileKind('a/b.py'), 'python');
    assert.equal(fileKind('B.PY'), 'python');
    assert.equal(fileKind('n.ipynb'), 'notebook');
    assert.equal(fileKind('x.pyc'), undefined);
    assert.equal(fileKind('README.md'), undefined);
  });

  it('refuses binary data named .py, for the CLI and for find usages alike', () => {
    const binary = 'import torch.nn.functional as F\u0000\u0001\u0002F.cross_entropy(a, b)\n';
    assert.ok(isBinaryText(binary));
    assert.ok(isBinaryText('\u0001\u0002\u0003\u0004 mostly control'));
    assert.ok(!isBinaryText('x = 1\r\n\tif x:\f\n'));
    assert.ok(!isBinaryText(''));
    assert.deepEqual(detectFile(binary, 'python', index), { error: BINARY_FILE, skipped: true });
    assert.deepEqual(scanFile('/w/m.py', binary, ctx), { error: BINARY_FILE });
    assert.deepEqual(usagesInFile(binary, 'python', index, null), []);
    // The same text without the NUL and control bytes is scanned.
    const text = binary.replace(/[\u0000-\u0002]/g, '\n');
    const scanned = scanFile('/w/m.py', text, ctx);
    assert.ok('usages' in scanned && scanned.usages[0].concept === 'cross-entropy' && scanned.usages[0].papers[0] === '2101.00002');
  });

  it('drops a BOM and gives the same positions to both front ends', () => {
    const text = '\uFEFFimport torch.nn.functional as F\nF.cross_entropy(a, b)\n';
    const cli = scanFile('/w/m.py', text, ctx);
    const panel = usagesInFile(text, 'python', index, null);
    assert.ok('usages' in cli);
    assert.deepEqual(cli.usages.map((u) => [u.line, u.column]), [[2, 3]]);
    assert.deepEqual(panel.map((u) => [u.line, u.column, u.preview]), [[2, 3, 'F.cross_entropy(a, b)']]);
  });

  it('scans notebooks cell by cell; a broken one is an error, another kernel has no usages', () => {
    const nb = JSON.stringify({ metadata: { kernelspec: { language: 'python' } }, cells: [{ cell_type: 'markdown', source: 'x' }, { cell_type: 'code', source: 'import torch.nn.functional as F' }, { cell_type: 'code', source: 'F.cross_entropy(a, b)' }] });
    const r = scanFile('/w/n.ipynb', nb, ctx);
    assert.ok('usages' in r);
    assert.deepEqual(r.usages.map((u) => [u.cell, u.line, u.column]), [[2, 1, 3]]);
    assert.deepEqual(usagesInFile(nb, 'notebook', index, null).map((u) => [u.cell, u.line]), [[2, 1]]);
    assert.match((scanFile('/w/b.ipynb', '{"cells": [', ctx) as { error: string }).error, /^not valid JSON/);
    assert.deepEqual(scanFile('/w/r.ipynb', JSON.stringify({ metadata: { kernelspec: { language: 'R' } }, cells: [{ cell_type: 'code', source: 'F.cross_entropy' }] }), ctx), { usages: [], findings: [], fixes: [] });
  });

  it('tokenizes a file once for the detector, the syntax check and the checks, with the answers of three tokenizations', () => {
    // A real-shaped file (findings of every input rule), then the same with a syntax error that
    // changes what the tokenizer recovers, in a file with \r\n line ends and a BOM.
    const shaped = realShapedPython(600);
    const broken = `\uFEFF${shaped.replace('def lm_step3(model, input_ids):', 'def lm_step3(model, input_ids:').replace(/\n/g, '\r\n')}`;
    for (const text of [shaped, broken]) {
      const shared = scanFile('/w/big.py', text, realCtx);
      assert.ok('usages' in shared);
      const source = text.replace(/^\uFEFF/, '');
      // Each step on its own tokenization, as before the scan shared one.
      const scan = scanSource(source, realIndex);
      const alone = applyRuleSettings(checkSource(source, scan, { kerasNames: realCtx.kerasNames, path: '/w/big.py' }), {});
      assert.ok(alone.length > 50, `${alone.length} findings`);
      assert.deepEqual(shared.findings.map((f) => `${f.line}:${f.column}:${f.rule}:${f.message}`), alone.map((f) => `${f.line}:${f.column}:${f.rule}:${f.message}`));
      assert.deepEqual(shared.usages.map((u) => `${u.line}:${u.column}:${u.concept}`), scan.usages.map((u) => `${u.line}:${u.column}:${u.conceptId}`));
      const syntax = pythonSyntaxError(source);
      assert.equal(shared.syntax?.line, syntax?.line);
      assert.equal(text === broken, syntax !== undefined);
    }
  });

  it('reads the scan\'s other Python files when an import first needs them, and only listed ones', () => {
    const a = path.join(tmp, 'a.py').split(path.sep).join('/');
    const b = path.join(tmp, 'b.py').split(path.sep).join('/');
    const bin = path.join(tmp, 'bin.py').split(path.sep).join('/');
    writeFileSync(a, '\uFEFFx = 1\n');
    writeFileSync(bin, 'x\u0000y');
    const files = new DiskPythonFiles([a, b, bin]);
    assert.deepEqual([...files.keys()], [a, b, bin]);
    assert.equal(files.get(a), 'x = 1\n');
    assert.equal(files.get(b), undefined, 'a listed file that does not exist has no text');
    assert.equal(files.get(bin), undefined, 'binary data has no text');
    assert.equal(files.get(path.join(tmp, 'other.py')), undefined, 'a file outside the scan is never read');
    files.remember(b, 'y = 2\n');
    assert.equal(files.get(b), 'y = 2\n');
    assert.deepEqual([...files.entries()], [[a, 'x = 1\n'], [b, 'y = 2\n']]);
  });
});
