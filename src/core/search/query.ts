/**
 * The search box's little language. Free words rank; everything else narrows:
 *
 * - `"focal loss"` — a phrase, matched word for word in one field;
 * - `-word`, `-"a phrase"` — leave out papers that contain it;
 * - `year:2025`, `year:2020..2023`, `year:>=2021`, `year:..2019` — publication year;
 * - `concept:focal`, `concept:"label smoothing"` — tagged with a loss concept (id, name, alias or identifier);
 * - `author:mohri`, `venue:iclr`, `title:…`, `abstract:…` — words that must occur in that field;
 * - `has:code` (also `arxiv`, `pdf`, `hf`, `doi`) — papers with that link; `-has:code` without;
 * - `source:refs.bib` — papers loaded from a matching source;
 * - `id:2411.09009` (or a bare arXiv id) — that paper;
 * - `sort:newest`, `sort:relevance`.
 *
 * Parsing never fails: anything the parser does not understand is searched as text or reported in
 * `problems`, so a half-typed query always shows something.
 */
import { foldText, MAX_TERM_LENGTH, scanTerms, splitIdentifier, TermKind } from './text';

/** Queries are cut here; nobody types more, and pathological input must stay cheap. */
export const MAX_QUERY_LENGTH = 512;
/** At most this many words rank (the per-word bookkeeping uses 32-bit masks). */
export const MAX_QUERY_WORDS = 24;

/** Fields a word can be restricted to with a hint. */
export type HintField = 'title' | 'abstract' | 'authors' | 'venue';

/** Links `has:` can require. */
export type LinkKind = 'code' | 'arxiv' | 'pdf' | 'hf' | 'doi';
export const LINK_KINDS: readonly LinkKind[] = ['code', 'arxiv', 'pdf', 'hf', 'doi'];

/** One word to look up in the vocabulary. */
export interface QueryWord {
  /** The folded term: a plain word or a joined word's compact form (`crossentropy`). */
  term: string;
  /** Another reading when `term` is unknown: `cross`, `entropy` for `cross-entropy`, `focal`, `loss` for `FocalLoss`. */
  parts: string[];
  /** Restricts matches to one field (`author:mohri`); such words are required. */
  field?: HintField;
  /** True for the word being typed (the query's last, with no space after it): completions count. */
  prefix: boolean;
}

/** A quoted phrase: its words, in order, must be adjacent in one field. */
export interface QueryPhrase {
  /** Folded words, stopwords kept (`cut your losses`). */
  words: string[];
  field?: HintField;
}

export interface YearRange {
  from?: number;
  to?: number;
}

/** A `key:value` hint as typed, for display (chips) and for the UI to explain what it did. */
export interface QueryHint {
  key: string;
  value: string;
  negated: boolean;
  /** False when the value was not understood (e.g. `year:soon`); the hint is then ignored. */
  valid: boolean;
}

export interface ParsedQuery {
  /** Free words: they rank, and a paper must match at least one of them. */
  words: QueryWord[];
  /** Field-restricted words: every one must match. */
  requiredWords: QueryWord[];
  phrases: QueryPhrase[];
  /** Words and phrases after `-`: papers containing any are left out. */
  excludedWords: QueryWord[];
  excludedPhrases: QueryPhrase[];
  years?: YearRange;
  /** `concept:` values as typed; the index resolves them against the concepts it knows. */
  concepts: string[];
  excludedConcepts: string[];
  /** Links that must be present / absent. */
  has: LinkKind[];
  hasNot: LinkKind[];
  /** `source:` values (case-insensitive substrings of a paper's sources). */
  sources: string[];
  /** Paper ids or arXiv ids named with `id:` or typed bare. */
  ids: string[];
  sort?: 'relevance' | 'newest';
  hints: QueryHint[];
  /** Human-readable notes: truncation, ignored hints. */
  problems: string[];
  /** The free words and phrases as typed (hints and exclusions left out), for "No paper … is about …". */
  freeText: string;
}

const FIELD_HINTS: Record<string, HintField> = {
  title: 'title', abstract: 'abstract', author: 'authors', authors: 'authors', venue: 'venue',
};
const HINT_KEYS = new Set(['year', 'concept', 'has', 'source', 'id', 'arxiv', 'sort', ...Object.keys(FIELD_HINTS)]);
const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const OVERLONG_RUN = new RegExp(`[\\p{L}\\p{N}]{${MAX_TERM_LENGTH + 1}}`, 'u');
const DOTTED_IDENTIFIER = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;
const LINK_ALIASES: Record<string, LinkKind> = {
  code: 'code', github: 'code', repo: 'code', arxiv: 'arxiv', pdf: 'pdf', hf: 'hf', huggingface: 'hf', doi: 'doi',
};

