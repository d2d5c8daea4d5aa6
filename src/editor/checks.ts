/**
 * Paper-aware checks in the editor: diagnostics on open and as the user types (debounced), and code
 * actions for the fixes, "Explain" (the concept in the sidebar) and suggested snippets.
 * The rules themselves live in src/core/checks; this file only converts to and from VS Code types.
 */
import * as vscode from 'vscode';
import { applyRuleSettings, checkSource, type RuleSettings } from '../core/checks/analyze';
import { RULES_BY_ID } from '../core/checks/rules';
import type { Finding, Severity } from '../core/checks/types';
import type { SourceScan } from '../core/detect/detector';
import { readConfig } from './config';
import { ruleDocUrl } from '../services/ruleDocs';

/** The scan of a Python document or notebook cell, from the shared per-version cache. */
export type ScanProvider = (document: vscode.TextDocument) => { scan: SourceScan; ipython: boolean } | undefined;

const SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
];

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A diagnostic that remembers its finding, so code actions can offer its fixes. */
class FindingDiagnostic extends vscode.Diagnostic {
  constructor(range: vscode.Range, readonly finding: Finding) {
    super(range, finding.message, SEVERITY[finding.severity]);
    this.source = 'PaperLens';
    this.code = { value: finding.rule, target: vscode.Uri.parse(ruleDocUrl(finding.rule)) };
  }
}

/** The `paperlens.checks.*` settings for a resource (also used by the language-model tools). */
export function readRuleSettings(scope?: vscode.ConfigurationScope): RuleSettings & { enabled: boolean } {
  return readConfig(scope).checks;
}

/** Computes the diagnostics of one document (exported for tests). */
export function diagnosticsFor(document: vscode.TextDocument, scans: ScanProvider): FindingDiagnostic[] {
  const settings = readRuleSettings(document.uri);
  if (!settings.enabled) return [];
  const scanned = scans(document);
  if (!scanned) return [];
  const text = document.getText();
  const findings = applyRuleSettings(checkSource(text, scanned.scan, { ipython: scanned.ipython }), settings);
  return findings.map((f) => new FindingDiagnostic(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f));
}

/** Registers diagnostics and code actions; everything is owned by `context.subscriptions`. */
export function registerChecks(context: vscode.ExtensionContext, scans: ScanProvider): void {
  const collection = vscode.languages.createDiagnosticCollection('paperlens');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  context.subscriptions.push(collection, { dispose: () => timers.forEach((t) => clearTimeout(t)) });

  const isPython = (d: vscode.TextDocument) => d.languageId === 'python' && ['file', 'untitled', 'vscode-notebook-cell'].includes(d.uri.scheme);
  const refresh = (document: vscode.TextDocument) => {
    if (!isPython(document)) return;
    collection.set(document.uri, diagnosticsFor(document, scans));
  };
  const schedule = (document: vscode.TextDocument, delay = 300) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      refresh(document);
    }, delay));
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('paperlens.checks')) vscode.workspace.textDocuments.forEach((d) => schedule(d, 0));
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new ChecksCodeActions(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
  for (const d of vscode.workspace.textDocuments) schedule(d, 0);
}

class ChecksCodeActions implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (!(diagnostic instanceof FindingDiagnostic)) continue;
      const f = diagnostic.finding;
      for (const fix of f.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
        actions.push(action);
      }
      if (f.suggestedSnippet) {
        const insert = new vscode.CodeAction('Insert the chunked cross-entropy implementation (PaperLens)', vscode.CodeActionKind.QuickFix);
        insert.diagnostics = [diagnostic];
        insert.command = { command: 'paperlens.insertSnippet', title: insert.title, arguments: [{ conceptId: f.suggestedSnippet }] };
        actions.push(insert);
      }
      const explain = new vscode.CodeAction(`PaperLens: Explain ${RULES_BY_ID.get(f.rule)?.title ?? f.rule}`, vscode.CodeActionKind.QuickFix);
      explain.diagnostics = [diagnostic];
      explain.command = { command: 'paperlens.showConcept', title: explain.title, arguments: [f.conceptId] };
      actions.push(explain);
    }
    return actions;
  }
}
