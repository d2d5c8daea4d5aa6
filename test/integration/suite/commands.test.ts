import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateThroughSample, manifest } from '../helpers';

describe('commands', () => {
  before(async () => {
    await activateThroughSample();
  });

  it('contributes at least one command, all in the paperlens. namespace', () => {
    const commands = manifest().contributes?.commands ?? [];
    assert.ok(commands.length > 0, 'package.json contributes no commands');
    for (const c of commands) assert.match(c.command, /^paperlens\./, `${c.command} is outside the paperlens. namespace`);
  });

  it('registers every command that package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (manifest().contributes?.commands ?? []).map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered by activate(): ${missing.join(', ')}`);
  });
});
