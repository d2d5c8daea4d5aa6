/**
 * Imports a user's BibTeX file as papers.
 *
 * @retorquere/bibtex-parser converts entries: @string expansion, LaTeX accents and symbols, name
 * lists, crossref inheritance. In front of it, bibtexScan.ts finds the entries and their lines, so
 * that each entry is converted on its own: a broken entry is one diagnostic at its line and every
 * other entry still loads, and the loop can yield between entries. Most entries need little of the
 * library: bibtexFastPath.ts gives its result for them directly. A window of entries ahead of the
 * loop goes through it together, so that what it leaves to the library is converted in a few
 * calls: first the formulas and commands it does not know (each alone, cached), then the fields it
 * still cannot convert (only those fields). A batch the library reports anything for is halved
 * until the entry it was about, which is then converted alone and whole, as before, so that every
 * message names its entry and line.
 *
 * The library's LaTeX parser costs 10–80 µs per character (a 2 kB abstract ~40 ms, a 1 MB field
 * minutes), so it is given only the fields PaperLens shows; the abstract, and any field too long to
 * be a title or a name list, go through the linear {@link latexToText} instead.
 */
import type { Options } from '@retorquere/bibtex-parser';
import { fastFields } from './bibtexFastPath';
import { crossrefSources, LibraryPieces, type ParseFn } from './bibtexLibrary';
import { loadBibtexParser } from './bibtexParser';
import { bibChunks, excerpt, LineIndex, resolveValue, scanFields, type BibChunk, type RawEntry, type RawField } from './bibtexScan';
import { collapseSpace, latexToText, protectAngles, protectVerbatim } from './latexText';
import { NO_YIELD, type Slicer } from './slicer';
import type { ConceptMatcher } from './conceptInference';
import type { LoadIssue, Paper } from './types';
import { paperFromDraft, type PaperDraft } from './userPaper';
import { draftFrom, LONG_FIELD } from './bibtexDraft';

export { CLEAN_ALREADY } from './bibtexDraft';

export interface UserImportOptions {
  /** Resolves explicit concept tags and infers tags from title/abstract. */
  matcher?: ConceptMatcher;
  /** Restricts explicit concept ids to known ones (unknown ones are warned about). */
  knownConcept?: (id: string) => boolean;
  slicer?: Slicer;
  /** Called after each entry with characters done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Keep each paper's source text (its BibTeX entry), e.g. to append it to another file verbatim. */
  keepSource?: boolean;
  /** Conversions from the previous import of the same file (BibTeX); reused when an entry is unchanged. */
  cache?: BibtexCache;
  /**
   * Convert every entry with the library, never the fast path. For the tests that prove the fast
   * path gives the library's result; slow.
   */
  libraryOnly?: boolean;
  /** Counts of the work done, for the tests and bench/ (never shown to users). */
  stats?: BibtexImportStats;
}

/** How many entries and formulas went to @retorquere/bibtex-parser (the costly part of an import). */
export interface BibtexImportStats {
  /** Entries (with their crossref parent) converted by the library, alone or in a batch. */
  libraryEntries: number;
  /** Calls of the library for entries (a batch is one call). */
  libraryCalls: number;
  /** Fields converted by the library in a batch, for entries whose other fields the fast path converted. */
  libraryFields: number;
  /**
   * Formulas and commands converted by the library on their own (each distinct one once; later
   * ones are cached), for fields the fast path converts otherwise.
   */
  libraryPieces: number;
}

export interface UserImportResult {
  papers: Paper[];
  issues: LoadIssue[];
  /** Entries (or records) found, loaded or not. */
  entries: number;
  /** Entries that could not be loaded (each has an error issue). */
  failed: number;
  /** With `keepSource`: the source text of each paper, by index into `papers`. */
  sourceTexts?: string[];
}

