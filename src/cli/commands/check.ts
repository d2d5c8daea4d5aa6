/**
 * `paperlens check [--json] <file>...` — loads users' corpus files (BibTeX, PaperLens JSON, page
 * dumps) exactly as the editor does and reports every problem with its file and line.
 * Exit 0 when every entry loaded, 1 when any entry (or file) failed, 2 for usage errors.
 *
 * Also home of {@link loadUserCorpora}, which `search --corpus` and `scan --corpus` use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConceptBundle } from '../../core/concepts/load';
import { dataFilePath, loadShippedCorpus } from '../../core/dataFiles';
import { ConceptMatcher } from '../../core/papers/conceptInference';
import { Corpus } from '../../core/papers/corpus';
import { mergePapers, type PaperSource } from '../../core/papers/merge';
import type { LoadIssue } from '../../core/papers/types';
import { loadCorpusFile, type CorpusLoadOptions } from '../../core/papers/userCorpus';
import { parseArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../io';

const USAGE = `Usage: paperlens check [--json] <file>...

Loads corpus files as the editor does and reports each problem as file:line.
  .bib/.bibtex   BibTeX           .json   PaperLens papers (see paperlens-papers.schema.json)
  anything else  a Hugging Face Daily Papers page saved as text
  --json         {"loaded":N,"errors":[{"file","line","message"}],"warnings":[…]}
Exit status 1 when any entry or file could not be loaded.`;

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
export async function loadUserCorpora(files: readonly string[], io: CliIO): Promise<UserCorpora> {
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
 * `file:line: severity: message`.
 */
export async function corpusWithUserFiles(files: readonly string[], io: CliIO): Promise<Corpus> {
  return (await loadCorpusWithUserFiles(files, io)).corpus;
}

/**
 * {@link corpusWithUserFiles}, also saying whether every `--corpus` file loaded whole: `errors`
 * counts files that could not be read plus entries that could not be loaded. A command asked to
 * use a file it could not (fully) read has not done what was asked, and exits non-zero.
 */
export async function loadCorpusWithUserFiles(files: readonly string[], io: CliIO): Promise<{ corpus: Corpus; errors: number }> {
  const { corpus } = loadShippedCorpus(io.dataDir);
  if (files.length === 0) return { corpus, errors: 0 };
  const user = await loadUserCorpora(files, io);
  for (const i of user.issues) io.err(`${i.file}:${i.line}: ${i.severity}: ${i.message}`);
  const errors = Math.max(user.failed, user.issues.filter((i) => i.severity === 'error').length);
  return { corpus: new Corpus(await mergePapers(corpus.papers, user.sources)), errors };
}

export const checkCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'help'] });
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('expected one or more corpus files, e.g. `paperlens check refs.bib`');
  const user = await loadUserCorpora(parsed.positionals, io);
  const errors = user.issues.filter((i) => i.severity === 'error');
  const warnings = user.issues.filter((i) => i.severity === 'warning');
  if (parsed.flags.has('json')) {
    const row = (i: LoadIssue) => ({ file: i.file, line: i.line, message: i.message });
    io.out(JSON.stringify({ loaded: user.loaded, errors: errors.map(row), warnings: warnings.map(row) }, null, 2));
  } else {
    for (const i of user.issues) io.out(`${i.file}:${i.line}: ${i.severity}: ${i.message}`);
    const files = parsed.positionals.length;
    io.out(`${user.loaded} paper${user.loaded === 1 ? '' : 's'} loaded from ${files} file${files === 1 ? '' : 's'}; ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`);
  }
  return errors.length > 0 || user.failed > 0 ? 1 : 0;
};
