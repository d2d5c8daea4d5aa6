// Users' own papers in a real extension host: a .bib written into the workspace joins the corpus
// (hover card, sidebar search), an edit shows up without a reload, a broken entry becomes a
// diagnostic at its line and clears when fixed, and the two commands append to a chosen file.
// The files live in a scratch folder under samples/ that the suite removes again.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateThroughSample, samplesUri, waitFor } from '../helpers';

interface CorpusState {
  size: number;
  shipped: number;
  sources: { uri: string; label: string; loaded: boolean; papers: number; errors: number; warnings: number }[];
  papers: { id: string; title: string; venue: string | null; sources: string[]; concepts: { id: string; relation: string; inferred?: boolean }[]; citationKey: string }[];
}

const state = (query?: string) => vscode.commands.executeCommand<CorpusState>('paperlens._corpusState', query);

/** A scratch folder per run, so a leftover from a crashed run never changes this one. */
const SCRATCH_PREFIX = 'zz-paperlens-user-corpus-';

function entry(key: string, title: string, extra = ''): string {
  return `@inproceedings{${key},\n  title = {${title}},\n  author = {Tester, Ida and M{\\"u}ller, Jan},\n  booktitle = {Integration Conference},\n  year = {2099},\n  concepts = {focal: proposes}${extra}\n}\n`;
}

/** PaperLens's hover markdown at the focal-loss call in samples/segmentation/train_unet.py. */
async function focalHover(): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(samplesUri(), 'segmentation/train_unet.py'));
  const line = doc.lineAt(92).text;
  const at = line.indexOf('sigmoid_focal_loss');
  assert.ok(at >= 0, `sigmoid_focal_loss not on line 93: ${line}`);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(92, at + 3))) ?? [];
  return hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n')).join('\n---\n');
}

async function sidebarSearch(query: string): Promise<string[]> {
  const reply = await vscode.commands.executeCommand<{ hits?: { title: string }[] }>('paperlens.test.sidebar', {
    type: 'search', id: 1, query, filters: {}, sort: 'relevance', offset: 0, limit: 5,
  });
  return (reply?.hits ?? []).map((h) => h.title);
}

