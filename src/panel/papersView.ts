/**
 * The Papers sidebar, host side: a WebviewViewProvider for `paperlens.papers`.
 *
 * - Handshake: messages to the webview are queued until it says `ready`; then `init` (facets) goes
 *   first and the queue follows. The webview is recreated when the view is hidden and shown again
 *   (no `retainContextWhenHidden`): it restores its own UI state and asks again.
 * - Every message from the webview goes through `parseWebviewMessage`; anything else is logged and
 *   dropped. Actions run only on things that exist (a paper in the corpus, a concept in the
 *   registry, a usage this provider listed) and links only when they are http(s).
 * - The search index is built on first use of the view, in slices, off the activation path.
 */
import * as vscode from 'vscode';
import type { ConceptRegistry } from '../core/concepts/registry';
import type { Concept } from '../core/concepts/types';
import type { LossIndex } from '../core/detect/lossIndex';
import type { SearchIndex } from '../core/search/searchIndex';
import { isSnippetFramework } from '../core/snippets/catalog';
import { frameworkLabel } from '../core/snippets/framework';
import { SNIPPET_FRAMEWORKS } from '../core/snippets/types';
import type { PaperServices as Services } from '../services/paperServices';
import {
  parseWebviewMessage, safeHttpUrl,
  type HostMessage, type HostNotification, type HostReply, type InitNotification, type UsageHit, type WebviewMessage, type WebviewRequest,
} from '../protocol';
import { contentSecurityPolicy, makeNonce, sidebarHtml } from '../services/sidebarHtml';
import { conceptCards, facets, isPaperLink, paperDetail, paperSummary, snippetTabs } from '../services/papersData';
import { noAnswerMessage, verbatimQuery } from '../core/search/explain';
import { UsageStream } from '../services/usageStream';
import { openUsage, scanWorkspaceWithProgress, type WorkspaceUsage } from './workspaceUsages';

export const PAPERS_VIEW_ID = 'paperlens.papers';

/** Most notifications kept while the webview is not listening (older ones are dropped). */
const MAX_QUEUE = 20;

