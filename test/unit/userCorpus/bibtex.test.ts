import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bibChunks, LineIndex } from '../../../src/core/papers/bibtexScan';
import { BibtexCache, importBibtex } from '../../../src/core/papers/bibtexImport';
import { TimeSlicer } from '../../../src/core/papers/slicer';
import { loadCorpusBytes, loadCorpusFile } from '../../../src/core/papers/userCorpus';
import type { Paper } from '../../../src/core/papers/types';
import { brief, conceptOptions, fixture } from './helpers';

function byKey(papers: Paper[], key: string): Paper {
  const p = papers.find((x) => x.citationKey === key);
  assert.ok(p, `no paper with key ${key}; have ${papers.map((x) => x.citationKey).join(', ')}`);
  return p;
}

describe('BibTeX import: a real-world-shaped file', async () => {
  const r = await loadCorpusFile(fixture('bibtex', 'realWorld.bib'), conceptOptions, 'realWorld.bib');

  it('loads every entry, and nothing from comments or container entries', () => {
    assert.deepEqual(brief(r.issues.filter((i) => i.severity === 'error')), []);
    assert.deepEqual(r.papers.map((p) => p.citationKey), ['lin2017focal', 'muller2019label', 'khosla2020supervised', 'sudre2017generalised', 'scholar2023', 'taylor2024']);
    assert.ok(!r.papers.some((p) => /Inside a Comment/.test(p.title)), 'an entry inside @comment{…} was loaded');
    assert.equal(r.failed, 0);
  });

  it('expands @string macros in all three spellings, with # concatenation', () => {
    assert.equal(byKey(r.papers, 'lin2017focal').venue, 'Proceedings of the IEEE International Conference on Computer Vision (ICCV)');
    assert.equal(byKey(r.papers, 'muller2019label').venue, 'Advances in Neural Information Processing Systems');
    assert.equal(byKey(r.papers, 'khosla2020supervised').venue, 'Advances in Neural Information Processing Systems');
  });

  it('turns LaTeX accents and symbols into Unicode, in names, titles and abstracts', () => {
    assert.equal(byKey(r.papers, 'lin2017focal').authors.at(-1), 'Piotr Dollár');
    assert.equal(byKey(r.papers, 'muller2019label').authors[0], 'Rafael Müller');
    assert.deepEqual(byKey(r.papers, 'taylor2024').authors, ['Øystein Taylor', 'María Nuñez']);
    assert.equal(byKey(r.papers, 'taylor2024').title, 'Cross-Entropy Is All You Need — Or Is It?');
    assert.equal(byKey(r.papers, 'sudre2017generalised').authors[3], 'Sébastien Ourselin');
    assert.match(byKey(r.papers, 'muller2019label').abstract, /Here Schrödinger and naïve Ångström ça — all accents\.$/);
  });

  it('keeps nested braces as text and drops "others"', () => {
    assert.equal(byKey(r.papers, 'sudre2017generalised').title, 'Generalised Dice Overlap as a Deep Learning Loss Function for Highly Unbalanced Segmentations');
    assert.equal(byKey(r.papers, 'scholar2023').title, 'A Survey of Loss Functions for Deep Neural Networks');
    assert.deepEqual(byKey(r.papers, 'scholar2023').authors, ['Jane Doe', 'OpenAI Team']);
    assert.deepEqual(byKey(r.papers, 'khosla2020supervised').authors, ['Prannay Khosla', 'Piotr Teterwak', 'Chen Wang']);
  });

  it('inherits fields through crossref (parentheses-delimited entry)', () => {
    const p = byKey(r.papers, 'sudre2017generalised');
    assert.equal(p.venue, 'Deep Learning in Medical Image Analysis and Multimodal Learning for Clinical Decision Support');
    assert.equal(p.year, 2017);
    assert.equal(p.doi, '10.1007/978-3-319-67558-9_28');
    assert.equal(p.links.doi, 'https://doi.org/10.1007/978-3-319-67558-9_28');
  });

  it('finds arXiv ids in eprint, in a versioned arxiv.org URL and in a Google Scholar "journal"', () => {
    assert.equal(byKey(r.papers, 'lin2017focal').id, '1708.02002');
    assert.equal(byKey(r.papers, 'khosla2020supervised').arxivId, '2004.11362');
    const scholar = byKey(r.papers, 'scholar2023');
    assert.equal(scholar.arxivId, '2301.05579');
    assert.equal(scholar.venue, null, '"arXiv preprint …" is not a venue');
    assert.equal(scholar.links.arxiv, 'https://arxiv.org/abs/2301.05579');
  });

  it('takes concepts from `concepts`, then `keywords`, else infers them (marked inferred)', () => {
    assert.deepEqual(byKey(r.papers, 'khosla2020supervised').concepts, [{ id: 'contrastive', relation: 'proposes' }]);
    assert.deepEqual(byKey(r.papers, 'muller2019label').concepts, [{ id: 'label-smoothing', relation: 'studies' }]);
    assert.deepEqual(byKey(r.papers, 'lin2017focal').concepts, [{ id: 'focal', relation: 'studies', inferred: true }]);
    assert.deepEqual(byKey(r.papers, 'taylor2024').concepts, [{ id: 'cross-entropy', relation: 'studies', inferred: true }]);
  });

  it('records the file and the entry line as the paper’s source', () => {
    const p = byKey(r.papers, 'lin2017focal');
    assert.deepEqual(p.sources, ['realWorld.bib']);
    assert.equal(p.provenance?.entry, 'realWorld.bib:14');
  });
});

