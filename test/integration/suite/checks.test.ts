// Paper-aware checks in a real extension host: diagnostics appear on open and as the user types,
// carry the rule id and source, offer the preferred quick fix, and clear once it is applied.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateThroughSample, waitFor } from '../helpers';

const BUGGY = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  '',
  'kl = nn.KLDivLoss()',
  'def step(logits, y):',
  '    return F.cross_entropy(F.softmax(logits, dim=1), y)',
  '',
].join('\n');

function paperlensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'PaperLens');
}

function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

describe('paper-aware checks', () => {
  before(async () => {
    await activateThroughSample();
  });

  it('reports the bugs with rule ids, sources and ranges', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: BUGGY });
    await vscode.window.showTextDocument(document);
    await waitFor(() => paperlensDiagnostics(document.uri).length === 2, 'two PaperLens diagnostics');
    const diags = paperlensDiagnostics(document.uri).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(diags.map(ruleOf), ['kl-div-mean', 'softmax-before-ce']);
    assert.equal(diags[0].range.start.line, 4);
    assert.equal(document.getText(diags[0].range), 'KLDivLoss');
    assert.equal(document.getText(diags[1].range), 'F.softmax(logits, dim=1)');
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diags[0].message, /batchmean/);
    const code = diags[0].code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /paper-aware-checks-kl-div-mean/);
  });

  it('applies the preferred quick fix and clears the diagnostic, and offers Explain', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: BUGGY });
    await vscode.window.showTextDocument(document);
    await waitFor(() => paperlensDiagnostics(document.uri).length === 2, 'two PaperLens diagnostics');
    const kl = paperlensDiagnostics(document.uri).find((d) => ruleOf(d) === 'kl-div-mean')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, kl.range);
    const preferred = actions.find((a) => a.isPreferred && a.title.includes('batchmean'));
    assert.ok(preferred?.edit, `no preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title.startsWith('PaperLens: Explain') && a.command?.command === 'paperlens.showConcept'));
    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    assert.match(document.getText(), /kl = nn\.KLDivLoss\(reduction="batchmean"\)/);
    await waitFor(() => paperlensDiagnostics(document.uri).length === 1, 'the kl-div-mean diagnostic to clear');
    assert.equal(ruleOf(paperlensDiagnostics(document.uri)[0]), 'softmax-before-ce');
  });

  it('follows edits as the user types', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn as nn\n' });
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), 'loss = nn.KLDivLoss()\n'));
    await waitFor(() => paperlensDiagnostics(document.uri).length === 1, 'a diagnostic after typing');
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 2, 0), 'loss = nn.KLDivLoss(reduction="batchmean")\n'));
    await waitFor(() => paperlensDiagnostics(document.uri).length === 0, 'the diagnostic to clear after the edit');
  });

  it('honours paperlens.checks.disabledRules', async () => {
    const config = vscode.workspace.getConfiguration('paperlens');
    await config.update('checks.disabledRules', ['kl-div-mean'], vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: BUGGY });
      await vscode.window.showTextDocument(document);
      await waitFor(() => paperlensDiagnostics(document.uri).length === 1, 'only the softmax diagnostic');
      assert.equal(ruleOf(paperlensDiagnostics(document.uri)[0]), 'softmax-before-ce');
    } finally {
      await config.update('checks.disabledRules', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
