/**
 * The snippet catalog at runtime: loaded from the shipped snippets.json (never from the `.py`
 * sources), looked up by concept id and framework, searched by words.
 */
import { readDataFile } from '../dataFiles';
import { editDistance } from '../papers/corpus';
import { SNIPPET_FRAMEWORKS, SNIPPETS_SCHEMA_VERSION, type Snippet, type SnippetFramework } from './types';

export interface SnippetSearchOptions {
  framework?: SnippetFramework;
  /** Maximum results, default 10. */
  limit?: number;
}

/** True when `value` names a framework that has snippets. */
export function isSnippetFramework(value: string): value is SnippetFramework {
  return (SNIPPET_FRAMEWORKS as readonly string[]).includes(value);
}

export class SnippetCatalog {
  private readonly byKey = new Map<string, Snippet>();

  constructor(private readonly snippets: readonly Snippet[]) {
    for (const s of snippets) this.byKey.set(key(s.conceptId, s.framework), s);
  }

  /** Parses and validates snippets.json text; throws an Error naming `source` when it is malformed. */
  static fromJson(text: string, source = 'snippets.json'): SnippetCatalog {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!isRecord(data) || data.schemaVersion !== SNIPPETS_SCHEMA_VERSION || !Array.isArray(data.snippets)) {
      throw new Error(`${source}: expected { schemaVersion: ${SNIPPETS_SCHEMA_VERSION}, snippets: [...] }`);
    }
    data.snippets.forEach((s, i) => {
      const problem = snippetProblem(s);
      if (problem) throw new Error(`${source}: snippets[${i}] ${problem}`);
    });
    return new SnippetCatalog(data.snippets as Snippet[]);
  }

  /** Number of snippets across frameworks. */
  get size(): number {
    return this.snippets.length;
  }

  /** All snippets (of one framework when given), sorted by concept id. */
  list(framework?: SnippetFramework): Snippet[] {
    return this.snippets
      .filter((s) => !framework || s.framework === framework)
      .sort((a, b) => (a.conceptId < b.conceptId ? -1 : a.conceptId > b.conceptId ? 1 : 0));
  }

  /** The snippet for a concept id in a framework, or undefined. */
  get(conceptId: string, framework: SnippetFramework = 'pytorch'): Snippet | undefined {
    return this.byKey.get(key(conceptId, framework));
  }

  /**
   * Snippets matching every word of `query` somewhere in their concept id, title, function names,
   * cited paper titles or arXiv ids, best first (concept id and function-name hits weigh most).
   */
  search(query: string, options: SnippetSearchOptions = {}): Snippet[] {
    const words = query.toLowerCase().split(/[^a-z0-9.]+/).filter(Boolean);
    if (words.length === 0) return [];
    const scored: { snippet: Snippet; score: number }[] = [];
    for (const snippet of this.list(options.framework)) {
      const fields = {
        id: snippet.conceptId.toLowerCase(),
        title: snippet.title.toLowerCase(),
        functions: snippet.functions.map((f) => f.name.toLowerCase()).join(' '),
        papers: snippet.papers.map((p) => `${p.title} ${p.arxivId ?? p.id}`.toLowerCase()).join(' '),
      };
      let score = 0;
      let all = true;
      for (const w of words) {
        const s = (fields.id.split('-').includes(w) ? 8 : fields.id.includes(w) ? 5 : 0)
          + (fields.functions.includes(w) ? 4 : 0)
          + (fields.title.includes(w) ? 2 : 0)
          + (fields.papers.includes(w) ? 1 : 0);
        if (s === 0) all = false;
        score += s;
      }
      if (all) scored.push({ snippet, score: score + (fields.id === query.trim().toLowerCase() ? 100 : 0) });
    }
    scored.sort((a, b) => b.score - a.score || (a.snippet.conceptId < b.snippet.conceptId ? -1 : 1));
    return scored.slice(0, options.limit ?? 10).map((s) => s.snippet);
  }

  /**
   * Concept ids close to `query`, for "did you mean": ids whose function is called `query`
   * (`focal_loss` → `focal`), ids containing it or contained in it, then small edit distances.
   */
  suggest(query: string, framework: SnippetFramework = 'pytorch', limit = 3): string[] {
    const q = query.trim().toLowerCase().replace(/_/g, '-');
    if (!q) return [];
    const ranked: { id: string; rank: number }[] = [];
    for (const s of this.list(framework)) {
      const id = s.conceptId;
      const d = editDistance(q, id);
      let rank: number | undefined;
      if (s.functions.some((f) => f.name.replace(/_/g, '-') === q)) rank = 0;
      else if (q.length >= 3 && (id.includes(q) || q.includes(id))) rank = 1 + Math.abs(id.length - q.length) / 100;
      else if (d <= Math.max(2, Math.floor(q.length / 3))) rank = 2 + d;
      if (rank !== undefined) ranked.push({ id, rank });
    }
    ranked.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : 1));
    return ranked.slice(0, limit).map((r) => r.id);
  }
}

/** Loads the shipped catalog from `dataDir` (dist/data, or paper-data with its generated/ folder). */
export function loadSnippetCatalog(dataDir: string): SnippetCatalog {
  const { path, text } = readDataFile(dataDir, 'snippets.json');
  return SnippetCatalog.fromJson(text, path);
}

function key(conceptId: string, framework: SnippetFramework): string {
  return `${framework}/${conceptId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with one catalog entry, or undefined when it is well-formed. */
function snippetProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not an object';
  for (const field of ['conceptId', 'title', 'header', 'source', 'code'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') return `has no ${field}`;
  }
  if (typeof value.framework !== 'string' || !isSnippetFramework(value.framework)) return `has unknown framework ${String(value.framework)}`;
  if (!Array.isArray(value.imports) || !value.imports.every((i) => typeof i === 'string')) return 'has malformed imports';
  if (!Array.isArray(value.functions) || value.functions.length === 0) return 'has no functions';
  if (!value.functions.every((f) => isRecord(f) && typeof f.name === 'string' && typeof f.signature === 'string' && typeof f.summary === 'string')) {
    return 'has malformed functions';
  }
  if (!Array.isArray(value.papers) || value.papers.length === 0) return 'cites no paper';
  if (!value.papers.every((p) => isRecord(p) && typeof p.id === 'string' && typeof p.title === 'string' && (p.arxivId === null || typeof p.arxivId === 'string'))) {
    return 'has malformed papers';
  }
  return undefined;
}
