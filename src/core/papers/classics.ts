/**
 * The classics collection's build: one JSON file per paper under `paper-data/classics/`
 * (format: that folder's README), checked and combined into `paper-data/generated/classics.json`.
 *
 * A file that is not valid JSON, not a valid Paper, or breaks a rule of the collection is skipped
 * with an error naming the file and the line of the offending field; the other files still load.
 * Lesser slips (a file not named after the id, a stray field) are warnings and the paper loads;
 * two files for the same paper become one record carrying both files' concept tags.
 * The output is sorted by id, so the same files always give the same bytes.
 */
import { CLASSICS_SOURCE } from './collections';
import { isArxivId } from './ids';
import { paperKeys } from './merge';
import type { LoadIssue, Paper } from './types';
import { jsonErrorLine, paperProblems } from './validate';
import { lineColumnOf } from '../text/lineIndex';

/** One source file: `name` as reported in issues (e.g. `classics/1708.02002.json`), and its text. */
export interface ClassicsFile {
  name: string;
  text: string;
}

export interface ClassicsInput {
  files: readonly ClassicsFile[];
  /** The seed corpus: a classic that is already there is reported and left out (no duplicates). */
  seed: readonly Paper[];
  /** Concept ids of the registry; a tag naming another id is an error. */
  conceptIds: ReadonlySet<string>;
}

/** The fields a classics record may have (those of `Paper`); anything else is a typo. */
const FIELDS = new Set([
  'id', 'title', 'abstract', 'authors', 'authorCount', 'organization', 'date', 'year', 'venue', 'arxivId', 'doi',
  'links', 'concepts', 'upvotes', 'sources', 'citationKey', 'provenance', 'collection',
]);
const LINK_FIELDS = new Set(['arxiv', 'pdf', 'huggingFace', 'code', 'doi', 'url']);

/** The 1-based line of the first `"key":` in `text`, or 1 when it does not occur. */
export function lineOfKey(text: string, key: string): number {
  const m = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).exec(text);
  return m ? lineColumnOf(text, m.index).line : 1;
}

/** The 1-based line of the first `needle` on or after line `fromLine`, or `fromLine` when there is none. */
function lineOfText(text: string, needle: string, fromLine: number): number {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = fromLine - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  return fromLine;
}

/** The field a `paperProblems` message is about (`"year" must be…` → `year`). */
function problemField(problem: string): string | undefined {
  return /^"(\w+)"/.exec(problem)?.[1];
}

/** The file name without folders and `.json`. */
function stem(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).replace(/\.json$/i, '');
}

/**
 * Checks one classics file. Returns the paper (with `collection: 'classics'`) unless an error was
 * found, and the problems either way. Errors (the file is skipped): invalid JSON, not a valid Paper,
 * a bad arXiv id, no concept or one the registry lacks, missing provenance, an unexplained empty
 * abstract. Warnings (the paper loads, repaired as said): a file not named after the id, an arXiv
 * paper whose id is not its arXiv id, an unknown field or link (dropped), a link that is not
 * http(s) (dropped), an author count that disagrees with the list, other `sources` (replaced).
 */
