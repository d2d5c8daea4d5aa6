/**
 * The BibTeX fast path (bibtexFastPath.ts) must give exactly what @retorquere/bibtex-parser gives:
 * every file here is imported twice, normally and with `libraryOnly`, and the papers and issues
 * must be identical. Inputs: the benchmark's generated entries, the fixtures, and generated entries
 * built from the LaTeX that bibliographies hold — including much the fast path must refuse, so
 * that a refusal that should have happened but did not shows up as a difference.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { generateBib } from '../../../bench/bibtex';
import { generateRealisticBib } from '../../../bench/bibtexRealistic';
import { fastFields } from '../../../src/core/papers/bibtexFastPath';
import { BibtexCache, CLEAN_ALREADY, importBibtex } from '../../../src/core/papers/bibtexImport';
import { bibChunks, resolveValue, scanFields, type RawEntry } from '../../../src/core/papers/bibtexScan';
import { cleanLibraryText } from '../../../src/core/papers/latexText';
import { conceptOptions, fixtures } from './helpers';

async function assertSameAsLibrary(text: string, label = 'x.bib'): Promise<void> {
  const fast = await importBibtex(text, label, conceptOptions);
  const lib = await importBibtex(text, label, { ...conceptOptions, libraryOnly: true });
  assert.deepEqual(fast.issues, lib.issues, `issues differ for:\n${text}`);
  assert.equal(fast.papers.length, lib.papers.length, `paper counts differ for:\n${text}`);
  for (let i = 0; i < lib.papers.length; i++) assert.deepEqual(fast.papers[i], lib.papers[i], `paper ${i} differs for:\n${text}`);
  assert.deepEqual([fast.entries, fast.failed], [lib.entries, lib.failed]);
}

/** Entries of `text` (and the file's macros), scanned as the importer scans them. */
function scanned(text: string): { entries: RawEntry[]; macros: Map<string, string> } {
  const entries: RawEntry[] = [];
  const macros = new Map<string, string>();
  for (const chunk of bibChunks(text)) {
    const r = scanFields(text, chunk);
    if (!('entry' in r)) continue;
    if (chunk.kind === 'string') for (const f of r.entry.fields) macros.set(f.name.toUpperCase(), resolveValue(f.parts, macros));
    else if (chunk.kind === 'entry') entries.push(r.entry);
  }
  return { entries, macros };
}

const all = () => true;
/** The fields the importer converts (those PaperLens shows); the rest never reach the library. */
const shown = (f: { name: string }) => !['abstract', 'note', 'pages'].includes(f.name);
const mathAsIs = (m: string) => m;

