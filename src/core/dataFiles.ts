/**
 * Locates the shipped data files. The build copies them flat into `dist/data/`; in the source tree
 * papers.json sits in `paper-data/` and generated catalogs in `paper-data/generated/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Corpus } from './papers/corpus';
import { parsePapersJson } from './papers/validate';
import type { LoadIssue } from './papers/types';
import { parseEnglishWords } from './search/englishWords';

export type DataFileName = 'papers.json' | 'concepts.json' | 'snippets.json' | 'english-words.json';

/** The path of a shipped data file under `dataDir`, or undefined when it is missing. */
export function dataFilePath(dataDir: string, name: DataFileName): string | undefined {
  for (const candidate of [path.join(dataDir, name), path.join(dataDir, 'generated', name)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Reads a shipped data file, throwing an error that names the expected location when missing. */
export function readDataFile(dataDir: string, name: DataFileName): { path: string; text: string } {
  const file = dataFilePath(dataDir, name);
  if (!file) throw new Error(`PaperLens data file ${name} not found in ${dataDir} (run \`npm run build\`).`);
  return { path: file, text: readFileSync(file, 'utf8') };
}

/** Loads the shipped corpus. Malformed records are skipped and returned as issues. */
export function loadShippedCorpus(dataDir: string): { corpus: Corpus; issues: LoadIssue[] } {
  const { path: file, text } = readDataFile(dataDir, 'papers.json');
  const { papers, issues } = parsePapersJson(text, file);
  return { corpus: new Corpus(papers), issues };
}

/**
 * The English word list that protects real words from the search's typo correction, or undefined
 * when the data has none (the registry's words and the ML terms still protect). A malformed file
 * throws an error naming it.
 */
export function loadEnglishWords(dataDir: string): Set<string> | undefined {
  if (!dataFilePath(dataDir, 'english-words.json')) return undefined;
  const { path: file, text } = readDataFile(dataDir, 'english-words.json');
  return parseEnglishWords(text, file);
}
