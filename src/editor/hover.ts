/**
 * The PaperLens hover: a card for the loss under the mouse in Python files and notebook cells.
 * A lookup in the cached scan, then the pure card builder (src/core/hover/card.ts); this file only
 * converts to VS Code types.
 */
import * as vscode from 'vscode';
import { buildHoverCard } from '../core/hover/card';
import { themeFromColorThemeKind } from '../core/formula/formulaImage';
import { HOVER_COMMANDS, commandLink } from '../services/commandLinks';
import { readConfig } from './config';
import { frameworkLabel } from '../core/snippets/framework';
import { SNIPPET_FRAMEWORKS } from '../core/snippets/types';
import type { Services } from './services';
import type { SnippetLookup } from '../services/snippetSource';

/** Python files (any scheme: file, untitled, remote) and notebook cells. */
export const PYTHON_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
];

export class LossHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly services: Services,
    private readonly snippets: SnippetLookup,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const config = readConfig(document.uri);
    if (!config.hover.enabled || token.isCancellationRequested) return undefined;
    const scanned = this.services.scans.forDocument(document);
    const usage = scanned?.scan.usageAt(document.offsetAt(position));
    if (!usage) return undefined;
    const { registry, corpus, formulas } = this.services;
    const concept = registry.get(usage.conceptId);
    if (!concept) return undefined;

    const theme = themeFromColorThemeKind(vscode.window.activeColorTheme.kind);
    const snippet = this.snippetAction(document, concept.id);
    const papers = registry.papersFor(concept.id, corpus.papers);
    // Related losses' papers are only shown when the loss has neither papers nor an origin.
    const relatedPapers = papers.length || concept.origin
      ? []
      : registry.related(concept.id).flatMap((r) => registry.papersFor(r.id, corpus.papers).map((link) => ({ conceptName: r.name, link })));
    const card = buildHoverCard({
      concept,
      usage,
      parameter: (id, name, framework) => registry.parameter(id, name, framework),
      papers,
      relatedPapers,
      maxPapers: config.hover.maxPapers,
      formula: formulas.view(concept.formula.latex, theme),
      snippet,
      commandLink,
    });
    // One MarkdownString per section: VS Code draws a rule between them.
    const contents = card.sections.map((section) => {
      const md = new vscode.MarkdownString(section, true);
      md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
      md.supportHtml = false;
      return md;
    });
    const range = new vscode.Range(document.positionAt(usage.expressionStart), document.positionAt(usage.end));
    return new vscode.Hover(contents, range);
  }

  /**
   * The card's insert action: the snippet in the file's framework (any of them when the imports
   * name several; the command asks which), or, when there is none, the frameworks that have one.
   */
  private snippetAction(document: vscode.TextDocument, conceptId: string): NonNullable<Parameters<typeof buildHoverCard>[0]['snippet']> | undefined {
    const wanted = this.services.snippetFrameworks.candidates(document);
    const label = wanted.length === 1 ? frameworkLabel(wanted[0]) : undefined;
    if (wanted.some((f) => this.snippets.forConcept(conceptId, f))) return { id: conceptId, frameworkLabel: label };
    const others = SNIPPET_FRAMEWORKS.filter((f) => !wanted.includes(f) && this.snippets.forConcept(conceptId, f));
    if (others.length === 0) return undefined;
    return { id: conceptId, frameworkLabel: wanted.map(frameworkLabel).join('/'), missing: true, others: others.map((f) => ({ framework: f, label: frameworkLabel(f) })) };
  }
}
