/**
 * Users' corpus files named by a front end (the CLI's `check`, `search --corpus`, `scan --corpus`
 * and the MCP server): loaded exactly as the editor loads them, with concepts inferred from the
 * shipped registry, and merged with the shipped corpus. Free of `vscode`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConceptBundle } from '../core/concepts/load';
import { dataFilePath, loadShippedCorpus } from '../core/dataFiles';
import { ConceptMatcher } from '../core/papers/conceptInference';
import { Corpus } from '../core/papers/corpus';
import { mergePapers, type PaperSource } from '../core/papers/merge';
import type { LoadIssue } from '../core/papers/types';
import { loadCorpusFile, type CorpusLoadOptions } from '../core/papers/userCorpus';

/** Where files are and where problems go: the CLI's io satisfies it. */
export interface UserCorporaHost {
  /** Directory of the shipped data (concepts.json, papers.json, classics.json). */
  dataDir: string;
  /** Folder that relative paths are resolved against. */
  cwd: string;
  /** Reports one line to the user's error stream. */
  err(text: string): void;
}

/** Matching options from the shipped concept registry; without it, concepts are not inferred. */
export function conceptOptions(dataDir: string): Pick<CorpusLoadOptions, 'matcher' | 'knownConcept'> {
  const file = dataFilePath(dataDir, 'concepts.json');
  if (!file) return {};
  const { concepts } = parseConceptBundle(readFileSync(file, 'utf8'), file);
  if (concepts.length === 0) return {};
  const ids = new Set(concepts.map((c) => c.id));
  return { matcher: new ConceptMatcher(concepts), knownConcept: (id) => ids.has(id) };
}

export interface UserCorpora {
  sources: PaperSource[];
  issues: LoadIssue[];
  loaded: number;
  /** Entries or files that failed. */
  failed: number;
}

/** Loads user corpus files named on the command line (paths relative to `io.cwd`, shown as given). */
export async function loadUserCorpora(files: readonly string[], io: UserCorporaHost): Promise<UserCorpora> {
  const options = conceptOptions(io.dataDir);
  const out: UserCorpora = { sources: [], issues: [], loaded: 0, failed: 0 };
  for (const shown of files) {
    const result = await loadCorpusFile(path.resolve(io.cwd, shown), options, shown);
    out.sources.push({ file: shown, papers: result.papers });
    out.issues.push(...result.issues);
    out.loaded += result.papers.length;
    out.failed += result.unreadable ? 1 : result.failed;
  }
  return out;
}

/**
 * The shipped corpus merged with `--corpus` files; problems in those files go to stderr as
 * warnings, since the command itself (search, scan) can still do its job.
 */
export async function corpusWithUserFiles(files: readonly string[], io: UserCorporaHost): Promise<Corpus> {
  const { corpus } = loadShippedCorpus(io.dataDir);
  if (files.length === 0) return corpus;
  const user = await loadUserCorpora(files, io);
  for (const i of user.issues) io.err(`${i.file}:${i.line}: ${i.severity}: ${i.message}`);
  return new Corpus(await mergePapers(corpus.papers, user.sources));
}