describe('BibTeX import: broken files lose only their broken entries', () => {
  it('reports each broken entry at its line and loads every good one', async () => {
    const r = await loadCorpusFile(fixture('bibtex', 'unclosedBrace.bib'), conceptOptions, 'unclosedBrace.bib');
    assert.deepEqual(brief(r.issues), [
      '8 error Entry “broken1”: the “{” that opens the value of “title” is never closed.',
      '20 error Entry “broken2”: a “,” is missing after the field “title” (before “year = 2021 }”).',
      '30 error Entry “broken3”: field “year” has no “=”.',
      '33 error Entry “notitle” has no title; it is skipped.',
    ]);
    assert.deepEqual(r.papers.map((p) => p.citationKey), ['good1', 'good2', 'good3', 'good4']);
    assert.equal(r.failed, 4);
    assert.equal(r.entries, 8);
  });

  it('an empty file is one warning and no papers', async () => {
    const r = await loadCorpusFile(fixture('bibtex', 'empty.bib'), {}, 'empty.bib');
    assert.deepEqual(brief(r.issues), ['1 warning The file is empty.']);
    assert.equal(r.papers.length, 0);
    assert.equal(r.unreadable, undefined);
  });

  it('binary garbage is reported once as unreadable', async () => {
    const r = await loadCorpusFile(fixture('bibtex', 'garbage.bib'), {}, 'garbage.bib');
    assert.equal(r.papers.length, 0);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0].line, 1);
    assert.match(r.unreadable ?? '', /not text/);
  });

  it('a missing file or a folder is unreadable, with a plain reason', async () => {
    const missing = await loadCorpusFile(fixture('bibtex', 'nope.bib'), {}, 'nope.bib');
    assert.equal(missing.unreadable, 'The file does not exist.');
    const folder = await loadCorpusFile(fixture('bibtex'), {}, 'bibtex');
    assert.equal(folder.unreadable, 'This is a folder, not a file.');
  });

  // The timeout is a hang guard: handing the 1 MB field to the LaTeX parser took minutes.
  it('a 1 MB single line: an unclosed entry costs itself, a huge abstract is cut', { timeout: 60_000 }, async () => {
    const huge = 'word '.repeat(210_000);
    const text = [
      '@article{before, title = {Before The Long Line}, year = 2020}',
      `@article{runaway, title = {Never Closed}, abstract = {${huge}`,
      '@article{after, title = {After The Long Line}, year = 2021}',
      `@article{long, title = {A Paper With A Megabyte Abstract}, abstract = {${huge}}}`,
      '@article{last, title = {Last}, year = 2022}',
    ].join('\n');
    assert.ok(text.split('\n')[1].length > 1_000_000);
    const r = await importBibtex(text, 'long.bib', conceptOptions);
    assert.deepEqual(r.papers.map((p) => p.citationKey), ['before', 'after', 'long', 'last']);
    assert.deepEqual(brief(r.issues.filter((i) => i.severity === 'error')), ['2 error Entry “runaway”: the “{” that opens the value of “abstract” is never closed.']);
    const long = r.papers.find((p) => p.citationKey === 'long')!;
    assert.equal(long.abstract.length, 20_001);
    assert.ok(r.issues.some((i) => i.line === 4 && /abstract is 1,04\d,\d{3} characters long; only the first 20,000 are kept/.test(i.message)));
  });

  it('reads a Latin-1 file, with a warning', async () => {
    const bytes = Buffer.from('@article{x, title = {Caf\xe9 Losses}, year = 2020}\n', 'latin1');
    const r = await loadCorpusBytes(bytes, 'latin1.bib', {});
    assert.equal(r.papers[0].title, 'Café Losses');
    assert.match(r.issues[0].message, /not valid UTF-8; it was read as Latin-1/);
  });

  it('warns about a reused citation key, an undefined macro, a bad link and a duplicated field', async () => {
    const text = [
      '@article{dup, title = {One}, year = 2020}',
      '@article{dup, title = {Two}, journal = undefinedmacro, url = {file:///etc/passwd}, title = {Again}}',
    ].join('\n');
    const r = await importBibtex(text, 'w.bib');
    assert.equal(r.papers.length, 2);
    const messages = brief(r.issues).join('\n');
    assert.match(messages, /^2 warning Citation key “dup” is used again \(first on line 1\)/m);
    assert.match(messages, /^2 warning Entry “dup”: @string macro “undefinedmacro” is not defined/m);
    assert.match(messages, /^2 warning Entry “dup”: Link “file:\/\/\/etc\/passwd” \(url\) is not an http\(s\) URL/m);
    assert.match(messages, /^2 warning Entry “dup”: field “title” is given twice; the first value is used\./m);
    assert.equal(r.papers[1].title, 'Two');
    assert.equal(r.papers[1].links.url, undefined);
  });
});