/** Fields the library converts; every other field is dropped before it sees the entry. */
const LIBRARY_FIELDS = new Set([
  'title', 'author', 'year', 'date', 'month', 'journal', 'journaltitle', 'booktitle', 'venue', 'howpublished',
  'institution', 'school', 'organization', 'doi', 'eprint', 'archiveprefix', 'eprinttype', 'url', 'keywords',
  'crossref', 'code', 'arxiv', 'arxivid', 'pdf',
]);


/** Entry types that hold other entries (crossref targets), not papers. */
const CONTAINER_TYPES = new Set(['proceedings', 'mvproceedings', 'periodical', 'set', 'xdata']);

/** Parses BibTeX text into papers. Never throws; problems become issues at their lines. */
export async function importBibtex(text: string, file: string, options: UserImportOptions = {}): Promise<UserImportResult> {
  const { parse } = await loadBibtexParser();
  const slicer = options.slicer ?? NO_YIELD;
  const lines = new LineIndex(text);
  const issues: LoadIssue[] = [];
  const issue = (offset: number, message: string, severity: LoadIssue['severity'] = 'error') =>
    issues.push({ file, line: lines.lineAt(offset), message, severity });

  // Pass 1: blocks, @string macros (raw LaTeX, expanded in order), and where each key lives.
  const chunks: BibChunk[] = [];
  const macros = new Map<string, string>();
  const keyAt = new Map<string, number>();
  for (const chunk of bibChunks(text)) {
    if (chunk.kind === 'string') {
      const scanned = scanFields(text, chunk);
      if ('error' in scanned) issue(scanned.error.offset, scanned.error.message.replace('This @string entry', 'This @string definition'));
      else for (const f of scanned.entry.fields) macros.set(f.name.toUpperCase(), resolveValue(f.parts, macros));
    } else if (chunk.kind === 'entry') {
      const key = /^@[^{(]*[{(]\s*([^,\s}=)]*)/.exec(text.slice(chunk.start, Math.min(chunk.end, chunk.start + 400)))?.[1];
      if (key) {
        const k = key.toLowerCase();
        if (keyAt.has(k)) {
          const first = lines.lineAt(chunks[keyAt.get(k)!].start);
          issue(chunk.start, `Citation key “${excerpt(key)}” is used again (first on line ${first}); LaTeX will complain, but both entries are loaded.`, 'warning');
        } else keyAt.set(k, chunks.length);
      }
      chunks.push(chunk);
    }
    await slicer.tick();
  }
  const strings = Object.fromEntries(macros);
  const libOptions: Options = {
    sentenceCase: false,
    english: false,
    applyCrossRef: true,
    strings,
    // Unknown commands keep the text of their arguments instead of failing the entry.
    unsupported: (_node: unknown, tex: string) => latexToText(tex),
    verbatimFields: [...VERBATIM_FIELDS],
  } as Options;
  // Without `libraryOnly`, entries go through the fast path when it understands them.
  const stats = options.stats;
  const pieces = options.libraryOnly ? undefined : new LibraryPieces(parse, libOptions, stats);

  // Pass 2: each entry on its own.
  const papers: Paper[] = [];
  const sourceTexts: string[] | undefined = options.keepSource ? [] : undefined;
  let entries = 0;
  let failed = 0;
  const scannedCache = new Map<number, RawEntry | null>();
  const scanChunk = (index: number): RawEntry | null => {
    if (!scannedCache.has(index)) {
      const r = scanFields(text, chunks[index]);
      scannedCache.set(index, 'entry' in r ? r.entry : null);
    }
    return scannedCache.get(index)!;
  };
  // Only a caller that imports the same file again (the editor's worker) keeps a cache: for a
  // one-off import (the CLI) it would only hold every converted entry until the end.
  const cache = options.cache;
  cache?.begin(file, options.matcher, options.knownConcept);
  // Entries are tried with the fast path a window ahead of the loop, and those it leaves to the
  // library are converted together, one library call for a batch (each call costs the library's
  // set-up, several times a short entry's own conversion). A batch the library reports anything
  // for is not used: its entries are converted one by one, so every message names its entry.
  const ahead = new Map<number, Prepared>();
  let aheadTo = 0;
  const prepareWindow = (from: number): void => {
    const end = Math.min(chunks.length, from + WINDOW);
    const tried: { raw: RawEntry; prepared: Prepared }[] = [];
    const withParent: RawEntry[] = [];
    for (let j = from; j < end; j++) {
      const chunk = chunks[j];
      if (CONTAINER_TYPES.has(chunk.type)) continue;
      const scanned = scanFields(text, chunk);
      if (!('entry' in scanned)) continue;
      const raw = scanned.entry;
      const prepared: Prepared = { raw };
      ahead.set(j, prepared);
      // Entries with a crossref go through the loop with their parent; those without a title are skipped there.
      if (!pieces || !hasField(raw, 'title')) continue;
      if (hasField(raw, 'crossref')) {
        withParent.push(raw);
        continue;
      }
      if (cache?.has(text.slice(chunk.start, chunk.end), `\u0001${macroSignature(raw, macros)}`)) continue;
      prepared.tried = true;
      tried.push({ raw, prepared });
    }
    aheadTo = end;
    if (!pieces) return;
    // First pass: formulas and unknown commands not converted yet are only noted, then converted
    // together; second pass (only where something was noted): the fields with them.
    const pending: { raw: RawEntry; left: RawField[]; fast: Record<string, unknown>; prepared: Prepared }[] = [];
    const again: typeof tried = [];
    const attempt = (list: typeof tried): void => {
      for (const t of list) {
        const noted = pieces.noted;
        const left: RawField[] = [];
        let fields = fastFields(t.raw, macros, convertsField, pieces.math, { left, fragment: pieces.fragment });
        // An entry that cannot go in a batch goes to the library whole.
        if (left.length && !batchable(t.raw)) fields = undefined;
        // While recording, a piece not converted yet stands in as empty text: that entry is done again.
        if (pieces.recording && pieces.noted !== noted) {
          again.push(t);
          continue;
        }
        t.prepared.fields = fields && !left.length ? fields : undefined;
        if (fields && left.length) pending.push({ ...t, left, fast: fields });
      }
    };
    pieces.recording = true;
    attempt(tried);
    // Entries with a crossref are converted in the loop (with their parent); their pieces are noted here.
    for (const raw of withParent) fastFields(raw, macros, convertsField, pieces.math, { fragment: pieces.fragment });
    pieces.recording = false;
    pieces.flush();
    attempt(again);
    // The fields left: converted alone by the library, in batches.
    const convertFields = (members: typeof pending): void => {
      const texts = members.map((m, n) => dietText(m.raw, `paperlens${n}`, m.left));
      let lib;
      try {
        lib = parse(texts.join('\n'), libOptions);
      } catch {
        lib = undefined;
      }
      if (stats) stats.libraryCalls++;
      if (!lib || lib.errors.length) {
        // Halves until the entry the library reports; that one is converted alone, whole, in the loop.
        if (members.length > 1) {
          const half = Math.ceil(members.length / 2);
          convertFields(members.slice(0, half));
          convertFields(members.slice(half));
        }
        return;
      }
      members.forEach((m, n) => {
        const entry = lib.entries.find((e) => e.key === `paperlens${n}`);
        // The library read exactly this entry's text (nothing of a neighbour).
        if (entry && (entry as { input?: string }).input === texts[n]) {
          m.prepared.fields = { ...m.fast, ...(entry.fields as Record<string, unknown>) };
          if (stats) stats.libraryFields += m.left.length;
        }
      });
    };
    for (let k = 0; k < pending.length; k += BATCH) convertFields(pending.slice(k, k + BATCH));
  };
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index];
    options.onProgress?.(chunk.end, text.length);
    await slicer.tick();
    if (CONTAINER_TYPES.has(chunk.type)) continue;
    entries++;
    if (index >= aheadTo) prepareWindow(index);
    const prepared = ahead.get(index);
    ahead.delete(index);
    const scanned = prepared ? { entry: prepared.raw } : scanFields(text, chunk);
    if ('error' in scanned) {
      issue(scanned.error.offset, scanned.error.message);
      failed++;
      continue;
    }
    const raw = scanned.entry;
    for (const d of raw.duplicates) issue(d.offset, `Entry “${excerpt(raw.key)}”: field “${d.name}” is given twice; the first value is used.`, 'warning');
    const crossrefField = raw.fields.find((f) => f.name === 'crossref');
    let parent: RawEntry | null = null;
    if (crossrefField) {
      const parentKey = collapseSpace(resolveValue(crossrefField.parts, macros)).toLowerCase();
      const parentIndex = keyAt.get(parentKey);
      parent = parentIndex === undefined ? null : scanChunk(parentIndex);
      if (!parent) issue(crossrefField.offset, `Entry “${excerpt(raw.key)}”: crossref “${excerpt(parentKey)}” is not an entry in this file; nothing is inherited.`, 'warning');
    }
    // A conversion depends on the entry's text, its crossref parent and the macros it uses.
    const entryText = cache || sourceTexts ? text.slice(chunk.start, chunk.end) : '';
    const context = cache ? `${parent ? dietText(parent) : ''}\u0001${macroSignature(raw, macros)}` : '';
    let converted = cache?.get(entryText, context);
    if (!converted) {
      converted = convertEntry(raw, parent, macros, parse, libOptions, pieces, stats, prepared?.tried ? prepared.fields ?? null : undefined);
      cache?.set(entryText, context, converted);
    }
    for (const p of converted.problems) issue(chunk.start, p.message, p.severity);
    if (!converted.draft) {
      failed++;
      continue;
    }
    const line = lines.lineAt(chunk.start);
    // The finished paper is cached too (concept inference is the costly part); only where it was
    // found — the file and line — is filled in on each import.
    converted.made ??= paperFromDraft(converted.draft, { file, line, matcher: options.matcher, knownConcept: options.knownConcept });
    const { paper: made, warnings } = converted.made;
    for (const w of warnings) issue(chunk.start, `Entry “${excerpt(raw.key)}”: ${w}`, 'warning');
    const paper: Paper = { ...made, sources: [file], provenance: { ...made.provenance, entry: `${file}:${line}` } };
    papers.push(paper);
    sourceTexts?.push(entryText);
  }
  cache?.commit();
  if (chunks.length === 0) {
    issues.push({
      file, line: 1, severity: 'warning',
      message: text.trim() === '' ? 'The file is empty.' : 'No BibTeX entries found (expected blocks such as @article{key, title = {…}}).',
    });
  }
  return { papers, issues, entries, failed, ...(sourceTexts ? { sourceTexts } : {}) };
}

