/**
 * The message protocol between the Papers sidebar (host: src/panel) and its webview
 * (src/webview). Both sides import these types; neither trusts the other's messages blindly:
 * the host validates every message from the webview with {@link parseWebviewMessage} before it acts,
 * and the webview checks the host's with {@link isHostMessage}.
 *
 * Shape (after GitLens's ipc models): requests carry an `id` and get exactly one reply with the same
 * `id`; notifications have no `id` and no reply. The webview sends `ready` first; the host queues
 * everything until then.
 *
 * Plain data only — no functions, no class instances — so messages survive `postMessage`.
 */

// ---------------------------------------------------------------------------------------------
// Data

export type SortOrder = 'relevance' | 'newest';

/**
 * The collection a paper belongs to: the seed papers and the classic papers behind the losses ship
 * with PaperLens; `user` papers come from the user's own files (`paperlens.corpus.paths`).
 */
export type Collection = 'seed' | 'classics' | 'user';

/** Filters chosen in the view's controls. */
export interface Filters {
  /** Concept id. */
  concept?: string;
  yearFrom?: number;
  yearTo?: number;
  hasCode?: boolean;
  /** A source as listed in {@link Facets.sources}. */
  source?: string;
}

/** A concept chip on a result row or in a detail. */
export interface ConceptChip {
  id: string;
  name: string;
  relation: 'proposes' | 'studies' | 'introduces-classic';
  /** Tag inferred from the text rather than stated by a source (shown as such). */
  inferred: boolean;
}

/** One row of the result list. */
export interface PaperSummary {
  id: string;
  title: string;
  year: number | null;
  venue: string | null;
  /** Short author line: "Lin, Goyal, Girshick et al." (or the organisation). */
  authors: string;
  concepts: ConceptChip[];
  hasCode: boolean;
  /** Shown as a badge ("Classic") on classics rows. */
  collection: Collection;
}

/** A link of a paper; the host only sends http(s) URLs. */
export interface PaperLink {
  kind: 'arxiv' | 'pdf' | 'huggingFace' | 'code' | 'doi' | 'url';
  label: string;
  url: string;
}

/** Frameworks a snippet can be in (the folders of paper-data/snippets). */
export type SnippetFrameworkName = 'pytorch' | 'jax' | 'keras';
export const SNIPPET_FRAMEWORK_NAMES: readonly SnippetFrameworkName[] = ['pytorch', 'jax', 'keras'];

/** One framework's verified implementation of a concept: a tab of the concept in the detail. */
export interface SnippetTab {
  framework: SnippetFrameworkName;
  /** `PyTorch`, `JAX`, `Keras`. */
  label: string;
  /** Public function names, in file order. */
  functions: string[];
  /** The snippet's import lines (the editor adds those the file lacks). */
  imports: string[];
  /** What is inserted below the imports: the citation header and the code, without the module docstring. */
  code: string;
}

/** A concept in a paper's detail, with what the view needs to render and act on it. */
export interface ConceptDetail extends ConceptChip {
  summary: string | null;
  /** LaTeX (KaTeX-compatible), rendered in the webview. */
  formula: string | null;
  /** Where the formula comes from (paper section, repository file, docs URL), shown beneath it. */
  formulaSource: string | null;
  formulaVerified: boolean;
  /** A verified implementation ships for the framework of the file it would go into (enables "Insert snippet"). */
  hasSnippet: boolean;
  /** Every framework's implementation of the concept, in {@link SNIPPET_FRAMEWORK_NAMES} order (one tab each). */
  snippets: SnippetTab[];
}

/** A loss the query names, shown as a card at the head of the results. */
export interface ConceptCard {
  id: string;
  name: string;
  /** The summary's first sentence. */
  summary: string | null;
  /** LaTeX (KaTeX-compatible), rendered in the webview. */
  formula: string | null;
  formulaSource: string | null;
  formulaVerified: boolean;
  /** A verified implementation ships for the configured framework (enables "Insert snippet"). */
  hasSnippet: boolean;
}

/** Everything the detail view shows. Text is raw: the webview renders markdown and math itself. */
export interface PaperDetail {
  id: string;
  title: string;
  /** Markdown with `$…$` / `$$…$$` math. */
  abstract: string;
  authors: string[];
  organization: string | null;
  venue: string | null;
  year: number | null;
  date: string | null;
  arxivId: string | null;
  citationKey: string;
  links: PaperLink[];
  concepts: ConceptDetail[];
  sources: string[];
  /** Shown as a badge ("Classic paper") in the detail. */
  collection: Collection;
  /**
   * The framework(s) of the Python file the sidebar inserts into: one, several when its imports
   * name several, none when no Python editor is open. Selects the concepts' initial snippet tab.
   */
  targetFrameworks: SnippetFrameworkName[];
}

