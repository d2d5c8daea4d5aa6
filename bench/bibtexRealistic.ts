/**
 * Generated BibTeX files that look like users' files, for measuring the importer's fast path
 * (bibtexFastPath.ts) and for the tests that prove it agrees with @retorquere/bibtex-parser.
 *
 * The entries imitate what the common tools write: Google Scholar (`{\'a}`, `{\'\i}`, `\&`,
 * `pages={318--327}`), DBLP (`Tsung{-}Yi`, `Doll{\'{a}}r`, `{IEEE}`, `eprinttype = {arXiv}`, aligned
 * fields), Zotero (`month = aug`, tab indents, `{Loss}` protection, `\_`, `\%` in titles) and
 * hand-written files (`\emph{…}`, `{\em …}`, `\textbf{…}`, `\url{…}` in howpublished, `\LaTeX`,
 * `D.~E. Knuth`, math with `^` and `_`, `@string` venues, crossref to `@proceedings`).
 *
 *   npx tsx bench/bibtexRealistic.ts [sizeKB=1024] [--hard] > file.bib
 *
 * `--hard` gives entries that each use a construct the fast path leaves to the library (see
 * {@link HARD_TITLES}); the default gives the realistic mix.
 */

/** A deterministic pseudo-random generator, so every run gives the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const FIRST = ['Ada', 'Tsung-Yi', 'Priya', 'Ross', 'Kaiming', 'Piotr', 'Mei', 'Olu', 'Jan', 'Yann', 'Ivan', 'Sara', 'Kenji', 'Zoë', 'Tomás'];
/** Family names as the tools write them (plain and with accents in the forms each tool uses). */
const LAST = [
  'Smith', 'Chen', 'Okafor', 'Kumar', 'Novak', 'Silva', 'Ito', 'Berg', 'Ross', 'Lin', 'Goyal', 'Girshick', 'He',
  "Doll{\\'a}r", "Doll{\\'{a}}r", 'M{\\"u}ller', 'M{\\"{u}}ller', 'Sch{\\"o}lkopf', "Garc{\\'\\i}a", "Mart{\\'{\\i}}nez", 'Nu{\\~n}ez',
  '{\\O}stergaard', '\\v{S}koda', 'Erd{\\H{o}}s', "Jos{\\'e}", 'de la Torre', 'van der Maaten', 'Le~Cun', "Fran{\\c{c}}ois",
];
const WORDS = ['Deep', 'Learning', 'Robust', 'Loss', 'Functions', 'for', 'Dense', 'Object', 'Detection', 'Calibration', 'Networks',
  'Contrastive', 'Representation', 'Training', 'with', 'Noisy', 'Labels', 'Metric', 'Self-Supervised', 'Vision', 'Transformers', 'via', 'Scaling'];
const ACRONYMS = ['{CNN}', '{ImageNet}', '{BERT}', '{GAN}s', '{ResNet}', '{COCO}', '{KL}', '{SGD}'];
/** Title pieces with LaTeX, as users and tools write them. */
const TEX_PIECES = [
  '\\emph{Focal} Loss', '{\\em Label Smoothing}', '\\textit{in the Wild}', '\\textbf{Fast} and Accurate', 'Detection \\& Segmentation',
  '$\\ell_1$-Regularised', '$O(n^2)$ Time', '$k$-Means', '$\\mathcal{L}_{\\text{CE}}$', 'Top-$k$', '50\\% Fewer Labels', 'snake\\_case',
  'Scale--Invariant', 'A~Study', '``Quoted\'\'', '\\LaTeX{} Tools', 'Schr{\\"o}dinger', "Poincar{\\'e}", '{\\"O}zg{\\"u}r',
];
/**
 * Constructs the fast path leaves to the library, each in a title and unique to its entry (for the
 * `--hard` file), so that no cache helps: a formula, display math and a `{\bf …}` group (the
 * library converts each alone), and two `\enquote`s in a row (the library converts the whole title,
 * since it merges the quotes).
 */
const HARD_TITLES = [
  (i: number) => `Bounds via $\\sum_{j=1}^{${i}} \\alpha_j \\frac{x}{${i % 97}}$ Terms`,
  (i: number) => `Plain {\\bf Bold ${i}} Study`,
  (i: number) => `Display $$x_{${i}}$$ Math`,
  (i: number) => `\\enquote{Quoted} \\enquote{Twice ${i}} Study`,
];
const JOURNALS = [
  'IEEE Transactions on Pattern Analysis and Machine Intelligence', 'Journal of Machine Learning Research', 'Nature',
  'Pattern Recognition', 'IEEE Transactions on Neural Networks \\& Learning Systems', 'Neural Computation', 'CoRR',
  'Transactions on Machine Learning Research', 'Computer Vision and Image Understanding', 'Journal of Artificial Intelligence Research',
];
const BOOKTITLES = [
  'Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition', 'Proceedings of the IEEE International Conference on Computer Vision',
  'Advances in Neural Information Processing Systems', 'International Conference on Machine Learning', 'International Conference on Learning Representations',
  '{IEEE} International Conference on Computer Vision, {ICCV} 2017, Venice, Italy, October 22-29, 2017', 'Proceedings of the 2019 Conference of the North {A}merican Chapter of the Association for Computational Linguistics',
];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const KEYWORDS = ['Computer Science - Machine Learning', 'Computer Science - Computer Vision and Pattern Recognition', 'focal loss', 'calibration', 'Statistics - Machine Learning'];

export interface RealisticOptions {
  /** Every entry uses a construct the fast path leaves to the library. */
  hard?: boolean;
  seed?: number;
}

