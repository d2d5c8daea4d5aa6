/**
 * The application's shared state over a folder of shipped data, for the front ends that run
 * under plain node (the CLI's commands, its MCP server, the scan's worker threads): the concepts
 * and their registry, the detector's loss index, the shipped corpus merged with users' corpus
 * files, the search index and the snippet catalog — each read or built on first use, once. The
 * extension's implementation of the same contract is src/editor/services.ts (it adds VS Code's
 * log, watching users' files and a persisted search index).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kerasLossNames, type KerasLossNames } from '../core/checks/keras';
import { parseConceptBundle } from '../core/concepts/load';
import { ConceptRegistry } from '../core/concepts/registry';
import type { Concept } from '../core/concepts/types';
import { dataFilePath, loadEnglishWords, loadShippedCorpus, readDataFile } from '../core/dataFiles';
import { DocumentScanCache } from '../core/detect/cache';
import { buildLossIndex, type LossIndex } from '../core/detect/lossIndex';
import { ConceptMatcher } from '../core/papers/conceptInference';
import { Corpus } from '../core/papers/corpus';
import { mergePapers, type PaperSource } from '../core/papers/merge';
import type { LoadIssue } from '../core/papers/types';
import { loadCorpusFile, type CorpusLoadOptions } from '../core/papers/userCorpus';
import { buildSearchIndex, type SearchIndex } from '../core/search/searchIndex';
import { loadSnippetCatalog, type SnippetCatalog } from '../core/snippets/catalog';
import type { CoreServices } from './paperServices';
import { SnippetSource, type SnippetLookup } from './snippetSource';

/** Users' corpus files as loaded: one source per file, every problem, and counts. */
export interface UserCorpora {
  sources: PaperSource[];
  issues: LoadIssue[];
  loaded: number;
  /** Entries or files that failed. */
  failed: number;
}

/** Matching options from the shipped concept registry; without concepts.json, concepts are not inferred. */
export function conceptOptions(dataDir: string): Pick<CorpusLoadOptions, 'matcher' | 'knownConcept'> {
  const file = dataFilePath(dataDir, 'concepts.json');
  if (!file) return {};
  const { concepts } = parseConceptBundle(readFileSync(file, 'utf8'), file);
  if (concepts.length === 0) return {};
  const ids = new Set(concepts.map((c) => c.id));
  return { matcher: new ConceptMatcher(concepts), knownConcept: (id) => ids.has(id) };
}

/**
 * Loads users' corpus files (BibTeX, PaperLens JSON, page dumps) exactly as the editor does.
 * `files` are resolved against `cwd` and named as given in issues and sources.
 */
export async function loadUserCorpora(files: readonly string[], cwd: string, dataDir: string): Promise<UserCorpora> {
  const options = conceptOptions(dataDir);
  const out: UserCorpora = { sources: [], issues: [], loaded: 0, failed: 0 };
  for (const shown of files) {
    const result = await loadCorpusFile(path.resolve(cwd, shown), options, shown);
    out.sources.push({ file: shown, papers: result.papers });
    out.issues.push(...result.issues);
    out.loaded += result.papers.length;
    out.failed += result.unreadable ? 1 : result.failed;
  }
  return out;
}

export class DataServices implements CoreServices {
  private conceptsLoaded: { concepts: Concept[]; issues: LoadIssue[]; path: string } | undefined;
  private registryInstance: ConceptRegistry | undefined;
  private lossIndexInstance: LossIndex | undefined;
  private kerasNamesInstance: KerasLossNames | undefined;
  private scanCacheInstance: DocumentScanCache | undefined;
  private shippedInstance: { corpus: Corpus; issues: LoadIssue[] } | undefined;
  private mergedCorpus: Corpus | undefined;
  private searchIndexInstance: Promise<SearchIndex> | undefined;
  private catalog: SnippetCatalog | undefined;
  private snippetSource: SnippetSource | undefined;

  /** `dataDir`: the shipped data (dist/data beside the bundle, or paper-data in the source tree). */
  constructor(readonly dataDir: string) {}

