import * as vscode from 'vscode';
import { registerChecks } from './editor/checks';
import { registerEditorFeatures } from './editor/features';
import { registerLanguageModelTools } from './editor/lmTools';
import { sharedServices } from './editor/services';
import { registerPapersView } from './panel/register';
import { registerUserCorpus } from './editor/userCorpusCommands';

/**
 * Entry point. Activation wires commands and providers and returns; nothing here reads the corpus
 * or builds an index: that happens on first use (see src/editor/services.ts).
 */
export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('PaperLens', { log: true });
  context.subscriptions.push(log);
  registerEditorFeatures(context, log);
  registerChecks(context, (document) => sharedServices(context, log).scans.forDocument(document), {
    concepts: () => sharedServices(context, log).registry.all(),
    index: () => sharedServices(context, log).scanCache.index,
  });
  registerPapersView(context, log, sharedServices(context, log));
  registerUserCorpus(context, log);
  registerLanguageModelTools(context, sharedServices(context, log), log);

  const activationMs = performance.now() - started;
  log.info(`PaperLens activated in ${activationMs.toFixed(2)} ms`);
  return { activationMs };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