describe('BibTeX fast path gives the library’s result', () => {
  it('on the benchmark’s generated entries, most of which it takes', async () => {
    const text = generateBib(400_000);
    await assertSameAsLibrary(text);
    const { entries, macros } = scanned(text);
    const taken = entries.filter((e) => fastFields(e, macros, all, mathAsIs) !== undefined).length;
    // Everything in the benchmark is within the fast path: plain text, braces, accents, special
    // letters, @string macros and simple formulas.
    assert.equal(taken, entries.length);
  });

  it('on realistic files: Google Scholar, DBLP, Zotero and hand-written entries (bench/bibtexRealistic.ts)', { timeout: 600_000 }, async () => {
    await assertSameAsLibrary(generateRealisticBib(150_000));
    await assertSameAsLibrary(generateRealisticBib(60_000, { hard: true }));
  });

  it('with crossref: what an entry inherits from its parent, for many types and fields', { timeout: 600_000 }, async () => {
    const types = ['inproceedings', 'article', 'incollection', 'inbook', 'misc', 'book', 'phdthesis'];
    const parentTypes = ['proceedings', 'book', 'collection', 'periodical', 'mvbook', 'misc', 'article'];
    const field = fc.constantFrom(
      'title = {Own Title}', 'booktitle = {Booktitle \\& More}', 'journal = {J. \\emph{Stuff}}', 'journaltitle = {JT}', 'year = {2019}', 'month = jan',
      'author = {Doe, Jane and M{\\"u}ller, Kai}', 'editor = {Ed, Itor}', 'publisher = {Pub}', 'institution = {Inst}', 'organization = {Org}',
      'school = {School}', 'doi = {10.1/x}', 'url = {http://x.org}', 'keywords = {b, a}', 'eprint = {1708.02002}', 'archiveprefix = {arXiv}',
      'howpublished = {\\url{http://h.org}}', 'venue = {Venue}', 'date = {2019-01-02}', 'title = {{}}', 'booktitle = {\\em}');
    await fc.assert(fc.asyncProperty(fc.constantFrom(...types), fc.constantFrom(...parentTypes), fc.array(field, { maxLength: 5 }), fc.array(field, { maxLength: 6 }), fc.boolean(),
      async (type, parentType, own, inherited, parentFirst) => {
        const child = `@${type}{child,\n  ${['crossref = {Parent}', ...own].join(',\n  ')}\n}\n`;
        const parent = `@${parentType}{parent,\n  ${inherited.join(',\n  ')}\n}\n`;
        await assertSameAsLibrary(parentFirst ? parent + child : child + parent);
      }), { numRuns: 150 });
  });

  it('on the fixtures', async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.endsWith('.bib')) files.push(path.join(dir, e.name));
      }
    };
    walk(fixtures);
    assert.ok(files.length >= 4);
    for (const f of files) await assertSameAsLibrary(readFileSync(f, 'utf8'), path.basename(f));
  });

  it('on hand-picked values, each alone in a title, a name list, a venue and keywords', async () => {
    const values = [
      ...TEXT, ...COMMANDS, ...MATH,
      'Schr\\"{o}dinger na\\"ive {\\AA}ngstr\\"om \\c{c}a --- all',
      'The {$\\ell_1$}-norm --- and {$\\mathcal{O}(n)$} time',
      'von Neumann, Jr., John and de la Fontaine, Jean and {IBM Research} and others',
      'Smith, and Jones', 'and Smith', 'Smith and', 'A and and B', 'Smith,', ', Jr., John', 'a, b, c, d',
      'Ludwig van Beethoven and Ada de', 'Ada, \r\n and Bo', 'Ada \r\n Bo and Cy\n\nDe', 'A\r\nB and C\r\rD', 'Title \r\n  on two lines', 'M{\\"u}ller, Ada', '{\\O}stergaard, Priya', '\\v{S}koda, Tom',
      'family=Smith, given=John', 'Smith, John and {\\relax Ch}ristoph', '\\O stergaard, P.',
      // Keywords that name concepts: their order (the library sorts them) decides the tags' order.
      'label smoothing, focal loss; Dice loss, focal loss', 'Focal loss, dice loss, Label smoothing',
    ];
    for (const v of values) {
      const text = `@article{k,\n  title = {${v}},\n  author = {${v}},\n  journal = {${v}},\n  institution = {${v}},\n  keywords = {${v}},\n  url = {${v}},\n  year = {${v}}\n}\n@misc{t, title = {${v}}}\n`;
      await assertSameAsLibrary(text);
    }
  });

  it('on generated entries', { timeout: 600_000 }, async () => {
    let total = 0;
    let taken = 0;
    await fc.assert(fc.asyncProperty(bibFile, async (text) => {
      const { entries, macros } = scanned(text);
      for (const e of entries) {
        total++;
        if (fastFields(e, macros, shown, mathAsIs) !== undefined) taken++;
      }
      await assertSameAsLibrary(text);
    }), { numRuns: Number(process.env.FASTPATH_RUNS ?? 500) });
    // The comparison means something only if the fast path answered for many of the entries.
    assert.ok(taken >= total / 10, `the fast path took only ${taken} of ${total} entries`);
  });

  it('takes plain text, braces, accents and formulas, and leaves other commands to the library', () => {
    const taken = (title: string, author = 'Doe, Jane'): boolean => {
      const { entries, macros } = scanned(`@article{k, title = {${title}}, author = {${author}}}`);
      return fastFields(entries[0], macros, all, mathAsIs) !== undefined;
    };
    const takes = ['Plain', '{Focal} Loss', 'M{\\"u}ller \\"uber \\v{S}koda {\\O}', '$\\ell_1$-Regularised', 'A -- B --- C ``q\'\' a~b', '50\\%',
      '\\emph{x}', '\\textbf{x} {\\em y}', 'x_1 A & B', '\\ss x', '\\"{\\i}', "Garc{\\'\\i}a", '\\LaTeX{} and \\url{http://x.org}'];
    for (const t of takes) assert.ok(taken(t), t);
    assert.ok(taken('\\emph{a \\textbf{b}} {\\em c \\textit{d}}'));
    assert.ok(taken('Display $$x_{1}$$ math'));
    for (const t of ['a % comment', '$$x$', '\\" u', '{\\em a \\sc b}', '\\foo{x}', '\\emph x', 'a\\\\b']) assert.ok(!taken(t), t);
    assert.ok(!taken('T', 'family=Doe, given=Jane'));
    assert.ok(!taken('T', '$x$ Doe'));
  });
});

