/**
 * Importer for Hugging Face Daily Papers page dumps: the text a browser gives when the page is
 * copied or saved as text (see paper-data/sources/hf-daily-papers-loss-functions.txt).
 *
 * The format, as seen on real pages:
 *
 *   new / Get trending papers in your email inbox! / Subscribe / Daily Papers / byAK … / Jun 15   (page header)
 *   <title>
 *   <abstract: one or more paragraphs>
 *     • 7 authors            (or an organisation line such as "ServiceNow-AI ServiceNow-AI")
 *   ·
 *   Dec 30, 2024 4           (date, year optional = the page's year, then an optional upvote count)
 *
 * Blank lines separate everything; some entries have no author/date block at all. The parser is a
 * line classifier plus a small state machine, so a damaged page yields the entries it can read and a
 * warning per problem (with the line number), never an exception.
 */
import type { LoadIssue } from './types';

/** One entry as it appears on the page, before enrichment. */
export interface HfEntry {
  title: string;
  abstract: string;
  /** Author count from "• N authors", when shown. */
  authorCount: number | null;
  /** Organisation shown instead of authors, when shown. */
  organization: string | null;
  /** ISO date (YYYY-MM-DD) or null when absent or when the year is unknown. */
  date: string | null;
  upvotes: number | null;
  /** 1-based line of the title in the source file. */
  line: number;
  /** Descriptions of the stray-LaTeX repairs applied to the abstract. */
  repairs: string[];
}

export interface HfPage {
  /** The page's own date from its header, ISO, when shown (e.g. "Jun 15" with the page year). */
  pageDate: string | null;
  entries: HfEntry[];
  issues: LoadIssue[];
}

export interface HfParseOptions {
  /**
   * The year the page was captured. Dates shown without a year ("Mar 10") belong to it.
   * Without it such dates come out as null, with a warning.
   */
  pageYear?: number;
  /** File name used in issues. */
  file?: string;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const HEADER_LINES = [
  /^new$/i,
  /^get trending papers in your email inbox!?$/i,
  /^subscribe$/i,
  /^daily papers$/i,
  /^by\s*ak and the research community$/i,
];

const DATE_RE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d+))?$/i;
const AUTHORS_RE = /^[•·*\-]?\s*(\d+)\s+authors?$/i;
const SEPARATOR_RE = /^[·•]$/;

type State = 'none' | 'title' | 'abstract' | 'meta';

type LineKind = 'blank' | 'authors' | 'separator' | 'date' | 'text';

interface Line {
  kind: LineKind;
  text: string;
  /** 1-based. */
  no: number;
}

function classify(raw: string, no: number): Line {
  const text = raw.trim();
  if (text === '') return { kind: 'blank', text, no };
  if (AUTHORS_RE.test(text)) return { kind: 'authors', text, no };
  if (SEPARATOR_RE.test(text)) return { kind: 'separator', text, no };
  if (DATE_RE.test(text)) return { kind: 'date', text, no };
  return { kind: 'text', text, no };
}

/** Parses "Dec 30, 2024 4" into an ISO date and an upvote count. */
export function parseHfDate(text: string, pageYear?: number): { date: string | null; upvotes: number | null; yearMissing: boolean } | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const month = MONTHS[m[1].toLowerCase().slice(0, m[1].toLowerCase() === 'sept' ? 4 : 3)];
  const day = Number(m[2]);
  const year = m[3] ? Number(m[3]) : pageYear;
  const upvotes = m[4] !== undefined ? Number(m[4]) : null;
  if (year === undefined) return { date: null, upvotes, yearMissing: true };
  if (day < 1 || day > daysInMonth(year, month)) return null;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { date: iso, upvotes, yearMissing: false };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Page dumps lose the backslashes of inline LaTeX ("10{,}000\times" becomes "10{,}000times").
 * Each rule restores one well-known case where the context makes the meaning unambiguous.
 */
