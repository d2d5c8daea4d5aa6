import * as assert from 'node:assert/strict';
import { activateThroughSample, manifest, openSample, paperlens, pythonIsOpen, waitFor } from '../helpers';

describe('activation', () => {
  it('is declared lazily: on Python, never on startup', () => {
    const events = manifest().activationEvents ?? [];
    assert.ok(events.includes('onLanguage:python'), `activationEvents: ${JSON.stringify(events)}`);
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation event in ${JSON.stringify(events)}`);
  });

  it('activates when a Python file from samples/ opens', async () => {
    const ext = paperlens();
    // Until something Python is open, nothing may have activated the extension.
    if (!pythonIsOpen()) assert.equal(ext.isActive, false, 'active before any Python document was opened');
    const editor = await openSample('classification/train_cifar.py');
    assert.equal(editor.document.languageId, 'python');
    // No ext.activate() here: the activation event alone has to do it.
    await waitFor(() => ext.isActive, `${ext.id} to activate after opening a Python file`);
  });

  it('reports its activation time from activate()', async () => {
    const { activationMs } = await activateThroughSample();
    assert.equal(typeof activationMs, 'number');
    assert.ok(Number.isFinite(activationMs) && activationMs >= 0, `activationMs = ${activationMs}`);
  });
});
