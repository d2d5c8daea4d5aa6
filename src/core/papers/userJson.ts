/**
 * Imports a PaperLens papers file (`*.paperlens.json`): `{"papers": [ … ]}` or a bare array, each
 * record described by paper-data/schema/paperlens-papers.schema.json. Only `title` is required.
 *
 * Problems are reported at the line of the record, or of the field, that has them. A syntax error
 * costs only the record it is in where that can be told apart: the file is split into records by
 * a structural scan, and each record is parsed on its own when the whole file does not parse.
 */
import { editDistance } from './corpus';
import { excerpt } from './bibtexScan';
import { jsonSyntaxProblem } from './jsonSyntax';
import { afterLineBreak, LineIndex } from '../text/lineIndex';
import { NO_YIELD, type Slicer } from './slicer';
import type { ConceptRelation, LoadIssue, Paper, PaperConcept, PaperLinks } from './types';
import { paperFromDraft, type PaperDraft } from './userPaper';
import type { UserImportOptions, UserImportResult } from './bibtexImport';

/** Every field a record may have, as in the JSON schema. */
export const JSON_PAPER_FIELDS = [
  'id', 'title', 'authors', 'abstract', 'year', 'date', 'venue', 'arxiv', 'arxivId', 'doi', 'url', 'code', 'pdf',
  'links', 'concepts', 'keywords', 'citationKey', 'organization', 'note', 'authorCount', 'upvotes', 'sources', 'provenance',
] as const;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(JSON_PAPER_FIELDS);
const LINK_KEYS: readonly (keyof PaperLinks)[] = ['arxiv', 'pdf', 'huggingFace', 'code', 'doi', 'url'];
const RELATIONS: readonly ConceptRelation[] = ['proposes', 'studies', 'introduces-classic'];

/** Where a record sits in the text, and where each of its top-level fields starts. */
export interface RecordSpan {
  start: number;
  end: number;
  /** Offsets of the record's own (top-level) keys, first occurrence each. */
  readonly keys: Map<string, number>;
  /** The record was not closed; it ends where the next record starts. */
  cut?: boolean;
}

/**
 * A record's keys are read when a problem needs a field's line, not for every record: a file of
 * many records spent a third of its time building maps no message used.
 */
class LocatedRecord implements RecordSpan {
  private keyOffsets: Map<string, number> | undefined;
  constructor(private readonly text: string, readonly start: number, readonly end: number, readonly cut?: boolean) {}
  get keys(): Map<string, number> {
    if (!this.keyOffsets) {
      this.keyOffsets = new Map();
      if (this.text.charCodeAt(this.start) === C_LBRACE) collectKeys(this.text, this.start, this.end, this.keyOffsets);
    }
    return this.keyOffsets;
  }
}

const C_TAB = 9;
const C_LF = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_QUOTE = 34;
const C_COMMA = 44;
const C_COLON = 58;
const C_LBRACK = 91;
const C_BACKSLASH = 92;
const C_RBRACK = 93;
const C_LBRACE = 123;
const C_RBRACE = 125;
const C_BOM = 0xfeff;

/**
 * Finds the records of a papers file without parsing values: the elements of the root array, or
 * of the root object's `papers` array. Tolerant: never throws, always terminates; an element that
 * is not closed ends where a line with its own indentation starts the next `{`.
 */
