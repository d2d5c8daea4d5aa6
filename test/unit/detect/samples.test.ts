/**
 * `paperlens scan --json samples/` against the answer key `samples/EXPECTED.md`, with the shipped
 * registry and papers: every usage listed there is reported (same file, cell, line, identifier,
 * concept and kind), and nothing else is. Skipped until both the samples and the data exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { scanCommand, type ScanJsonOutput } from '../../../src/cli/commands/scan';
import type { CliIO } from '../../../src/cli/io';
import { dataFilePath } from '../../../src/core/dataFiles';
import { ProjectLosses, scanNotebook, scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { loadConcepts } from '../../../src/core/concepts/load';
import { parseIpynb } from '../../../src/core/detect/notebook';
import type { LossUsage } from '../../../src/core/detect/types';

const root = path.resolve(__dirname, '..', '..', '..');
const expectedFile = path.join(root, 'samples', 'EXPECTED.md');
const dataDir = path.join(root, 'paper-data');
const conceptsFile = dataFilePath(dataDir, 'concepts.json');
const skip = !existsSync(expectedFile) ? 'samples/EXPECTED.md is missing' : !conceptsFile ? 'the concept registry is not generated yet' : false;

interface Row { file: string; cell?: number; line: number; identifier: string; concept: string; kind: string }

/** Rows of the "## Usages" table: | file | line | identifier | qualified | concept | kind |. */
function expectedRows(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Usages')) ?? '';
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 6 || cells[0] === 'file' || /^-+$/.test(cells[0])) continue;
    const [fileCell, lineCell, identifierCell, , concept, kind] = cells;
    const m = /^(.*?)(?:#cell(\d+))?$/.exec(fileCell);
    const expression = identifierCell.replace(/`/g, '');
    rows.push({
      file: `samples/${m?.[1]}`,
      ...(m?.[2] !== undefined ? { cell: Number(m[2]) } : {}),
      line: Number(lineCell),
      identifier: expression.slice(expression.lastIndexOf('.') + 1),
      concept,
      kind,
    });
  }
  return rows;
}

/** The answer key's `kind` for one of our usages. */
function kindOf(u: Pick<LossUsage, 'role' | 'kind' | 'framework'>): string {
  if (u.kind === 'parameter') return 'param';
  if (u.framework === 'handwritten') return u.role === 'definition' ? 'handwritten' : u.role === 'import' ? 'import' : 'handwritten-call';
  return u.role;
}

const key = (r: Row) => `${r.file}${r.cell !== undefined ? `#cell${r.cell}` : ''}:${r.line} ${r.identifier} ${r.concept} ${r.kind}`;

test('paperlens scan --json samples/ reports exactly the usages in samples/EXPECTED.md', { skip }, async (t) => {
  const rows = expectedRows(readFileSync(expectedFile, 'utf8'));
  assert.ok(rows.length >= 20, `parsed only ${rows.length} rows from EXPECTED.md`);

  let out = '';
  const io: CliIO = { out: (s) => { out += s; }, err: () => {}, dataDir, cwd: root };
  assert.equal(await scanCommand(['--json', 'samples'], io), 0);
  const json = JSON.parse(out) as ScanJsonOutput;
  assert.deepEqual(json.errors, []);

  // The JSON lacks role/kind, so the kinds come from the detector's own usages at the same place.
  const index = buildLossIndex(loadConcepts(conceptsFile!).concepts);
  // The samples as one project, as the scan of the folder sees them (`from rlhf import …`).
  const project = new ProjectLosses(index, (p) => (p.endsWith('.py') && existsSync(path.join(root, p)) ? readFileSync(path.join(root, p), 'utf8') : undefined), 'samples');
  const detail = new Map<string, LossUsage>();
  for (const file of json.files) {
    const text = readFileSync(path.join(root, file.path), 'utf8');
    if (file.path.endsWith('.ipynb')) {
      const nb = parseIpynb(text);
      scanNotebook(nb.cells.map((c) => c.source), index).cells.forEach((scan, i) => {
        for (const u of scan.usages) detail.set(`${file.path}#${nb.cells[i].index}:${u.line}:${u.column}`, u);
      });
    } else {
      for (const u of scanSource(text, index, { project: project.importsOf(file.path) }).usages) detail.set(`${file.path}#:${u.line}:${u.column}`, u);
    }
  }
  const actual: Row[] = json.files.flatMap((f) => f.usages.map((u) => {
    const d = detail.get(`${f.path}#${u.cell ?? ''}:${u.line}:${u.column}`);
    assert.ok(d, `no detector usage behind ${f.path}:${u.line}:${u.column}`);
    return { file: f.path, ...(u.cell !== undefined ? { cell: u.cell } : {}), line: u.line, identifier: u.identifier, concept: u.concept, kind: kindOf(d) };
  }));

  const want = rows.map(key).sort();
  const got = actual.map(key).sort();
  const missing = want.filter((k) => !got.includes(k));
  const extra = got.filter((k) => !want.includes(k));
  const tp = want.length - missing.length;
  t.diagnostic(`samples: ${tp} of ${want.length} expected usages found, ${extra.length} extra; precision ${(tp / Math.max(1, tp + extra.length)).toFixed(3)}, recall ${(tp / want.length).toFixed(3)}`);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  // Every usage lists papers when the corpus tags its concept (spot check: cross-entropy is studied).
  assert.ok(json.files.some((f) => f.usages.some((u) => u.concept === 'cross-entropy' && u.papers.length > 0)));
});
