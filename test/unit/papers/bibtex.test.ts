import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadBibtexParser } from '../../../src/core/papers/bibtexParser';
import { baseCitationKey, citationComment, citationKeys, entryType, toBibtex } from '../../../src/core/papers/bibtex';
import { Corpus } from '../../../src/core/papers/corpus';
import type { Paper } from '../../../src/core/papers/types';

const papers = JSON.parse(readFileSync(path.join(__dirname, '../../../paper-data/papers.json'), 'utf8')) as Paper[];
const corpus = new Corpus(papers);

function paper(overrides: Partial<Paper>): Paper {
  return {
    id: 'x', title: 'A Title', abstract: '', authors: ['Ada Lovelace'], authorCount: 1, date: null, year: 2020,
    venue: null, arxivId: null, links: {}, concepts: [], sources: [], ...overrides,
  };
}

let parse: Awaited<ReturnType<typeof loadBibtexParser>>['parse'];
before(async () => {
  parse = (await loadBibtexParser()).parse;
});

describe('BibTeX export', () => {
  it('parses back, for every shipped paper, with the fields it was given', () => {
    for (const p of papers) {
      const text = corpus.bibtex(p);
      const lib = parse(text, { sentenceCase: false });
      assert.deepEqual(lib.errors, [], `${p.id}: ${text}`);
      assert.equal(lib.entries.length, 1);
      const e = lib.entries[0];
      assert.equal(e.key, corpus.citationKey(p));
      assert.equal(e.type, entryType(p));
      assert.equal(e.fields.title, p.title, `${p.id} title`);
      assert.equal(e.fields.author?.length ?? 0, p.authors.length, `${p.id} authors`);
      if (p.arxivId) {
        assert.equal(e.fields.eprint, p.arxivId);
        assert.equal(e.fields.archiveprefix, 'arXiv');
      }
    }
  });

  it('uses @misc without a venue, @inproceedings for conferences, @article for journals', () => {
    assert.equal(entryType(paper({ venue: null })), 'misc');
    assert.equal(entryType(paper({ venue: 'ICLR 2025' })), 'inproceedings');
    assert.equal(entryType(paper({ venue: 'Transactions on Machine Learning Research' })), 'article');
    const art = parse(toBibtex(paper({ venue: 'Journal of Machine Learning Research' })));
    assert.equal(art.entries[0].fields.journal, 'Journal of Machine Learning Research');
  });

  it('gives every shipped paper a unique, stable key', () => {
    const keys = citationKeys(papers);
    assert.equal(new Set(keys.values()).size, papers.length);
    assert.equal(keys.get('2411.09009'), 'wijmans2024cut');
    // Reordering the corpus does not change any key.
    const reversed = citationKeys([...papers].reverse());
    for (const [id, key] of keys) assert.equal(reversed.get(id), key);
  });

  it('disambiguates colliding keys by id order', () => {
    const a = paper({ id: 'b-paper', title: 'Focal thing' });
    const b = paper({ id: 'a-paper', title: 'Focal other' });
    assert.equal(baseCitationKey(a), baseCitationKey(b));
    const keys = citationKeys([a, b]);
    assert.equal(keys.get('a-paper'), 'lovelace2020focala');
    assert.equal(keys.get('b-paper'), 'lovelace2020focalb');
  });

  it('escapes LaTeX specials so hostile titles still parse', () => {
    const p = paper({ title: 'Loss {unbalanced & 100% $wrong_ #1 ~ ^ \\ }', authors: ['A. B'], venue: 'ICML 2023' });
    const lib = parse(toBibtex(p), { sentenceCase: false });
    assert.deepEqual(lib.errors, []);
    assert.equal(lib.entries.length, 1);
    assert.match(lib.entries[0].fields.title, /unbalanced & 100% \$wrong_ #1/);
  });

  it('dates proceedings by their venue year', () => {
    const cce = corpus.get('2411.09009')!;
    assert.equal(parse(corpus.bibtex(cce)).entries[0].fields.year, '2025');
  });

  it('writes citation comments', () => {
    assert.equal(
      citationComment(corpus.get('2411.09009')!),
      '# Wijmans et al., "Cut Your Losses in Large-Vocabulary Language Models", arXiv:2411.09009 (ICLR 2025)',
    );
    assert.equal(citationComment(corpus.get('2603.13552')!), '# Sao, "Ghosts of Softmax: Complex Singularities That Limit Safe Step Sizes in Cross-Entropy", arXiv:2603.13552 (2026)');
  });
});

describe('Corpus lookup', () => {
  it('finds papers by id, arXiv id with version or prefix, and citation key', () => {
    assert.equal(corpus.get('2411.09009v2')?.id, '2411.09009');
    assert.equal(corpus.get('arXiv:2411.09009')?.id, '2411.09009');
    assert.equal(corpus.get('wijmans2024cut')?.id, '2411.09009');
    assert.equal(corpus.get('nope'), undefined);
    assert.equal(corpus.suggest('2411.0909')[0], '2411.09009');
  });
});