export function locateRecords(text: string): { records: RecordSpan[]; container: 'array' | 'papers' | null } {
  const n = text.length;
  let i = 0;
  // Character codes, not one-character strings: this loop touches every character of the file.
  const ws = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== C_SPACE && c !== C_TAB && c !== C_LF && c !== C_CR && c !== C_BOM) return;
    }
  };
  const skipString = () => {
    // i at the opening quote; a JSON string cannot span lines, so a newline ends a broken one.
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C_BACKSLASH) i += 2;
      else if (c === C_QUOTE) {
        i++;
        return;
      } else if (c === C_LF || c === C_CR) return;
      else i++;
    }
  };
  let wasCut = false;
  // Line starts by binary search: scanning back to the line start for each record made a file
  // written on one line (JSON.stringify) quadratic.
  let lineIndex: LineIndex | undefined;
  const skipComposite = (recover: boolean) => {
    wasCut = false;
    // i at `{` or `[`. With `recover` (a record), a line that starts with `{` at the record's own
    // indentation begins the next record: the current one was never closed.
    const start = i;
    let nextRecord: string | undefined;
    if (recover) {
      lineIndex ??= new LineIndex(text);
      const lineStart = lineIndex.lineStartAt(start);
      let k = start;
      while (k > lineStart && (text.charCodeAt(k - 1) === C_SPACE || text.charCodeAt(k - 1) === C_TAB)) k--;
      if (k === lineStart) nextRecord = `${text.slice(lineStart, start)}{`;
    }
    let depth = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C_QUOTE) {
        skipString();
        continue;
      }
      if (c === C_LBRACE || c === C_LBRACK) depth++;
      else if (c === C_RBRACE || c === C_RBRACK) {
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      } else if ((c === C_LF || c === C_CR) && nextRecord !== undefined && text.startsWith(nextRecord, afterLineBreak(text, i))) {
        wasCut = true;
        return;
      }
      i++;
    }
  };
  const skipValue = () => {
    const c = text.charCodeAt(i);
    if (c === C_QUOTE) skipString();
    else if (c === C_LBRACE || c === C_LBRACK) skipComposite(false);
    else {
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === C_COMMA || d === C_RBRACE || d === C_RBRACK || d === C_LF || d === C_CR) break;
      }
    }
  };
  const records: RecordSpan[] = [];
  const readArray = () => {
    i++; // [
    for (;;) {
      ws();
      if (i >= n) return;
      const c = text.charCodeAt(i);
      if (c === C_RBRACK) return;
      if (c === C_COMMA) {
        i++;
        continue;
      }
      const start = i;
      if (c === C_LBRACE) {
        skipComposite(true);
        records.push(new LocatedRecord(text, start, i, wasCut || undefined));
      } else {
        skipValue();
        if (i === start) i++;
        records.push(new LocatedRecord(text, start, i));
      }
    }
  };

  ws();
  if (text.charCodeAt(i) === C_LBRACK) {
    readArray();
    return { records, container: 'array' };
  }
  if (text.charCodeAt(i) !== C_LBRACE) return { records, container: null };
  i++;
  for (;;) {
    ws();
    if (i >= n || text.charCodeAt(i) === C_RBRACE) return { records, container: null };
    if (text.charCodeAt(i) === C_COMMA) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) !== C_QUOTE) return { records, container: null };
    const keyStart = i;
    skipString();
    const key = text.slice(keyStart + 1, i - 1);
    ws();
    if (text.charCodeAt(i) !== C_COLON) return { records, container: null };
    i++;
    ws();
    if (key === 'papers' && text.charCodeAt(i) === C_LBRACK) {
      readArray();
      return { records, container: 'papers' };
    }
    const before = i;
    skipValue();
    if (i === before) i++;
  }
}

/** Offsets of the top-level keys of the object spanning [start, end). */
function collectKeys(text: string, start: number, end: number, keys: Map<string, number>): void {
  let depth = 0;
  let expectKey = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === C_QUOTE) {
      const s = k;
      k++;
      for (; k < end; k++) {
        const d = text.charCodeAt(k);
        if (d === C_QUOTE || d === C_LF || d === C_CR) break;
        if (d === C_BACKSLASH) k++;
      }
      if (depth === 1 && expectKey) {
        const name = text.slice(s + 1, k);
        if (!keys.has(name)) keys.set(name, s);
        expectKey = false;
      }
    } else if (c === C_LBRACE || c === C_LBRACK) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === C_RBRACE || c === C_RBRACK) depth--;
    else if (c === C_COMMA && depth === 1) expectKey = true;
  }
}