// ---- generators ----

/** Text the fast path takes: words, punctuation, ligatures, white space. */
const TEXT = [
  'Focal', 'loss', 'and', 'AND', 'And', 'von', 'de', 'la', 'van', 'der', 'Jr.', 'III', 'others', 'Müller', 'Tomás', 'Zoë', "O'Neil",
  'x', '12', '2017', '02017', '-3', 'a.b', 'jan', 'Jan', 'é', 'ß', 'e\u0301', 'İ', '–', '’', '“x”', '…', ',', ';', ':', '.', '-', '--',
  '---', '----', "'", "''", "'''", '`', '``', '```', '"', '(', ')', '[', ']', '!', '?', '?`', '!`', '/', '+', '*', '|', '@', '~',
  '<', '>', '<<', '{}', '{ }', ' ', '  ', '\n', '\t', '\r\n',
];
/** Commands the fast path takes. */
const COMMANDS = [
  '\\"u', '\\"{u}', '{\\"u}', '{\\"{u}}', "\\'a", "{\\'e}", '\\`e', '\\^o', '\\~n', '\\=a', '\\.z', '\\v{S}', '\\v{s}', '\\c{c}',
  '\\u{a}', '\\H{o}', '\\k{a}', '\\r{a}', '\\d{a}', '{\\O}', '\\O', '\\o{}', '\\ss', '\\ss{}', '{\\ae}', '{\\AE}', '{\\oe}', '\\OE{}',
  '{\\aa}', '\\AA{}', '\\l{}', '{\\L}', '{\\i}', '\\j{}', '\\&', '\\%', '\\$', '\\#', '\\_', '\\{', '\\}',
  // Dotless i and j under an accent, as Google Scholar and DBLP write them.
  "\\'\\i", "{\\'\\i}", "\\'{\\i}", "{\\'{\\i}}", '\\"\\i', '\\^{\\j}',
  // Formatting: commands with a group, switches, links, and commands whose following space is swallowed.
  '\\emph{x}', '\\emph{Deep Loss}', '\\textit{z}', '\\textbf{y}', '\\textsc{Sc}', '\\texttt{t}', '\\mbox{a b}', '\\textrm{r}', '\\emph {x}', '\\emph{}',
  '\\mkbibemph{m}', '{\\em x}', '{\\em Deep Learning}', '{\\it x}', '{\\sl x}', '{\\sc x}', '{\\tt x}', '{\\rm x}', '\\em', '{\\em}', '\\em\n x',
  '\\emph{a \\textbf{b}}', '\\textbf{\\em x}', '{\\em a {\\em b}}', '\\emph{a {\\em b}}', '{\\em a \\textbf{b}}', '{\\em a \\sc b}', '\\emph{\\emph{x}}',
  '\\emph{\\url{http://x.org}}', '{\\em \\LaTeX}', '\\textsc{a}\\textsc{b}', '\\emph{}x\\emph{ }', '{\\sc a \\em b}', '\\textbf{\\textit{\\texttt{x}}}',
  '\\url{http://x.org/a_b#c&d--e~f}', '\\url{https://doi.org/10.1/x}', '\\LaTeX', '\\LaTeX{}', '\\LaTeX\\', '\\ss x', '\\o\n  x', '\\AA  y',
  '_', '^', '&', '#', 'a_b', 'x^2', 'a^{2}', 'A & B', 'C#',
];
/** Formulas (converted by the library one at a time). */
const MATH = [
  '$\\ell_1$', '$\\ell_2$', '$x$', '$\\alpha$', '$O(n)$', '$x^2$', '$\\mathcal{L}$', '$\\mathcal{L}_{\\text{focal}}$', '$a,b$', '$a and b$',
  '$\\frac{1}{2}$', '$x_{ij}$', '$k$-NN', '${x}$', '$\\{x\\}$', '$\\$$', '$ $', '$\\quad$', '$<$',
  '$$x$$', '$$x_{1}$$', '$$\\sum_i a_i$$', '$$a$ $b$$', '$$ $$', '$$x$', '$x$$', '$$$x$$$',
];
/**
 * Commands the fast path does not know: converted alone by the library (with their arguments), or
 * their field left to it; next to formatting, in groups, before white space.
 */
