/**
 * What a front end may ask of the application's shared state: the corpus, the concept registry,
 * the detector's scan cache, the search index and the snippet catalog. The extension's `Services`
 * (src/editor/services.ts, which adds VS Code's log, disposal and the users' corpus files) has this
 * shape, and src/extension.ts hands it to the sidebar as one: the sidebar (src/panel) sees only
 * this contract, so it never imports the editor. Free of `vscode`: a VS Code `Event` is a
 * {@link Listen}.
 */
import type { ProjectImports } from '../core/detect/types';
import type { ConceptRegistry } from '../core/concepts/registry';
import type { DocumentScanCache } from '../core/detect/cache';
import type { Corpus } from '../core/papers/corpus';
import type { SearchIndex } from '../core/search/searchIndex';
import type { SnippetFramework } from '../core/snippets/types';
import type { SnippetLookup } from './snippetSource';

/** A registration that can be undone. */
export interface Subscription {
  dispose(): unknown;
}

/** Subscribes a listener to an event (a VS Code `Event<T>` is one). */
export type Listen<T> = (listener: (value: T) => unknown) => Subscription;

/**
 * The shared state every front end reads: the corpus, the registry, the detector's scan cache, the
 * search index and the snippets. The CLI's `DataServices` (dataServices.ts) implements it
 * over a data folder; {@link PaperServices} adds what the editor's sidebar needs on top.
 */
export interface CoreServices {
  /** The shipped papers merged with the user's own. */
  readonly corpus: Corpus;
  /** The loss-concept registry. */
  readonly registry: ConceptRegistry;
  /** Detector scans per document version, built from the registry on first use. */
  readonly scanCache: DocumentScanCache;
  /** The paper search index of the current corpus, built on first use. */
  readonly searchIndex: Promise<SearchIndex>;
  /** The verified snippet catalog. */
  readonly snippets: SnippetLookup;
}

export interface PaperServices extends CoreServices {
  /** The shipped papers merged with the user's own; replaced when users' files change. */
  readonly corpus: Corpus;
  /**
   * The snippet frameworks of the file an Insert action writes into (from the setting or its
   * imports); empty when no Python file is open. Decides the sidebar's initial snippet tab.
   */
  insertTargetFrameworks(): SnippetFramework[];
  /**
   * The project the file at `path` (absolute) imports from, for names imported from the
   * workspace's own modules ("find usages" follows them as the hover does); none outside a folder.
   */
  projectImportsFor?(path: string): ProjectImports | undefined;
  /** Fires with the new corpus when users' papers load or change. */
  readonly onDidChangeCorpus: Listen<Corpus>;
}
