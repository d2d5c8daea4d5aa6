// The Papers sidebar in a real extension host: the view resolves, its webview script loads and
// completes the handshake, and the provider answers protocol requests (search, paper detail) —
// through `paperlens.test.sidebar`, a command the palette does not list, which runs a request
// through the same validation and handler as a message from the webview.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateThroughSample, waitFor } from '../helpers';

const TEST_COMMAND = 'paperlens.test.sidebar';

interface SidebarState { ready: boolean; readyCount: number }

async function request<T>(message: unknown): Promise<T> {
  return vscode.commands.executeCommand<T>(TEST_COMMAND, message);
}

describe('papers sidebar', () => {
  before(async () => {
    await activateThroughSample();
  });

  it('is not a palette command (the test hook is not contributed)', () => {
    const ext = vscode.extensions.getExtension('paperlens.paperlens');
    const contributed = (ext?.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
    assert.ok(!contributed.some((c) => c.command === TEST_COMMAND));
  });

  it('resolves the view, loads its script and completes the handshake', async () => {
    await vscode.commands.executeCommand('paperlens.searchPapers');
    await waitFor(async () => (await request<SidebarState>({ state: true })).ready, 'the Papers webview to say ready', 30_000);
  });

  it('answers a search request through the protocol: typo corrected, harmonic loss paper first', async () => {
    const reply = await request<{ type: string; id: number; total: number; hits: { id: string; title: string }[]; corrections: { word: string; suggestions: string[] }[] }>({
      type: 'search', id: 7, query: 'harmonc loss', filters: {}, sort: 'relevance', offset: 0, limit: 5,
    });
    assert.equal(reply.type, 'searchResult');
    assert.equal(reply.id, 7);
    assert.ok(reply.total > 0);
    // The original harmonic-loss paper (classics collection) first, then the seed paper revisiting it.
    assert.deepEqual(reply.hits.slice(0, 2).map((h) => h.id), ['2502.01628', '2603.10225'], JSON.stringify(reply.hits.map((h) => h.title)));
    assert.deepEqual(reply.corrections, [{ word: 'harmonc', suggestions: ['harmonic'], searchInstead: '"harmonc" loss' }]);
  });

  it('says when no paper is about the query, and names the loss an identifier stands for', async () => {
    type Reply = { strongTotal: number; total: number; noAnswer: string | null; concepts: { id: string; formula: string | null }[] };
    const none = await request<Reply>({ type: 'search', id: 8, query: 'weather forecasting transformer', filters: {}, sort: 'relevance', offset: 0, limit: 5 });
    assert.equal(none.strongTotal, 0);
    assert.equal(none.noAnswer, 'No paper in your corpus is about weather forecasting transformer');
    const bce = await request<Reply>({ type: 'search', id: 9, query: 'BCEWithLogitsLoss pos_weight', filters: {}, sort: 'relevance', offset: 0, limit: 5 });
    assert.equal(bce.noAnswer, null);
    assert.ok(bce.strongTotal > 0);
    assert.deepEqual(bce.concepts.map((c) => c.id), ['binary-cross-entropy']);
    assert.ok(bce.concepts[0].formula);
  });

  it('applies filters and answers paper details with the concept formulas', async () => {
    const focal = await request<{ hits: { id: string; concepts: { id: string }[] }[] }>({
      type: 'search', id: 8, query: '', filters: { concept: 'focal' }, sort: 'newest', offset: 0, limit: 50,
    });
    assert.ok(focal.hits.length > 0 && focal.hits.every((h) => h.concepts.some((c) => c.id === 'focal')));
    const detail = await request<{ type: string; paper: { id: string; citationKey: string; concepts: { id: string; formula: string | null }[]; links: { url: string }[] } | null }>({
      type: 'getPaper', id: 9, paperId: '2603.10225',
    });
    assert.equal(detail.type, 'paper');
    assert.equal(detail.paper?.id, '2603.10225');
    assert.ok(detail.paper?.concepts.find((c) => c.id === 'harmonic')?.formula);
    assert.ok(detail.paper?.links.every((l) => /^https?:\/\//.test(l.url)));
  });

  it('rejects a malformed request instead of acting on it', async () => {
    const reply = await request<{ error?: string }>({ type: 'search', id: 1, query: 'x', filters: { evil: true }, sort: 'relevance', offset: 0, limit: 5 });
    assert.match(reply.error ?? '', /bad filters/);
    const link = await request<{ error?: string }>({ type: 'openLink', paperId: '2603.10225', url: 'javascript:alert(1)' });
    assert.match(link.error ?? '', /not an http\(s\) URL/);
  });

  it('finds loss usages in the samples workspace', async () => {
    const reply = await request<{ type: string; hits: { path: string; conceptId: string; line: number }[]; filesScanned: number }>({
      type: 'findUsages', id: 10, conceptIds: ['cross-entropy'],
    });
    assert.equal(reply.type, 'usages');
    assert.ok(reply.filesScanned >= 5, `scanned ${reply.filesScanned}`);
    assert.ok(reply.hits.length > 0);
    assert.ok(reply.hits.every((h) => h.conceptId === 'cross-entropy'));
    assert.ok(reply.hits.some((h) => h.path.endsWith('train_cifar.py')), JSON.stringify(reply.hits.map((h) => h.path)));
  });

  it('finds a loss the workspace defines in one package module and uses in another (samples/rlhf)', async () => {
    const reply = await request<{ type: string; hits: { path: string; conceptId: string; line: number }[] }>({
      type: 'findUsages', id: 11, conceptIds: ['ppo-clip'],
    });
    assert.equal(reply.type, 'usages');
    const where = reply.hits.map((h) => `${h.path.split('\\').join('/')}:${h.line}`).sort();
    // The definition, the package's __all__ entry, and the trainer's call of the imported class.
    assert.deepEqual(where, ['rlhf/__init__.py:4', 'rlhf/losses.py:5', 'rlhf/train_ppo.py:8']);
  });

  it('keeps working after the view is hidden and shown again (a new webview says ready again)', async () => {
    const before = (await request<SidebarState>({ state: true })).readyCount;
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('paperlens.showConcept', 'focal');
    await waitFor(async () => {
      const s = await request<SidebarState>({ state: true });
      return s.ready && s.readyCount > before;
    }, 'the recreated webview to say ready', 30_000);
  });
});
