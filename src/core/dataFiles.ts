/**
 * Locates the shipped data files. The build copies them flat into `dist/data/`; in the source tree
 * papers.json sits in `paper-data/` and generated catalogs (concepts, snippets, the classics
 * collection) in `paper-data/generated/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Corpus } from './papers/corpus';
import { paperKeys } from './papers/merge';
import { parsePapersJson } from './papers/validate';
import type { LoadIssue, Paper } from './papers/types';
import { parseEnglishWords } from './search/englishWords';

export type DataFileName = 'papers.json' | 'classics.json' | 'concepts.json' | 'snippets.json' | 'english-words.json';

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

/**
 * Joins the two shipped collections: the seed papers (collection `seed`), then the classics
 * (collection `classics`). A classic that is the same paper as a seed one (shared id, arXiv id, DOI
 * or title) is left out with a warning; the build already refuses such files.
 */
export function joinShippedCollections(seed: readonly Paper[], classics: readonly Paper[], classicsFile: string): { papers: Paper[]; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  const papers: Paper[] = seed.map((p) => ({ ...p, collection: 'seed' }));
  const taken = new Set<string>();
  for (const p of seed) for (const key of [`id:${p.id}`, ...paperKeys(p)]) taken.add(key);
  classics.forEach((p, index) => {
    const keys = [`id:${p.id}`, ...paperKeys(p)];
    if (keys.some((k) => taken.has(k))) {
      issues.push({ file: classicsFile, line: 1, message: `Classic #${index + 1} (${p.id}) is already among the shipped papers; skipped.`, severity: 'warning' });
      return;
    }
    for (const k of keys) taken.add(k);
    papers.push({ ...p, collection: 'classics' });
  });
  return { papers, issues };
}

/**
 * Loads the shipped corpus: papers.json (the seed collection) and classics.json (the classics
 * collection). Malformed records are skipped and returned as issues; a missing classics.json is a
 * warning (the seed papers still load).
 */
export function loadShippedCorpus(dataDir: string): { corpus: Corpus; issues: LoadIssue[] } {
  const { path: file, text } = readDataFile(dataDir, 'papers.json');
  const seed = parsePapersJson(text, file);
  const issues = [...seed.issues];
  const classicsPath = dataFilePath(dataDir, 'classics.json');
  let classics: Paper[] = [];
  if (classicsPath) {
    const parsed = parsePapersJson(readFileSync(classicsPath, 'utf8'), classicsPath);
    issues.push(...parsed.issues);
    classics = parsed.papers;
  } else {
    issues.push({ file: path.join(dataDir, 'classics.json'), line: 1, message: 'The classics collection is missing (run `npm run corpus`); only the seed papers load.', severity: 'warning' });
  }
  const joined = joinShippedCollections(seed.papers, classics, classicsPath ?? 'classics.json');
  return { corpus: new Corpus(joined.papers), issues: [...issues, ...joined.issues] };
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