/** What the filter controls offer. */
export interface Facets {
  papers: number;
  concepts: { id: string; name: string; count: number }[];
  years: { min: number; max: number } | null;
  /**
   * Sources for the Source filter: the shipped collections first (`collection` set: the classics,
   * then the seed papers), then the user's files (`collection: 'user'`).
   */
  sources: { source: string; label: string; count: number; collection: Collection }[];
  withCode: number;
}

/** One place in the workspace that names a loss. */
export interface UsageHit {
  /** Opaque token the host issued; `openUsage` sends it back (the webview never names files). */
  ref: string;
  /** Workspace-relative path, for display. */
  path: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  conceptId: string;
  /** The name as written, e.g. `F.cross_entropy`. */
  expression: string;
  /** The source line, trimmed, for context. */
  preview: string;
}

// ---------------------------------------------------------------------------------------------
// Webview → host

export interface SearchRequest {
  type: 'search';
  id: number;
  query: string;
  filters: Filters;
  sort: SortOrder;
  offset: number;
  limit: number;
}

export interface PaperRequest {
  type: 'getPaper';
  id: number;
  paperId: string;
}

export interface UsagesRequest {
  type: 'findUsages';
  id: number;
  /** Concepts to look for; empty: every known loss. */
  conceptIds: string[];
}

/** Requests the webview makes; each gets one reply with the same id. */
export type WebviewRequest = SearchRequest | PaperRequest | UsagesRequest;

/** The webview has loaded and listens: the host may send (and flush what it queued). */
export interface ReadyNotification { type: 'ready' }
/** Run `paperlens.insertSnippet` for a concept, in the framework of the chosen tab (else the file's). */
export interface InsertSnippetNotification { type: 'insertSnippet'; conceptId: string; framework?: SnippetFrameworkName }
/** Run `paperlens.copyBibtex` for a paper. */
export interface CopyBibtexNotification { type: 'copyBibtex'; paperId: string }
/** Run `paperlens.citePaper` (citation comment) for a paper. */
export interface CitePaperNotification { type: 'citePaper'; paperId: string }
/** Open a link of a paper (one of its links, or a link in its abstract) in the browser. */
export interface OpenLinkNotification { type: 'openLink'; paperId: string; url: string }
/** Open a usage the host listed. */
export interface OpenUsageNotification { type: 'openUsage'; ref: string }
/** Something failed in the webview; the host logs it. */
export interface ErrorNotification { type: 'error'; message: string }

export type WebviewNotification =
  | ReadyNotification | InsertSnippetNotification | CopyBibtexNotification | CitePaperNotification
  | OpenLinkNotification | OpenUsageNotification | ErrorNotification;

export type WebviewMessage = WebviewRequest | WebviewNotification;

// ---------------------------------------------------------------------------------------------
// Host → webview

export interface SearchReply {
  type: 'searchResult';
  id: number;
  total: number;
  /** False when `total` is an estimate. */
  totalExact: boolean;
  offset: number;
  hits: PaperSummary[];
  /**
   * How many of `total` are strong matches; they come first, the weak ones after (shown under their
   * own heading, never mixed).
   */
  strongTotal: number;
  /** "No paper in your corpus is about …" when the query has words and nothing strong matched. */
  noAnswer: string | null;
  /** The query's free words as typed (what `noAnswer` is about), for emphasis. */
  about: string;
  /** Losses the query names (by name or library identifier), shown as cards above the results. */
  concepts: ConceptCard[];
  /** "harmonc" searched as "harmonic"; `searchInstead` is the query that searches it as typed. */
  corrections: { word: string; suggestions: string[]; searchInstead: string }[];
  /** Notes about the query (ignored hints, truncation). */
  problems: string[];
  /** Vocabulary terms matched, for highlighting. */
  terms: string[];
}

export interface PaperReply {
  type: 'paper';
  id: number;
  paper: PaperDetail | null;
}

export interface UsagesReply {
  type: 'usages';
  id: number;
  hits: UsageHit[];
  filesScanned: number;
  /** More hits (or files) existed than were listed. */
  truncated: boolean;
}

/** A request failed; the webview shows `message`. */
export interface ErrorReply {
  type: 'failed';
  id: number;
  message: string;
}

export type HostReply = SearchReply | PaperReply | UsagesReply | ErrorReply;

