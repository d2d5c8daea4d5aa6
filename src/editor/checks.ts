/**
 * Paper-aware checks in the editor: diagnostics on open and as the user types (debounced), and code
 * actions for the fixes, "Explain" (the concept in the sidebar) and suggested snippets.
 * The rules themselves live in src/core/checks; this file only converts to and from VS Code types.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { applyRuleSettings, checkSource, type RuleSettings } from '../core/checks/analyze';
import { FileModel, type Workspace } from '../core/checks/flow';
import { kerasLossNames, type KerasLossNames } from '../core/checks/keras';
import type { Concept } from '../core/concepts/types';
import { isForeignCellMagic, scanSource } from '../core/detect/detector';
import type { LossIndex } from '../core/detect/lossIndex';
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

/** The registry's concepts, for Keras string loss names (`compile(loss="mse")`). */
export type ConceptProvider = () => readonly Concept[];

const kerasNamesCache = new WeakMap<readonly Concept[], KerasLossNames>();

function kerasNamesOf(concepts: readonly Concept[]): KerasLossNames {
  let names = kerasNamesCache.get(concepts);
  if (!names) {
    names = kerasLossNames(concepts);
    kerasNamesCache.set(concepts, names);
  }
  return names;
}

/** Largest file an import is followed into. */
const MAX_FOLLOWED_FILE = 1_000_000;

/**
 * The files a document's imports may resolve to: open documents first (unsaved edits count), then
 * the saved files on disk next to it (`from .models import X`, `from models import X`) or in a
 * package folder above it (`from pkg.models import X`), within its workspace folder.
 */
class EditorWorkspace implements Workspace {
  private readonly models = new Map<string, FileModel>();

  constructor(private readonly folder: string | undefined) {}

  resolve(fromPath: string, module: string): FileModel | undefined {
    const dir = path.dirname(fromPath);
    const dots = /^\.*/.exec(module)![0].length;
    const parts = module.slice(dots).split('.').filter(Boolean);
    const rel = (base: string) => (parts.length ? [path.join(base, ...parts) + '.py', path.join(base, ...parts, '__init__.py')] : [path.join(base, '__init__.py')]);
    const bases: string[] = [];
    if (dots > 0) {
      let base = dir;
      for (let d = 1; d < dots; d++) base = path.dirname(base);
      bases.push(base);
    } else {
      for (let base = dir; ; base = path.dirname(base)) {
        bases.push(base);
        if (!this.folder || base === this.folder || path.dirname(base) === base || !base.startsWith(this.folder)) break;
      }
    }
    for (const base of bases) for (const candidate of rel(base)) {
      const m = this.model(candidate);
      if (m) return m;
    }
    return undefined;
  }

