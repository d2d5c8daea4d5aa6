/**
 * Wires the Papers sidebar: the view provider and the commands it owns — Search Papers (focus the
 * search box), Show Loss Concept in Sidebar, Open Paper, Find Loss Usages in Workspace — plus a
 * test hook that the palette does not list (it is not in `contributes.commands`).
 */
import * as vscode from 'vscode';
import type { PaperServices } from '../services/paperServices';
import { PAPERS_VIEW_ID, PapersViewProvider } from './papersView';

/** Test hook: `{ state: true }` → readiness; otherwise a webview request, answered as the view would. */
export const SIDEBAR_TEST_COMMAND = 'paperlens.test.sidebar';

/** A command argument given as a plain string or as `{ [key]: string }` (command links send either). */
function stringArg(arg: unknown, key: string): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as Record<string, unknown>)[key] === 'string') return (arg as Record<string, string>)[key];
  return undefined;
}

function conceptIdsArg(arg: unknown): string[] {
  if (typeof arg === 'string') return [arg];
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as Record<string, unknown>;
    if (typeof o.conceptId === 'string') return [o.conceptId];
    if (Array.isArray(o.conceptIds)) return o.conceptIds.filter((x): x is string => typeof x === 'string');
  }
  return [];
}

/** `services`: the activation's shared services (src/editor/services.ts, seen through its contract). */
export function registerPapersView(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: PaperServices): PapersViewProvider {
  const provider = new PapersViewProvider(context.extensionUri, services, log);
  const reveal = async (): Promise<void> => provider.reveal();
  context.subscriptions.push(
    provider,
    vscode.window.registerWebviewViewProvider(PAPERS_VIEW_ID, provider),
    vscode.commands.registerCommand('paperlens.searchPapers', async (arg?: unknown) => {
      await reveal();
      provider.notify({ type: 'focusSearch', query: stringArg(arg, 'query') });
    }),
    vscode.commands.registerCommand('paperlens.showConcept', async (arg?: unknown) => {
      const conceptId = stringArg(arg, 'conceptId');
      await reveal();
      if (conceptId) provider.notify({ type: 'showConcept', conceptId });
      else provider.notify({ type: 'focusSearch' });
    }),
    vscode.commands.registerCommand('paperlens.openPaper', async (arg?: unknown) => {
      const paperId = stringArg(arg, 'paperId');
      const paper = paperId ? services.corpus.get(paperId) : undefined;
      if (paperId && !paper) {
        void vscode.window.showWarningMessage(`PaperLens: no paper "${paperId}" in the corpus.`);
        return;
      }
      await reveal();
      if (paper) provider.notify({ type: 'showPaper', paperId: paper.id });
      else provider.notify({ type: 'focusSearch' });
    }),
    vscode.commands.registerCommand('paperlens.findUsages', async (arg?: unknown) => {
      await reveal();
      provider.notify({ type: 'showUsages', conceptIds: conceptIdsArg(arg) });
    }),
    vscode.commands.registerCommand(SIDEBAR_TEST_COMMAND, async (arg?: unknown) => {
      if (typeof arg === 'object' && arg !== null && (arg as { state?: unknown }).state === true) {
        return { ready: provider.isReady, readyCount: provider.readyCount };
      }
      return provider.answerRaw(arg);
    }),
  );
  return provider;
}
