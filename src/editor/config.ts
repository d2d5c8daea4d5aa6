/**
 * The `paperlens.*` settings as VS Code holds them, read through the one typed model in
 * src/services/settings.ts (interface, defaults, validation). This file only supplies VS Code's
 * configuration for a resource.
 */
import * as vscode from 'vscode';
import { settingsFrom, type PaperLensConfig } from '../services/settings';

export { DEFAULT_CORPUS_PATHS, stringList, type PaperLensConfig } from '../services/settings';

/** Reads the configuration for a resource (settings are resource-scoped). */
export function readConfig(scope?: vscode.ConfigurationScope): PaperLensConfig {
  const c = vscode.workspace.getConfiguration('paperlens', scope);
  return settingsFrom((key) => c.get<unknown>(key));
}