const LATEX_REPAIRS: { name: string; re: RegExp; to: string }[] = [
  { name: '{,} thousands separator', re: /(\d)\{,\}\s?(\d)/g, to: '$1,$2' },
  { name: '\\times after a number', re: /(\d)times(?=\s|\d|$)/g, to: '$1×' },
  { name: '\\leftrightarrow', re: /leftrightarrow/g, to: '↔' },
  { name: "``quotes''", re: /``([^`']+)''/g, to: '“$1”' },
  { name: '\\nabla', re: /\bnabla\s*/g, to: '∇' },
  { name: '\\cdot', re: /([A-Za-z0-9_}])cdot\b\s*/g, to: '$1·' },
  { name: '\\forall', re: /\bforall\s+/g, to: '∀' },
  { name: '\\geq', re: /([A-Za-z0-9])geq\b/g, to: '$1 ≥' },
  { name: '\\leq', re: /([A-Za-z0-9])leq\b/g, to: '$1 ≤' },
  { name: '\\le between symbols', re: /([α-ωΑ-Ω])le([α-ωΑ-Ω])/g, to: '$1≤$2' },
  { name: '\\ge after a variable', re: /\b([a-z])ge (?=\d)/g, to: '$1 ≥ ' },
  { name: '\\mathcal', re: /\bmathcal\{([^{}]*)\}/g, to: '$1' },
  { name: '\\ell', re: /\bell_/g, to: 'ℓ_' },
  { name: '\\sum', re: /\bsum_/g, to: 'Σ_' },
  { name: 'Greek letter in math', re: /([{^_\-(])(alpha|beta|gamma|delta|epsilon|lambda|mu|sigma|tau|theta|rho|pi)\b/g, to: '$1\\$2' },
];

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', lambda: 'λ', mu: 'μ', sigma: 'σ', tau: 'τ', theta: 'θ', rho: 'ρ', pi: 'π',
};

/** Applies the stray-LaTeX repairs; returns the text and the names of the rules that fired. */
export function repairStrayLatex(text: string): { text: string; repairs: string[] } {
  const repairs: string[] = [];
  let out = text;
  for (const rule of LATEX_REPAIRS) {
    const next = out.replace(rule.re, rule.to);
    if (next !== out) {
      repairs.push(rule.name);
      out = next;
    }
  }
  // The Greek rule above marks names with a backslash so they can be mapped in one place.
  out = out.replace(/\\(alpha|beta|gamma|delta|epsilon|lambda|mu|sigma|tau|theta|rho|pi)\b/g, (_, g: string) => GREEK[g]);
  return { text: out, repairs };
}

/** "ServiceNow-AI ServiceNow-AI" (avatar alt text + name) → "ServiceNow-AI". */
function normaliseOrganization(text: string): string {
  const parts = text.split(/\s+/);
  if (parts.length % 2 === 0) {
    const half = parts.length / 2;
    const a = parts.slice(0, half).join(' ');
    const b = parts.slice(half).join(' ');
    if (a === b) return a;
  }
  return text;
}

/** A heuristic for "this text line starts a new entry" when an entry had no author/date block. */
function looksLikeTitle(text: string): boolean {
  if (text.length > 300) return false;
  if (/[.!]$/.test(text) && text.length > 120) return false;
  const words = text.split(/\s+/).length;
  return words <= 40 && !/[.;,]$/.test(text);
}

function isBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4096);
  let bad = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0)!;
    if (ch === '\uFFFD' || (c < 32 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.05;
}

/**
 * Parses a Hugging Face Daily Papers page dump. Never throws: problems are returned as issues,
 * each naming the 1-based line.
 */
export function parseHfPageDump(input: string, options: HfParseOptions = {}): HfPage {
  const file = options.file ?? '<page>';
  const issues: LoadIssue[] = [];
  const warn = (line: number, message: string, severity: 'error' | 'warning' = 'warning') =>
    issues.push({ file, line, message, severity });

  const text = input.replace(/^\uFEFF/, '');
  if (isBinary(text)) {
    warn(1, 'This file is not text (it contains binary data); expected a Hugging Face Daily Papers page saved as text.', 'error');
    return { pageDate: null, entries: [], issues };
  }
  const lines = text.split(/\r\n|\r|\n/).map((raw, i) => classify(raw, i + 1));

  // Page header: known banner lines, then optionally the page's own date.
  let i = 0;
  let pageDate: string | null = null;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind === 'blank') continue;
    if (l.kind === 'text' && HEADER_LINES.some((re) => re.test(l.text))) continue;
    if (l.kind === 'date') {
      pageDate = parseHfDate(l.text, options.pageYear)?.date ?? null;
      continue;
    }
    break;
  }

  const entries: HfEntry[] = [];
  let current: HfEntry | null = null;
  let abstractParts: string[] = [];
  /** What the current entry has seen: its title, its abstract, or part of its metadata block. */
  let state = 'none' as State;
  let metaStart = 0;
  let sawDateInMeta = false;

  const finish = () => {
    if (!current) return;
    if (abstractParts.length === 0) warn(current.line, `"${clip(current.title)}" has no abstract (the page may be truncated here).`);
    if (state === 'meta' && !sawDateInMeta) warn(metaStart, `The author/date block of "${clip(current.title)}" has no date (the page may be truncated here).`);
    const repaired = repairStrayLatex(abstractParts.join('\n\n'));
    current.abstract = repaired.text;
    current.repairs = repaired.repairs;
    entries.push(current);
    current = null;
    abstractParts = [];
    state = 'none';
    sawDateInMeta = false;
  };

  const start = (l: Line) => {
    finish();
    current = { title: l.text, abstract: '', authorCount: null, organization: null, date: null, upvotes: null, line: l.no, repairs: [] };
    state = 'title';
  };

  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind === 'blank') continue;
    const next = nextNonBlank(lines, i + 1);

    if (l.kind === 'text') {
      // An organisation line sits where "• N authors" would, right before the "·" separator.
      if (current && state === 'abstract' && next?.kind === 'separator') {
        (current as HfEntry).organization = normaliseOrganization(l.text);
        state = 'meta';
        metaStart = l.no;
        continue;
      }
      if (state === 'none' || state === 'meta') {
        start(l);
        continue;
      }
      if (state === 'title') {
        abstractParts.push(l.text);
        state = 'abstract';
        continue;
      }
      // state === 'abstract': another paragraph of the abstract, or the next entry's title when
      // the current entry had no author/date block.
      if (looksLikeTitle(l.text) && next?.kind === 'text') {
        start(l);
      } else {
        abstractParts.push(l.text);
      }
      continue;
    }

    if (!current) {
      warn(l.no, `Unexpected "${clip(l.text)}" before the first paper title; ignored.`);
      continue;
    }
    const entry: HfEntry = current;
    if (l.kind === 'authors') {
      if ((state as State) === 'title') warn(l.no, `"${clip(entry.title)}" has an author count but no abstract.`);
      entry.authorCount = Number(AUTHORS_RE.exec(l.text)![1]);
      state = 'meta';
      metaStart = l.no;
    } else if (l.kind === 'separator') {
      if ((state as State) !== 'meta') {
        state = 'meta';
        metaStart = l.no;
      }
    } else if (l.kind === 'date') {
      const parsed = parseHfDate(l.text, options.pageYear);
      if (!parsed) {
        warn(l.no, `"${l.text}" is not a valid date; the date of "${clip(entry.title)}" is left empty.`);
      } else {
        if (parsed.yearMissing) warn(l.no, `"${l.text}" has no year and no page year was given (use --year); the date of "${clip(entry.title)}" is left empty.`);
        entry.date = parsed.date;
        entry.upvotes = parsed.upvotes;
      }
      if ((state as State) === 'title') warn(l.no, `"${clip(entry.title)}" has a date but no abstract.`);
      sawDateInMeta = true;
      state = 'meta';
      // A date closes the entry's block: whatever text follows is the next title.
      finish();
    }
  }
  finish();

  if (entries.length === 0) {
    warn(Math.max(1, lines.length), 'No papers found: expected a Hugging Face Daily Papers page saved as text (titles, abstracts, author/date lines).', 'error');
  }
  return { pageDate, entries, issues };
}

function nextNonBlank(lines: Line[], from: number): Line | undefined {
  for (let j = from; j < lines.length; j++) if (lines[j].kind !== 'blank') return lines[j];
  return undefined;
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