describe('users’ own papers', () => {
  let dir: vscode.Uri;
  let bib: vscode.Uri;

  before(async () => {
    await activateThroughSample();
    const root = samplesUri().fsPath;
    for (const name of readdirSync(root)) {
      if (name.startsWith(SCRATCH_PREFIX)) rmSync(`${root}/${name}`, { recursive: true, force: true });
    }
    dir = vscode.Uri.joinPath(samplesUri(), `${SCRATCH_PREFIX}${process.pid}`);
    mkdirSync(dir.fsPath, { recursive: true });
    bib = vscode.Uri.joinPath(dir, 'refs.bib');
  });

  after(() => {
    if (dir) rmSync(dir.fsPath, { recursive: true, force: true });
  });

  it('a .bib written into the workspace joins the corpus, the hover card and the sidebar search', async () => {
    writeFileSync(bib.fsPath, entry('ida2099focal', 'Integration Focal Variant Alpha'));
    await waitFor(async () => (await state('integration focal variant')).papers.length === 1, 'the new .bib to be loaded', 20_000);
    const s = await state('integration focal variant');
    const p = s.papers[0];
    assert.deepEqual(p.concepts, [{ id: 'focal', relation: 'proposes' }]);
    assert.equal(p.citationKey, 'ida2099focal');
    assert.ok(p.sources[0].endsWith('refs.bib'), p.sources.join());
    assert.equal(s.size, s.shipped + 1);
    await waitFor(async () => (await focalHover()).includes('Integration Focal Variant Alpha'), 'the hover card to list the user’s paper', 20_000);
    await vscode.commands.executeCommand('paperlens.searchPapers');
    await waitFor(async () => (await sidebarSearch('integration focal variant alpha'))[0] === 'Integration Focal Variant Alpha', 'the sidebar search to find it', 20_000);
  });

  it('an edit shows up in the corpus, hover and search without a reload', async function () {
    const started = Date.now();
    writeFileSync(bib.fsPath, entry('ida2099focal', 'Integration Focal Variant Beta'));
    await waitFor(async () => (await focalHover()).includes('Integration Focal Variant Beta'), 'the hover to follow the edit', 20_000);
    const hoverMs = Date.now() - started;
    await waitFor(async () => (await sidebarSearch('integration focal variant beta'))[0] === 'Integration Focal Variant Beta', 'the search to follow the edit', 10_000);
    const searchMs = Date.now() - started;
    assert.ok(!(await focalHover()).includes('Variant Alpha'), 'the old title is gone');
    // Measured, not asserted (the issue asks for about a second; CI machines vary): shown in the results.
    this.test!.title += ` [hover ${hoverMs} ms, search ${searchMs} ms after the write]`;
  });

  it('a broken entry is a diagnostic at its line while the others load; fixing it clears it', async () => {
    const broken = `${entry('good1', 'Integration Good One')}\n@article{broken,\n  title = {Never {Closed,\n  year = 2020\n}\n\n${entry('good2', 'Integration Good Two')}`;
    writeFileSync(bib.fsPath, broken);
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('Never {Closed'));
    await waitFor(() => vscode.languages.getDiagnostics(bib).some((d) => d.source === 'PaperLens'), 'a PaperLens diagnostic on refs.bib', 20_000);
    const diags = vscode.languages.getDiagnostics(bib).filter((d) => d.source === 'PaperLens');
    assert.equal(diags.length, 1, diags.map((d) => d.message).join('\n'));
    assert.equal(diags[0].range.start.line, brokenLine);
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diags[0].message, /Entry “broken”: the “{” that opens the value of “title” is never closed/);
    const s = await state('integration good');
    assert.deepEqual(s.papers.map((p) => p.title).sort(), ['Integration Good One', 'Integration Good Two']);

    writeFileSync(bib.fsPath, broken.replace('Never {Closed,', 'Now Closed},'));
    await waitFor(() => !vscode.languages.getDiagnostics(bib).some((d) => d.source === 'PaperLens'), 'the diagnostic to clear', 20_000);
    await waitFor(async () => (await state('now closed')).papers.length === 1, 'the fixed entry to load', 10_000);
  });

  it('Add Paper from BibTeX… appends the entry to the chosen file, atomically, with a free key', async () => {
    const before = readFileSync(bib.fsPath, 'utf8');
    const result = await vscode.commands.executeCommand<{ target: string; keys: string[] }>(
      'paperlens.addPaperFromBibtex', '@article{good1, title = {Integration Added Paper}, year = 2098}', bib,
    );
    assert.deepEqual(result?.keys, ['good1a'], 'good1 is taken in refs.bib');
    const after = readFileSync(bib.fsPath, 'utf8');
    assert.ok(after.startsWith(before.trimEnd()), 'the existing text is kept as it was');
    assert.match(after, /\n\n@article\{good1a, title = \{Integration Added Paper\}, year = 2098\}\n$/);
    assert.deepEqual(readdirSync(dir.fsPath).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    await waitFor(async () => (await state('integration added paper')).papers.length === 1, 'the added paper to load', 10_000);
  });

  it('Import Papers… appends a file’s new papers to the chosen .bib, skipping ones already there', async () => {
    // Outside the workspace, so that the file is not a corpus source itself.
    const outside = mkdtempSync(path.join(os.tmpdir(), 'paperlens-import-'));
    try {
      const source = vscode.Uri.file(path.join(outside, 'incoming.paperlens.json'));
      writeFileSync(source.fsPath, JSON.stringify({ papers: [{ title: 'Integration Imported Paper', year: 2097, arxiv: '2101.99999' }, { title: 'Integration Good One' }] }, null, 2));
      const target = vscode.Uri.joinPath(dir, 'imported.bib');
      const result = await vscode.commands.executeCommand<{ imported: number; skipped: number }>('paperlens.importPapers', source, target);
      assert.deepEqual(result, { imported: 1, skipped: 1, target: target.toString() }, '“Integration Good One” is in refs.bib already');
      assert.match(readFileSync(target.fsPath, 'utf8'), /^@misc\{\w+2097integration,\n  title = \{\{Integration Imported Paper\}\},[\s\S]*eprint = \{2101\.99999\}/);
      await waitFor(async () => (await state('integration imported paper')).papers.length === 1, 'the imported paper to load', 10_000);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('paperlens.corpus.paths = [] turns users’ papers off; removing the setting turns them on again', async () => {
    // User settings of the test profile: samples/.vscode/settings.json is not touched.
    const config = vscode.workspace.getConfiguration('paperlens');
    await config.update('corpus.paths', [], vscode.ConfigurationTarget.Global);
    try {
      await waitFor(async () => (await state()).sources.length === 0, 'the sources to go', 10_000);
      const s = await state('integration');
      assert.equal(s.size, s.shipped);
      assert.equal(vscode.languages.getDiagnostics(bib).filter((d) => d.source === 'PaperLens').length, 0);
    } finally {
      await config.update('corpus.paths', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(async () => (await state('integration focal variant')).papers.length === 0 && (await state('integration good')).papers.length >= 1, 'the sources to come back', 20_000);
  });
});