  /** concepts.json as parsed, with its problems. Throws when the file is missing. */
  get conceptFile(): { concepts: readonly Concept[]; issues: readonly LoadIssue[]; path: string } {
    if (!this.conceptsLoaded) {
      const file = readDataFile(this.dataDir, 'concepts.json');
      this.conceptsLoaded = { ...parseConceptBundle(file.text, file.path), path: file.path };
    }
    return this.conceptsLoaded;
  }

  /** The loss concepts. Throws, naming the file and the first problem's line, when none is usable. */
  get concepts(): readonly Concept[] {
    const { concepts, issues, path: file } = this.conceptFile;
    if (concepts.length === 0) {
      const first = issues.find((i) => i.severity === 'error') ?? issues[0];
      throw new Error(`no usable concepts in ${file}${first ? `: ${first.message} (line ${first.line})` : ''}`);
    }
    return concepts;
  }

  get registry(): ConceptRegistry {
    this.registryInstance ??= new ConceptRegistry(this.concepts);
    return this.registryInstance;
  }

  /** The detector's index of library identifiers and names. */
  get lossIndex(): LossIndex {
    this.lossIndexInstance ??= buildLossIndex(this.concepts);
    return this.lossIndexInstance;
  }

  /** Keras loss names for `compile(loss="…")`, for the checks. */
  get kerasNames(): KerasLossNames {
    this.kerasNamesInstance ??= kerasLossNames(this.concepts);
    return this.kerasNamesInstance;
  }

  get scanCache(): DocumentScanCache {
    this.scanCacheInstance ??= new DocumentScanCache(this.lossIndex);
    return this.scanCacheInstance;
  }

  /** The shipped papers (seed and classics) and the problems met loading them. */
  get shipped(): { corpus: Corpus; issues: readonly LoadIssue[] } {
    this.shippedInstance ??= loadShippedCorpus(this.dataDir);
    return this.shippedInstance;
  }

  /** The shipped corpus, merged with users' files once {@link addUserFiles} has loaded them. */
  get corpus(): Corpus {
    return this.mergedCorpus ?? this.shipped.corpus;
  }

  /**
   * Merges users' corpus files (paths relative to `cwd`) into {@link corpus}; each problem goes
   * to `report`. `errors` counts files that could not be read plus entries that could not be
   * loaded: a command asked to use a file it could not (fully) read has not done what was asked.
   */
  async addUserFiles(files: readonly string[], cwd: string, report: (issue: LoadIssue) => void): Promise<{ errors: number }> {
    if (files.length === 0) return { errors: 0 };
    const user = await loadUserCorpora(files, cwd, this.dataDir);
    for (const issue of user.issues) report(issue);
    this.mergedCorpus = new Corpus(await mergePapers(this.corpus.papers, user.sources));
    this.searchIndexInstance = undefined;
    return { errors: Math.max(user.failed, user.issues.filter((i) => i.severity === 'error').length) };
  }

  /** Paper ids per concept, in the registry's ranking (introducing classic, proposes, studies; newest first). */
  papersByConcept(): Map<string, string[]> {
    const papers = new Map<string, string[]>();
    const links = this.registry.papersForEach(this.corpus.papers);
    for (const concept of this.registry.all()) {
      papers.set(concept.id, (links.get(concept.id) ?? []).map((link) => link.paper.id));
    }
    return papers;
  }

  /**
   * The search index of {@link corpus}, built on first use with the concepts (when the data has
   * them: they let identifiers and concept names find papers) and the English word list.
   */
  get searchIndex(): Promise<SearchIndex> {
    this.searchIndexInstance ??= Promise.resolve().then(() => buildSearchIndex(this.corpus.papers, this.searchConcepts(), { englishWords: loadEnglishWords(this.dataDir) }));
    return this.searchIndexInstance;
  }

  /** The concepts search uses: none when the data has no concepts.json. */
  searchConcepts(): readonly Concept[] {
    return dataFilePath(this.dataDir, 'concepts.json') ? this.conceptFile.concepts : [];
  }

  /** The verified snippet catalog (snippets.json). */
  get snippetCatalog(): SnippetCatalog {
    this.catalog ??= loadSnippetCatalog(this.dataDir);
    return this.catalog;
  }

  get snippets(): SnippetLookup {
    this.snippetSource ??= new SnippetSource(() => this.snippetCatalog.list());
    return this.snippetSource;
  }
}