  private model(file: string): FileModel | undefined {
    const cached = this.models.get(file);
    if (cached) return cached;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    let text = open?.getText();
    if (text === undefined) {
      try {
        if (statSync(file).size > MAX_FOLLOWED_FILE) return undefined;
        text = readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    }
    const m = new FileModel(text, file);
    this.models.set(file, m);
    return m;
  }
}

/** What the checks use beyond the document's own scan. */
export interface CheckServices {
  /** The registry's concepts, for Keras string loss names. */
  concepts?: ConceptProvider;
  /** The detector's index, to scan a notebook's cells joined (models in earlier cells are followed). */
  index?: () => LossIndex;
}

/**
 * Findings for a notebook cell over the notebook's code cells up to it, joined in order, so a model
 * defined in an earlier cell is followed into this cell's loss. Findings (and fixes) outside this
 * cell are dropped; offsets are made relative to the cell. Undefined when the cell's notebook is not
 * open or something goes wrong (the caller then checks the cell alone).
 */
function notebookCellFindings(document: vscode.TextDocument, index: LossIndex, kerasNames: KerasLossNames | undefined): Finding[] | undefined {
  try {
    const key = document.uri.toString();
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
    if (!notebook) return undefined;
    const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
    const upto = cells.findIndex((c) => c.document.uri.toString() === key);
    if (upto < 0) return undefined;
    const parts: string[] = [];
    const starts: { line: number; cell: number }[] = [];
    let offset = 0;
    let line = 1;
    let cellOffset = 0;
    for (let k = 0; k <= upto; k++) {
      const text = cells[k].document.getText();
      const body = k < upto && isForeignCellMagic(text) ? text.replace(/[^\n]/g, ' ') : text;
      if (k === upto) cellOffset = offset;
      starts.push({ line, cell: cells[k].index });
      parts.push(body);
      offset += body.length + 1;
      line += body.split('\n').length;
    }
    const joined = parts.join('\n');
    const cellLine = starts[upto].line;
    const lineLabel = (n: number) => {
      let k = starts.length - 1;
      while (k > 0 && starts[k].line > n) k--;
      return k === upto ? `line ${n - cellLine + 1}` : `line ${n - starts[k].line + 1} of cell ${starts[k].cell + 1}`;
    };
    const found = checkSource(joined, scanSource(joined, index, { ipython: true }), { ipython: true, kerasNames, lineLabel });
    const end = cellOffset + cells[upto].document.getText().length;
    return found.filter((f) => f.start >= cellOffset && f.end <= end).map((f) => ({
      ...f,
      start: f.start - cellOffset,
      end: f.end - cellOffset,
      line: f.line - cellLine + 1,
      endLine: f.endLine - cellLine + 1,
      fixes: f.fixes
        .filter((x) => x.edits.every((e) => e.start >= cellOffset && e.end <= end))
        .map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, start: e.start - cellOffset, end: e.end - cellOffset })) })),
    }));
  } catch {
    return undefined;
  }
}

/** The Python cell documents after `cell` in its notebook. */
function laterCells(cell: vscode.TextDocument): vscode.TextDocument[] {
  const key = cell.uri.toString();
  const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
  if (!notebook) return [];
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
  const at = cells.findIndex((c) => c.document.uri.toString() === key);
  return cells.slice(at + 1).map((c) => c.document);
}

/** Computes the diagnostics of one document (exported for tests). */
export function diagnosticsFor(document: vscode.TextDocument, scans: ScanProvider, services: CheckServices = {}): FindingDiagnostic[] {
  const concepts = services.concepts;
  const settings = readRuleSettings(document.uri);
  if (!settings.enabled) return [];
  const scanned = scans(document);
  if (!scanned) return [];
  const text = document.getText();
  const isFile = document.uri.scheme === 'file';
  const folder = isFile ? vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath : undefined;
  const kerasNames = concepts ? kerasNamesOf(concepts()) : undefined;
  const inNotebook = document.uri.scheme === 'vscode-notebook-cell' && services.index ? notebookCellFindings(document, services.index(), kerasNames) : undefined;
  const findings = applyRuleSettings(inNotebook ?? checkSource(text, scanned.scan, {
    ipython: scanned.ipython,
    kerasNames,
    path: isFile ? document.uri.fsPath : undefined,
    workspace: isFile ? new EditorWorkspace(folder) : undefined,
  }), settings);
  return findings.map((f) => new FindingDiagnostic(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f));
}

/** Registers diagnostics and code actions; everything is owned by `context.subscriptions`. */
export function registerChecks(context: vscode.ExtensionContext, scans: ScanProvider, services: CheckServices = {}): void {
  const collection = vscode.languages.createDiagnosticCollection('paperlens');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  context.subscriptions.push(collection, { dispose: () => timers.forEach((t) => clearTimeout(t)) });

  const isPython = (d: vscode.TextDocument) => d.languageId === 'python' && ['file', 'untitled', 'vscode-notebook-cell'].includes(d.uri.scheme);
  const refresh = (document: vscode.TextDocument) => {
    if (!isPython(document)) return;
    collection.set(document.uri, diagnosticsFor(document, scans, services));
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
    vscode.workspace.onDidChangeTextDocument((e) => {
      schedule(e.document);
      // Later cells of a notebook follow models defined in this one: re-check them too.
      if (e.document.uri.scheme === 'vscode-notebook-cell') for (const d of laterCells(e.document)) schedule(d);
    }),
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