/** First message after `ready`, and again whenever the corpus changes. */
export interface InitNotification {
  type: 'init';
  facets: Facets;
  /** Concept ids → display names, for chips and the concept filter. */
  conceptNames: Record<string, string>;
  /** Bumped when the corpus changes: the webview re-runs its search. */
  corpusVersion: number;
}

/** Focus the search box (command `paperlens.searchPapers`), optionally with a query. */
export interface FocusSearchNotification { type: 'focusSearch'; query?: string }
/** Show papers of a concept (command `paperlens.showConcept`, hover "Show in sidebar"). */
export interface ShowConceptNotification { type: 'showConcept'; conceptId: string }
/** Show a paper's detail (command `paperlens.openPaper`). */
export interface ShowPaperNotification { type: 'showPaper'; paperId: string }
/** Show usages of concepts (command `paperlens.findUsages`); empty: every loss. */
export interface ShowUsagesNotification { type: 'showUsages'; conceptIds: string[] }
/**
 * Hits of a running "find usages" (request `id`), streamed as files are scanned, before its
 * {@link UsagesReply}. `hits` are new since the last notification; refs are those the reply uses.
 */
export interface UsagesProgressNotification {
  type: 'usagesProgress';
  id: number;
  hits: UsageHit[];
  filesDone: number;
  filesTotal: number;
}
/** The outcome of an action, for a confirmation ("BibTeX copied"). */
export interface ActionResultNotification {
  type: 'actionResult';
  action: 'insertSnippet' | 'copyBibtex' | 'citePaper' | 'openLink' | 'openUsage';
  ok: boolean;
  message: string;
}

export type HostNotification =
  | InitNotification | FocusSearchNotification | ShowConceptNotification | ShowPaperNotification
  | ShowUsagesNotification | UsagesProgressNotification | ActionResultNotification;

export type HostMessage = HostReply | HostNotification;

// ---------------------------------------------------------------------------------------------
// Validation

/** Bounds on what the webview may send; anything outside is rejected, not clamped. */
export const LIMITS = {
  query: 2_000,
  id: 300,
  url: 2_048,
  message: 2_000,
  pageSize: 500,
  offset: 1_000_000,
  conceptIds: 200,
} as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(v: unknown, max: number, min = 0): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isRequestId(v: unknown): v is number {
  return isInt(v, 0, Number.MAX_SAFE_INTEGER);
}

/** An id of a paper or concept: printable, no control characters. */
function isId(v: unknown): v is string {
  return isString(v, LIMITS.id, 1) && !/[\u0000-\u001f\u007f]/.test(v);
}