/** An entry scanned ahead of the import loop, and its fields when the fast path or a library batch gave them. */
interface Prepared {
  raw: RawEntry;
  /** The fast path was tried (and, if it gave nothing, a batch). */
  tried?: boolean;
  fields?: Record<string, unknown>;
}

/** Entries scanned ahead of the import loop, and at most this many converted by one library call. */
const WINDOW = 128;
const BATCH = 32;

/**
 * Whether an entry converts in a batch exactly as alone: its key is one the library reads the same
 * whatever it is replaced with, and it defines no command (the library keeps `\newcommand`s for
 * the rest of the call).
 */
function batchable(raw: RawEntry): boolean {
  return /^[A-Za-z0-9_:.+/-]+$/.test(raw.key) && !raw.fields.some((f) => convertsField(f) && /\\(?:newcommand|ProvideTextCommandDefault|renewcommand|def)(?![A-Za-z])/.test(f.expr));
}

/** Whether the library (or the fast path standing in for it) converts a field. */
function convertsField(f: RawField): boolean {
  return LIBRARY_FIELDS.has(f.name) && f.expr.length <= LONG_FIELD;
}

/** The entry with only the fields the library should convert; angle brackets (and `$` in verbatim fields) protected. */
function dietText(raw: RawEntry, key = raw.key, only?: readonly RawField[]): string {
  const fields = only ?? raw.fields.filter(convertsField);
  const body = fields.map((f) => `  ${f.name} = ${VERBATIM_FIELDS.has(f.name) ? protectVerbatim(f.expr) : protectAngles(f.expr)}`).join(',\n');
  return `@${raw.type}{${key},\n${body}\n}`;
}

