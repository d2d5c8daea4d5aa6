import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { manifest } from '../helpers';

describe('configuration', () => {
  it('contributes a "PaperLens" configuration section', () => {
    const configuration = manifest().contributes?.configuration;
    assert.ok(configuration, 'package.json has no contributes.configuration');
    assert.equal(configuration.title, 'PaperLens');
  });

  it('registers every setting with VS Code, under paperlens.*, with its declared default', () => {
    const properties = manifest().contributes?.configuration?.properties ?? {};
    const section = vscode.workspace.getConfiguration('paperlens');
    for (const [key, schema] of Object.entries(properties)) {
      assert.match(key, /^paperlens\./, `setting ${key} is outside the paperlens section`);
      const inspected = section.inspect(key.slice('paperlens.'.length));
      assert.ok(inspected, `VS Code does not know ${key}`);
      assert.deepEqual(inspected.defaultValue, schema.default, `default of ${key}`);
    }
  });
});
