/**
 * BibTeX export. Entry types: `@inproceedings` for conference venues, `@article` for journals,
 * `@misc` otherwise; arXiv papers carry `eprint` + `archivePrefix` in every type.
 */
import type { Paper } from './types';

const JOURNAL_RE = /\b(journal|transactions|letters|review|TPAMI|JMLR|TMLR|Nature|Science|PNAS|IJCV|TACL|Neurocomputing|Pattern Recognition)\b/i;

/** BibTeX entry type for a paper. */
export function entryType(paper: Paper): 'inproceedings' | 'article' | 'misc' {
  if (!paper.venue) return 'misc';
  return JOURNAL_RE.test(paper.venue) ? 'article' : 'inproceedings';
}

function asciiFold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l');
}

/** Last name of a "First Last" display name (particles such as "von" are kept out). */
function lastName(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] ?? '';
}

const STOP = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'to', 'in', 'and', 'with', 'via', 'is', 'how', 'what', 'when', 'it']);

/**
 * The base citation key, `lastnameYEARfirstword` (e.g. `wijmans2024cut`), ASCII only.
 * Uniqueness across a corpus is ensured by {@link citationKeys}.
 */
export function baseCitationKey(paper: Paper): string {
  const who = paper.authors[0] ? lastName(paper.authors[0]) : paper.organization ?? 'anon';
  const word = asciiFold(paper.title)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .find((w) => w.length > 1 && !STOP.has(w)) ?? 'paper';
  const author = asciiFold(who).toLowerCase().replace(/[^a-z]/g, '') || 'anon';
  return `${author}${paper.year ?? 'nd'}${word}`;
}

/**
 * Unique keys for a whole corpus: papers sharing a base key get suffixes a, b, c… in id order, so
 * a key does not depend on the order papers were loaded in.
 */
export function citationKeys(papers: readonly Paper[]): Map<string, string> {
  const groups = new Map<string, Paper[]>();
  for (const p of papers) {
    const base = baseCitationKey(p);
    const group = groups.get(base) ?? [];
    group.push(p);
    groups.set(base, group);
  }
  const keys = new Map<string, string>();
  for (const [base, group] of groups) {
    if (group.length === 1) {
      keys.set(group[0].id, base);
      continue;
    }
    const sorted = [...group].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sorted.forEach((p, i) => keys.set(p.id, `${base}${suffix(i)}`));
  }
  return keys;
}

function suffix(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/**
 * Escapes LaTeX specials in a field value. Braces become `\textbraceleft{}` / `\textbraceright{}`
 * rather than `\{` / `\}`: BibTeX itself counts an escaped brace when it balances a field, so a
 * lone `\}` could still end the field (and start an entry of the text's choosing) in other tools.
 */
export function escapeBibValue(text: string): string {
  return text.replace(/[\\{}&%$#_~^]/g, (c) => BIB_ESCAPES[c]);
}

const BIB_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/**
 * A URL or identifier made safe for a verbatim BibTeX field (`url`, `doi`, `eprint`, `\url{…}`):
 * the characters that could end the field or the entry (`{`, `}`, `\`), whitespace and control
 * characters are percent-encoded, which names the same resource (RFC 3986 does not allow them
 * unencoded in a URL anyway). Everything else is kept as written, so `%`, `#` and `_` survive.
 */
export function escapeBibVerbatim(text: string): string {
  return text.replace(/[{}\\\s\u0000-\u001f\u007f"]/gu, (c) => encodeURIComponent(c));
}

/** Characters BibTeX does not allow in a citation key (they end it or start a field). */
const KEY_UNSAFE = /[\s{}(),=\\"#%'~@]/g;

/** Formats one paper as a BibTeX entry. `key` defaults to the paper's base key. */
export function toBibtex(paper: Paper, key: string = baseCitationKey(paper)): string {
  const type = entryType(paper);
  const safeKey = key.replace(KEY_UNSAFE, '') || baseCitationKey(paper);
  const fields: [string, string][] = [];
  // Double braces keep the title's capitalisation (acronyms, model names) in any style.
  fields.push(['title', `{${escapeBibValue(paper.title)}}`]);
  if (paper.authors.length) fields.push(['author', escapeBibValue(paper.authors.join(' and '))]);
  else if (paper.organization) fields.push(['author', `{${escapeBibValue(paper.organization)}}`]);
  if (type === 'inproceedings' && paper.venue) fields.push(['booktitle', escapeBibValue(paper.venue)]);
  if (type === 'article' && paper.venue) fields.push(['journal', escapeBibValue(paper.venue)]);
  // A proceedings entry is dated by its venue ("ICLR 2025"), even when the preprint is older.
  const venueYear = type !== 'misc' ? /\b(?:19|20)\d{2}\b/.exec(paper.venue ?? '')?.[0] : undefined;
  const year = venueYear ?? (paper.year ? String(paper.year) : undefined);
  if (year) fields.push(['year', year]);
  if (paper.doi) fields.push(['doi', escapeBibVerbatim(paper.doi)]);
  if (paper.arxivId) {
    fields.push(['eprint', escapeBibVerbatim(paper.arxivId)]);
    fields.push(['archivePrefix', 'arXiv']);
  }
  const url = paper.links.arxiv ?? paper.links.url ?? paper.links.doi ?? paper.links.huggingFace;
  if (url) fields.push(['url', escapeBibVerbatim(url)]);
  if (paper.links.code) fields.push(['note', `Code: \\url{${escapeBibVerbatim(paper.links.code)}}`]);
  const body = fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@${type}{${safeKey},\n${body}\n}\n`;
}

/** One-line citation comment for source code: `# Lin et al., "Focal Loss…", arXiv:1708.02002 (2017)`. */
export function citationComment(paper: Paper, commentPrefix = '#'): string {
  const who = paper.authors.length === 0
    ? paper.organization ?? 'Unknown authors'
    : paper.authors.length === 1
      ? lastName(paper.authors[0])
      : paper.authors.length === 2
        ? `${lastName(paper.authors[0])} & ${lastName(paper.authors[1])}`
        : `${lastName(paper.authors[0])} et al.`;
  const where = paper.arxivId ? `arXiv:${paper.arxivId}` : paper.links.doi ?? paper.links.url ?? paper.links.code ?? '';
  const when = paper.venue && /\b(?:19|20)\d{2}\b/.test(paper.venue) ? paper.venue : [paper.venue, paper.year].filter(Boolean).join(' ');
  return `${commentPrefix} ${who}, "${paper.title}"${where ? `, ${where}` : ''}${when ? ` (${when})` : ''}`;
}