const FRAGMENTS = [
  '\\foo', '\\foo{x}', '\\foo{x}{y}', '\\TeX', '\\TeX{}', '\\ldots', '\\dag', '\\textregistered', '\\S', '\\textsuperscript{th}', '\\textsubscript{2}',
  '\\bar{x}', '\\hspace{1em}', '\\hspace{0pt}', '\\vspace{1ex}', '\\\\', '\\,', '\\ ', '\\;', '\\relax', '\\ensuremath{x}', '\\cite{k}', '\\frac{1}{2}',
  '\\frac{a}', '\\href{http://x.org}{y}', '\\textsl{s}', '\\enquote{q}', '\\mkbibquote{q}', '\\noopsort{a}', '\\vphantom{x}', '\\c{}', '\\"{}', '\\"{ab}',
  '\\t{oo}', '\\b{a}', '\\H{\\o}', '\\v{\\i}', '\\emph{a \\textbf{b}}', '\\mbox{\\foo}', '\\textbf{\\foo{z}}', '{\\em a \\foo b}', '\\emph{x}\\foo{y}',
  '\\textsc{a}\\textsc{b}', '\\bf x', '{\\bf x}', '{\\bf x} {\\bf y}', '\\emph{a}{\\bf b}', '{\\enquote{a}} {\\enquote{b}}', '\\enquote{a}\\enquote{b}',
  '{\\sc a}{\\textsc{b}}', '{\\textsc{a}}\\textsc{b}', '{\\em a}{\\foo b}', '“a” “b”', '{\\cite{x}}', '{a \\foo{b} $x_1$}', '\\ifdefined\\x a\\else b\\fi', '\\newcommand{\\x}{y}\\x', '\\url{a%b}', '\\path|x|', '\\(x\\)', '\\[x\\]',
  '\\toString', '\\constructor{x}', '\\hasOwnProperty', `\\${'a'.repeat(45)}`, '\\section{s}', '\\textit{\\foo}', '\\ding{51}', '\\cyrchar\\CYRA', '\\bibstring{and}', '\\overline{ab}', '\\sb{x}', '\\textendash', '\\i', '\\j',
];

/** What the fast path must refuse, or takes only with care: the library decides these. */
const RISKY = [
  '\\"{\\i}', "\\'{\\i}", '\\v S', '\\" u', '\\"1', '\\"{}', '\\"{ab}', '\\b{a}', '\\t{oo}', '\\emph{x}', '\\textbf{y}', '\\textit{z}',
  '\\LaTeX', '\\\\', '\\ ', '\\,', '\\url{http://x.org}', '\\relax', '\\em', '\\o x', '\\ss x', '\\vS', '\\"', '\\', '&', '%', '#', '_', '^',
  '\n\n', '\u000E', '\u0001', '😀', '\u00A0', '\u2003', '$$x$$', '$', '$\\newcommand{\\x}{y}\\x$', '{', '}', '=',
];

const fragment = (risky: boolean) => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TEXT) },
  { weight: 3, arbitrary: fc.constantFrom(...COMMANDS) },
  { weight: 1, arbitrary: fc.constantFrom(...MATH) },
  { weight: 2, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: risky ? 2 : 0, arbitrary: fc.constantFrom(...RISKY) },
);

/** A value: fragments, some of them wrapped in a group, joined with or without white space. */
const valueOf = (risky: boolean): fc.Arbitrary<string> => fc.letrec<{ value: string }>((tie) => ({
  value: fc.array(
    fc.oneof(
      { depthSize: 'small' },
      { weight: 5, arbitrary: fragment(risky) },
      { weight: 1, arbitrary: tie('value').map((v) => `{${v}}`) },
    ),
    { minLength: 0, maxLength: 6 },
  ).chain((parts) => fc.array(fc.constantFrom(' ', '', ' ', '\n  ', '\r\n  '), { minLength: parts.length, maxLength: parts.length })
    .map((seps) => parts.map((p, i) => p + seps[i]).join(''))),
})).value;

