/**
 * The extension's shared state, created in activate() but loaded lazily: nothing here reads a data
 * file or builds an index until a feature first asks for it (a hover, a completion, the sidebar).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ConceptRegistry } from '../core/concepts/registry';
import { DataServices } from '../services/dataServices';
import type { DocumentScanCache } from '../core/detect/cache';
import type { ProjectImports } from '../core/detect/types';
import { EditorProjectImports } from './projectImports';
import { FormulaStore } from '../core/formula/formulaStore';
import type { PrerenderedFormulaFile, TexRenderer } from '../core/formula/types';
import type { SnippetFramework } from '../core/snippets/types';
import { DocumentScans } from './documentScans';
import { SnippetSource, type SnippetLookup } from '../services/snippetSource';
import { SnippetFrameworks } from './snippetFramework';
import { loadEnglishWords, readDataFile } from '../core/dataFiles';
import type { Corpus } from '../core/papers/corpus';
import type { LoadIssue } from '../core/papers/types';
import type { Concept } from '../core/concepts/types';
import { ProtectedWords } from '../core/search/protectedWords';
import { buildSearchIndexAsync, type SearchIndex } from '../core/search/searchIndex';
import { UserCorpus } from './userCorpus';
import { filesFingerprint, papersFingerprint, PersistedIndexStore } from '../services/persistedIndex';

export class Services implements vscode.Disposable {
  /**
   * The shared state the CLI uses too (src/services/dataServices.ts): registry, loss index and scan
   * cache, shipped corpus, snippet catalog. This class adds what only the editor has: VS Code's log,
   * users' corpus files watched and parsed in a worker, a persisted search index, document scans.
   */
  readonly data: DataServices;
  private shippedLogged = false;
  private registryLogged = false;
  private scansInstance: DocumentScans | undefined;
  private formulasInstance: FormulaStore | undefined;
  private snippetsInstance: SnippetSource | undefined;
  private searchIndexCache: { corpus: Corpus; index: Promise<SearchIndex> } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private userCorpusInstance: UserCorpus | undefined;
  private readonly corpusChanged = this.own(new vscode.EventEmitter<Corpus>());
  /**
   * Fires with the new corpus when users' papers load or change. `corpus` (hovers) and `searchIndex`
   * already return the new one; views that show results listen here to refresh.
   */
  readonly onDidChangeCorpus = this.corpusChanged.event;
  /** Which framework's snippet each document gets (setting, imports, or the user's answer). */
  readonly snippetFrameworks = new SnippetFrameworks();

  insertTargetFrameworks(): SnippetFramework[] {
    return this.snippetFrameworks.forInsertTarget();
  }

  constructor(
    /** Directory of the shipped data (dist/data inside the extension). */
    readonly dataDir: string,
    readonly log: vscode.LogOutputChannel,
    /** The extension's global storage folder: the built search index is saved there (persistedIndex.ts). */
    readonly storageDir?: string,
    /** The extension's version: a saved index from another version is rebuilt. */
    private readonly version = '',
  ) {
    this.persistedIndex = new PersistedIndexStore(storageDir, { info: (m) => log.info(m), warn: (m) => log.warn(m) });
    this.data = new DataServices(dataDir);
  }

  private readonly persistedIndex: PersistedIndexStore;

  /**
   * The paper corpus: the shipped papers merged with the user's own (`paperlens.corpus.paths`).
   * Users' files load in the background on first use; until then this is the shipped corpus.
   */
  get corpus(): Corpus {
    return this.userCorpus.merged ?? this.shippedCorpus;
  }

  /** Users' papers: discovered, watched, parsed in a worker and merged (see userCorpus.ts). */
  get userCorpus(): UserCorpus {
    if (!this.userCorpusInstance) {
      this.userCorpusInstance = this.own(new UserCorpus({
        log: this.log,
        workerPath: path.join(path.dirname(this.dataDir), 'userCorpusWorker.js'),
        shipped: () => this.shippedCorpus,
        concepts: () => this.registry.all().map((c) => ({ id: c.id, name: c.name, aliases: c.aliases })),
        onMerged: (corpus) => this.corpusChanged.fire(corpus),
      }));
      this.userCorpusInstance.start();
    }
    return this.userCorpusInstance;
  }

  /** The shipped papers alone: the seed collection (papers.json) and the classics (classics.json). */
  get shippedCorpus(): Corpus {
    if (this.shippedLogged) return this.data.shipped.corpus;
    const started = performance.now();
    const { corpus, issues } = this.data.shipped;
    this.shippedLogged = true;
    this.report('shipped corpus', issues);
    const classics = corpus.papers.filter((p) => p.collection === 'classics').length;
    this.log.info(`Loaded ${corpus.size} papers (${corpus.size - classics} seed, ${classics} classics) in ${(performance.now() - started).toFixed(1)} ms`);
    return corpus;
  }

  /** The loss-concept registry. Throws, naming the file and line, when concepts.json has none usable. */
  get registry(): ConceptRegistry {
    if (this.registryLogged) return this.data.registry;
    const started = performance.now();
    const registry = this.data.registry;
    this.registryLogged = true;
    this.report('concepts.json', this.data.conceptFile.issues);
    this.log.info(`Loaded ${registry.all().length} loss concepts in ${(performance.now() - started).toFixed(1)} ms`);
    return registry;
  }

  /** Detector scans per document version (built from the registry on first use). */
  get scanCache(): DocumentScanCache {
    void this.registry; // logs the concepts' problems once
    return this.data.scanCache;
  }

  /**
   * The workspace folders' own modules, for names a document imports from them (the hover, the
   * language-model tools); a change to a Python file drops the scans that may have used them.
   */
  get projectImports(): EditorProjectImports {
    this.projectImportsInstance ??= this.own(new EditorProjectImports(() => this.scanCache.index, () => this.scanCache.clear()));
    return this.projectImportsInstance;
  }

  private projectImportsInstance: EditorProjectImports | undefined;

  projectImportsFor(path: string): ProjectImports | undefined {
    return this.projectImports.forUri(vscode.Uri.file(path));
  }

  /** Scans of Python documents and notebook cells, from {@link scanCache}; forgets closed documents. */
  get scans(): DocumentScans {
    this.scansInstance ??= this.own(new DocumentScans(() => this.scanCache, (document) => this.projectImports.forUri(document.uri)));
    return this.scansInstance;
  }

  /**
   * Formula images for hovers: pre-rendered at build time (formulas.json), other LaTeX rendered
   * lazily by the MathJax bundle (dist/texToSvg.js), which is only loaded for such a formula.
   */
  get formulas(): FormulaStore {
    this.formulasInstance ??= new FormulaStore({
      loadPrerendered: () => {
        const started = performance.now();
        const file = JSON.parse(readFileSync(path.join(this.dataDir, 'formulas.json'), 'utf8')) as PrerenderedFormulaFile;
        this.log.info(`Loaded ${Object.keys(file.formulas ?? {}).length} pre-rendered formulas in ${(performance.now() - started).toFixed(1)} ms`);
        return file;
      },
      loadRenderer: () => {
        const started = performance.now();
        // A runtime require of a file next to the data: esbuild leaves it alone, so MathJax stays
        // out of extension.js and loads only when a formula was not pre-rendered.
        const renderer = require(path.join(path.dirname(this.dataDir), 'texToSvg.js')) as TexRenderer;
        this.log.info(`Loaded the formula renderer in ${(performance.now() - started).toFixed(1)} ms`);
        return renderer;
      },
      onError: (message) => this.log.warn(message),
    });
    return this.formulasInstance;
  }

  /**
   * The paper search index, built on first use (in slices, so the extension host keeps answering
   * while a large corpus is indexed) and rebuilt when the corpus is replaced.
   */
  get searchIndex(): Promise<SearchIndex> {
    const corpus = this.corpus;
    if (this.searchIndexCache?.corpus !== corpus) {
      const started = performance.now();
      let concepts: readonly Concept[] = [];
      try {
        concepts = this.registry.all();
      } catch (err) {
        this.log.warn(`Search index without concept names: ${err instanceof Error ? err.message : String(err)}`);
      }
      const build = () => buildSearchIndexAsync(corpus.papers, concepts, { englishWords: this.englishWords() }).then((built) => {
        this.log.info(`Indexed ${built.size} papers for search in ${(performance.now() - started).toFixed(1)} ms`);
        return built;
      });
      // Saved in global storage: an unchanged corpus is loaded, not indexed again.
      const words = () => new ProtectedWords(concepts, this.englishWords());
      const index = this.persistedIndex.loadOrBuild(corpus.papers, () => this.corpusFingerprint(corpus), build, words).catch((err: unknown) => {
        this.searchIndexCache = undefined; // let the next use try again
        throw err;
      });
      this.searchIndexCache = { corpus, index };
    }
    return this.searchIndexCache.index;
  }

  /**
   * The English word list that keeps real words from being "corrected" by search, read on the
   * first search (not at activation). Without it, the registry's words and the ML terms still
   * protect; a malformed file is logged.
   */
  private englishWords(): Set<string> | undefined {
    if (this.englishWordsCache === undefined) {
      try {
        this.englishWordsCache = loadEnglishWords(this.dataDir) ?? null;
      } catch (err) {
        this.log.warn(`Search without the English word list: ${err instanceof Error ? err.message : String(err)}`);
        this.englishWordsCache = null;
      }
    }
    return this.englishWordsCache ?? undefined;
  }

  private englishWordsCache: Set<string> | null | undefined;

  /**
   * What the search index of `corpus` depends on: the version, the concepts file, and the shipped
   * data files' bytes, or, for a corpus merged with users' files, every paper as parsed.
   */
  private async corpusFingerprint(corpus: Corpus): Promise<string> {
    const concepts = readDataFile(this.dataDir, 'concepts.json').text;
    const shipped = await filesFingerprint(['papers.json', 'classics.json'].map((f) => path.join(this.dataDir, f)), [this.version, concepts]);
    return corpus === this.shippedCorpus ? shipped : `${shipped}|${await papersFingerprint(corpus.papers)}`;
  }

  /** The verified snippet catalog (snippets.json), read on first use. */
  get snippets(): SnippetLookup {
    this.snippetsInstance ??= new SnippetSource(() => {
      try {
        const list = this.data.snippetCatalog.list();
        this.log.info(`Loaded ${list.length} snippets`);
        return list;
      } catch (err) {
        this.log.warn(`snippets.json: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }
    });
    return this.snippetsInstance;
  }

  /** Registers a disposable to be released with the services. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  private report(what: string, issues: readonly LoadIssue[]): void {
    for (const i of issues) this.log.warn(`${what}: ${i.file}:${i.line}: ${i.message}`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

const shared = new WeakMap<vscode.ExtensionContext, Services>();

/**
 * The one Services instance of an activation, created on first request and disposed with the
 * extension. Every feature's registration asks for it here, so they share caches and data.
 */
export function sharedServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Services {
  let services = shared.get(context);
  if (!services) {
    const version = (context.extension?.packageJSON as { version?: string } | undefined)?.version ?? '';
    services = new Services(context.asAbsolutePath(path.join('dist', 'data')), log, context.globalStorageUri?.fsPath, version);
    context.subscriptions.push(services);
    shared.set(context, services);
  }
  return services;
}
