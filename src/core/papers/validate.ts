/**
 * Validation of Paper records read from JSON (the shipped papers.json, and later users' files).
 * A malformed record is skipped with an issue naming its index; the others load.
 */
import type { LoadIssue, Paper } from './types';
import { lineColumnOf } from '../text/lineIndex';

const RELATIONS = new Set(['proposes', 'studies', 'introduces-classic']);

/** Returns a list of problems with one record; empty when it is a valid Paper. */
export function paperProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object'];
  const p = value as Record<string, unknown>;
  const str = (k: string) => { if (typeof p[k] !== 'string' || (p[k] as string).trim() === '') problems.push(`"${k}" must be a non-empty string`); };
  str('id');
  str('title');
  if (typeof p.abstract !== 'string') problems.push('"abstract" must be a string');
  if (!Array.isArray(p.authors) || !p.authors.every((a) => typeof a === 'string')) problems.push('"authors" must be a list of strings');
  if (p.year !== null && p.year !== undefined && !(Number.isInteger(p.year) && (p.year as number) > 1800 && (p.year as number) < 2200)) problems.push('"year" must be a year or null');
  if (p.date !== null && p.date !== undefined && !(typeof p.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.date))) problems.push('"date" must be YYYY-MM-DD or null');
  if (typeof p.links !== 'object' || p.links === null) problems.push('"links" must be an object');
  if (!Array.isArray(p.concepts) || !p.concepts.every((c) => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string' && RELATIONS.has(String((c as { relation?: unknown }).relation)))) {
    problems.push('"concepts" must be a list of {id, relation: proposes|studies|introduces-classic}');
  }
  return problems;
}

/** Parses a JSON array of papers. Malformed JSON yields one issue; malformed records are skipped. */
export function parsePapersJson(text: string, file: string): { papers: Paper[]; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    issues.push({ file, line: jsonErrorLine(text, err), message: `Invalid JSON: ${(err as Error).message}`, severity: 'error' });
    return { papers: [], issues };
  }
  if (!Array.isArray(data)) {
    issues.push({ file, line: 1, message: 'Expected a JSON array of papers.', severity: 'error' });
    return { papers: [], issues };
  }
  const papers: Paper[] = [];
  data.forEach((record, index) => {
    const problems = paperProblems(record);
    if (problems.length) {
      issues.push({ file, line: 1, message: `Paper #${index + 1} skipped: ${problems.join('; ')}.`, severity: 'error' });
    } else {
      papers.push(record as Paper);
    }
  });
  return { papers, issues };
}

/** The 1-based line of a JSON.parse error, from the "position N" in V8's message. */
export function jsonErrorLine(text: string, err: unknown): number {
  const m = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
  if (!m) return 1;
  return lineColumnOf(text, Number(m[1])).line;
}
