// The language-model tools in a real extension host, invoked as an agent would through
// `vscode.lm.invokeTool`, on the samples/ workspace: each answers in markdown that agrees with the
// hover and the diagnostics for the same code, and bad input is an error the model can read.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateThroughSample, samplesUri, waitFor } from '../helpers';

const TOOLS = ['paperlens_explainLoss', 'paperlens_checkCode', 'paperlens_getImplementation', 'paperlens_searchPapers'];

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  const texts = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : (part as { value?: unknown }).value));
  assert.ok(texts.length > 0 && texts.every((t) => typeof t === 'string'), `${name}: expected text parts, got ${JSON.stringify(result.content)}`);
  return (texts as string[]).join('\n');
}

async function invokeError(name: string, input: object): Promise<string> {
  try {
    await invoke(name, input);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  assert.fail(`${name} ${JSON.stringify(input)} answered instead of failing`);
}

function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n\n');
}

describe('language-model tools', () => {
  before(async () => {
    await activateThroughSample();
  });

  it('registers the four tools with VS Code', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const name of TOOLS) assert.ok(names.includes(name), `${name} missing from vscode.lm.tools: ${names.join(', ')}`);
    const explain = vscode.lm.tools.find((t) => t.name === 'paperlens_explainLoss')!;
    assert.ok(explain.inputSchema && 'properties' in explain.inputSchema, 'the input schema reaches VS Code');
  });

  it('paperlens_explainLoss explains the loss at a position as the hover does', async () => {
    const uri = vscode.Uri.joinPath(samplesUri(), 'classification/train_cifar.py');
    const document = await vscode.workspace.openTextDocument(uri);
    const line = 46; // self.loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    const column = document.lineAt(line - 1).text.indexOf('CrossEntropyLoss') + 1;
    const answer = await invoke('paperlens_explainLoss', { file: 'classification/train_cifar.py', line, column });
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line - 1, column))) ?? [];
    const hover = hoverMarkdown(hovers);
    // The hover escapes markdown punctuation in the name: `**Cross-entropy \(softmax\)**`.
    assert.match(hover, /\*\*Cross-entropy \\\(softmax\\\)\*\* · `torch\.nn\.CrossEntropyLoss`/);
    assert.match(answer, /^### Cross-entropy \(softmax\) — `torch\.nn\.CrossEntropyLoss` \(concept `cross-entropy`\) at classification\/train_cifar\.py:46:/);
    // The argument as written, its meaning, and the hover's first paper.
    assert.match(answer, /`label_smoothing=0\.1`: /);
    const firstPaper = /^- \[([^\]]+)\]\(https?:/m.exec(hover)?.[1]?.replace(/\\(.)/g, '$1');
    assert.ok(firstPaper, `no paper in the hover:\n${hover}`);
    assert.ok(answer.includes(firstPaper), `the hover's first paper "${firstPaper}" is not in the tool's answer:\n${answer}`);
    assert.doesNotMatch(answer, /command:|<img|!\[/, 'no command links or images in an agent answer');
  });

  it('paperlens_checkCode reports what the diagnostics report for the same code', async () => {
    const code = 'import torch.nn as nn\nimport torch.nn.functional as F\n\nkl = nn.KLDivLoss()\ndef step(logits, y):\n    return F.cross_entropy(F.softmax(logits, dim=1), y)\n';
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: code });
    await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'PaperLens');
    await waitFor(() => ours().length === 2, 'two PaperLens diagnostics');
    const answer = await invoke('paperlens_checkCode', { code });
    for (const d of ours()) {
      const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      const at = `\`${rule}\` (warning) at line ${d.range.start.line + 1}, column ${d.range.start.character + 1}`;
      assert.ok(answer.includes(at), `"${at}" not in:\n${answer}`);
    }
    assert.match(answer, /Fix \(preferred\): .*batchmean/);
    assert.match(answer, /insert at 4:\d+ with `reduction="batchmean"`/);
    const clean = await invoke('paperlens_checkCode', { file: 'lm/train_lm.py' });
    assert.match(clean, /^No loss bugs found in `lm\/train_lm\.py`\. Losses checked: .*`cross-entropy`/);
  });

  it('paperlens_getImplementation returns the verified snippet with its imports and paper', async () => {
    const answer = await invoke('paperlens_getImplementation', { concept: 'focal' });
    assert.match(answer, /arXiv:1708\.02002/);
    assert.match(answer, /```python\nimport torch\n/);
    assert.match(answer, /def focal_loss\(/);
  });

  it('paperlens_searchPapers finds papers with ids, BibTeX keys and match strength', async () => {
    const answer = await invoke('paperlens_searchPapers', { query: 'dice loss imbalanced', limit: 3 });
    assert.match(answer, /^- `1911\.02855` Dice Loss for Data-imbalanced NLP Tasks .* — strong match — BibTeX key `\w+`/m);
  });

  it('turns bad input into errors that say what to change', async () => {
    assert.match(await invokeError('paperlens_explainLoss', { identifier: 'frobnicate_loss' }), /knows no loss called "frobnicate_loss"/);
    assert.match(await invokeError('paperlens_checkCode', { file: '../package.json' }), /outside the workspace/);
    assert.match(await invokeError('paperlens_getImplementation', { concept: 'mse' }), /no verified pytorch implementation/);
  });
});