/** What converting one entry gave, independent of where it sits in the file (so it can be cached). */
export interface ConvertedEntry {
  draft?: PaperDraft;
  problems: { message: string; severity: LoadIssue['severity'] }[];
  /** The paper made from `draft` (filled in on first use). */
  made?: { paper: Paper; warnings: string[] };
}

/**
 * Conversions of entries by their text, kept between imports of the same file so that saving a
 * file after editing one entry converts only that entry. Holds only what the last import used.
 */
export class BibtexCache {
  /**
   * By a short key (the entry's length and first characters, usually `@type{citekey,`: hashing a
   * whole entry for every entry of a large file costs more than the rest of a cache lookup), with
   * the entry's text compared on a hit and what else the conversion depended on (crossref parent,
   * @string values) as `context`. Two entries with the same key and different text replace each
   * other (a miss later, never a wrong hit).
   */
  private previous = new Map<string, CacheRecord>();
  private current = new Map<string, CacheRecord>();
  private context: unknown[] = [];

  /** Starts an import; cached papers made with other concept options or another file name are dropped. */
  begin(...context: unknown[]): void {
    if (context.length !== this.context.length || context.some((c, i) => c !== this.context[i])) {
      this.previous = new Map();
      this.current = new Map();
      this.context = context;
    }
  }

