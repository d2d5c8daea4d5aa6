/**
 * Typed view of the `paperlens.*` settings. Mirrors `contributes.configuration` in package.json;
 * read through {@link readConfig} so defaults live in one place.
 */
import * as vscode from 'vscode';
import { parseFrameworkSetting, type SnippetFrameworkSetting } from '../core/snippets/framework';

export interface PaperLensConfig {
  hover: { enabled: boolean; maxPapers: number };
  /** `auto`: from the file's imports (src/editor/snippetFramework.ts); else a fixed framework. */
  snippets: { framework: SnippetFrameworkSetting };
  completion: { enabled: boolean };
  /** Users' corpus files: globs or files, workspace-relative or absolute (see userCorpus.ts). */
  corpus: { paths: string[] };
}

/** `paperlens.corpus.paths`' default, as in package.json. */
export const DEFAULT_CORPUS_PATHS: readonly string[] = ['**/*.bib', '**/*.paperlens.json'];

/** Reads the configuration for a resource (settings are resource-scoped). */
export function readConfig(scope?: vscode.ConfigurationScope): PaperLensConfig {
  const c = vscode.workspace.getConfiguration('paperlens', scope);
  return {
    hover: {
      enabled: c.get<boolean>('hover.enabled', true),
      maxPapers: clampInt(c.get<number>('hover.maxPapers', 3), 0, 10),
    },
    snippets: { framework: parseFrameworkSetting(c.get<unknown>('snippets.framework', 'auto')) },
    completion: { enabled: c.get<boolean>('completion.enabled', true) },
    corpus: { paths: stringList(c.get<unknown>('corpus.paths'), DEFAULT_CORPUS_PATHS) },
  };
}

/** The strings of a list setting; the default when the setting is not a list. */
export function stringList(value: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [...fallback];
}

function clampInt(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}
