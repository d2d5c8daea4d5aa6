/**
 * Loads one user corpus file, whatever its format: BibTeX (`.bib`, `.bibtex`), PaperLens JSON
 * (`.json`, normally `*.paperlens.json`) or a Hugging Face Daily Papers page saved as text (any
 * other name). Shared by the editor (in a worker), the CLI (`paperlens check`, `--corpus`) and tests.
 * Never throws: an unreadable or non-text file is one issue, a broken entry is one issue at its line.
 */
import { readFile, stat } from 'node:fs/promises';
import { importBibtex, type UserImportOptions, type UserImportResult } from './bibtexImport';
import { corpusFormat, type CorpusFormat } from './corpusPaths';
import { parseHfPageDump } from './hfPageDump';
import { importPapersJson } from './userJson';
import { paperFromDraft } from './userPaper';
import type { LoadIssue, Paper } from './types';

export { corpusFormat, type CorpusFormat } from './corpusPaths';

export interface CorpusLoadOptions extends UserImportOptions {
  /** Overrides the format implied by the file name. */
  format?: CorpusFormat;
  /** For page dumps: the year the page was saved (dates shown without a year belong to it). */
  pageYear?: number;
}

export interface CorpusLoadResult extends UserImportResult {
  /** Set when the file could not be read at all (missing, a folder, no permission, not text). */
  unreadable?: string;
}

/**
 * At most this many problems are reported per file (the first ones, in file order), then one line
 * with the count of the rest: a file that is broken everywhere should not flood a terminal or the
 * Problems panel.
 */
export const MAX_ISSUES_PER_FILE = 200;

/** Keeps the first {@link MAX_ISSUES_PER_FILE} issues (sorted by line) and counts the rest in one more. */
export function capIssues(issues: LoadIssue[], file: string, max = MAX_ISSUES_PER_FILE): LoadIssue[] {
  if (issues.length <= max) return issues;
  const kept = issues.slice(0, max);
  const rest = issues.slice(max);
  const errors = rest.filter((i) => i.severity === 'error').length;
  kept.push({
    file, line: rest[0].line, severity: errors > 0 ? 'error' : 'warning',
    message: `${rest.length} more problem${rest.length === 1 ? '' : 's'} from this line on (${errors} error${errors === 1 ? '' : 's'}) are not listed; fix the ones above first.`,
  });
  return kept;
}

/** Files larger than this are not read: no bibliography is this large, and reading would cost the memory. */
export const MAX_CORPUS_BYTES = 256 * 1024 * 1024;

/**
 * Text from a file's bytes: UTF-8 (a BOM is dropped); files that are not valid UTF-8 are read as
 * Latin-1, which older `.bib` files often are. Binary data is refused.
 */
export function decodeCorpusBytes(bytes: Uint8Array): { text: string; note?: string } | { error: string } {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return { error: 'This file is not text (it contains binary data), so it was skipped.' };
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.05) return { error: 'This file is not text (it contains binary data), so it was skipped.' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), note: 'This file is not valid UTF-8; it was read as Latin-1. Save it as UTF-8 to be sure accents come out right.' };
  }
}

/** Loads corpus text in the given (or implied) format. */
export async function loadCorpusText(text: string, file: string, options: CorpusLoadOptions = {}): Promise<CorpusLoadResult> {
  const format = options.format ?? corpusFormat(file);
  try {
    const result = format === 'bibtex' ? await importBibtex(text, file, options)
      : format === 'json' ? await importPapersJson(text, file, options)
      : importPageDump(text, file, options);
    // Problems in file order (the sort is stable, so one line's issues keep their order).
    result.issues.sort((a, b) => a.line - b.line);
    result.issues = capIssues(result.issues, file);
    return result;
  } catch (err) {
    // The importers do not throw by design; this keeps one unexpected bug from losing every file.
    const message = err instanceof Error ? err.message : String(err);
    return { papers: [], issues: [{ file, line: 1, message: `PaperLens could not read this file (${message}).`, severity: 'error' }], entries: 0, failed: 1 };
  }
}

/** Loads corpus bytes: decoding, binary detection, then {@link loadCorpusText}. */
export async function loadCorpusBytes(bytes: Uint8Array, file: string, options: CorpusLoadOptions = {}): Promise<CorpusLoadResult> {
  const decoded = decodeCorpusBytes(bytes);
  if ('error' in decoded) return unreadable(file, decoded.error);
  const result = await loadCorpusText(decoded.text, file, options);
  if (decoded.note) result.issues.unshift({ file, line: 1, message: decoded.note, severity: 'warning' });
  return result;
}

/**
 * Reads and loads a file from disk. `file` is the path to read; `label` (default: `file`) is the
 * name recorded in issues and in each paper's `sources`.
 */
export async function loadCorpusFile(file: string, options: CorpusLoadOptions = {}, label = file): Promise<CorpusLoadResult> {
  let bytes: Uint8Array;
  let pageYear = options.pageYear;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return unreadable(label, 'This is a folder, not a file.');
    if (info.size > MAX_CORPUS_BYTES) return unreadable(label, `This file is ${(info.size / 1024 / 1024).toFixed(0)} MB, more than PaperLens reads (${MAX_CORPUS_BYTES / 1024 / 1024} MB).`);
    pageYear ??= info.mtime.getFullYear();
    bytes = await readFile(file);
  } catch (err) {
    return unreadable(label, readErrorMessage(err));
  }
  return loadCorpusBytes(bytes, label, { ...options, pageYear });
}

/** A person-readable reason for a failed read. */
export function readErrorMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'The file does not exist.';
    case 'EACCES':
    case 'EPERM': return 'PaperLens is not allowed to read this file.';
    case 'EISDIR': return 'This is a folder, not a file.';
    default: return `The file could not be read (${code ?? (err instanceof Error ? err.message : String(err))}).`;
  }
}

function unreadable(file: string, message: string): CorpusLoadResult {
  return { papers: [], issues: [{ file, line: 1, message, severity: 'error' }], entries: 0, failed: 0, unreadable: message };
}

/** A Hugging Face Daily Papers page dump as user papers (concepts inferred, no arXiv ids on the page). */
function importPageDump(text: string, file: string, options: CorpusLoadOptions): CorpusLoadResult {
  const page = parseHfPageDump(text, { pageYear: options.pageYear, file });
  const issues: LoadIssue[] = [...page.issues];
  const papers: Paper[] = [];
  for (const entry of page.entries) {
    const { paper, warnings } = paperFromDraft(
      {
        title: entry.title,
        abstract: entry.abstract,
        date: entry.date,
        authorCount: entry.authorCount,
        organization: entry.organization ?? undefined,
        upvotes: entry.upvotes ?? undefined,
      },
      { file, line: entry.line, matcher: options.matcher, knownConcept: options.knownConcept },
    );
    for (const w of warnings) issues.push({ file, line: entry.line, message: w, severity: 'warning' });
    papers.push(paper);
  }
  const failed = page.entries.length === 0 && text.trim() !== '' ? 1 : 0;
  if (text.trim() === '') {
    return { papers: [], issues: [{ file, line: 1, message: 'The file is empty.', severity: 'warning' }], entries: 0, failed: 0 };
  }
  return { papers, issues, entries: page.entries.length, failed, ...(options.keepSource ? { sourceTexts: papers.map(() => '') } : {}) };
}