/** Parses a PaperLens papers file. Never throws. */
export async function importPapersJson(text: string, file: string, options: UserImportOptions = {}): Promise<UserImportResult> {
  const slicer: Slicer = options.slicer ?? NO_YIELD;
  const body = text.replace(/^\uFEFF/, '');
  const lines = new LineIndex(body);
  const issues: LoadIssue[] = [];
  const at = (offset: number) => lines.lineAt(offset);
  if (body.trim() === '') {
    return { papers: [], issues: [{ file, line: 1, message: 'The file is empty (expected {"papers": [ … ]}).', severity: 'warning' }], entries: 0, failed: 0 };
  }

  let records: unknown[] | undefined;
  let spans: RecordSpan[] = [];
  let syntax: { offset: number; message: string } | undefined;
  try {
    const data: unknown = JSON.parse(body);
    if (Array.isArray(data)) records = data;
    else if (typeof data === 'object' && data !== null && Array.isArray((data as { papers?: unknown }).papers)) {
      records = (data as { papers: unknown[] }).papers;
      for (const key of Object.keys(data)) {
        if (key !== 'papers' && key !== '$schema' && key !== '$comment') {
          issues.push({ file, line: 1, message: `Unknown top-level field “${excerpt(key)}” is ignored (a papers file has "papers" and optionally "$schema").`, severity: 'warning' });
        }
      }
    } else {
      issues.push({ file, line: 1, message: 'Expected {"papers": [ … ]} or a list of papers.', severity: 'error' });
      return { papers: [], issues, entries: 0, failed: 1 };
    }
    spans = locateRecords(body).records;
    if (spans.length !== records.length) spans = [];
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    // Some V8 messages carry no position (-1): the record that fails on its own then says where.
    syntax = { offset: pos ? Number(pos[1]) : -1, message: cleanJsonMessage(message) };
  }

  if (syntax) {
    // Recovery: parse record by record so that one bad record costs only itself.
    spans = locateRecords(body).records;
    records = [];
    const bad = new Set<number>();
    spans.forEach((span, index) => {
      // Checked before parsing: JSON.parse reports an error only by throwing, and a throw costs
      // about ten times the parse of a small record (a file of broken records was mostly throws).
      let problem = jsonSyntaxProblem(body, span.start, span.end);
      if (!problem) {
        try {
          records!.push(JSON.parse(body.slice(span.start, span.end)));
          return;
        } catch (err) {
          // Not expected (the check follows JSON.parse's grammar); reported like any other error.
          const message = (err as Error).message;
          const pos = /position (\d+)/.exec(message);
          problem = { offset: span.start + (pos ? Number(pos[1]) : 0), message };
        }
      }
      const offset = problem.offset ?? span.start;
      issues.push(span.cut
        ? { file, line: at(span.start), message: `Paper #${index + 1} is not closed: a “}” is missing before the next paper starts; it is skipped.`, severity: 'error' }
        : { file, line: at(Math.min(offset, span.end)), message: `Paper #${index + 1} is not valid JSON (${cleanJsonMessage(problem.message)}); it is skipped.`, severity: 'error' });
      records!.push(undefined);
      bad.add(index);
    });
    // The file-level error is the bad record's own when it lies between that record and the next.
    const explained = syntax.offset < 0 ? bad.size > 0 : spans.some((s, k) => bad.has(k) && syntax!.offset >= s.start && syntax!.offset <= (spans[k + 1]?.start ?? body.length));
    if (!explained) {
      const loaded = spans.length - bad.size;
      issues.push({
        file, line: at(Math.max(0, syntax.offset)), severity: 'error',
        message: `Invalid JSON: ${syntax.message}.${loaded > 0 ? ` The ${loaded} paper${loaded === 1 ? '' : 's'} that could be read are loaded.` : ''}`,
      });
    }
  }

  const papers: Paper[] = [];
  const sourceTexts: string[] | undefined = options.keepSource ? [] : undefined;
  let failed = 0;
  for (let index = 0; index < records!.length; index++) {
    await slicer.tick();
    options.onProgress?.(spans[index]?.end ?? body.length, body.length);
    const value = records![index];
    const span = spans[index];
    if (value === undefined && syntax) {
      failed++;
      continue;
    }
    const recordLine = span ? at(span.start) : 1;
    const fieldLine = (name: string) => (span?.keys.has(name) ? at(span.keys.get(name)!) : recordLine);
    const label = `Paper #${index + 1}`;
    const checked = draftFromRecord(value, label);
    for (const p of checked.problems) {
      issues.push({ file, line: p.field ? fieldLine(p.field) : recordLine, message: p.message, severity: p.fatal ? 'error' : 'warning' });
    }
    if (!checked.draft) {
      failed++;
      continue;
    }
    const { paper, warnings } = paperFromDraft(checked.draft, { file, line: recordLine, matcher: options.matcher, knownConcept: options.knownConcept });
    for (const w of warnings) issues.push({ file, line: recordLine, message: `${label} (“${clip(paper.title)}”): ${w}`, severity: 'warning' });
    papers.push(paper);
    sourceTexts?.push(span ? body.slice(span.start, span.end) : JSON.stringify(value, null, 2));
  }
  if (records!.length === 0 && !syntax) issues.push({ file, line: 1, message: 'The file lists no papers.', severity: 'warning' });
  return { papers, issues, entries: records!.length, failed, ...(sourceTexts ? { sourceTexts } : {}) };
}