const namePart = (value: fc.Arbitrary<string>) => fc.oneof(
  fc.constantFrom('Ada', 'Smith', 'M{\\"u}ller', "Doll{\\'a}r", '{\\O}stergaard', '\\v{S}koda', 'Nu{\\~n}ez', 'Tomás', 'Zoë', 'J.', 'A. B.',
    'Jean-Pierre', '{Google Brain}', '{van Gogh}', 'Lovelace', 'others', 'jr', 'Jr.'),
  fc.constantFrom('von', 'van der', 'de la', 'di', "d'", 'le'),
  value,
);
const nameOf = (part: fc.Arbitrary<string>) => fc.oneof(
  fc.tuple(part, part).map(([a, b]) => `${a} ${b}`),
  fc.tuple(part, part).map(([a, b]) => `${a}, ${b}`),
  fc.tuple(part, part, part).map(([a, b, c]) => `${a}, ${b}, ${c}`),
  fc.tuple(part, part, part).map(([a, b, c]) => `${a} ${b} ${c}`),
  part,
);
const authorsOf = (name: fc.Arbitrary<string>) => fc.array(name, { minLength: 1, maxLength: 5 })
  .chain((names) => fc.constantFrom(' and ', ' AND ', ' and\n  ', ' and  ', ' and\r\n  ').map((sep) => names.join(sep)));

const FIELDS = ['title', 'booktitle', 'journal', 'journaltitle', 'venue', 'howpublished', 'school', 'institution', 'organization', 'year', 'date', 'month',
  'doi', 'url', 'eprint', 'archiveprefix', 'eprinttype', 'arxiv', 'code', 'pdf', 'keywords', 'abstract', 'note', 'pages'];

/** `name = value` with the value braced, quoted, a macro, a number or a concatenation. */
const fieldOf = (value: fc.Arbitrary<string>) => fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constant('author'), authorsOf(nameOf(namePart(value)))) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('title'), value) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), value) },
).chain(([n, v]) => fc.oneof(
  { weight: 6, arbitrary: fc.constant(`${n} = {${v}}`) },
  { weight: 1, arbitrary: fc.constant(/^[^"{}]*$/.test(v) ? `${n} = "${v}"` : `${n} = {${v}}`) },
  { weight: 1, arbitrary: fc.constantFrom(`${n} = conf # " ${v.replace(/["{}]/g, '')}"`, `${n} = {${v}} # tex`, `${n} = jan`, `${n} = undefinedMacro`, `${n} = 2019`, `${n} = empty # {${v}}`, `${n} = angle # {${v}}`) },
));

/** An entry; one in four may hold anything, the others only what the fast path should take. */
const entry = fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(
  fc.constantFrom('article', 'inproceedings', 'misc', 'book', 'online', 'phdthesis', 'techreport'),
  fc.oneof({ weight: 9, arbitrary: fc.nat(999).map((k) => `k${k}`) }, { weight: 1, arbitrary: fc.constantFrom('', 'a{b', 'x"y', 'k(1)', 'Müller2019', 'a/b:c.d-e+f') }),
  fc.array(fieldOf(valueOf(n === 0)), { minLength: 1, maxLength: 6 }),
  fc.boolean(),
)).map(([type, key, fields, withTitle]) => `@${type}{${key},\n  ${withTitle ? 'title = {Base Title}, ' : ''}${fields.join(',\n  ')}\n}\n`);

const bibFile = fc.array(entry, { minLength: 1, maxLength: 6 }).map((entries) =>
  `@string{conf = "Conference on {\\"U}ber Things"}\n@string{tex = {M\\"uller -- {\\O}}}\n@string{empty = {}}\n@string{angle = {a <b> c}}\n\n${entries.join('\n')}`);

describe('cleaning converted text', () => {
  it('values the importer does not clean are those cleanLibraryText leaves unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '  ', '<', '>', '-', '~', '\t', '\n', 'ı', '\u0301', '\uE000', 'é', '<i>', '</i>') }), (s) => {
      if (CLEAN_ALREADY.test(s)) assert.equal(cleanLibraryText(s), s);
    }), { numRuns: 2000 });
  });
});

describe('per-entry cache keys', () => {
  it('entries that share their length and first characters are never mistaken for each other', async () => {
    const cache = new BibtexCache();
    const text = '@article{samekey, title = {Alpha Study}}\n@article{samekey, title = {Omega Study}}\n';
    for (let round = 0; round < 3; round++) {
      const r = await importBibtex(text, 'c.bib', { cache });
      assert.deepEqual(r.papers.map((p) => p.title), ['Alpha Study', 'Omega Study']);
    }
    const swapped = await importBibtex('@article{samekey, title = {Omega Study}}\n', 'c.bib', { cache });
    assert.deepEqual(swapped.papers.map((p) => p.title), ['Omega Study']);
  });
});