export class PapersViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private queue: HostNotification[] = [];
  private viewDisposables: vscode.Disposable[] = [];
  private corpusVersion = 0;
  /** Usages listed by the last "find usages", by the token the webview sends back. */
  private usageRefs = new Map<string, WorkspaceUsage>();
  private usageScan: vscode.CancellationTokenSource | undefined;
  /** Times the webview said `ready` (for the integration test). */
  readyCount = 0;

  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Users' papers loaded or changed: the index rebuilds on next use; the view refreshes now.
    this.disposables.push(services.onDidChangeCorpus(() => {
      this.corpusVersion++;
      if (this.isReady) void this.init().then((m) => this.post(m), (err) => this.log.error(`Papers view: ${err instanceof Error ? err.message : String(err)}`));
    }));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [webviewRoot, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    const asUri = (...path: string[]): string => view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, ...path)).toString();
    const nonce = makeNonce();
    view.webview.html = sidebarHtml({
      cspSource: view.webview.cspSource,
      nonce,
      scriptUri: asUri('sidebar.js'),
      styleUri: asUri('sidebar.css'),
      katexStyleUri: asUri('katex', 'katex.min.css'),
    });
    this.log.debug(`Papers view resolved; CSP: ${contentSecurityPolicy(view.webview.cspSource, nonce)}`);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => { void this.receive(raw); }),
      // Hidden, the webview's content is discarded (no retainContextWhenHidden); shown again, it
      // reloads, restores its state and says `ready` again. Until then, queue.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
          this.disposeView();
        }
      }),
    );
    // First use of the view: start indexing now, so that the first search finds it built.
    void this.index().catch((err) => this.log.error(`Search index: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Shows the view (creating it if needed). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${PAPERS_VIEW_ID}.focus`);
  }

  /** Sends a notification now, or when the webview is ready. */
  notify(message: HostNotification): void {
    if (this.view && this.ready) {
      void this.view.webview.postMessage(message);
    } else {
      this.queue.push(message);
      if (this.queue.length > MAX_QUEUE) this.queue.shift();
    }
  }

  /** The view is resolved and its script said `ready`. */
  get isReady(): boolean {
    return this.view !== undefined && this.ready;
  }

  private post(message: HostMessage): void {
    if (this.view) void this.view.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Papers view: ignored a message from the webview (${parsed.reason})`);
      return;
    }
    const message = parsed.message;
    try {
      if (isRequest(message)) {
        this.post(await this.answer(message));
      } else {
        await this.handleNotification(message);
      }
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.log.error(`Papers view: ${message.type} failed: ${text}`);
      if (isRequest(message)) this.post({ type: 'failed', id: message.id, message: text });
    }
  }

  /**
   * Validates `raw` as a webview request and answers it without posting: the same path a webview
   * message takes. Used by the integration test through a command that the palette does not list.
   */
  async answerRaw(raw: unknown): Promise<HostReply | { error: string }> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) return { error: parsed.reason };
    if (!isRequest(parsed.message)) return { error: 'not a request' };
    return this.answer(parsed.message);
  }

  private async handleNotification(message: Exclude<WebviewMessage, WebviewRequest>): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        this.readyCount++;
        this.post(await this.init());
        const queued = this.queue.splice(0);
        for (const m of queued) this.post(m);
        return;
      }
      case 'insertSnippet': {
        if (!this.registry()?.has(message.conceptId)) return this.reject('insertSnippet', `unknown concept ${message.conceptId}`);
        const result = await vscode.commands.executeCommand<{ framework?: string } | undefined>('paperlens.insertSnippet', { conceptId: message.conceptId, framework: message.framework });
        if (result) {
          const label = result.framework && isSnippetFramework(result.framework) ? ` (${frameworkLabel(result.framework)})` : '';
          this.notify({ type: 'actionResult', action: 'insertSnippet', ok: true, message: `Inserted ${this.conceptName(message.conceptId)}${label}` });
        }
        return;
      }
      case 'copyBibtex': {
        const paper = this.services.corpus.get(message.paperId);
        if (!paper) return this.reject('copyBibtex', `unknown paper ${message.paperId}`);
        const bibtex = await vscode.commands.executeCommand<string | undefined>('paperlens.copyBibtex', paper.id);
        if (typeof bibtex === 'string') {
          this.notify({ type: 'actionResult', action: 'copyBibtex', ok: true, message: `BibTeX copied (${this.services.corpus.citationKey(paper)})` });
        }
        return;
      }
      case 'citePaper': {
        const paper = this.services.corpus.get(message.paperId);
        if (!paper) return this.reject('citePaper', `unknown paper ${message.paperId}`);
        const result = await vscode.commands.executeCommand('paperlens.citePaper', { paperId: paper.id, mode: 'comment' });
        if (result !== undefined) this.notify({ type: 'actionResult', action: 'citePaper', ok: true, message: 'Citation inserted' });
        return;
      }
      case 'openLink': {
        const url = safeHttpUrl(message.url);
        const paper = this.services.corpus.get(message.paperId);
        // Only the paper's own links: the webview names a paper, and may open what that paper shows.
        if (!url || !paper || !isPaperLink(paper, url.href)) return this.reject('openLink', `refused ${message.url.slice(0, 200)} (not a link of this paper)`);
        await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
        return;
      }
      case 'openUsage': {
        const usage = this.usageRefs.get(message.ref);
        if (!usage) return this.reject('openUsage', 'unknown usage (the list is stale: search again)');
        await openUsage(usage);
        return;
      }
      case 'error':
        this.log.warn(`Papers view (webview): ${message.message}`);
        return;
    }
  }

  private reject(action: 'insertSnippet' | 'copyBibtex' | 'citePaper' | 'openLink' | 'openUsage', why: string): void {
    this.log.warn(`Papers view: ${action} refused: ${why}`);
    this.notify({ type: 'actionResult', action, ok: false, message: `PaperLens could not do that: ${why}` });
  }

  private async answer(request: WebviewRequest): Promise<HostReply> {
    switch (request.type) {
      case 'search': {
        const index = await this.index();
        const result = index.search(request.query, { offset: request.offset, limit: request.limit, sort: request.sort, filters: request.filters });
        const name = (id: string): string => this.conceptName(id);
        const snippets = this.services.snippets;
        return {
          type: 'searchResult', id: request.id, total: result.total, totalExact: result.totalExact, offset: request.offset,
          hits: result.hits.map((h) => paperSummary(h.paper, name)),
          strongTotal: result.strongTotal,
          noAnswer: noAnswerMessage(result) ?? null,
          about: result.about,
          concepts: request.offset === 0 ? conceptCards(result.named, {
            concept: (id) => this.registry()?.get(id),
            hasSnippet: (conceptId) => SNIPPET_FRAMEWORKS.some((f) => snippets.forConcept(conceptId, f)),
          }) : [],
          corrections: result.corrections.map((c) => ({ ...c, searchInstead: verbatimQuery(request.query, [c.word]) })),
          problems: result.query.problems, terms: result.terms,
        };
      }
      case 'getPaper': {
        const paper = this.services.corpus.get(request.paperId);
        if (!paper) return { type: 'paper', id: request.id, paper: null };
        // The file the Insert buttons write into decides the initial tab (the command decides again on click).
        const targetFrameworks = this.services.insertTargetFrameworks();
        const snippets = this.services.snippets;
        return {
          type: 'paper', id: request.id,
          paper: paperDetail(paper, {
            citationKey: this.services.corpus.citationKey(paper),
            concept: (id) => this.registry()?.get(id),
            hasSnippet: (conceptId) => (targetFrameworks.length ? targetFrameworks : SNIPPET_FRAMEWORKS).some((f) => snippets.forConcept(conceptId, f)),
            snippetTabs: (conceptId) => snippetTabs(SNIPPET_FRAMEWORKS.flatMap((f) => snippets.forConcept(conceptId, f) ?? [])),
            targetFrameworks,
          }),
        };
      }
      case 'findUsages': {
        this.usageScan?.cancel();
        const cancel = new vscode.CancellationTokenSource();
        this.usageScan = cancel;
        const wanted = request.conceptIds.length ? new Set(request.conceptIds) : null;
        const started = performance.now();
        // Refs are issued in scan order, so the streamed hits and the final reply agree on them.
        const refs = new Map<WorkspaceUsage, string>();
        this.usageRefs = new Map();
        const hitOf = (u: WorkspaceUsage): UsageHit => {
          let ref = refs.get(u);
          if (!ref) {
            ref = `u${refs.size}`;
            refs.set(u, ref);
            this.usageRefs.set(ref, u);
          }
          return { ref, path: u.path, line: u.line, column: u.column, conceptId: u.conceptId, expression: u.expression, preview: u.preview };
        };
        const stream = new UsageStream((hits, filesDone, filesTotal) => {
          if (this.usageScan === cancel) this.post({ type: 'usagesProgress', id: request.id, hits, filesDone, filesTotal });
        });
        const found = await scanWorkspaceWithProgress(this.lossIndex(), wanted, cancel.token, {
          onUsages: (batch) => stream.add(batch.map(hitOf)),
          onProgress: (done, total) => stream.progress(done, total),
          project: (uri) => (uri.scheme === 'file' ? this.services.projectImportsFor?.(uri.fsPath) : undefined),
        });
        stream.flush();
        this.log.info(`Find usages: ${found.usages.length} in ${found.filesScanned} files in ${(performance.now() - started).toFixed(0)} ms${found.cancelled ? ' (cancelled)' : ''}`);
        const hits: UsageHit[] = found.usages.map(hitOf);
        return { type: 'usages', id: request.id, hits, filesScanned: found.filesScanned, truncated: found.truncated };
      }
    }
  }

  private async init(): Promise<InitNotification> {
    const index = await this.index();
    const conceptNames: Record<string, string> = {};
    for (const c of this.concepts()) conceptNames[c.id] = c.name;
    for (const c of index.facets.concepts) conceptNames[c.id] ??= c.name;
    return { type: 'init', facets: facets(index.facets), conceptNames, corpusVersion: this.corpusVersion };
  }

  /** The search index (built on first use; Services rebuilds it when the corpus changes). */
  private async index(): Promise<SearchIndex> {
    return this.services.searchIndex;
  }

  private registry(): ConceptRegistry | undefined {
    try {
      return this.services.registry;
    } catch (err) {
      this.log.warn(`Concept registry unavailable: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private concepts(): readonly Concept[] {
    return this.registry()?.all() ?? [];
  }

  private conceptName(id: string): string {
    return this.registry()?.get(id)?.name ?? id;
  }

  private lossIndex(): LossIndex {
    return this.services.scanCache.index;
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.usageScan?.cancel();
    this.disposeView();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function isRequest(message: WebviewMessage): message is WebviewRequest {
  return message.type === 'search' || message.type === 'getPaper' || message.type === 'findUsages';
}
