/**
 * Typed view of the `paperlens.*` settings. Mirrors `contributes.configuration` in package.json;
 * read through {@link readConfig} so defaults live in one place.
 */
import * as vscode from 'vscode';

export interface PaperLensConfig {
  hover: { enabled: boolean; maxPapers: number };
  snippets: { framework: 'pytorch' };
  completion: { enabled: boolean };
}

/** Reads the configuration for a resource (settings are resource-scoped). */
export function readConfig(scope?: vscode.ConfigurationScope): PaperLensConfig {
  const c = vscode.workspace.getConfiguration('paperlens', scope);
  return {
    hover: {
      enabled: c.get<boolean>('hover.enabled', true),
      maxPapers: clampInt(c.get<number>('hover.maxPapers', 3), 0, 10),
    },
    snippets: { framework: 'pytorch' },
    completion: { enabled: c.get<boolean>('completion.enabled', true) },
  };
}

function clampInt(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}
