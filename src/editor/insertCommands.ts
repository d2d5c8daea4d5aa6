/**
 * Commands that write into the editor: Insert Loss Implementation (palette, hover and sidebar
 * actions share it), Cite Paper, Copy BibTeX. Planning is pure (insertion/plan.ts); this file
 * picks, asks, applies one edit and reports.
 */
import * as vscode from 'vscode';
import { citationComment } from '../core/papers/bibtex';
import type { Paper } from '../core/papers/types';
import { isSnippetFramework } from '../core/snippets/catalog';
import { frameworkLabel, frameworkList } from '../core/snippets/framework';
import { SNIPPET_FRAMEWORKS, type Snippet, type SnippetFramework } from '../core/snippets/types';
import { notebookOf, pythonCells } from './documentScans';
import { planInsertion, type InsertionPlan, type InsertionRequest } from '../services/insertion/plan';
import type { ImportBinding } from '../core/python/imports';
import { outlineModule } from '../core/python/module';
import { citationEdit, commentPrefixFor } from '../services/insertion/citation';
import type { Services } from './services';
import { insertTargetEditor } from './snippetFramework';
import type { SnippetLookup } from '../services/snippetSource';

/** Arguments of `paperlens.insertSnippet` (all optional: without them a QuickPick asks). */
export interface InsertSnippetArgs {
  conceptId?: string;
  /** The framework to insert (the sidebar's tab, a hover's "insert the PyTorch one"); else the file's. */
  framework?: string;
}

/** Arguments of `paperlens.citePaper`. */
export interface CitePaperArgs {
  paperId?: string;
  mode?: 'comment' | 'bibtex';
}

/** What an insertion did, returned by the command (for tests and callers such as the sidebar). */
export interface InsertResult {
  conceptId: string;
  framework: SnippetFramework;
  placement: InsertionPlan['placement'];
  addedImports: string[];
}


/** Indentation the editor uses (it reflects `editor.detectIndentation` for this file). */
function indentUnitOf(editor: vscode.TextEditor): string | undefined {
  const { insertSpaces, tabSize } = editor.options;
  if (insertSpaces === false) return '\t';
  if (typeof tabSize === 'number' && insertSpaces === true) return ' '.repeat(tabSize);
  return undefined;
}

/** Names bound by the imports of the code cells above `document` (they run before it). */
export function priorCellBindings(document: vscode.TextDocument): ImportBinding[] {
  const notebook = notebookOf(document);
  if (!notebook) return [];
  const cells = pythonCells(notebook);
  const index = cells.findIndex((c) => c.document === document);
  return cells.slice(0, Math.max(0, index)).flatMap((c) => outlineModule(c.document.getText(), { ipython: true }).imports.flatMap((i) => i.bindings));
}

/** The insertion request for a document, shared by the command and the completion items. */
export function insertionRequest(document: vscode.TextDocument, cursor: vscode.Position, snippet: Snippet, editor?: vscode.TextEditor): InsertionRequest {
  const isCell = document.uri.scheme === 'vscode-notebook-cell';
  return {
    text: document.getText(),
    cursor: document.offsetAt(cursor),
    snippet,
    ipython: isCell,
    priorBindings: isCell ? priorCellBindings(document) : [],
    indentUnit: editor ? indentUnitOf(editor) : undefined,
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  };
}

/** A QuickPick row: the concept, its functions, and the paper with its year. */
function snippetPick(snippet: Snippet, conceptName: string | undefined, year: number | null | undefined): vscode.QuickPickItem & { snippet: Snippet } {
  const paper = snippet.papers[0];
  return {
    label: conceptName ?? snippet.title,
    description: snippet.functions.map((f) => f.name).join(', '),
    detail: paper ? `${paper.title}${year ? ` (${year})` : ''}${paper.arxivId ? ` · arXiv:${paper.arxivId}` : ''}` : snippet.title,
    snippet,
  };
}

