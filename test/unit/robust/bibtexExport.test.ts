/**
 * BibTeX export cannot be steered by a paper's fields: whatever a title, author, venue, URL, code
 * link, DOI or key holds, the exported text is exactly one entry that loads back with the same
 * values (the Import command and Copy BibTeX write this text into users' files).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeBibVerbatim, toBibtex } from '../../../src/core/papers/bibtex';
import { importBibtex } from '../../../src/core/papers/bibtexImport';
import type { Paper } from '../../../src/core/papers/types';

function paper(overrides: Partial<Paper>): Paper {
  return {
    id: 'x', title: 'A Title', abstract: '', authors: ['Ada Lovelace'], authorCount: 1, date: null, year: 2020,
    venue: null, arxivId: null, links: {}, concepts: [], sources: [], ...overrides,
  };
}

const INJECTION = '}},\n@misc{injected, title = {Injected}}\n@comment{';

describe('BibTeX export escapes every field', () => {
  it('a url or code link with a lone `$` reads back whole', async () => {
    for (const title of ['A Title', 'A & B: 50% of {X}']) {
      const p = paper({ title, links: { url: 'https://example.org/a$b', code: 'https://github.com/x/$1' } });
      const text = toBibtex(p);
      const back = await importBibtex(text.replace(/^ {2}url = /m, () => '  code = {https://github.com/x/$1},\n  url = '), 'export.bib');
      assert.deepEqual(back.issues, [], text);
      assert.equal(back.papers[0].links.url, 'https://example.org/a$b', text);
      assert.equal(back.papers[0].links.code, 'https://github.com/x/$1', text);
    }
  });

  it('a url that closes the entry stays inside its field', async () => {
    const p = paper({ links: { url: `https://example.org/a${INJECTION}` } });
    const text = toBibtex(p);
    const back = await importBibtex(text, 'export.bib');
    assert.equal(back.papers.length, 1, text);
    assert.equal(back.papers[0].title, 'A Title');
    assert.equal(back.papers[0].links.url, `https://example.org/a${INJECTION}`.replace(/[{}\\\s]/g, encodeURIComponent));
    assert.doesNotMatch(text, /\n\s*@misc/);
  });

  it('a code link, DOI, venue, title and key that close the entry stay inside their fields', async () => {
    const p = paper({
      title: `T${INJECTION}`,
      venue: `Journal of ${INJECTION}`,
      doi: `10.1000/x${INJECTION}`,
      links: { code: `https://github.com/a/b${INJECTION}` },
    });
    for (const key of [undefined, `k${INJECTION}`]) {
      const text = key === undefined ? toBibtex(p) : toBibtex(p, key);
      const back = await importBibtex(text, 'export.bib');
      assert.equal(back.papers.length, 1, text);
      assert.equal(back.issues.filter((i) => i.severity === 'error').length, 0, JSON.stringify(back.issues));
      assert.equal(back.papers[0].title, `T${INJECTION}`.replace(/\s+/g, ' '));
    }
  });

  it('round-trips arbitrary text fields (property)', async () => {
    const specials = fc.constantFrom('{', '}', '\\', '%', '&', '$', '#', '_', '~', '^', '@', '"', ',', '=', ' ', '\n', 'a', 'Z', 'é', ')', '(');
    // Every character that means something to BibTeX or LaTeX, plus letters (LaTeX ligatures such
    // as `` and -- are left out: they are meant to become typographic quotes and dashes).
    const text = fc.array(fc.oneof(specials, fc.constantFrom('b', 'Q', '0', '9', 'ü', '中', '.', ':', ';', '!', '?')), { minLength: 1, maxLength: 20 }).map((a) => a.join(''));
    // URLs hold every special too, `$` included (the BibTeX library reads `$` as math even in a
    // verbatim field; the importer hides it from the library).
    const urlTail = fc.array(fc.oneof(specials, fc.constantFrom('/', '?', '=', 'x', '$', '{', '}', '%', '#', '\\')), { maxLength: 20 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(text, text, urlTail, urlTail, async (title, venue, url, code) => {
        fc.pre(/[A-Za-z0-9]/.test(title) && title.trim() === title);
        const p = paper({ title, venue: `Journal ${venue}`, links: { url: `https://example.org/${url}`, code: `https://github.com/${code}` } });
        const out = toBibtex(p);
        const back = await importBibtex(out, 'export.bib');
        assert.equal(back.papers.length, 1, out);
        assert.equal(back.entries, 1, out);
        const got = back.papers[0];
        assert.equal(got.title, title.replace(/\s+/g, ' ').trim(), out);
        // URLs come back percent-encoded where they had characters a URL may not hold.
        assert.equal(got.links.url, escapeBibVerbatim(`https://example.org/${url}`), out);
        assert.ok(out.includes(`note = {Code: \\url{${escapeBibVerbatim(`https://github.com/${code}`)}}}`), out);
        assert.equal(got.venue, `Journal ${venue}`.replace(/\s+/g, ' ').trim(), out);
        // A `code` field (as users write it, and as other tools export it) reads back the same way.
        const withCode = out.replace(/^ {2}url = /m, () => `  code = {${escapeBibVerbatim(`https://github.com/${code}`)}},\n  url = `);
        const again = await importBibtex(withCode, 'export.bib');
        assert.equal(again.papers.length, 1, withCode);
        assert.equal(again.papers[0].links.code, escapeBibVerbatim(`https://github.com/${code}`), withCode);
        assert.equal(again.papers[0].links.url, got.links.url, withCode);
      }),
      { seed: 23, numRuns: 300 },
    );
  });
});