  /** Whether {@link get} would find a conversion (without using it). */
  has(entryText: string, context: string): boolean {
    const key = shortKey(entryText);
    const matches = (r: CacheRecord | undefined): boolean => r !== undefined && r.context === context && r.text === entryText;
    return matches(this.current.get(key)) || matches(this.previous.get(key));
  }

  get(entryText: string, context: string): ConvertedEntry | undefined {
    const key = shortKey(entryText);
    const matches = (r: CacheRecord | undefined): r is CacheRecord => r !== undefined && r.context === context && r.text === entryText;
    let hit = this.current.get(key);
    if (!matches(hit)) hit = this.previous.get(key);
    if (!matches(hit)) return undefined;
    this.current.set(key, hit);
    return hit.entry;
  }

  set(entryText: string, context: string, entry: ConvertedEntry): void {
    this.current.set(shortKey(entryText), { text: entryText, context, entry });
  }

  /** Ends an import: entries the import did not use are forgotten. */
  commit(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.previous.size;
  }
}

interface CacheRecord {
  text: string;
  context: string;
  entry: ConvertedEntry;
}

function shortKey(entryText: string): string {
  return `${entryText.length}\u0001${entryText.slice(0, 48)}`;
}

/** The values of the @string macros an entry uses (part of its cache key). */
function macroSignature(raw: RawEntry, macros: ReadonlyMap<string, string>): string {
  let sig = '';
  for (const f of raw.fields) {
    for (const p of f.parts) if (p.kind === 'macro') sig += `${p.text}=${macros.get(p.text.toUpperCase()) ?? ''}\u0002`;
  }
  return sig;
}

/** Fields whose values are identifiers or URLs: the library keeps them as written. */
const VERBATIM_FIELDS = new Set(['url', 'doi', 'eprint', 'pdf', 'code', 'arxiv', 'arxivid', 'crossref']);