export function parseClassicsFile(file: ClassicsFile, conceptIds: ReadonlySet<string>): { paper?: Paper; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  const error = (line: number, message: string) => issues.push({ file: file.name, line, message, severity: 'error' });
  const warn = (line: number, message: string) => issues.push({ file: file.name, line, message, severity: 'warning' });
  const at = (key: string) => lineOfKey(file.text, key);
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (err) {
    error(jsonErrorLine(file.text, err), `Invalid JSON: ${(err as Error).message}`);
    return { issues };
  }
  for (const problem of paperProblems(data)) {
    const field = problemField(problem);
    error(field ? at(field) : 1, `${problem}.`);
  }
  if (issues.length) return { issues };
  const record = data as Record<string, unknown>;
  const p = data as Paper;
  const paper: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(record)) {
    if (FIELDS.has(key)) paper[key] = value;
    else warn(at(key), `Unknown field "${key}" (a Paper has no such field); left out.`);
  }
  if (p.id !== stem(file.name)) warn(at('id'), `"id" is "${p.id}" but the file is named ${stem(file.name)}.json; name the file after the paper's id.`);
  if (p.arxivId !== null && p.arxivId !== undefined) {
    if (typeof p.arxivId !== 'string' || !isArxivId(p.arxivId)) error(at('arxivId'), `"arxivId" ${JSON.stringify(p.arxivId)} is not an arXiv identifier.`);
    else if (p.id !== p.arxivId) warn(at('id'), `A paper with an arXiv id uses it as its id ("${p.arxivId}"), as the seed papers do.`);
  } else if (p.arxivId === undefined) {
    error(1, '"arxivId" is missing (use null for a paper that is not on arXiv).');
  }
  if (!(p.authorCount === null || (Number.isInteger(p.authorCount) && p.authorCount === p.authors.length))) {
    warn(at('authorCount'), `"authorCount" is ${JSON.stringify(p.authorCount)} but ${p.authors.length} authors are listed.`);
  }
  if (p.venue !== null && typeof p.venue !== 'string') error(at('venue'), '"venue" must be a string or null.');
  const links: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.links as unknown as Record<string, unknown>)) {
    if (!LINK_FIELDS.has(key)) warn(at(key), `Unknown link "${key}" (arxiv, pdf, huggingFace, code, doi, url); left out.`);
    else if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) warn(at(key), `Link "${key}" is not an http(s) URL; left out.`);
    else links[key] = value;
  }
  paper.links = links;
  if (p.concepts.length === 0) error(at('concepts'), 'A classic paper names the concept it introduced in "concepts".');
  for (const tag of p.concepts) {
    if (!conceptIds.has(tag.id)) error(lineOfText(file.text, `"${tag.id}"`, at('concepts')), `Concept "${tag.id}" is not in the registry (paper-data/concepts/).`);
  }
  if (!Array.isArray(p.sources) || p.sources.length !== 1 || p.sources[0] !== CLASSICS_SOURCE) {
    warn(at('sources'), `"sources" must be ["${CLASSICS_SOURCE}"]; replaced.`);
  }
  paper.sources = [CLASSICS_SOURCE];
  if (record.collection !== undefined && record.collection !== 'classics') warn(at('collection'), '"collection" of a classics file can only be "classics"; replaced.');
  const provenance = record.provenance;
  if (typeof provenance !== 'object' || provenance === null || Array.isArray(provenance) || !Object.values(provenance).every((v) => typeof v === 'string')) {
    error(at('provenance'), '"provenance" must map each field to where it was seen (strings).');
  } else if (p.abstract.trim() === '' && !(provenance as Record<string, string>).abstract) {
    error(at('abstract'), 'The abstract is empty: "provenance.abstract" must say why (the abstract is never written by hand).');
  }
  if (issues.some((i) => i.severity === 'error')) return { issues };
  paper.collection = 'classics';
  return { paper: paper as unknown as Paper, issues };
}

/** Builds the collection: checked papers sorted by id. Never throws. */
export function buildClassics(input: ClassicsInput): { papers: Paper[]; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  const seedKeys = new Map<string, string>();
  for (const p of input.seed) {
    seedKeys.set(`id:${p.id}`, p.id);
    for (const key of paperKeys(p)) seedKeys.set(key, p.id);
  }
  const taken = new Map<string, { file: string; paper: Paper }>();
  const papers: Paper[] = [];
  const files = [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of files) {
    const parsed = parseClassicsFile(file, input.conceptIds);
    issues.push(...parsed.issues);
    const paper = parsed.paper;
    if (!paper) continue;
    const keys = [`id:${paper.id}`, ...paperKeys(paper)];
    const inSeed = keys.map((k) => seedKeys.get(k)).find((id) => id !== undefined);
    if (inSeed !== undefined) {
      issues.push({ file: file.name, line: lineOfKey(file.text, 'id'), message: `Already in the seed corpus as ${inSeed}; tag the concept there instead of adding a copy.`, severity: 'error' });
      continue;
    }
    const twin = keys.map((k) => taken.get(k)).find((t) => t !== undefined);
    if (twin !== undefined) {
      // Two losses from one paper (DIoU and CIoU): one record, both tags; say so, lose nothing.
      const added = paper.concepts.filter((c) => !twin.paper.concepts.some((x) => x.id === c.id));
      twin.paper.concepts = [...twin.paper.concepts, ...added];
      issues.push({
        file: file.name,
        line: lineOfKey(file.text, 'id'),
        message: `Same paper as ${twin.file} (shared id, arXiv id, DOI or title): ${added.length ? `its concept tags (${added.map((c) => c.id).join(', ')}) were added to that record` : 'nothing new in it'}; keep one file per paper.`,
        severity: 'warning',
      });
      continue;
    }
    const entry = { file: file.name, paper };
    for (const k of keys) taken.set(k, entry);
    papers.push(paper);
  }
  papers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { papers, issues };
}
