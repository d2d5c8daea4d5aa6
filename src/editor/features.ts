/**
 * Registers the editor features of issue 6: the loss hover, the implementation completions and
 * the Insert Loss Implementation / Cite Paper / Copy BibTeX commands. Nothing loads here; data
 * is read on first hover, completion or command (see services.ts).
 */
import * as vscode from 'vscode';
import { COMPLETION_TRIGGER_CHARACTERS, LossCompletionProvider } from './completion';
import { LossHoverProvider, PYTHON_SELECTOR } from './hover';
import { InsertCommands } from './insertCommands';
import { sharedServices } from './services';

export function registerEditorFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const services = sharedServices(context, log);
  const snippets = services.snippets;
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(PYTHON_SELECTOR, new LossHoverProvider(services, snippets)),
    vscode.languages.registerCompletionItemProvider(PYTHON_SELECTOR, new LossCompletionProvider(services, snippets), ...COMPLETION_TRIGGER_CHARACTERS),
    ...new InsertCommands(services, snippets).register(),
  );
}