/** An empty query: what an empty search box means. */
export function emptyQuery(): ParsedQuery {
  return {
    words: [], requiredWords: [], phrases: [], excludedWords: [], excludedPhrases: [], concepts: [], excludedConcepts: [],
    has: [], hasNot: [], sources: [], ids: [], hints: [], problems: [], freeText: '',
  };
}

/** True when the query neither ranks nor narrows anything. */
export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.words.length === 0 && q.requiredWords.length === 0 && q.phrases.length === 0 && q.excludedWords.length === 0
    && q.excludedPhrases.length === 0 && !q.years && q.concepts.length === 0 && q.excludedConcepts.length === 0
    && q.has.length === 0 && q.hasNot.length === 0 && q.sources.length === 0 && q.ids.length === 0;
}

interface Chunk {
  negated: boolean;
  key?: string;
  value: string;
  quoted: boolean;
  /** The chunk runs to the end of the query with no space after it. */
  atEnd: boolean;
}

/** Splits the raw query into chunks: words, quoted phrases, `key:value` hints, each maybe negated. */
function chunks(query: string): Chunk[] {
  const out: Chunk[] = [];
  const n = query.length;
  let i = 0;
  while (i < n) {
    while (i < n && /\s/.test(query[i])) i++;
    if (i >= n) break;
    let negated = false;
    if (query[i] === '-' && i + 1 < n && !/[\s-]/.test(query[i + 1])) {
      negated = true;
      i++;
    }
    let key: string | undefined;
    const keyMatch = /^([A-Za-z]+):(?=\S)/.exec(query.slice(i, i + 16));
    if (keyMatch && HINT_KEYS.has(keyMatch[1].toLowerCase())) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close === -1 ? n : close;
      out.push({ negated, key, value: query.slice(i + 1, end), quoted: true, atEnd: close === -1 });
      i = close === -1 ? n : close + 1;
      continue;
    }
    let j = i;
    while (j < n && !/\s/.test(query[j])) j++;
    out.push({ negated, key, value: query.slice(i, j), quoted: false, atEnd: j === n });
    i = j;
  }
  return out;
}

/** The query words of one unquoted chunk (`cross-entropy` → one word with parts; `a,b` → two). */
function wordsOf(raw: string, field: HintField | undefined, prefixAtEnd: boolean): QueryWord[] {
  // `torch.nn.CrossEntropyLoss`, `F.cross_entropy`: the last component names the thing.
  const text = DOTTED_IDENTIFIER.test(raw) ? raw.slice(raw.lastIndexOf('.') + 1) : raw;
  const words: QueryWord[] = [];
  let parts: string[] = [];
  scanTerms(foldText(text), (term, kind) => {
    if (kind === TermKind.Part) {
      parts.push(term);
    } else if (kind === TermKind.Compact) {
      words.push({ term, parts, field, prefix: false });
      parts = [];
    } else {
      words.push({ term, parts: [], field, prefix: false });
    }
  });
  // A compound whose compact form was too long or short still has its parts.
  for (const p of parts) words.push({ term: p, parts: [], field, prefix: false });
  // A run too long to be indexed can match nothing; keep it so the query says so instead of
  // silently becoming empty (and listing everything).
  const overlong = OVERLONG_RUN.exec(foldText(text));
  if (overlong) words.push({ term: overlong[0], parts: [], field, prefix: false });
  // `FocalLoss` is one plain term; its camel-case split is the fallback reading.
  if (words.length === 1 && words[0].parts.length === 0 && /[a-z][A-Z]|[A-Z][A-Z][a-z]/.test(text)) {
    const split: string[] = [];
    scanTerms(foldText(splitIdentifier(text)), (term, kind) => { if (kind === TermKind.Plain) split.push(term); });
    if (split.length > 1) words[0].parts = split;
  }
  if (prefixAtEnd && words.length > 0) words[words.length - 1].prefix = true;
  return words;
}

function phraseOf(raw: string, field: HintField | undefined): QueryPhrase | undefined {
  const words: string[] = [];
  scanTerms(foldText(raw), (term, kind) => { if (kind !== TermKind.Compact) words.push(term); }, true);
  return words.length > 0 ? { words, field } : undefined;
}