interface Problem {
  message: string;
  field?: string;
  /** The record is skipped. */
  fatal?: boolean;
}

/** Checks one record against the schema's rules; returns a draft unless the record is unusable. */
export function draftFromRecord(value: unknown, label: string): { draft?: PaperDraft; problems: Problem[] } {
  const problems: Problem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ message: `${label} is not an object (found ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}); it is skipped.`, fatal: true }] };
  }
  const r = value as Record<string, unknown>;
  if (typeof r.title !== 'string' || r.title.trim() === '') {
    return { problems: [{ message: `${label} has no “title”; it is skipped.`, field: 'title' in r ? 'title' : undefined, fatal: true }] };
  }
  const title = r.title;
  const name = `${label} (“${clip(title)}”)`;
  for (const key of Object.keys(r)) {
    if (KNOWN_FIELDS.has(key) || key.startsWith('$')) continue;
    const close = JSON_PAPER_FIELDS.map((f) => ({ f, d: editDistance(key.toLowerCase(), f.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
    problems.push({ field: key, message: `${name}: unknown field “${excerpt(key)}” is ignored${close && close.d <= 2 ? ` (did you mean “${close.f}”?)` : ''}.` });
  }
  const bad = (field: string, expected: string) => problems.push({ field, message: `${name}: “${field}” must be ${expected}; it is ignored.` });
  const optString = (field: string): string | undefined => {
    const v = r[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    bad(field, 'a string');
    return undefined;
  };

  let authors: string[] | undefined;
  if (r.authors !== undefined && r.authors !== null) {
    if (Array.isArray(r.authors) && r.authors.every((a) => typeof a === 'string')) authors = r.authors as string[];
    else bad('authors', 'a list of names, e.g. ["Ada Lovelace"]');
  }
  let year: number | null | undefined;
  if (r.year !== undefined && r.year !== null) {
    if (Number.isInteger(r.year) && (r.year as number) > 1800 && (r.year as number) < 2200) year = r.year as number;
    else bad('year', 'a year such as 2021');
  }
  let date = optString('date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    bad('date', 'a date in the form YYYY-MM-DD');
    date = undefined;
  }
  let links: PaperLinks | undefined;
  if (r.links !== undefined && r.links !== null) {
    if (typeof r.links === 'object' && !Array.isArray(r.links)) {
      links = {};
      for (const [k, v] of Object.entries(r.links as Record<string, unknown>)) {
        if (!(LINK_KEYS as readonly string[]).includes(k)) problems.push({ field: 'links', message: `${name}: unknown link “${excerpt(k)}” is ignored (links are ${LINK_KEYS.join(', ')}).` });
        else if (typeof v === 'string') links[k as keyof PaperLinks] = v;
        else if (v !== null) bad(`links.${k}`, 'a URL string');
      }
    } else bad('links', 'an object such as {"code": "https://github.com/…"}');
  }
  let concepts: (string | PaperConcept)[] | undefined;
  if (r.concepts !== undefined && r.concepts !== null) {
    if (!Array.isArray(r.concepts)) bad('concepts', 'a list of concept ids or {"id", "relation"} objects');
    else {
      concepts = [];
      for (const c of r.concepts) {
        if (typeof c === 'string') concepts.push(c);
        else if (typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string') {
          const rel = (c as { relation?: unknown }).relation;
          if (rel !== undefined && !(RELATIONS as readonly unknown[]).includes(rel)) {
            problems.push({ field: 'concepts', message: `${name}: concept relation “${String(rel)}” is not one of ${RELATIONS.join(', ')}; “studies” is used.` });
          }
          concepts.push({ id: (c as { id: string }).id, relation: (RELATIONS as readonly unknown[]).includes(rel) ? (rel as ConceptRelation) : 'studies' });
        } else problems.push({ field: 'concepts', message: `${name}: a concept must be an id or {"id", "relation"}; ${excerpt(JSON.stringify(c) ?? String(c))} is ignored.` });
      }
    }
  }
  let keywords: string[] | undefined;
  if (r.keywords !== undefined && r.keywords !== null) {
    if (Array.isArray(r.keywords) && r.keywords.every((k) => typeof k === 'string')) keywords = r.keywords as string[];
    else bad('keywords', 'a list of strings');
  }
  let authorCount: number | null | undefined;
  if (r.authorCount !== undefined && r.authorCount !== null) {
    if (Number.isInteger(r.authorCount) && (r.authorCount as number) >= 0) authorCount = r.authorCount as number;
    else bad('authorCount', 'a whole number');
  }
  let upvotes: number | undefined;
  if (r.upvotes !== undefined && r.upvotes !== null) {
    if (Number.isInteger(r.upvotes) && (r.upvotes as number) >= 0) upvotes = r.upvotes as number;
    else bad('upvotes', 'a whole number');
  }
  const arxiv = optString('arxiv') ?? optString('arxivId');
  const draft: PaperDraft = {
    title,
    id: optString('id'),
    authors,
    abstract: optString('abstract'),
    year,
    date,
    venue: optString('venue'),
    arxiv,
    doi: optString('doi'),
    url: optString('url'),
    code: optString('code'),
    pdf: optString('pdf'),
    links,
    concepts,
    keywords,
    citationKey: optString('citationKey'),
    organization: optString('organization'),
    authorCount,
    upvotes,
  };
  optString('note');
  return { draft, problems };
}

const cleanedMessages = new Map<string, string>();

/** V8's JSON error text without the position and the quoted input it sometimes repeats. */
function cleanJsonMessage(message: string): string {
  // A file of broken records repeats a handful of messages many thousand times.
  let clean = cleanedMessages.get(message);
  if (clean === undefined) {
    clean = cleanJsonMessageOnce(message);
    if (cleanedMessages.size < 256) cleanedMessages.set(message, clean);
  }
  return clean;
}

function cleanJsonMessageOnce(message: string): string {
  const text = message
    .replace(/^Unexpected token '?([^']+?)'?, [\s\S]* is not valid JSON$/, 'unexpected “$1”')
    .replace(/^Unexpected token '([\s\S])'$/, 'unexpected “$1”')
    .replace(/ in JSON at position \d+[\s\S]*$/, '')
    .replace(/\.$/, '');
  // The most common hand-editing slip gets a hint.
  return /^Expected double-quoted property name/.test(text) ? `${text} (is there a trailing comma?)` : text;
}

function clip(s: string): string {
  return s.length > 50 ? `${s.slice(0, 49)}…` : s;
}