describe('BibTeX pre-scan', () => {
  it('skips @ in comments and free text, and splits an unclosed entry at the next entry line', () => {
    const text = '% mail me@example.org\nfree text a@b\n@article{a, title={x}\n@article{b, title={y}}\n';
    const chunks = [...bibChunks(text)];
    assert.deepEqual(chunks.map((c) => [c.type, c.cut, text.slice(c.start, c.end).split('\n')[0]]), [
      ['article', true, '@article{a, title={x}'],
      ['article', false, '@article{b, title={y}}'],
    ]);
  });

  it('an unclosed @comment{ block hides only its own line (found by the property test: it used to loop)', async () => {
    const text = '@comment{ never closed\n@article{a, title = {Still Loads}}\n';
    assert.deepEqual([...bibChunks(text)].map((c) => c.type), ['article']);
    assert.deepEqual((await importBibtex(text, 'c.bib')).papers.map((p) => p.title), ['Still Loads']);
  });

  it('numbers lines from 1 and handles CRLF', () => {
    const lines = new LineIndex('a\r\nb\r\nc');
    assert.equal(lines.lineAt(0), 1);
    assert.equal(lines.lineAt(3), 2);
    assert.equal(lines.lineAt(6), 3);
    assert.equal(lines.lineCount, 3);
  });
});

describe('BibTeX import: time slicing', () => {
  it('yields between entries and gives the same result as one uninterrupted run', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `@article{k${i}, title = {Paper {${i}} on Focal Loss${i % 10 === 0 ? ' by M{\\"u}ller' : ''}}, author = {Muller, Hans and Doe, J.}, year = ${2000 + (i % 25)}}`).join('\n');
    const slicer = new TimeSlicer(2);
    const sliced = await importBibtex(text, 's.bib', { ...conceptOptions, slicer });
    slicer.finish();
    const whole = await importBibtex(text, 's.bib', conceptOptions);
    assert.ok(slicer.yields > 0, 'never yielded');
    assert.deepEqual(sliced, whole);
    assert.equal(sliced.papers.length, 300);
  });

  it('reports progress up to the file length', async () => {
    const text = '@article{a, title={A}}\n@article{b, title={B}}\n';
    const seen: number[] = [];
    await importBibtex(text, 'p.bib', { onProgress: (done, total) => { seen.push(done); assert.equal(total, text.length); } });
    assert.deepEqual(seen, [text.indexOf('\n'), text.length - 1]);
  });
});

describe('BibTeX import from disk with a Windows path and CRLF', () => {
  it('loads CRLF files with the right lines', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-bib-'));
    const file = path.join(dir, 'crlf.bib');
    writeFileSync(file, '@article{a,\r\n  title = {A}\r\n}\r\n\r\n@article{b,\r\n  title = {B\r\n}\r\n@article{c, title = {C}}\r\n');
    const r = await loadCorpusFile(file, {}, 'crlf.bib');
    assert.deepEqual(r.papers.map((p) => p.title), ['A', 'C']);
    assert.deepEqual(brief(r.issues), ['5 error Entry “b” is not closed: a “}” is missing before the next entry starts.']);
  });
});

describe('BibTeX import: the per-entry cache between loads of one file', () => {
  it('gives the same papers as a fresh import, with lines that follow an edit above', async () => {
    const cache = new BibtexCache();
    const a = '@article{a, title = {Focal Loss First}, author = {M{\\"u}ller, J.}}\n@article{b, title = {Second}}\n';
    const first = await importBibtex(a, 'c.bib', { ...conceptOptions, cache });
    assert.equal(cache.size, 2);
    const edited = `% a new comment line\n${a.replace('Second', 'Second, edited')}`;
    const cached = await importBibtex(edited, 'c.bib', { ...conceptOptions, cache });
    const fresh = await importBibtex(edited, 'c.bib', conceptOptions);
    assert.deepEqual(cached, fresh);
    assert.deepEqual(cached.papers.map((p) => p.provenance?.entry), ['c.bib:2', 'c.bib:3']);
    assert.equal(first.papers[0].authors[0], 'J. Müller');
    assert.equal(cache.size, 2, 'the old version of b is forgotten');
  });

  it('is dropped when the concept options change', async () => {
    const cache = new BibtexCache();
    const text = '@article{a, title = {Focal Loss Study}}';
    assert.equal((await importBibtex(text, 'c.bib', { cache })).papers[0].concepts.length, 0);
    assert.equal((await importBibtex(text, 'c.bib', { ...conceptOptions, cache })).papers[0].concepts[0].id, 'focal');
  });
});