/** Parses `year:` values: `2025`, `2020..2023`, `2020-2023`, `>=2020`, `>2020`, `<2023`, `..2019`, `2020..`. */
export function parseYearRange(value: string): YearRange | undefined {
  const v = value.trim();
  const year = (s: string): number | undefined => (/^\d{4}$/.test(s) ? Number(s) : undefined);
  let m = /^(\d{4})$/.exec(v);
  if (m) return { from: Number(m[1]), to: Number(m[1]) };
  m = /^(\d{4})?(?:\.\.|-)(\d{4})?$/.exec(v);
  if (m && (m[1] || m[2])) {
    const from = m[1] ? year(m[1]) : undefined;
    const to = m[2] ? year(m[2]) : undefined;
    if (from !== undefined && to !== undefined && from > to) return { from: to, to: from };
    return { from, to };
  }
  m = /^(>=|>|<=|<)(\d{4})$/.exec(v);
  if (m) {
    const y = Number(m[2]);
    switch (m[1]) {
      case '>=': return { from: y };
      case '>': return { from: y + 1 };
      case '<=': return { to: y };
      default: return { to: y - 1 };
    }
  }
  return undefined;
}

function intersectYears(a: YearRange | undefined, b: YearRange): YearRange {
  if (!a) return b;
  const from = a.from === undefined ? b.from : b.from === undefined ? a.from : Math.max(a.from, b.from);
  const to = a.to === undefined ? b.to : b.to === undefined ? a.to : Math.min(a.to, b.to);
  return { from, to };
}

/** Parses a search box query. Never throws; see the module comment for the syntax. */
export function parseQuery(input: string): ParsedQuery {
  const q = emptyQuery();
  let query = typeof input === 'string' ? input : '';
  if (query.length > MAX_QUERY_LENGTH) {
    query = query.slice(0, MAX_QUERY_LENGTH);
    q.problems.push(`Only the first ${MAX_QUERY_LENGTH} characters of the query are searched.`);
  }
  const free: string[] = [];
  for (const chunk of chunks(query)) {
    const { key, value, negated } = chunk;
    if (key === undefined) {
      const bareId = ARXIV_ID.exec(value);
      if (bareId && !chunk.quoted && !negated) {
        q.ids.push(bareId[1]);
        continue;
      }
      if (!negated) free.push(chunk.quoted ? `"${value}"` : value);
      if (chunk.quoted) {
        const phrase = phraseOf(value, undefined);
        if (phrase) (negated ? q.excludedPhrases : q.phrases).push(phrase);
      } else {
        const words = wordsOf(value, undefined, chunk.atEnd && !negated);
        (negated ? q.excludedWords : q.words).push(...words);
      }
      continue;
    }
    const hint: QueryHint = { key, value, negated, valid: true };
    q.hints.push(hint);
    const field = FIELD_HINTS[key];
    if (field) {
      if (chunk.quoted) {
        const phrase = phraseOf(value, field);
        if (phrase) (negated ? q.excludedPhrases : q.phrases).push(phrase);
        else hint.valid = false;
      } else {
        const words = wordsOf(value, field, chunk.atEnd && !negated);
        if (words.length === 0) hint.valid = false;
        (negated ? q.excludedWords : q.requiredWords).push(...words);
      }
    } else if (key === 'year') {
      const range = parseYearRange(value);
      if (!range || negated) hint.valid = false;
      else q.years = intersectYears(q.years, range);
    } else if (key === 'concept') {
      if (value.trim()) (negated ? q.excludedConcepts : q.concepts).push(value.trim());
      else hint.valid = false;
    } else if (key === 'has') {
      const kind = LINK_ALIASES[value.toLowerCase()];
      if (!kind) hint.valid = false;
      else (negated ? q.hasNot : q.has).push(kind);
    } else if (key === 'source') {
      if (negated || !value.trim()) hint.valid = false;
      else q.sources.push(value.trim().toLowerCase());
    } else if (key === 'id' || key === 'arxiv') {
      const m = ARXIV_ID.exec(value);
      if (negated || !value.trim()) hint.valid = false;
      else q.ids.push(m ? m[1] : value.trim());
    } else if (key === 'sort') {
      const v = value.toLowerCase();
      if (v === 'newest' || v === 'new' || v === 'date') q.sort = 'newest';
      else if (v === 'relevance' || v === 'best') q.sort = 'relevance';
      else hint.valid = false;
    }
    if (!hint.valid) q.problems.push(`Ignored ${negated ? '-' : ''}${key}:${value} (not understood).`);
  }
  if (q.words.length + q.requiredWords.length > MAX_QUERY_WORDS) {
    const keep = Math.max(0, MAX_QUERY_WORDS - q.requiredWords.length);
    q.requiredWords = q.requiredWords.slice(0, MAX_QUERY_WORDS);
    q.words = q.words.slice(0, keep);
    q.problems.push(`Only the first ${MAX_QUERY_WORDS} words of the query are searched.`);
  }
  q.freeText = free.join(' ');
  q.excludedWords = q.excludedWords.slice(0, MAX_QUERY_WORDS);
  q.phrases = q.phrases.slice(0, 8);
  q.excludedPhrases = q.excludedPhrases.slice(0, 8);
  return q;
}
