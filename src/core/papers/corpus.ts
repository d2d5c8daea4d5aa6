/** An in-memory corpus: papers by id, citation keys, and lookup by arXiv id or key. */
import { citationKeys, toBibtex } from './bibtex';
import type { Paper } from './types';

export class Corpus {
  private readonly byId = new Map<string, Paper>();
  private keys: Map<string, string> | undefined;

  constructor(readonly papers: readonly Paper[]) {
    for (const p of papers) this.byId.set(p.id, p);
  }

  get size(): number {
    return this.papers.length;
  }

  /** A paper by id, arXiv id (with or without version, or `arXiv:` prefix) or citation key. */
  get(idOrKey: string): Paper | undefined {
    const q = idOrKey.trim().replace(/^arxiv:/i, '');
    const direct = this.byId.get(q) ?? this.byId.get(q.replace(/v\d+$/, ''));
    if (direct) return direct;
    for (const p of this.papers) if (p.arxivId === q || this.citationKey(p) === q) return p;
    return undefined;
  }

  /**
   * The corpus-unique citation key of a paper: the key from the user's own bibliography when the
   * paper has one, otherwise a generated `lastnameYEARword` key that no user key already takes.
   */
  citationKey(paper: Paper): string {
    this.keys ??= corpusKeys(this.papers);
    return this.keys.get(paper.id) ?? paper.id;
  }

  bibtex(paper: Paper): string {
    return toBibtex(paper, this.citationKey(paper));
  }

  /** Ids close to `query`, for "did you mean" messages. */
  suggest(query: string, limit = 3): string[] {
    const q = query.toLowerCase();
    return this.papers
      .map((p) => ({ id: p.id, d: editDistance(q, p.id.toLowerCase()) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, limit)
      .filter((s) => s.d <= Math.max(2, Math.floor(q.length / 3)))
      .map((s) => s.id);
  }
}

/** Keys for every paper: users' own keys first, generated keys for the rest, all distinct. */
function corpusKeys(papers: readonly Paper[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const generated: Paper[] = [];
  for (const p of papers) {
    if (p.citationKey && !taken.has(p.citationKey)) {
      keys.set(p.id, p.citationKey);
      taken.add(p.citationKey);
    } else {
      generated.push(p);
    }
  }
  if (generated.length === papers.length) return citationKeys(papers);
  for (const [id, key] of citationKeys(generated)) {
    let k = key;
    for (let n = 2; taken.has(k); n++) k = `${key}-${n}`;
    keys.set(id, k);
    taken.add(k);
  }
  return keys;
}

/** Levenshtein distance, O(|a|·|b|) with two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
