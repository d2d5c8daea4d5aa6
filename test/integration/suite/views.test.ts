import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { manifest } from '../helpers';

describe('views', () => {
  it('contributes the PaperLens view container with its views', () => {
    const containers = manifest().contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c) => c.id === 'paperlens' && c.title === 'PaperLens'), `activitybar containers: ${JSON.stringify(containers)}`);
    assert.ok((manifest().contributes?.views?.paperlens ?? []).length > 0, 'no views in the paperlens container');
  });

  it('opens the PaperLens container and focuses each of its views', async () => {
    // VS Code generates these commands from the contributions; they fail if the view is unknown.
    await vscode.commands.executeCommand('workbench.view.extension.paperlens');
    for (const view of manifest().contributes?.views?.paperlens ?? []) {
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });
});
