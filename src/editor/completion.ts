/**
 * Completion items that insert a verified loss implementation: typing a loss's name where code goes
 * (`loss = foc|`) offers "Insert Focal loss implementation (Lin et al., 2017)"; accepting writes the
 * call there and the function after the imports. `loss:` alone on a line asks for the definition
 * only. The placement rules live in insertion/plan.ts.
 */
import * as vscode from 'vscode';
import type { Concept } from '../core/concepts/types';
import { frameworkLabel, frameworkList } from '../core/snippets/framework';
import { SNIPPET_FRAMEWORKS, type Snippet, type SnippetFramework, type SnippetFunction } from '../core/snippets/types';
import { completionTrigger, typedNamesLoss, type CompletionTrigger } from '../services/insertion/completionTrigger';
import { planInsertion } from '../services/insertion/plan';
import { PositionContexts, type PositionContext } from '../core/python/module';
import { renderSnippet } from '../core/snippets/render';
import { insertionRequest } from './insertCommands';
import { readConfig } from './config';
import type { Services } from './services';
import type { SnippetLookup } from '../services/snippetSource';

/** `:` completes `loss:`; every other character is filtered out at once. */
export const COMPLETION_TRIGGER_CHARACTERS = [':'];

export class LossCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly services: Services,
    private readonly snippets: SnippetLookup,
  ) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionList | undefined {
    const config = readConfig(document.uri);
    if (!config.completion.enabled) return undefined;
    const linePrefix = document.lineAt(position.line).text.slice(0, position.character);
    const trigger = completionTrigger(linePrefix);
    if (!trigger) return undefined;
    if (context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && trigger.kind !== 'trigger') return undefined;

    const query = trigger.kind === 'trigger' ? trigger.query : trigger.word;
    // Most words typed name no loss: answer those before reading the document (this runs on
    // every keystroke in an identifier, and the document may be 20,000 lines).
    if (trigger.kind === 'word' && !this.anySnippetNamed(query)) return undefined;

    const text = document.getText();
    const offset = document.offsetAt(position);
    const start = offset - (position.character - trigger.start);
    const isCell = document.uri.scheme === 'vscode-notebook-cell';
    const where = this.contextsFor(document).at(text, offset, { ipython: isCell, wordStart: start });
    if (where.inStringOrComment) return undefined;
    // Alone on a module-level line, or after `loss:`, the user is writing top-level code: the
    // definition goes there. Anywhere else the typed name becomes a call.
    const wantsCall = trigger.kind === 'word' && !(where.moduleLevel && where.blankLine);

    const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
    const items: vscode.CompletionItem[] = [];
    // The file's framework (all of them when its imports name several: each item says which).
    const wanted = this.services.snippetFrameworks.candidates(document);
    // PyTorch, the long-standing default, goes unnamed; JAX, Keras and a choice between several are named.
    const showFramework = wanted.length > 1 || wanted[0] !== 'pytorch';
    for (const { snippet, missingIn } of this.offers(wanted, trigger.kind === 'word')) {
      if (token.isCancellationRequested) return undefined;
      const concept = this.services.registry.get(snippet.conceptId);
      for (const fn of snippet.functions) {
        const names = this.namesOf(snippet, fn);
        if (trigger.kind === 'word' && !typedNamesLoss(query, names)) continue;
        const item = this.item(document, position, snippet, fn, concept, names, trigger, start, wantsCall, editor, { showFramework: showFramework || missingIn.length > 0, missingIn }, where);
        if (item) items.push(item);
        // Without a call, one item per snippet is enough: every function comes along.
        if (!wantsCall) break;
      }
    }
    // Incomplete: the list is filtered here (by name), so ask again as the word grows.
    return new vscode.CompletionList(items, trigger.kind === 'word');
  }

  /** What a typed word may match for a snippet function: its name, the concept's id, name, aliases and hand-written names. */
  private namesOf(snippet: Snippet, fn: SnippetFunction): string[] {
    const concept = this.services.registry.get(snippet.conceptId);
    return [fn.name, snippet.conceptId, concept?.name ?? '', ...(concept?.aliases ?? []), ...(concept?.handwrittenNames ?? [])].filter(Boolean);
  }

  /** Whether `typed` names any snippet function in any framework (a cheap test, no document read). */
  private anySnippetNamed(typed: string): boolean {
    return SNIPPET_FRAMEWORKS.some((framework) => this.snippets.all(framework).some((snippet) => snippet.functions.some((fn) => typedNamesLoss(typed, this.namesOf(snippet, fn)))));
  }

  /** Cursor classification per document, with checkpoints kept between keystrokes. */
  private readonly contexts = new Map<string, PositionContexts>();

  private contextsFor(document: vscode.TextDocument): PositionContexts {
    const key = document.uri.toString();
    let contexts = this.contexts.get(key);
    if (!contexts) {
      // A handful of documents are typed in at a time; the oldest is forgotten.
      if (this.contexts.size >= 8) this.contexts.delete(this.contexts.keys().next().value as string);
      contexts = new PositionContexts();
      this.contexts.set(key, contexts);
    }
    return contexts;
  }

  /**
   * The snippets to offer: every snippet in the wanted frameworks; for a typed name, also the
   * concepts that none of them has, in the frameworks that have one (the item says so).
   */
  private offers(wanted: readonly SnippetFramework[], withFallbacks: boolean): { snippet: Snippet; missingIn: SnippetFramework[] }[] {
    const out: { snippet: Snippet; missingIn: SnippetFramework[] }[] = [];
    const covered = new Set<string>();
    for (const framework of wanted) {
      for (const snippet of this.snippets.all(framework)) {
        out.push({ snippet, missingIn: [] });
        covered.add(snippet.conceptId);
      }
    }
    if (!withFallbacks) return out;
    const fallback = new Set<string>();
    for (const framework of SNIPPET_FRAMEWORKS.filter((f) => !wanted.includes(f))) {
      for (const snippet of this.snippets.all(framework)) {
        if (covered.has(snippet.conceptId) || fallback.has(`${framework}/${snippet.conceptId}`)) continue;
        fallback.add(`${framework}/${snippet.conceptId}`);
        out.push({ snippet, missingIn: [...wanted] });
      }
    }
    return out;
  }

  private item(
    document: vscode.TextDocument,
    position: vscode.Position,
    snippet: Snippet,
    fn: SnippetFunction,
    concept: Concept | undefined,
    names: readonly string[],
    trigger: CompletionTrigger,
    start: number,
    wantsCall: boolean,
    editor: vscode.TextEditor | undefined,
    framework: { showFramework: boolean; missingIn: readonly SnippetFramework[] },
    context: PositionContext,
  ): vscode.CompletionItem | undefined {
    const request = insertionRequest(document, position, snippet, editor);
    const plan = planInsertion({ ...request, typed: { start, end: request.cursor }, call: wantsCall ? fn.name : undefined, context });
    // The file already has it: the language server offers the name itself.
    if (plan.placement === 'already-defined' || !plan.primary) return undefined;
    const name = concept?.name ?? snippet.title;
    const fw = framework.showFramework ? `${frameworkLabel(snippet.framework)} ` : '';
    const missing = framework.missingIn.length ? ` — no ${frameworkList(framework.missingIn)} one yet` : '';
    const label: vscode.CompletionItemLabel = {
      label: wantsCall ? fn.name : `Insert ${name} ${fw}implementation`,
      description: wantsCall ? `Insert ${name} ${fw}implementation (${this.citeShort(snippet, concept)})${missing}` : `(${this.citeShort(snippet, concept)})${missing}`,
    };
    const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Snippet);
    const primary = plan.primary;
    item.range = new vscode.Range(document.positionAt(primary.start), document.positionAt(primary.end));
    item.insertText = new vscode.SnippetString(primary.snippet);
    item.additionalTextEdits = plan.edits
      .filter((e) => e !== primary)
      .map((e) => vscode.TextEdit.replace(new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text));
    // VS Code filters on the text from the range start to the cursor: the `loss:` trigger, or the word.
    item.filterText = trigger.kind === 'trigger' ? `loss:${fn.name}` : names.join(' ');
    // Fallbacks from another framework sort after the file's own.
    item.sortText = `~paperlens ${framework.missingIn.length ? '~' : ''}${fn.name} ${snippet.framework}`;
    item.detail = `${fn.signature}${plan.addedImports.length ? `\n+ ${plan.addedImports.join('\n+ ')}` : ''}`;
    const where = plan.placement === 'at-cursor' ? 'here' : 'after the imports';
    const code = renderSnippet(snippet).body.trimEnd();
    item.documentation = new vscode.MarkdownString(`Inserts the verified ${frameworkLabel(snippet.framework)} implementation ${where}${wantsCall ? ` and a call to \`${fn.name}\` at the cursor` : ''}.\n\n\`\`\`python\n${code}\n\`\`\``);
    return item;
  }

  /** `Lin et al., 2017` from the corpus, else the concept's origin, else the paper title. */
  private citeShort(snippet: Snippet, concept: Concept | undefined): string {
    const ref = snippet.papers[0];
    const paper = ref ? this.services.corpus.get(ref.id) : undefined;
    if (paper) {
      const last = (n: string): string => n.trim().split(/\s+/).pop() ?? n;
      const who = paper.authors.length === 0 ? paper.organization ?? '' : paper.authors.length === 1 ? last(paper.authors[0]) : paper.authors.length === 2 ? `${last(paper.authors[0])} & ${last(paper.authors[1])}` : `${last(paper.authors[0])} et al.`;
      return [who, paper.year].filter(Boolean).join(', ');
    }
    if (concept?.origin) return `${concept.origin.authors}, ${concept.origin.year}`;
    return ref ? ref.title : snippet.title;
  }
}
