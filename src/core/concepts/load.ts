/**
 * Reading the concept registry: one JSON file per concept under `paper-data/concepts/` (the source
 * of truth), or the combined `concepts.json` that the build writes and the extension ships.
 * A bad file is reported (file and line) and skipped; the rest still load.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LoadIssue } from '../papers/types';
import { JsonSyntaxError, parseJsonWithLines } from './jsonLines';
import type { Concept } from './types';
import { validateConcept } from './validate';

/** Version of the combined file's shape; bump when a reader must change. */
export const CONCEPTS_SCHEMA_VERSION = 1;

/** What a load produced: the good concepts, and every problem met on the way. */
export interface ConceptLoadResult {
  concepts: Concept[];
  issues: LoadIssue[];
}

/**
 * Loads concepts from any of: the text of a combined `concepts.json` (starts with `{` or `[`),
 * a path to such a file, or a directory of per-concept files. Never throws on bad data; a path that
 * cannot be read becomes an issue too.
 */
export function loadConcepts(input: string): ConceptLoadResult {
  const trimmed = input.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseConceptBundle(input, '<concepts.json>');
  let isDir: boolean;
  try {
    isDir = statSync(input).isDirectory();
  } catch (err) {
    return { concepts: [], issues: [readIssue(input, err)] };
  }
  if (isDir) return loadConceptDir(input);
  try {
    return parseConceptBundle(readFileSync(input, 'utf8'), input);
  } catch (err) {
    return { concepts: [], issues: [readIssue(input, err)] };
  }
}

/**
 * Loads every `*.json` file of `dir` (not recursive) in name order, one concept per file.
 * A file whose name is not `<id>.json`, or whose id repeats an earlier file's, is reported and skipped.
 */
export function loadConceptDir(dir: string): ConceptLoadResult {
  const issues: LoadIssue[] = [];
  const concepts: Concept[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    return { concepts, issues: [readIssue(dir, err)] };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      issues.push(readIssue(file, err));
      continue;
    }
    const result = parseConceptFile(text, file);
    issues.push(...result.issues);
    const concept = result.concept;
    if (!concept) continue;
    const earlier = seen.get(concept.id);
    if (earlier) {
      issues.push({ file, line: 1, message: `duplicate concept id "${concept.id}" (already defined in ${earlier})`, severity: 'error' });
      continue;
    }
    seen.set(concept.id, file);
    concepts.push(concept);
  }
  return { concepts, issues };
}

/** Parses one per-concept source file. Its base name must be the concept id. */
export function parseConceptFile(text: string, file: string): { concept?: Concept; issues: LoadIssue[] } {
  let located;
  try {
    located = parseJsonWithLines(text);
  } catch (err) {
    return { issues: [syntaxIssue(file, err)] };
  }
  const result = validateConcept(located.value, file, located.lineOf);
  if (result.concept) {
    const expected = `${result.concept.id}.json`;
    if (path.basename(file) !== expected) {
      return {
        issues: [
          ...result.issues,
          { file, line: located.lineOf(['id']), message: `file name must match the concept id: expected ${expected}`, severity: 'error' },
        ],
      };
    }
  }
  return result;
}

/**
 * Parses a combined file: `{"schemaVersion": 1, "concepts": [...]}` or a bare array of concepts.
 * Bad entries are reported with their line and skipped.
 */
export function parseConceptBundle(text: string, file: string): ConceptLoadResult {
  let located;
  try {
    located = parseJsonWithLines(text);
  } catch (err) {
    return { concepts: [], issues: [syntaxIssue(file, err)] };
  }
  const root = located.value;
  let list: unknown;
  let base: (string | number)[];
  if (Array.isArray(root)) {
    list = root;
    base = [];
  } else if (typeof root === 'object' && root !== null && Array.isArray((root as { concepts?: unknown }).concepts)) {
    const version = (root as { schemaVersion?: unknown }).schemaVersion;
    if (version !== undefined && version !== CONCEPTS_SCHEMA_VERSION) {
      return {
        concepts: [],
        issues: [{ file, line: located.lineOf(['schemaVersion']), message: `unsupported schemaVersion ${String(version)} (this build reads ${CONCEPTS_SCHEMA_VERSION})`, severity: 'error' }],
      };
    }
    list = (root as { concepts: unknown[] }).concepts;
    base = ['concepts'];
  } else {
    return { concepts: [], issues: [{ file, line: 1, message: 'expected {"concepts": [...]} or an array of concepts', severity: 'error' }] };
  }
  const concepts: Concept[] = [];
  const issues: LoadIssue[] = [];
  const seen = new Set<string>();
  (list as unknown[]).forEach((entry, i) => {
    const result = validateConcept(entry, file, located.lineOf, [...base, i]);
    issues.push(...result.issues);
    if (!result.concept) return;
    if (seen.has(result.concept.id)) {
      issues.push({ file, line: located.lineOf([...base, i, 'id']), message: `duplicate concept id "${result.concept.id}"`, severity: 'error' });
      return;
    }
    seen.add(result.concept.id);
    concepts.push(result.concept);
  });
  return { concepts, issues };
}

/**
 * The combined file's text: concepts sorted by id, fixed key order, two-space indent, final newline.
 * Same input, same bytes, so the committed file can be checked for staleness byte for byte.
 */
export function serializeConcepts(concepts: readonly Concept[]): string {
  const sorted = [...concepts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return `${JSON.stringify({ schemaVersion: CONCEPTS_SCHEMA_VERSION, concepts: sorted }, null, 2)}\n`;
}

function syntaxIssue(file: string, err: unknown): LoadIssue {
  if (err instanceof JsonSyntaxError) {
    return { file, line: err.line, message: `malformed JSON at column ${err.column}: ${err.message}`, severity: 'error' };
  }
  return { file, line: 1, message: `malformed JSON: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' };
}

function readIssue(file: string, err: unknown): LoadIssue {
  return { file, line: 1, message: `cannot read: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' };
}
