/**
 * Loads @retorquere/bibtex-parser. The package's CommonJS build cannot load one of its ESM-only
 * dependencies, so it is always reached through a dynamic import (ESM under node and tsx; esbuild
 * inlines it into the bundles). Loading lazily also keeps it off the activation path.
 */
export type BibtexParser = typeof import('@retorquere/bibtex-parser');

let parser: Promise<BibtexParser> | undefined;

export function loadBibtexParser(): Promise<BibtexParser> {
  parser ??= import('@retorquere/bibtex-parser');
  return parser;
}