export class InsertCommands {
  constructor(
    private readonly services: Services,
    private readonly snippets: SnippetLookup,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('paperlens.insertSnippet', (args?: InsertSnippetArgs | string) => this.insertSnippet(args)),
      vscode.commands.registerCommand('paperlens.citePaper', (args?: CitePaperArgs | string) => this.citePaper(args)),
      vscode.commands.registerCommand('paperlens.copyBibtex', (args?: { paperId?: string } | string) => this.copyBibtex(args)),
    ];
  }

  /** Palette, hover action and sidebar action: the same path. Returns what it did, or undefined when cancelled. */
  async insertSnippet(args?: InsertSnippetArgs | string): Promise<InsertResult | undefined> {
    const editor = insertTargetEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('PaperLens: open a Python file or notebook cell to insert a loss implementation into.');
      return undefined;
    }
    const conceptId = typeof args === 'string' ? args : args?.conceptId;
    const requested = typeof args === 'object' ? args.framework : undefined;
    // An explicit framework (sidebar tab, hover offer) wins; else the file's, asking when its imports name several.
    const framework = requested !== undefined && isSnippetFramework(requested)
      ? requested
      : await this.services.snippetFrameworks.choose(editor.document);
    if (!framework) return undefined;
    let snippet: Snippet | undefined;
    if (conceptId) {
      snippet = this.snippets.forConcept(conceptId, framework) ?? await this.offerOtherFramework(conceptId, framework);
      if (!snippet) return undefined;
    } else {
      const pick = (s: Snippet): vscode.QuickPickItem & { snippet: Snippet } => {
        const concept = this.services.registry.get(s.conceptId);
        const paperId = s.papers[0]?.id;
        const year = (paperId ? this.services.corpus.get(paperId)?.year : undefined) ?? concept?.origin?.year;
        return snippetPick(s, concept?.name, year);
      };
      const own = this.snippets.all(framework);
      const ownIds = new Set(own.map((s) => s.conceptId));
      // Losses this framework lacks, offered in the first framework that has them, under their own heading.
      const elsewhere = new Map<string, Snippet>();
      for (const f of SNIPPET_FRAMEWORKS.filter((x) => x !== framework)) {
        for (const s of this.snippets.all(f)) if (!ownIds.has(s.conceptId) && !elsewhere.has(s.conceptId)) elsewhere.set(s.conceptId, s);
      }
      const others = [...elsewhere.values()].map((s) => {
        const item = pick(s);
        return { ...item, description: `${frameworkLabel(s.framework)} · no ${frameworkLabel(framework)} one yet · ${item.description ?? ''}` };
      });
      const separator = { label: `Other frameworks (no ${frameworkLabel(framework)} implementation yet)`, kind: vscode.QuickPickItemKind.Separator } as vscode.QuickPickItem & { snippet: Snippet };
      const items = [...own.map(pick), ...(others.length ? [separator, ...others] : [])];
      const picked = await vscode.window.showQuickPick(items, {
        title: `PaperLens: Insert Loss Implementation (${frameworkLabel(framework)})`,
        placeHolder: 'Type a loss, a function name or a paper title',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return undefined;
      snippet = picked.snippet;
    }
    return this.insertInto(editor, snippet);
  }

  /**
   * The concept has no snippet in `framework`: says so, and offers the frameworks that have one.
   * Returns the snippet the user picked, or undefined.
   */
  private async offerOtherFramework(conceptId: string, framework: SnippetFramework): Promise<Snippet | undefined> {
    const name = this.services.registry.get(conceptId)?.name ?? conceptId;
    const others = SNIPPET_FRAMEWORKS.filter((f) => f !== framework && this.snippets.forConcept(conceptId, f));
    if (others.length === 0) {
      void vscode.window.showInformationMessage(`PaperLens has no verified implementation of ${name} yet.`);
      return undefined;
    }
    const offers = others.map((f) => `Insert the ${frameworkLabel(f)} one`);
    const answer = await vscode.window.showInformationMessage(
      `PaperLens has no verified ${frameworkLabel(framework)} implementation of ${name} yet; it has a ${frameworkList(others)} one.`,
      ...offers,
    );
    const index = answer === undefined ? -1 : offers.indexOf(answer);
    return index >= 0 ? this.snippets.forConcept(conceptId, others[index]) : undefined;
  }

  private async insertInto(editor: vscode.TextEditor, snippet: Snippet): Promise<InsertResult | undefined> {
    const document = editor.document;
    const version = document.version;
    const plan = planInsertion(insertionRequest(document, editor.selection.active, snippet, editor));
    if (document.version !== version) return undefined;
    if (plan.edits.length) {
      // One WorkspaceEdit, one undo step: imports and definition together. (A WorkspaceEdit rather
      // than TextEditor.edit: the latter can resolve without effect on a notebook cell's editor.)
      const edit = new vscode.WorkspaceEdit();
      for (const e of plan.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage('PaperLens: the document changed while inserting; nothing was inserted.');
        return undefined;
      }
    }
    this.reveal(editor, plan, snippet);
    this.report(plan, snippet);
    return { conceptId: snippet.conceptId, framework: snippet.framework, placement: plan.placement, addedImports: plan.addedImports };
  }

  /** Moves the cursor to the inserted (or existing) definition's name, so the user sees what happened. */
  private reveal(target: vscode.TextEditor, plan: InsertionPlan, snippet: Snippet): void {
    // The editor showing the document now (a notebook may have replaced the cell's editor).
    const editor = vscode.window.activeTextEditor?.document === target.document ? vscode.window.activeTextEditor : target;
    const text = editor.document.getText();
    const names = snippet.functions.map((f) => f.name);
    let at = plan.revealOffset;
    const defAt = names.map((n) => text.indexOf(`def ${n}(`, at)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
    if (defAt !== undefined) at = defAt + 4;
    const pos = editor.document.positionAt(at);
    const name = names.find((n) => text.startsWith(n, at));
    editor.selection = new vscode.Selection(pos, name ? pos.translate(0, name.length) : pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private report(plan: InsertionPlan, snippet: Snippet): void {
    const main = snippet.functions[0]?.name ?? snippet.title;
    if (plan.placement === 'already-defined') {
      void vscode.window.showInformationMessage(`PaperLens: ${main} is already defined in this file; nothing was inserted.`);
    }
    for (const c of plan.conflicts) {
      void vscode.window.showWarningMessage(`PaperLens: this file binds ${c.name} to ${c.existing}, but ${main} expects ${c.wanted}. The import was not added; adjust one of them.`);
    }
    if (plan.redefined.length) {
      void vscode.window.showWarningMessage(`PaperLens: the inserted code redefines ${plan.redefined.join(', ')}, already defined in this file. Check that the two definitions agree.`);
    }
  }

  /** Cite Paper…: pick a paper, then insert a citation comment or copy its BibTeX. */
  async citePaper(args?: CitePaperArgs | string): Promise<string | undefined> {
    const opts = typeof args === 'string' ? { paperId: args } : args ?? {};
    const paper = opts.paperId ? this.paperOrWarn(opts.paperId) : await this.pickPaper('PaperLens: Cite Paper');
    if (!paper) return undefined;
    let mode = opts.mode;
    if (!mode) {
      const editor = insertTargetEditor() ?? vscode.window.activeTextEditor;
      const choices: (vscode.QuickPickItem & { mode: 'comment' | 'bibtex' })[] = [];
      if (editor) choices.push({ label: '$(comment) Insert citation comment', description: citationComment(paper, commentPrefixFor(editor.document.languageId)), mode: 'comment' });
      choices.push({ label: '$(copy) Copy BibTeX', description: this.services.corpus.citationKey(paper), mode: 'bibtex' });
      const picked = await vscode.window.showQuickPick(choices, { title: `Cite: ${paper.title}` });
      if (!picked) return undefined;
      mode = picked.mode;
    }
    if (mode === 'bibtex') return this.copyBibtex(paper.id);
    const editor = insertTargetEditor() ?? vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('PaperLens: open a file to insert the citation into.');
      return undefined;
    }
    const comment = citationComment(paper, commentPrefixFor(editor.document.languageId));
    const line = editor.document.lineAt(editor.selection.active.line);
    const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const edit = citationEdit(line.text, comment, eol);
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(editor.document.uri, new vscode.Range(line.range.start.translate(0, edit.start), line.range.start.translate(0, edit.end)), edit.text);
    return (await vscode.workspace.applyEdit(workspaceEdit)) ? comment : undefined;
  }

  /** Copies a paper's BibTeX (asks which paper without an id). Returns the BibTeX. */
  async copyBibtex(args?: { paperId?: string } | string): Promise<string | undefined> {
    const id = typeof args === 'string' ? args : args?.paperId;
    const paper = id ? this.paperOrWarn(id) : await this.pickPaper('PaperLens: Copy BibTeX');
    if (!paper) return undefined;
    const bibtex = this.services.corpus.bibtex(paper);
    await vscode.env.clipboard.writeText(bibtex);
    void vscode.window.setStatusBarMessage(`$(copy) PaperLens: BibTeX for ${this.services.corpus.citationKey(paper)} copied`, 4000);
    return bibtex;
  }

  private paperOrWarn(id: string): Paper | undefined {
    const paper = this.services.corpus.get(id);
    if (!paper) {
      const near = this.services.corpus.suggest(id);
      void vscode.window.showWarningMessage(`PaperLens: no paper "${id}" in the corpus${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}.`);
    }
    return paper;
  }

  private async pickPaper(title: string): Promise<Paper | undefined> {
    const items = this.services.corpus.papers.map((p) => ({
      label: p.title,
      description: [p.venue ?? p.year, p.arxivId ? `arXiv:${p.arxivId}` : undefined].filter(Boolean).join(' · '),
      detail: authorsLine(p),
      paper: p,
    }));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Type a title, an author, a venue or an arXiv id', matchOnDescription: true, matchOnDetail: true });
    return picked?.paper;
  }
}

function authorsLine(p: Paper): string {
  if (!p.authors.length) return p.organization ?? '';
  return p.authors.length > 4 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ');
}
