/**
 * Appending papers to a user's corpus file — only ever on an explicit command ("Add Paper from
 * BibTeX…", "Import Papers…"). The new text keeps the file's own formatting and line endings: BibTeX
 * entries go at the end; JSON records go into the `papers` array without reformatting the rest.
 * `atomicWriteFile` (src/core/fs/atomicWrite.ts) then replaces the file in one rename, so a crash
 * never leaves half a file; it follows symbolic links and keeps the file's mode.
 */
export { atomicWriteFile } from '../fs/atomicWrite';
import { LineIndex } from '../text/lineIndex';
import { locateRecords } from './userJson';
import type { Paper } from './types';

/** The line ending a text uses most: `\r\n`, `\n`, or a lone `\r` (old Mac files). */
export function lineEnding(text: string): '\n' | '\r\n' | '\r' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const cr = (text.match(/\r/g) ?? []).length - crlf;
  if (cr > lf && cr > crlf) return '\r';
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

/** `existing` with BibTeX `entries` appended, one blank line between entries, ending in a newline. */
export function appendBibtexEntries(existing: string, entries: readonly string[]): string {
  const eol = existing ? lineEnding(existing) : '\n';
  const body = entries.map((e) => e.trim().replace(/\r\n|\r|\n/g, eol)).join(eol + eol);
  const head = existing.replace(/\s+$/, '');
  return `${head ? head + eol + eol : ''}${body}${eol}`;
}

/** A paper as a PaperLens JSON record (schema fields only; inferred concept tags are not written). */
export function paperToRecord(paper: Paper): Record<string, unknown> {
  const r: Record<string, unknown> = { title: paper.title };
  if (paper.authors.length) r.authors = paper.authors;
  if (paper.year !== null) r.year = paper.year;
  if (paper.date) r.date = paper.date;
  if (paper.venue) r.venue = paper.venue;
  if (paper.arxivId) r.arxiv = paper.arxivId;
  if (paper.doi) r.doi = paper.doi;
  if (paper.links.url) r.url = paper.links.url;
  if (paper.links.code) r.code = paper.links.code;
  const stated = paper.concepts.filter((c) => !c.inferred);
  if (stated.length) r.concepts = stated.map((c) => (c.relation === 'studies' ? c.id : { id: c.id, relation: c.relation }));
  if (paper.citationKey) r.citationKey = paper.citationKey;
  if (paper.organization) r.organization = paper.organization;
  if (paper.abstract) r.abstract = paper.abstract;
  return r;
}

/** Text of a new papers file holding `records`. */
export function newPapersJson(records: readonly object[], schemaUrl?: string): string {
  const doc: Record<string, unknown> = {};
  if (schemaUrl) doc.$schema = schemaUrl;
  doc.papers = records;
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * `existing` (a papers file) with `records` added at the end of its list. Refuses a file that is not
 * valid JSON or not a papers file, rather than guess where the records belong.
 */
export function appendJsonRecords(existing: string, records: readonly object[]): { text: string } | { error: string } {
  if (existing.trim() === '') return { text: newPapersJson(records) };
  let data: unknown;
  try {
    data = JSON.parse(existing.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { error: `the file is not valid JSON (${(err as Error).message}); fix it first` };
  }
  const isArray = Array.isArray(data);
  if (!isArray && !(typeof data === 'object' && data !== null && Array.isArray((data as { papers?: unknown }).papers))) {
    return { error: 'the file is not a PaperLens papers file (expected {"papers": [ … ]})' };
  }
  const eol = lineEnding(existing);
  const { records: spans } = locateRecords(existing);
  // The closing bracket of the list: after the last record, or the first `]` after `[` when empty.
  const listOpen = isArray ? existing.indexOf('[') : findPapersArray(existing);
  if (listOpen < 0) return { error: 'could not find the "papers" list' };
  const after = spans.length ? spans[spans.length - 1].end : listOpen + 1;
  const close = existing.indexOf(']', after);
  if (close < 0) return { error: 'could not find the end of the "papers" list' };
  // Indent records like the existing ones (or two more than the line holding the list).
  const lines = new LineIndex(existing);
  const lineStart = lines.lineStartAt(spans[0]?.start ?? listOpen);
  const baseIndent = /^[ \t]*/.exec(existing.slice(lineStart))![0];
  const indent = spans.length ? baseIndent : `${baseIndent}  `;
  const closeLineStart = lines.lineStartAt(close);
  const closeIndent = /^[ \t]*$/.test(existing.slice(closeLineStart, close)) ? existing.slice(closeLineStart, close) : baseIndent;
  const rendered = records.map((r) => indent + JSON.stringify(r, null, 2).replace(/\n/g, eol + indent));
  const head = existing.slice(0, after).replace(/\s+$/, '');
  const text = `${head}${spans.length ? ',' : ''}${eol}${rendered.join(`,${eol}`)}${eol}${closeIndent}${existing.slice(close)}`;
  return { text };
}

function findPapersArray(text: string): number {
  const m = /"papers"\s*:\s*\[/.exec(text);
  return m ? m.index + m[0].length - 1 : -1;
}

/** `key`, or `key` with a letter suffix, so that it is not in `taken` (compared case-insensitively). */
export function uniqueKey(key: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((k) => k.toLowerCase()));
  if (!lower.has(key.toLowerCase())) return key;
  for (let i = 0; ; i++) {
    const candidate = `${key}${String.fromCharCode(97 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

/** Replaces the citation key of one BibTeX entry's text. */
export function withCitationKey(entry: string, key: string): string {
  return entry.replace(/^(\s*@\s*[A-Za-z]+\s*[{(]\s*)[^,\s]*/, `$1${key}`);
}
