/**
 * The extension's shared state, created in activate() but loaded lazily: nothing here reads a data
 * file or builds an index until a feature first asks for it (a hover, a completion, the sidebar).
 */
import * as vscode from 'vscode';
import { ConceptRegistry } from '../core/concepts/registry';
import { loadConcepts } from '../core/concepts/load';
import { loadShippedCorpus, readDataFile } from '../core/dataFiles';
import type { Corpus } from '../core/papers/corpus';
import type { LoadIssue } from '../core/papers/types';

export class Services implements vscode.Disposable {
  private corpusCache: Corpus | undefined;
  private registryCache: ConceptRegistry | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    /** Directory of the shipped data (dist/data inside the extension). */
    readonly dataDir: string,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** The paper corpus (shipped papers; users' papers join in a later step). */
  get corpus(): Corpus {
    if (!this.corpusCache) {
      const started = performance.now();
      const { corpus, issues } = loadShippedCorpus(this.dataDir);
      this.report('papers.json', issues);
      this.corpusCache = corpus;
      this.log.info(`Loaded ${corpus.size} papers in ${(performance.now() - started).toFixed(1)} ms`);
    }
    return this.corpusCache;
  }

  /** The loss-concept registry. */
  get registry(): ConceptRegistry {
    if (!this.registryCache) {
      const started = performance.now();
      const { text } = readDataFile(this.dataDir, 'concepts.json');
      const { concepts, issues } = loadConcepts(text);
      this.report('concepts.json', issues);
      this.registryCache = new ConceptRegistry(concepts);
      this.log.info(`Loaded ${concepts.length} loss concepts in ${(performance.now() - started).toFixed(1)} ms`);
    }
    return this.registryCache;
  }

  /** Registers a disposable to be released with the services. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  private report(what: string, issues: LoadIssue[]): void {
    for (const i of issues) this.log.warn(`${what}: ${i.file}:${i.line}: ${i.message}`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