/** A .bib text of about `bytes` characters. */
export function generateRealisticBib(bytes: number, options: RealisticOptions = {}): string {
  const r = rng(options.seed ?? 23);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number): boolean => r() < p;
  const parts: string[] = [
    '@string{cvpr = {Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)}}\n',
    '@string{neurips = "Advances in Neural Information Processing Systems"}\n',
    '@string{tpami = {IEEE Transactions on Pattern Analysis and Machine Intelligence}}\n\n',
    '@proceedings{iccv2017,\n  title = {{IEEE} International Conference on Computer Vision, {ICCV} 2017},\n  booktitle = {{IEEE} International Conference on Computer Vision, {ICCV} 2017},\n  publisher = {{IEEE} Computer Society},\n  year = {2017}\n}\n\n',
  ];
  let size = parts.reduce((n, p) => n + p.length, 0);
  const title = (i: number): string => {
    if (options.hard) return `${pick(WORDS)} ${HARD_TITLES[i % HARD_TITLES.length](i)} ${pick(WORDS)}`;
    const words = Array.from({ length: 3 + Math.floor(r() * 6) }, () => (chance(0.12) ? pick(ACRONYMS) : pick(WORDS)));
    if (chance(0.45)) words.splice(Math.floor(r() * words.length), 0, pick(TEX_PIECES));
    return `${words.join(' ')} ${i}`;
  };
  for (let i = 0; size < bytes; i++) {
    const style = i % 4; // 0 Google Scholar, 1 DBLP, 2 Zotero, 3 hand-written
    const n = 1 + Math.floor(r() * 6);
    const names = Array.from({ length: n }, () => [pick(FIRST), pick(LAST)] as const);
    const year = 2012 + (i % 13);
    const arxivId = `${year % 100}${String(1 + (i % 12)).padStart(2, '0')}.${String(i % 99999).padStart(5, '0')}`;
    let e: string;
    if (style === 0) {
      const author = names.map(([f, l]) => `${l}, ${f}`).join(' and ');
      const venue = chance(0.5) ? `journal={${pick(JOURNALS)}}` : `booktitle={${pick(BOOKTITLES)}}`;
      e = `@${venue.startsWith('journal') ? 'article' : 'inproceedings'}{gs${i},\n  title={${title(i)}},\n  author={${author}},\n  ${venue},\n  volume={${1 + (i % 40)}},\n  number={${1 + (i % 12)}},\n  pages={${i % 900}--${(i % 900) + 12}},\n  year={${year}},\n  publisher={IEEE}\n}\n\n`;
    } else if (style === 1) {
      const author = names.map(([f, l]) => `${f.replace('-', '{-}')} ${l}`).join(' and\n                  ');
      const arxiv = chance(0.4);
      const venue = arxiv ? `journal      = {CoRR},\n  volume       = {abs/${arxivId}},\n  eprinttype    = {arXiv},\n  eprint       = {${arxivId}}` : `booktitle    = {${pick(BOOKTITLES)}}`;
      const crossref = !arxiv && chance(0.2) ? `,\n  crossref     = {iccv2017}` : '';
      e = `@${arxiv ? 'article' : 'inproceedings'}{DBLP:conf/x/Gen${i},\n  author       = {${author}},\n  title        = {${title(i)}},\n  ${venue},\n  pages        = {${i % 900}--${(i % 900) + 9}},\n  year         = {${year}},\n  url          = {https://doi.org/10.1109/GEN.${year}.${i}},\n  doi          = {10.1109/GEN.${year}.${i}},\n  timestamp    = {Wed, 16 Oct 2019 14:14:51 +0200},\n  biburl       = {https://dblp.org/rec/conf/x/Gen${i}.bib},\n  bibsource    = {dblp computer science bibliography, https://dblp.org}${crossref}\n}\n\n`;
    } else if (style === 2) {
      const author = names.map(([f, l]) => `${l}, ${f}`).join(' and ');
      const t = title(i).replace(/\b([A-Z][a-z]+)\b/g, (w, _m, at) => (at > 0 && chance(0.5) ? `{${w}}` : w));
      e = `@article{zotero_${i}_${year},\n\ttitle = {${t}},\n\turl = {http://arxiv.org/abs/${arxivId}},\n\tdoi = {10.48550/arXiv.${arxivId}},\n\tabstract = {We study losses for training deep networks and report 10\\% gains on {ImageNet} \\& {COCO}.},\n\turldate = {2023-01-10},\n\tpublisher = {arXiv},\n\tauthor = {${author}},\n\tmonth = ${pick(MONTHS)},\n\tyear = {${year}},\n\tnote = {arXiv:${arxivId} [cs]},\n\tkeywords = {${pick(KEYWORDS)}, ${pick(KEYWORDS)}},\n\tfile = {arXiv Fulltext PDF:/home/u/Zotero/storage/ABC${i}/paper.pdf:application/pdf},\n}\n\n`;
    } else {
      const author = names.map(([f, l]) => `${f[0]}.~${l}`).join(' and ');
      const venue = chance(0.4) ? `booktitle = ${pick(['cvpr', 'neurips'])} # " ${year}"` : chance(0.5) ? `journal = tpami` : `howpublished = {\\url{https://example.org/papers/${i}}}`;
      e = `@${venue.startsWith('journal') ? 'article' : venue.startsWith('how') ? 'misc' : 'inproceedings'}{hand${i},\n  author = {${author}},\n  title = {${title(i)}},\n  ${venue},\n  year = ${year},\n  month = ${pick(MONTHS)},\n  note = {See also \\url{https://example.org/${i}}}\n}\n\n`;
    }
    parts.push(e);
    size += e.length;
  }
  return parts.join('');
}

if (require.main === module) {
  const kb = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1024);
  process.stdout.write(generateRealisticBib(kb * 1024, { hard: process.argv.includes('--hard') }));
}
