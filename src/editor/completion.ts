/**
 * Completion items that insert a verified loss implementation: typing a loss's name where code goes
 * (`loss = foc|`) offers "Insert Focal loss implementation (Lin et al., 2017)"; accepting writes the
 * call there and the function after the imports. `loss:` alone on a line asks for the definition
 * only. The placement rules live in insertion/plan.ts.
 */
import * as vscode from 'vscode';
import type { Concept } from '../core/concepts/types';
import type { Snippet, SnippetFunction } from '../core/snippets/types';
import { completionTrigger, typedNamesLoss, type CompletionTrigger } from './insertion/completionTrigger';
import { planInsertion } from './insertion/plan';
import { positionContext } from '../core/python/module';
import { renderSnippet } from '../core/snippets/render';
import { insertionRequest } from './insertCommands';
import { readConfig } from './config';
import type { Services } from './services';
import type { SnippetLookup } from './snippetSource';

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

    const text = document.getText();
    const offset = document.offsetAt(position);
    const start = offset - (position.character - trigger.start);
    const isCell = document.uri.scheme === 'vscode-notebook-cell';
    const where = positionContext(text, offset, { ipython: isCell, wordStart: start });
    if (where.inStringOrComment) return undefined;
    const query = trigger.kind === 'trigger' ? trigger.query : trigger.word;
    // Alone on a module-level line, or after `loss:`, the user is writing top-level code: the
    // definition goes there. Anywhere else the typed name becomes a call.
    const wantsCall = trigger.kind === 'word' && !(where.moduleLevel && where.blankLine);

    const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
    const items: vscode.CompletionItem[] = [];
    for (const snippet of this.snippets.all(config.snippets.framework)) {
      if (token.isCancellationRequested) return undefined;
      const concept = this.services.registry.get(snippet.conceptId);
      for (const fn of snippet.functions) {
        const names = [fn.name, snippet.conceptId, concept?.name ?? '', ...(concept?.aliases ?? []), ...(concept?.handwrittenNames ?? [])].filter(Boolean);
        if (trigger.kind === 'word' && !typedNamesLoss(query, names)) continue;
        const item = this.item(document, position, snippet, fn, concept, names, trigger, start, wantsCall, editor);
        if (item) items.push(item);
        // Without a call, one item per snippet is enough: every function comes along.
        if (!wantsCall) break;
      }
    }
    // Incomplete: the list is filtered here (by name), so ask again as the word grows.
    return new vscode.CompletionList(items, trigger.kind === 'word');
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
  ): vscode.CompletionItem | undefined {
    const request = insertionRequest(document, position, snippet, editor);
    const plan = planInsertion({ ...request, typed: { start, end: request.cursor }, call: wantsCall ? fn.name : undefined });
    // The file already has it: the language server offers the name itself.
    if (plan.placement === 'already-defined' || !plan.primary) return undefined;
    const name = concept?.name ?? snippet.title;
    const label: vscode.CompletionItemLabel = {
      label: wantsCall ? fn.name : `Insert ${name} implementation`,
      description: wantsCall ? `Insert ${name} implementation (${this.citeShort(snippet, concept)})` : `(${this.citeShort(snippet, concept)})`,
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
    item.sortText = `~paperlens ${fn.name}`;
    item.detail = `${fn.signature}${plan.addedImports.length ? `\n+ ${plan.addedImports.join('\n+ ')}` : ''}`;
    const where = plan.placement === 'at-cursor' ? 'here' : 'after the imports';
    const code = renderSnippet(snippet).body.trimEnd();
    item.documentation = new vscode.MarkdownString(`Inserts the verified implementation ${where}${wantsCall ? ` and a call to \`${fn.name}\` at the cursor` : ''}.\n\n\`\`\`python\n${code}\n\`\`\``);
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
