// Host-side data for the sidebar (src/services/papersData.ts), its HTML shell and CSP
// (src/services/sidebarHtml.ts), and the per-file usage scan (src/services/usagesInFile.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../../src/core/concepts/load';
import { buildLossIndex } from '../../../../src/core/detect/lossIndex';
import { buildSearchIndex } from '../../../../src/core/search/searchIndex';
import { contentSecurityPolicy, makeNonce, sidebarHtml } from '../../../../src/services/sidebarHtml';
import { conceptCards, facets, paperDetail, paperLinks, paperSummary, shortAuthors, snippetTabs, sourceLabel } from '../../../../src/services/papersData';
import { loadSnippetCatalog } from '../../../../src/core/snippets/catalog';
import { usagesInFile } from '../../../../src/services/usagesInFile';
import { paper, shippedPapers } from '../fixtures/papers';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const { concepts } = loadConceptDir(path.join(root, 'paper-data', 'concepts'));
const byId = new Map(concepts.map((c) => [c.id, c]));

describe('paper summaries and details', () => {
  const hostile = paper({
    id: 'hostile',
    title: '<script>alert(1)</script> Focal loss',
    abstract: 'We <img src=x onerror=alert(1)> show [x](javascript:alert(1)).',
    authors: ['Ada <b>Lovelace</b>', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
    links: { arxiv: 'javascript:alert(1)', code: 'https://github.com/example/focal', url: 'file:///etc/passwd', huggingFace: 'data:text/html,x' },
    concepts: [{ id: 'focal', relation: 'studies' }, { id: 'cross-entropy', relation: 'studies' }, { id: 'focal', relation: 'proposes' }],
  });

  it('passes text through as data (the webview sets it as text), and keeps only http(s) links', () => {
    const s = paperSummary(hostile, (id) => byId.get(id)?.name ?? id);
    assert.equal(s.title, '<script>alert(1)</script> Focal loss');
    assert.equal(s.authors, '<b>Lovelace</b>, Turing et al.');
    assert.equal(s.hasCode, true);
    assert.deepEqual(paperLinks(hostile), [{ kind: 'code', label: 'Code', url: 'https://github.com/example/focal' }]);
    assert.equal(paperSummary(paper({ id: 'x', links: { code: 'javascript:alert(1)' } }), (id) => id).hasCode, false);
  });

  it('lists a concept once, with its strongest relation, the paper\'s own first', () => {
    const s = paperSummary(hostile, (id) => byId.get(id)?.name ?? id);
    assert.deepEqual(s.concepts.map((c) => [c.id, c.relation]), [['focal', 'proposes'], ['cross-entropy', 'studies']]);
  });

  it('details carry the formula, its source and snippet availability from the registry', () => {
    const d = paperDetail(hostile, { citationKey: 'k', concept: (id) => byId.get(id), hasSnippet: (id) => id === 'focal' });
    const focal = d.concepts.find((c) => c.id === 'focal')!;
    assert.equal(focal.formula, byId.get('focal')!.formula.latex);
    assert.equal(focal.hasSnippet, true);
    assert.equal(d.concepts.find((c) => c.id === 'cross-entropy')!.hasSnippet, false);
    assert.equal(d.abstract, hostile.abstract, 'raw: rendered (and sanitised) by the webview');
    assert.ok(d.links.every((l) => /^https?:/.test(l.url)));
    const unknown = paperDetail(paper({ id: 'u', concepts: [{ id: 'not-in-registry', relation: 'proposes' }] }), { citationKey: 'k', concept: () => undefined, hasSnippet: () => false });
    assert.deepEqual(unknown.concepts.map((c) => [c.name, c.formula]), [['not-in-registry', null]]);
  });

  it('details carry one snippet tab per framework and the target file\'s frameworks', () => {
    const catalog = loadSnippetCatalog(path.join(__dirname, '../../../../paper-data'));
    const tabs = snippetTabs(['pytorch', 'jax', 'keras'].flatMap((f) => catalog.get('focal', f as 'pytorch') ?? []));
    assert.deepEqual(tabs.map((t) => [t.framework, t.label]), [['pytorch', 'PyTorch'], ['jax', 'JAX'], ['keras', 'Keras']]);
    assert.deepEqual(tabs[1].imports, ['import jax', 'import jax.numpy as jnp']);
    assert.match(tabs[1].code, /^# PaperLens: Focal loss in JAX/);
    assert.doesNotMatch(tabs[1].code, /Concept: focal|^import /m, 'no module docstring, imports apart');
    assert.deepEqual(tabs[2].functions, ['focal_loss', 'sigmoid_focal_loss']);
    const d = paperDetail(hostile, { citationKey: 'k', concept: (id) => byId.get(id), hasSnippet: (id) => id === 'focal', snippetTabs: (id) => (id === 'focal' ? tabs : []), targetFrameworks: ['keras'] });
    assert.equal(d.concepts.find((c) => c.id === 'focal')!.snippets.length, 3);
    assert.deepEqual(d.concepts.find((c) => c.id === 'cross-entropy')!.snippets, []);
    assert.deepEqual(d.targetFrameworks, ['keras']);
  });

  it('short author lines and source labels', () => {
    assert.equal(shortAuthors(paper({ id: 'a', authors: ['Tsung-Yi Lin'] })), 'Lin');
    assert.equal(shortAuthors(paper({ id: 'a', organization: 'ServiceNow-AI' })), 'ServiceNow-AI');
    assert.equal(sourceLabel('shipped:hf-daily-papers-loss-functions.txt'), 'Seed papers');
    assert.equal(sourceLabel('shipped:classics'), 'Classic papers');
    assert.equal(sourceLabel('/home/me/refs/library.bib'), 'library.bib');
    assert.equal(sourceLabel('C:\\refs\\library.bib'), 'library.bib');
  });

  it('facets from the index, with labels', () => {
    const f = facets(buildSearchIndex(shippedPapers(), concepts).facets);
    assert.equal(f.papers, 41);
    assert.deepEqual(f.sources.map((s) => [s.label, s.collection]), [['Seed papers', 'seed']]);
    assert.ok(f.concepts.some((c) => c.id === 'focal' && c.count === 1));
  });
});

describe('sidebar HTML and CSP', () => {
  it('allows nothing but the extension\'s files and this page\'s script', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc');
    assert.equal(csp, "default-src 'none'; script-src 'nonce-abc'; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net");
    assert.doesNotMatch(csp, /unsafe|\*|https?:\s|data:/);
  });

  it('puts the nonce on the one script and escapes attribute values', () => {
    const html = sidebarHtml({ cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: 'vscode-resource:/dist/webview/sidebar.js', styleUri: 'x"><script>', katexStyleUri: 'k.css' });
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/dist\/webview\/sidebar.js"><\/script>/);
    assert.match(html, /href="x&quot;&gt;&lt;script&gt;"/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-n0nce';/);
  });

  it('nonces are random, base64, 18 bytes', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]{24}$/);
  });
});