/** Converts one scanned entry: through the fast path when it can (bibtexFastPath.ts), else the library. */
function convertEntry(
  raw: RawEntry, parent: RawEntry | null, macros: ReadonlyMap<string, string>, parse: ParseFn, libOptions: Options, pieces: LibraryPieces | undefined,
  stats: BibtexImportStats | undefined,
  /** Fields converted ahead (fast path or a batch); null when the fast path was tried and gave nothing. */
  given?: Record<string, unknown> | null,
): ConvertedEntry {
  const problems: ConvertedEntry['problems'] = [];
  // Without a title (its own or a crossref parent's) the entry is skipped whatever the rest says:
  // no need for the library, whose set-up per entry made a line of 60,000 empty entries take seconds.
  if (!hasField(raw, 'title') && !(parent && hasField(parent, 'title'))) return { problems: [noTitle(raw)] };
  let fields = given !== undefined ? given ?? undefined : !pieces ? undefined : parent ? fastWithParent(raw, parent, macros, pieces, parse, libOptions) : fastFields(raw, macros, convertsField, pieces.math, { fragment: pieces.fragment });
  if (!fields) {
    let lib;
    if (stats) {
      stats.libraryEntries++;
      stats.libraryCalls++;
    }
    try {
      lib = parse(`${parent ? `${dietText(parent)}\n` : ''}${dietText(raw)}`, libOptions);
    } catch (err) {
      return { problems: [{ message: `Entry “${excerpt(raw.key)}” could not be converted: ${firstLine(err instanceof Error ? err.message : String(err))}.`, severity: 'error' }] };
    }
    const entry = lib.entries.find((e) => e.key === raw.key) ?? (raw.key === '' ? lib.entries[lib.entries.length - 1] : undefined);
    for (const e of lib.errors) {
      const unresolved = /Unresolved @string reference "([^"]*)"/.exec(e.error);
      if (unresolved) problems.push({ message: `Entry “${excerpt(raw.key)}”: @string macro “${excerpt(unresolved[1])}” is not defined; its name is used as the text.`, severity: 'warning' });
      else problems.push({ message: `Entry “${excerpt(raw.key)}”: ${firstLine(e.error)}.`, severity: entry ? 'warning' : 'error' });
    }
    if (!entry) {
      if (!lib.errors.length) problems.push({ message: `Entry “${excerpt(raw.key)}” could not be read.`, severity: 'error' });
      return { problems };
    }
    fields = entry.fields as Record<string, unknown>;
  }
  const draft = draftFrom(raw, fields, macros);
  if (!draft.title) {
    problems.push(noTitle(raw));
    return { problems };
  }
  return { draft, problems };
}

/**
 * The fast path for an entry with a crossref parent: both converted by it, and the fields the
 * library's crossref inheritance would copy from the parent added (see {@link crossrefSources}).
 */
function fastWithParent(raw: RawEntry, parent: RawEntry, macros: ReadonlyMap<string, string>, pieces: LibraryPieces, parse: ParseFn, libOptions: Options): Record<string, unknown> | undefined {
  // A parent that has a parent, or is the entry itself, is left to the library.
  if (hasField(parent, 'crossref') || parent.key.toUpperCase() === raw.key.toUpperCase()) return undefined;
  const own = fastFields(raw, macros, convertsField, pieces.math, { fragment: pieces.fragment });
  if (!own || typeof own.crossref !== 'string' || own.crossref.toUpperCase() !== parent.key.toUpperCase()) return undefined;
  const from = fastFields(parent, macros, convertsField, pieces.math, { fragment: pieces.fragment });
  const sources = from && crossrefSources(parse, libOptions, [...LIBRARY_FIELDS], raw.type, parent.type);
  if (!from || !sources) return undefined;
  for (const [field, candidates] of sources) {
    if (own[field]) continue;
    const source = candidates.find((c) => from[c]);
    if (source !== undefined) own[field] = from[source];
  }
  return own;
}

function hasField(raw: RawEntry, name: string): boolean {
  return raw.fields.some((f) => f.name === name);
}

function noTitle(raw: RawEntry): ConvertedEntry['problems'][number] {
  return { message: `Entry “${excerpt(raw.key) || `@${raw.type}`}” has no title; it is skipped.`, severity: 'error' };
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim().replace(/\.$/, '');
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
