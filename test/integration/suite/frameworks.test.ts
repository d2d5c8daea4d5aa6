// Snippets in the file's framework, in a real extension host (issue 17): `paperlens.snippets.framework`
// = auto reads the imports, so inserting into a JAX file writes the jax.numpy implementation and
// into a Keras notebook the keras.ops one, with imports merged for that framework; a fixed setting
// wins over the imports; completions name the framework; the sidebar's detail carries one tab per
// framework with the file's framework as the target.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateThroughSample, waitFor } from '../helpers';

interface InsertResult {
  conceptId: string;
  framework: 'pytorch' | 'jax' | 'keras';
  placement: 'after-imports' | 'at-cursor' | 'already-defined';
  addedImports: string[];
}

async function editorWith(content: string, cursor: vscode.Position): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(cursor, cursor);
  return editor;
}

function insert(conceptId: string, framework?: string): Thenable<InsertResult | undefined> {
  return vscode.commands.executeCommand<InsertResult | undefined>('paperlens.insertSnippet', framework ? { conceptId, framework } : { conceptId });
}

describe('snippets in the file’s framework', () => {
  before(async () => {
    await activateThroughSample();
    assert.equal(vscode.workspace.getConfiguration('paperlens').get('snippets.framework'), 'auto', 'the default is auto');
  });

  it('inserts the JAX implementation into a file that imports jax, with the missing jax import only', async () => {
    const original = 'import jax.numpy as jnp\nimport optax\n\n\ndef train_step(params, batch):\n    return params\n';
    const editor = await editorWith(original, new vscode.Position(5, 4));
    const result = await insert('focal');
    assert.deepEqual(result, { conceptId: 'focal', framework: 'jax', placement: 'after-imports', addedImports: ['import jax'] });
    const text = editor.document.getText();
    assert.match(text, /^import jax\.numpy as jnp\nimport optax\nimport jax\n\n\n# PaperLens: Focal loss in JAX/);
    assert.match(text, /\ndef focal_loss\(\n {4}logits: jax\.Array,/);
    assert.match(text, /jnp\.take_along_axis\(jax\.nn\.log_softmax\(logits, axis=1\)/);
    // (The docstrings may name torchvision as a reference; no PyTorch code or import.)
    assert.doesNotMatch(text, /import torch|torch\.\w/);
    assert.equal(text.split('import jax.numpy as jnp').length - 1, 1, 'jnp is imported once');

    // A second snippet that shares helper names in PyTorch (giou also reduces) adds its own, never a clash.
    const second = await insert('giou');
    assert.equal(second?.framework, 'jax');
    const both = editor.document.getText();
    assert.match(both, /\ndef _focal_reduce\(/);
    assert.match(both, /\ndef _giou_reduce\(/);
    const defs = [...both.matchAll(/^def (\w+)\(/gm)].map((m) => m[1]);
    assert.deepEqual(defs.filter((d, i) => defs.indexOf(d) !== i), [], 'no function defined twice');
  });

  it('inserts the Keras implementation into a Keras notebook cell, counting the earlier cell’s imports', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import keras', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])', 'python'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(1).document;
    const editor = await vscode.window.showTextDocument(cell, { selection: new vscode.Range(0, 0, 0, 0) });
    await waitFor(() => vscode.window.activeTextEditor?.document === cell, 'the cell editor to be active');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const result = await insert('dice');
    assert.equal(result?.framework, 'keras');
    assert.deepEqual(result?.addedImports, ['from keras import ops'], '`import keras` comes from the first cell');
    const text = cell.getText();
    assert.match(text, /^from keras import ops\n\n\n# PaperLens: Soft Dice loss for segmentation masks, in Keras 3/);
    assert.match(text, /\ndef dice_loss\(probs, target, smooth: float = 0\.0, eps: float = 1e-7\):/);
    assert.match(text, /ops\.sum\(probs \* t, axis=axes\)/);
    assert.doesNotMatch(text, /import torch|torch\.\w|jnp/);
    assert.equal(notebook.cellAt(0).document.getText(), 'import keras', 'earlier cells are left alone');
  });

  it('a fixed setting wins over the imports; an explicit framework (sidebar tab) wins over both', async () => {
    const config = vscode.workspace.getConfiguration('paperlens');
    await config.update('snippets.framework', 'keras', vscode.ConfigurationTarget.Global);
    try {
      const editor = await editorWith('import torch\n\nx = 1\n', new vscode.Position(2, 0));
      const result = await insert('z-loss');
      assert.equal(result?.framework, 'keras');
      assert.match(editor.document.getText(), /ops\.logsumexp\(logits, axis=-1\)/);
      const other = await insert('clip', 'jax');
      assert.equal(other?.framework, 'jax');
      assert.match(editor.document.getText(), /# PaperLens: CLIP symmetric contrastive loss over an image-text batch, in JAX/);
    } finally {
      await config.update('snippets.framework', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('completion items in a JAX file insert the JAX implementation and say so', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'import jax.numpy as jnp\n\n\ndef step(logits, y):\n    loss = foc' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(4, 14));
    const focal = list.items.find((i) => typeof i.label !== 'string' && i.label.label === 'focal_loss' && /implementation/.test(i.label.description ?? ''));
    assert.ok(focal, 'a focal_loss item');
    assert.match((focal.label as vscode.CompletionItemLabel).description ?? '', /^Insert Focal loss JAX implementation \(/);
    const doc = (focal.documentation as vscode.MarkdownString).value;
    assert.match(doc, /verified JAX implementation/);
    assert.match(doc, /jnp\.take_along_axis/);
    assert.ok((focal.additionalTextEdits ?? []).some((e) => e.newText.includes('import jax\n')));
    assert.ok(!(focal.additionalTextEdits ?? []).some((e) => /import torch|torch\.\w/.test(e.newText)));
  });

  it('the sidebar detail has one tab per framework and the JAX file as target', async () => {
    await editorWith('import jax\n', new vscode.Position(0, 0));
    const reply = await vscode.commands.executeCommand<{ paper: { targetFrameworks: string[]; concepts: { id: string; hasSnippet: boolean; snippets: { framework: string; label: string; code: string }[] }[] } }>(
      'paperlens.test.sidebar', { type: 'getPaper', id: 41, paperId: '1911.02855' },
    );
    assert.deepEqual(reply.paper.targetFrameworks, ['jax']);
    const dice = reply.paper.concepts.find((c) => c.id === 'dice');
    assert.ok(dice, 'the paper studies the Dice loss');
    assert.equal(dice.hasSnippet, true);
    assert.deepEqual(dice.snippets.map((s) => s.label), ['PyTorch', 'JAX', 'Keras']);
    assert.match(dice.snippets[1].code, /jnp\.sum\(p \* t, axis=1\)/);
    // The paper's own loss ships for PyTorch only: no JAX snippet, one tab to offer.
    const dsc = reply.paper.concepts.find((c) => c.id === 'self-adjusting-dice');
    assert.ok(dsc);
    assert.equal(dsc.hasSnippet, false);
    assert.deepEqual(dsc.snippets.map((s) => s.framework), ['pytorch']);
  });
});