describe('usages in a file', () => {
  const index = buildLossIndex(concepts);

  it('finds calls and definitions in Python, not imports, with positions and a preview', () => {
    const text = 'import torch.nn.functional as F\nfrom torchvision.ops import sigmoid_focal_loss\n\nloss = F.cross_entropy(logits, y)\nfl = sigmoid_focal_loss(a, b)\n';
    const all = usagesInFile(text, 'python', index, null);
    assert.deepEqual(all.map((u) => [u.line, u.column, u.conceptId, u.expression]), [[4, 10, 'cross-entropy', 'F.cross_entropy'], [5, 6, 'focal', 'sigmoid_focal_loss']]);
    assert.equal(all[0].preview, 'loss = F.cross_entropy(logits, y)');
    assert.deepEqual(usagesInFile(text, 'python', index, new Set(['focal'])).map((u) => u.conceptId), ['focal']);
  });

  it('finds usages in notebook code cells with the cell index, and tolerates garbage', () => {
    const nb = JSON.stringify({
      metadata: { kernelspec: { language: 'python' } },
      cells: [
        { cell_type: 'markdown', source: '# F.cross_entropy in markdown' },
        { cell_type: 'code', source: ['import torch.nn as nn\n'] },
        { cell_type: 'code', source: ['crit = nn.CrossEntropyLoss()\n'] },
      ],
    });
    const found = usagesInFile(nb, 'notebook', index, null);
    assert.deepEqual(found.map((u) => [u.cell, u.line, u.conceptId]), [[2, 1, 'cross-entropy']]);
    assert.deepEqual(usagesInFile('{not json', 'notebook', index, null), []);
    assert.deepEqual(usagesInFile('\u0000\u0001', 'python', index, null), []);
  });
});

describe('concept cards for the losses a query names', () => {
  const index = buildSearchIndex(shippedPapers(), concepts);
  const sources = { concept: (id: string) => byId.get(id), hasSnippet: (id: string) => id === 'focal' };

  it('one card per named loss: name, first sentence of the summary, formula and its source, snippet flag', () => {
    const [card, ...rest] = conceptCards(index.search('torchvision.ops.sigmoid_focal_loss').named, sources);
    assert.deepEqual(rest, []);
    assert.equal(card.id, 'focal');
    assert.equal(card.name, byId.get('focal')!.name);
    assert.ok(card.summary && card.summary.length < byId.get('focal')!.summary.length && /[.!?…]$/.test(card.summary), card.summary ?? '');
    assert.equal(card.formula, byId.get('focal')!.formula.latex);
    assert.equal(card.formulaSource, byId.get('focal')!.formula.source);
    assert.equal(card.hasSnippet, true);
  });

  it('no card when the query names no loss, and a named loss appears once', () => {
    assert.deepEqual(conceptCards(index.search('scaling laws translation').named, sources), []);
    assert.deepEqual(conceptCards(index.search('focal loss FocalLoss').named, sources).map((c) => c.id), ['focal']);
  });
});
