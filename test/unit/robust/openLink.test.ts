/**
 * The sidebar may open only a paper's own links: those it lists and those in its abstract. Before,
 * any http(s) URL was opened for any existing paper id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paper } from '../../../src/core/papers/types';
import { abstractLinks, isPaperLink } from '../../../src/services/papersData';

const paper: Paper = {
  id: '1708.02002', title: 'Focal Loss for Dense Object Detection', authors: ['Tsung-Yi Lin'], authorCount: 1, date: null, year: 2017,
  venue: 'ICCV 2017', arxivId: '1708.02002', concepts: [], sources: [],
  abstract: 'Code is at https://github.com/facebookresearch/Detectron and see [the site](https://example.org/focal "a $y$ title").',
  links: { arxiv: 'https://arxiv.org/abs/1708.02002', pdf: 'https://arxiv.org/pdf/1708.02002', code: 'javascript:alert(1)' },
};

describe('openLink from the webview', () => {
  it('accepts the paper’s listed links and the links in its abstract', () => {
    assert.ok(isPaperLink(paper, 'https://arxiv.org/abs/1708.02002'));
    assert.ok(isPaperLink(paper, 'https://arxiv.org/pdf/1708.02002'));
    assert.ok(isPaperLink(paper, 'https://github.com/facebookresearch/Detectron'));
    assert.ok(isPaperLink(paper, 'https://example.org/focal'));
  });
  it('refuses any other URL, and links that are not http(s)', () => {
    assert.ok(!isPaperLink(paper, 'https://evil.example/phish'));
    assert.ok(!isPaperLink(paper, 'https://arxiv.org/abs/1708.02003'));
    assert.ok(!isPaperLink(paper, 'javascript:alert(1)'));
    assert.ok(!isPaperLink({ ...paper, abstract: '' }, 'https://example.org/focal'));
  });
  it('finds markdown links and bare URLs in an abstract, http(s) only', () => {
    assert.deepEqual(abstractLinks('a [x](https://a.org/p) b http://b.org c [y](javascript:alert(1)) d file:///etc/passwd'), ['https://a.org/p', 'http://b.org/']);
  });
});
