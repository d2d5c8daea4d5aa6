// The loss hover in a real extension host: every usage in samples/EXPECTED.md gets a card for the
// right concept with a formula image and at least one paper; aliases resolve; comments, strings and
// negatives give no card; notebook cells work.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateThroughSample, paperlens, samplesUri } from '../helpers';

interface ExpectedUsage {
  file: string;
  cell?: number;
  line: number;
  identifier: string;
  concept: string;
  kind: string;
}

/** Rows of the "Usages" table of samples/EXPECTED.md, the detector's answer key. */
function expectedUsages(): ExpectedUsage[] {
  const text = readFileSync(vscode.Uri.joinPath(samplesUri(), 'EXPECTED.md').fsPath, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Usages')) ?? '';
  const rows: ExpectedUsage[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || !/^\d+$/.test(cells[2])) continue;
    const [file, cell] = cells[1].split('#cell');
    rows.push({ file, cell: cell === undefined ? undefined : Number(cell), line: Number(cells[2]), identifier: cells[3].replace(/`/g, ''), concept: cells[5], kind: cells[6] });
  }
  return rows;
}

/** Concept names from the shipped registry, to check the card's title. */
function conceptNames(): Map<string, string> {
  const file = vscode.Uri.joinPath(paperlens().extensionUri, 'dist', 'data', 'concepts.json').fsPath;
  const { concepts } = JSON.parse(readFileSync(file, 'utf8')) as { concepts: { id: string; name: string }[] };
  return new Map(concepts.map((c) => [c.id, c.name]));
}

async function documentFor(row: Pick<ExpectedUsage, 'file' | 'cell'>): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(samplesUri(), row.file);
  if (row.cell === undefined) return vscode.workspace.openTextDocument(uri);
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  return notebook.cellAt(row.cell).document;
}

/** The markdown of PaperLens hovers at a position (other extensions' hovers are ignored). */
async function paperlensHover(document: vscode.TextDocument, position: vscode.Position): Promise<string | undefined> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  const texts = hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n\n---\n\n'));
  return texts.find((t) => t.includes('command:paperlens.showConcept'));
}

/** Position of the last component of `identifier` (as written, e.g. `F.kl_div`) on a 1-based line. */
function positionOf(document: vscode.TextDocument, line: number, identifier: string): vscode.Position {
  const text = document.lineAt(line - 1).text;
  const at = text.indexOf(identifier);
  assert.ok(at >= 0, `${identifier} not found on line ${line}: ${text}`);
  const last = identifier.lastIndexOf('.') + 1;
  return new vscode.Position(line - 1, at + last + 1);
}

describe('hover', () => {
  let names: Map<string, string>;
  /** The card's first words for a concept: its name in bold, markdown-escaped as the card writes it. */
  const title = (conceptId: string): string => `**${(names.get(conceptId) ?? conceptId).replace(/[\\`*_[\]()<>~&|]/g, '\\$&')}**`;

  before(async () => {
    await activateThroughSample();
    names = conceptNames();
  });

  it('shows a card for every usage in samples/, with the right concept, a formula image and a paper', async () => {
    // Every row, `param` ones (`label_smoothing=`, a concept of its own) included.
    const rows = expectedUsages();
    assert.ok(rows.length >= 20, `only ${rows.length} rows read from EXPECTED.md`);
    const problems: string[] = [];
    for (const row of rows) {
      const document = await documentFor(row);
      const where = `${row.file}${row.cell === undefined ? '' : `#cell${row.cell}`}:${row.line} ${row.identifier}`;
      const card = await paperlensHover(document, positionOf(document, row.line, row.identifier));
      if (!card) {
        problems.push(`${where}: no card`);
        continue;
      }
      if (!card.startsWith(title(row.concept))) problems.push(`${where}: expected ${row.concept}, got ${card.split('\n')[0]}`);
      if (!/!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/.test(card)) problems.push(`${where}: no formula image`);
      if (!/^- \[[^\]]+\]\(https?:\/\//m.test(card)) problems.push(`${where}: no paper`);
    }
    assert.deepEqual(problems, []);
  });

  it('explains the arguments of the call under the mouse', async () => {
    const document = await documentFor({ file: 'classification/train_cifar.py' });
    const line = document.getText().split('\n').findIndex((l) => l.includes('nn.CrossEntropyLoss(label_smoothing=0.1)')) + 1;
    const card = await paperlensHover(document, positionOf(document, line, 'nn.CrossEntropyLoss'));
    assert.ok(card, 'no card on nn.CrossEntropyLoss');
    assert.ok(card.startsWith(`${title('cross-entropy')} · \`torch.nn.CrossEntropyLoss\``), card.split('\n')[0]);
    assert.match(card, /\n- `label_smoothing=0\.1` — .*⚠️/);
  });

  it('resolves aliases', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'from torch.nn import CrossEntropyLoss as CE\nimport torch.nn.functional as fn\n\ncrit = CE(reduction="sum")\nvalue = fn.mse_loss(a, b)\n',
    });
    const ce = await paperlensHover(document, new vscode.Position(3, 8));
    assert.ok(ce, 'no card on the alias CE');
    assert.ok(ce.startsWith(`${title('cross-entropy')} · \`torch.nn.CrossEntropyLoss\` _(as \`CE\`)_`), ce.split('\n')[0]);
    const mse = await paperlensHover(document, new vscode.Position(4, 12));
    assert.ok(mse, 'no card on fn.mse_loss');
    assert.match(mse, /`torch\.nn\.functional\.mse_loss`/);
  });

  it('gives no card in comments, strings, docstrings or on plain variables', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: [
        'import torch.nn as nn',
        '"""nn.CrossEntropyLoss in a docstring."""',
        '# nn.CrossEntropyLoss in a comment',
        'name = "nn.CrossEntropyLoss"',
        'loss = 1.0',
        'crit = nn.CrossEntropyLoss()',
      ].join('\n'),
    });
    for (const [line, word] of [[1, 'CrossEntropyLoss'], [2, 'CrossEntropyLoss'], [3, 'CrossEntropyLoss'], [4, 'loss']] as const) {
      const col = document.lineAt(line).text.indexOf(word) + 2;
      assert.equal(await paperlensHover(document, new vscode.Position(line, col)), undefined, `card on line ${line + 1}`);
    }
    assert.ok(await paperlensHover(document, new vscode.Position(5, 12)), 'the real usage on the last line has a card');
  });

  it('links only PaperLens commands, and the hover markdown trusts only those', async () => {
    const document = await documentFor({ file: 'classification/train_cifar.py' });
    const line = document.getText().split('\n').findIndex((l) => l.includes('nn.CrossEntropyLoss(')) + 1;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, line, 'nn.CrossEntropyLoss'))) ?? [];
    const ours = hovers.find((h) => h.contents.some((c) => typeof c !== 'string' && 'value' in c && c.value.includes('command:paperlens.')));
    assert.ok(ours);
    for (const c of ours.contents) {
      if (typeof c === 'string' || !('value' in c)) continue;
      for (const m of c.value.matchAll(/\(command:([\w.]+)/g)) assert.match(m[1], /^paperlens\./);
      const trusted = (c as vscode.MarkdownString).isTrusted;
      if (trusted !== undefined && typeof trusted !== 'boolean') for (const id of trusted.enabledCommands) assert.match(id, /^paperlens\./);
      assert.notEqual(trusted, true, 'isTrusted must name commands, not trust everything');
    }
  });

  it('respects paperlens.hover.enabled and paperlens.hover.maxPapers', async () => {
    const document = await documentFor({ file: 'classification/train_cifar.py' });
    const line = document.getText().split('\n').findIndex((l) => l.includes('nn.CrossEntropyLoss(')) + 1;
    const position = positionOf(document, line, 'nn.CrossEntropyLoss');
    const config = vscode.workspace.getConfiguration('paperlens');
    try {
      await config.update('hover.maxPapers', 1, vscode.ConfigurationTarget.Global);
      const one = await paperlensHover(document, position);
      assert.ok(one);
      assert.equal([...one.matchAll(/^- \[/gm)].length, 1);
      await config.update('hover.enabled', false, vscode.ConfigurationTarget.Global);
      assert.equal(await paperlensHover(document, position), undefined);
    } finally {
      await config.update('hover.maxPapers', undefined, vscode.ConfigurationTarget.Global);
      await config.update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
