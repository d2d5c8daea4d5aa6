/**
 * From an imported BibTeX entry's converted fields (the fast path's or the library's) and the raw
 * fields neither converted (the abstract, values too long to be a title or a name list) to a
 * PaperLens paper draft (`bibtexImport.ts` does the converting).
 */
import { resolveValue, splitTopLevel, type RawEntry, type RawField } from './bibtexScan';
import { cleanLibraryText, latexToText } from './latexText';
import type { PaperDraft } from './userPaper';

/** A field value longer than this is converted by {@link latexToText} (a title or name list is far shorter). */
export const LONG_FIELD = 2000;

/** Turns converted fields (the fast path's or the library's) plus the raw fields neither saw into a draft. */
export function draftFrom(raw: RawEntry, fields: Record<string, unknown>, macros: ReadonlyMap<string, string>): PaperDraft {
  const rawField = (name: string): RawField | undefined => raw.fields.find((f) => f.name === name);
  const own = (name: string): string | undefined => {
    const f = rawField(name);
    return f && f.expr.length > LONG_FIELD ? latexToText(resolveValue(f.parts, macros)) : undefined;
  };
  const text = (name: string): string | undefined => {
    const v = fields[name];
    const s = typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(', ') : undefined;
    const cleaned = s === undefined ? own(name) : cleanText(s);
    return cleaned ? cleaned : undefined;
  };

  let authors: string[] | undefined;
  if (Array.isArray(fields.author)) {
    authors = (fields.author as Creator[]).map(creatorName).filter(Boolean);
  } else {
    const long = rawField('author');
    if (long && long.expr.length > LONG_FIELD) authors = splitNames(resolveValue(long.parts, macros)).map(latexToText);
  }
  const abstractField = rawField('abstract');
  // Converted even when it is plain already: latexToText builds a new string, which is one-byte for
  // ASCII text, where a slice of a file that has any non-Latin-1 character would be two-byte: twice
  // the bytes to send to the host and for its garbage collector to copy.
  const abstract = abstractField ? latexToText(resolveValue(abstractField.parts, macros)) : '';
  const dateText = text('date');
  const date = dateText && /^\d{4}-\d{2}-\d{2}$/.test(dateText) ? dateText : null;
  const yearMatch = /\b(1[89]\d\d|2[0-1]\d\d)\b/.exec(text('year') ?? dateText ?? '');
  const journal = text('journal') ?? text('journaltitle');
  const howpublished = text('howpublished');
  let venue = journal ?? text('booktitle') ?? text('venue') ?? (howpublished && !/^(https?:|\\url)/i.test(howpublished) ? howpublished : undefined) ?? text('school') ?? text('institution');
  // Google Scholar's `journal={arXiv preprint arXiv:1708.02002}` names a preprint, not a venue.
  if (venue && /^arxiv\b/i.test(venue)) venue = undefined;
  const archive = (text('archiveprefix') ?? text('eprinttype') ?? '').toLowerCase();
  const eprint = text('eprint');
  const arxiv = text('arxiv') ?? text('arxivid') ?? (eprint && (archive === 'arxiv' || /^\d{4}\.\d{4,5}/.test(eprint)) ? eprint : undefined) ?? (journal && /arxiv/i.test(journal) ? journal : undefined);
  const conceptsField = rawField('concepts');
  const concepts = conceptsField ? resolveValue(conceptsField.parts, macros).split(/[,;]/).map((s) => s.trim()).filter(Boolean) : undefined;
  const keywords = Array.isArray(fields.keywords) ? (fields.keywords as string[]).map((k) => cleanText(k)) : undefined;
  return {
    title: text('title') ?? '',
    authors,
    abstract,
    year: yearMatch ? Number(yearMatch[1]) : null,
    date,
    venue: venue ?? null,
    arxiv: arxiv ?? null,
    doi: text('doi') ?? null,
    url: text('url') ?? null,
    code: text('code') ?? null,
    pdf: text('pdf') ?? null,
    concepts,
    keywords,
    citationKey: raw.key || undefined,
  };
}

/**
 * Printable ASCII without `<` (so no markup), words separated by single spaces: text that
 * {@link cleanLibraryText} returns unchanged (nothing to strip, normalise or collapse).
 */
export const CLEAN_ALREADY = /^[!-;=-~]+(?: [!-;=-~]+)*$/;

/** {@link cleanLibraryText}, skipping its work for most values, which are clean already. */
function cleanText(s: string): string {
  return CLEAN_ALREADY.test(s) ? s : cleanLibraryText(s);
}

interface Creator {
  name?: string;
  lastName?: string;
  firstName?: string;
  prefix?: string;
  suffix?: string;
}

/** "First von Last, Jr." from the library's name parts; institutions keep their `name`. */
function creatorName(c: Creator): string {
  // The fast path shares one frozen object per distinct name across a file: named once.
  const known = Object.isFrozen(c) ? creatorNames.get(c) : undefined;
  if (known !== undefined) return known;
  let name: string;
  if (c.name) name = cleanText(c.name);
  else {
    const main = [c.firstName, c.prefix, c.lastName].filter(Boolean).join(' ');
    name = cleanText(c.suffix ? `${main}, ${c.suffix}` : main);
  }
  if (Object.isFrozen(c)) creatorNames.set(c, name);
  return name;
}

const creatorNames = new WeakMap<Creator, string>();

/**
 * Splits a BibTeX name list on ` and ` outside braces; "Last, First" becomes "First Last" and
 * "Last, Jr., First" becomes "First Last, Jr." (the library's display order).
 */
export function splitNames(list: string): string[] {
  return splitTopLevel(list, ' and ')
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => {
      const parts = splitTopLevel(n, ',').map((p) => p.trim());
      if (parts.length === 2) return `${parts[1]} ${parts[0]}`;
      if (parts.length >= 3) return `${parts.slice(2).join(' ')} ${parts[0]}, ${parts[1]}`;
      return n;
    });
}