function hasOnlyKeys(o: Json, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

/** A filters object: known keys only, each of the right type and range. */
export function isFilters(v: unknown): v is Filters {
  if (!isObject(v) || !hasOnlyKeys(v, ['concept', 'yearFrom', 'yearTo', 'hasCode', 'source'])) return false;
  if (v.concept !== undefined && !isId(v.concept)) return false;
  if (v.yearFrom !== undefined && !isInt(v.yearFrom, 1000, 9999)) return false;
  if (v.yearTo !== undefined && !isInt(v.yearTo, 1000, 9999)) return false;
  if (v.hasCode !== undefined && typeof v.hasCode !== 'boolean') return false;
  if (v.source !== undefined && !isString(v.source, LIMITS.url, 1)) return false;
  return true;
}

/** An http(s) URL, parsed; undefined for anything else (`javascript:`, `file:`, `command:`…). */
export function safeHttpUrl(value: unknown): URL | undefined {
  if (!isString(value, LIMITS.url, 1)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses a message from the webview. Returns the message when it has exactly the shape of one of
 * {@link WebviewMessage}, else a reason (for the log). Unknown keys are rejected too: a message
 * that does not look like ours did not come from our code.
 */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
  if (!isObject(raw)) return fail('not an object');
  const m = raw;
  switch (m.type) {
    case 'ready':
      return hasOnlyKeys(m, ['type']) ? { ok: true, message: { type: 'ready' } } : fail('ready: unexpected keys');
    case 'search': {
      if (!hasOnlyKeys(m, ['type', 'id', 'query', 'filters', 'sort', 'offset', 'limit'])) return fail('search: unexpected keys');
      if (!isRequestId(m.id)) return fail('search: bad id');
      if (!isString(m.query, LIMITS.query)) return fail('search: bad query');
      if (!isFilters(m.filters)) return fail('search: bad filters');
      if (m.sort !== 'relevance' && m.sort !== 'newest') return fail('search: bad sort');
      if (!isInt(m.offset, 0, LIMITS.offset)) return fail('search: bad offset');
      if (!isInt(m.limit, 1, LIMITS.pageSize)) return fail('search: bad limit');
      return { ok: true, message: { type: 'search', id: m.id, query: m.query, filters: m.filters, sort: m.sort, offset: m.offset, limit: m.limit } };
    }
    case 'getPaper':
      if (!hasOnlyKeys(m, ['type', 'id', 'paperId']) || !isRequestId(m.id) || !isId(m.paperId)) return fail('getPaper: bad shape');
      return { ok: true, message: { type: 'getPaper', id: m.id, paperId: m.paperId } };
    case 'findUsages':
      if (!hasOnlyKeys(m, ['type', 'id', 'conceptIds']) || !isRequestId(m.id)) return fail('findUsages: bad shape');
      if (!Array.isArray(m.conceptIds) || m.conceptIds.length > LIMITS.conceptIds || !m.conceptIds.every(isId)) return fail('findUsages: bad conceptIds');
      return { ok: true, message: { type: 'findUsages', id: m.id, conceptIds: [...m.conceptIds] } };
    case 'insertSnippet':
      if (!hasOnlyKeys(m, ['type', 'conceptId', 'framework']) || !isId(m.conceptId)) return fail('insertSnippet: bad shape');
      if (m.framework === undefined) return { ok: true, message: { type: 'insertSnippet', conceptId: m.conceptId } };
      if (!(SNIPPET_FRAMEWORK_NAMES as readonly unknown[]).includes(m.framework)) return fail('insertSnippet: bad framework');
      return { ok: true, message: { type: 'insertSnippet', conceptId: m.conceptId, framework: m.framework as SnippetFrameworkName } };
    case 'copyBibtex':
    case 'citePaper':
      if (!hasOnlyKeys(m, ['type', 'paperId']) || !isId(m.paperId)) return fail(`${m.type}: bad shape`);
      return { ok: true, message: { type: m.type, paperId: m.paperId } };
    case 'openLink':
      if (!hasOnlyKeys(m, ['type', 'paperId', 'url']) || !isId(m.paperId)) return fail('openLink: bad shape');
      if (!safeHttpUrl(m.url)) return fail('openLink: not an http(s) URL');
      return { ok: true, message: { type: 'openLink', paperId: m.paperId, url: m.url as string } };
    case 'openUsage':
      if (!hasOnlyKeys(m, ['type', 'ref']) || !isString(m.ref, 64, 1)) return fail('openUsage: bad shape');
      return { ok: true, message: { type: 'openUsage', ref: m.ref } };
    case 'error':
      if (!hasOnlyKeys(m, ['type', 'message']) || typeof m.message !== 'string') return fail('error: bad shape');
      return { ok: true, message: { type: 'error', message: m.message.slice(0, LIMITS.message) } };
    default:
      return fail(`unknown type ${JSON.stringify(String(m.type)).slice(0, 40)}`);
  }
}

/** Type guard for the webview: a message of the host's shape (checked by `type` and key fields). */
export function isHostMessage(raw: unknown): raw is HostMessage {
  if (!isObject(raw)) return false;
  switch (raw.type) {
    case 'searchResult':
      return isRequestId(raw.id) && typeof raw.total === 'number' && Array.isArray(raw.hits) && typeof raw.offset === 'number';
    case 'paper':
      return isRequestId(raw.id) && (raw.paper === null || isObject(raw.paper));
    case 'usages':
      return isRequestId(raw.id) && Array.isArray(raw.hits);
    case 'failed':
      return isRequestId(raw.id) && typeof raw.message === 'string';
    case 'init':
      return isObject(raw.facets) && isObject(raw.conceptNames) && typeof raw.corpusVersion === 'number';
    case 'focusSearch':
      return raw.query === undefined || typeof raw.query === 'string';
    case 'showConcept':
      return typeof raw.conceptId === 'string';
    case 'showPaper':
      return typeof raw.paperId === 'string';
    case 'showUsages':
      return Array.isArray(raw.conceptIds);
    case 'usagesProgress':
      return isRequestId(raw.id) && Array.isArray(raw.hits) && typeof raw.filesDone === 'number' && typeof raw.filesTotal === 'number';
    case 'actionResult':
      return typeof raw.action === 'string' && typeof raw.ok === 'boolean' && typeof raw.message === 'string';
    default:
      return false;
  }
}

/** True for messages that answer a request (they carry its id). */
export function isReply(message: HostMessage): message is HostReply {
  return message.type === 'searchResult' || message.type === 'paper' || message.type === 'usages' || message.type === 'failed';
}
