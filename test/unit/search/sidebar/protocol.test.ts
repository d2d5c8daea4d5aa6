// The webview → host message validation (src/protocol.ts): exact shapes only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isFilters, isHostMessage, LIMITS, parseWebviewMessage, safeHttpUrl } from '../../../../src/protocol';

const ok = (raw: unknown) => {
  const r = parseWebviewMessage(raw);
  assert.ok(r.ok, `rejected ${JSON.stringify(raw)}: ${r.ok ? '' : r.reason}`);
  return r.message;
};
const bad = (raw: unknown) => assert.equal(parseWebviewMessage(raw).ok, false, `accepted ${JSON.stringify(raw)}`);

describe('parseWebviewMessage', () => {
  it('accepts each message type in its exact shape', () => {
    ok({ type: 'ready' });
    ok({ type: 'search', id: 1, query: 'focal', filters: {}, sort: 'relevance', offset: 0, limit: 100 });
    ok({ type: 'search', id: 2, query: '', filters: { concept: 'focal', yearFrom: 2020, yearTo: 2024, hasCode: true, source: 'shipped:x' }, sort: 'newest', offset: 200, limit: 1 });
    ok({ type: 'getPaper', id: 3, paperId: '2411.09009' });
    ok({ type: 'findUsages', id: 4, conceptIds: [] });
    ok({ type: 'findUsages', id: 5, conceptIds: ['focal', 'cross-entropy'] });
    ok({ type: 'insertSnippet', conceptId: 'focal' });
    assert.deepEqual(ok({ type: 'insertSnippet', conceptId: 'focal', framework: 'jax' }), { type: 'insertSnippet', conceptId: 'focal', framework: 'jax' });
    ok({ type: 'copyBibtex', paperId: '2411.09009' });
    ok({ type: 'citePaper', paperId: '2411.09009' });
    ok({ type: 'openLink', paperId: '2411.09009', url: 'https://arxiv.org/abs/2411.09009' });
    ok({ type: 'openUsage', ref: 'u12' });
    assert.deepEqual(ok({ type: 'error', message: 'x'.repeat(5000) }), { type: 'error', message: 'x'.repeat(LIMITS.message) });
  });

  it('returns copies, not the objects it was given', () => {
    const conceptIds = ['focal'];
    const m = ok({ type: 'findUsages', id: 1, conceptIds });
    assert.notEqual((m as { conceptIds: string[] }).conceptIds, conceptIds);
  });

  it('rejects unknown types, extra keys, wrong types and out-of-range values', () => {
    for (const raw of [
      null, 'ready', 42, [], { type: 'nope' }, { type: 'ready', extra: 1 }, { type: '__proto__' },
      { type: 'search', id: 1, query: 'x', filters: {}, sort: 'relevance', offset: 0 },
      { type: 'search', id: -1, query: 'x', filters: {}, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'search', id: 1.5, query: 'x', filters: {}, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'search', id: 1, query: 'x'.repeat(LIMITS.query + 1), filters: {}, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'search', id: 1, query: 'x', filters: { evil: 1 }, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'search', id: 1, query: 'x', filters: { yearFrom: '2020' }, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'search', id: 1, query: 'x', filters: {}, sort: 'random', offset: 0, limit: 10 },
      { type: 'search', id: 1, query: 'x', filters: {}, sort: 'relevance', offset: 0, limit: 0 },
      { type: 'search', id: 1, query: 'x', filters: {}, sort: 'relevance', offset: 0, limit: LIMITS.pageSize + 1 },
      { type: 'search', id: 1, query: 'x', filters: {}, sort: 'relevance', offset: -5, limit: 10 },
      { type: 'search', id: 1, query: 7, filters: {}, sort: 'relevance', offset: 0, limit: 10 },
      { type: 'getPaper', id: 1, paperId: '' },
      { type: 'getPaper', id: 1, paperId: 'a\u0000b' },
      { type: 'getPaper', id: 1, paperId: 'x'.repeat(LIMITS.id + 1) },
      { type: 'findUsages', id: 1, conceptIds: 'focal' },
      { type: 'findUsages', id: 1, conceptIds: [1] },
      { type: 'findUsages', id: 1, conceptIds: Array.from({ length: LIMITS.conceptIds + 1 }, () => 'x') },
      { type: 'insertSnippet' }, { type: 'insertSnippet', conceptId: 5 },
      { type: 'insertSnippet', conceptId: 'focal', framework: 'tensorflow' }, { type: 'insertSnippet', conceptId: 'focal', framework: 1 },
      { type: 'copyBibtex', paperId: {} }, { type: 'citePaper', paperId: 'x', mode: 'bibtex' },
      { type: 'openUsage', ref: 'x'.repeat(65) },
      { type: 'error', message: 1 },
    ]) bad(raw);
  });

  it('refuses links that are not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode://x', '//evil.example', 'not a url', '']) {
      bad({ type: 'openLink', paperId: 'p', url });
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (raw) => { parseWebviewMessage(raw); }), { numRuns: 500 });
    fc.assert(fc.property(fc.record({ type: fc.constantFrom('search', 'getPaper', 'openLink', 'findUsages', 'ready'), id: fc.anything(), query: fc.anything(), filters: fc.anything(), paperId: fc.anything(), url: fc.anything() }, { requiredKeys: ['type'] }), (raw) => {
      parseWebviewMessage(raw);
    }), { numRuns: 500 });
  });
});

describe('helpers', () => {
  it('safeHttpUrl parses http(s) only', () => {
    assert.equal(safeHttpUrl('https://arxiv.org/abs/1')?.href, 'https://arxiv.org/abs/1');
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl(42), undefined);
  });

  it('isFilters', () => {
    assert.equal(isFilters({}), true);
    assert.equal(isFilters({ hasCode: 'yes' }), false);
    assert.equal(isFilters(null), false);
  });

  it('isHostMessage recognises the host messages and nothing else', () => {
    assert.equal(isHostMessage({ type: 'searchResult', id: 1, total: 0, totalExact: true, offset: 0, hits: [], corrections: [], problems: [], terms: [] }), true);
    assert.equal(isHostMessage({ type: 'init', facets: {}, conceptNames: {}, corpusVersion: 0 }), true);
    assert.equal(isHostMessage({ type: 'actionResult', action: 'copyBibtex', ok: true, message: 'BibTeX copied' }), true);
    assert.equal(isHostMessage({ type: 'usagesProgress', id: 3, hits: [], filesDone: 1, filesTotal: 9 }), true);
    assert.equal(isHostMessage({ type: 'usagesProgress', id: 3, hits: {}, filesDone: 1, filesTotal: 9 }), false);
    assert.equal(isHostMessage({ type: 'searchResult', id: 'x' }), false);
    assert.equal(isHostMessage({ type: 'search' }), false);
    assert.equal(isHostMessage('init'), false);
  });
});
