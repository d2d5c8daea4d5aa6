/** Shared helpers for the integration tests: finding the extension, its manifest and the samples. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'paperlens.paperlens';

/** What `activate()` returns (see src/extension.ts). */
export interface PaperLensApi {
  activationMs: number;
}

/** The parts of package.json the tests read; kept loose so new contributions need no change here. */
export interface Manifest {
  activationEvents?: string[];
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: { title?: string; properties?: Record<string, { default?: unknown; scope?: string; markdownDescription?: string }> };
    viewsContainers?: Record<string, { id: string; title: string }[]>;
    views?: Record<string, { id: string; name: string; type?: string }[]>;
  };
}

/** The extension under test; fails the test if VS Code does not know it. */
export function paperlens(): vscode.Extension<PaperLensApi> {
  const ext = vscode.extensions.getExtension<PaperLensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded: was the extension host started with extensionDevelopmentPath?`);
  return ext;
}

/** package.json as VS Code read it, so the tests follow contributions as they are added. */
export function manifest(): Manifest {
  return paperlens().packageJSON as Manifest;
}

/** The samples/ workspace the launchers open; falls back to the copy in the repository. */
export function samplesUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.path.endsWith('/samples'));
  return folder?.uri ?? vscode.Uri.joinPath(paperlens().extensionUri, 'samples');
}

/** Opens `samples/<relativePath>` in an editor. */
export async function openSample(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(samplesUri(), relativePath));
  return vscode.window.showTextDocument(doc);
}

/**
 * Polls until `predicate` holds. For state VS Code reaches asynchronously (activation after a
 * document opens); the timeout only bounds a hang, no test asserts on how long it took.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether any open document or notebook is Python, i.e. whether `onLanguage:python` may have fired. */
export function pythonIsOpen(): boolean {
  return vscode.workspace.textDocuments.some((d) => d.languageId === 'python') || vscode.workspace.notebookDocuments.length > 0;
}

/**
 * Activates the extension the way a user does, by opening a Python sample, and returns its API.
 * Prefer this to `extension.activate()`, which would hide a broken activation event and make the
 * activation test's "inactive until Python opens" check depend on test order.
 */
export async function activateThroughSample(relativePath = 'classification/train_cifar.py'): Promise<PaperLensApi> {
  const ext = paperlens();
  await openSample(relativePath);
  await waitFor(() => ext.isActive, `${ext.id} to activate after opening ${relativePath}`);
  return ext.exports;
}
