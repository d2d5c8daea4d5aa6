/**
 * What the BibTeX importer (`bibtexImport.ts`) has @retorquere/bibtex-parser convert beside whole
 * entries: the pieces the fast path leaves to it (formulas, commands it does not know), converted
 * alone, cached and batched; and the library's crossref inheritance, read off the library itself
 * since its tables are not exported.
 */
import type { Entry, Options } from '@retorquere/bibtex-parser';
import type { FragmentConverter, MathConverter } from './bibtexFastPath';

/** The library's parse function (loaded by bibtexParser.ts). */
export type ParseFn = (input: string, options?: Options) => { entries: Entry[]; errors: { error: string }[] };

/**
 * Inline formulas (by their source) and commands with their arguments (by field and source)
 * converted by the library; shared by all imports, since a piece converts the same wherever it
 * stands. null: the library reported a problem (the field then goes to it whole).
 */
const pieceCache = new Map<string, string | null>();
const PIECE_CACHE_MAX = 20_000;

/** A piece to convert: the field it stands in, and the probe entry's field line. */
interface Piece {
  field: string;
  body: string;
}

/** At most this many pieces are converted by one library call. */
const PIECE_BATCH = 64;

/**
 * Converts formulas and commands the fast path does not know with the library, each alone in a
 * field between two letters (so nothing at its edges is trimmed or joined), the same as in its
 * field. While `recording`, a piece not converted yet is only noted (and the fast path leaves its
 * field); {@link flush} then converts all noted pieces in a few library calls.
 */
export class LibraryPieces {
  /** While set, a piece not converted yet is noted, and stands in as empty text. */
  recording = false;
  /** Pieces noted while recording (a count that only grows). */
  noted = 0;
  private readonly wanted = new Map<string, Piece>();
  private readonly options: Options;

  constructor(private readonly parse: ParseFn, libOptions: Options, private readonly stats: LibraryCallStats | undefined) {
    this.options = { ...libOptions, strings: {} } as Options;
  }

  readonly math: MathConverter = (math) => this.piece(`$${math}`, `  title = {X${math}X}`, 'title');

  readonly fragment: FragmentConverter = (field, tex) => this.piece(`${field}\u0001${tex}`, `  ${field} = {X${tex}{}X}`, field);

  private piece(key: string, body: string, field: string): string | undefined {
    const hit = pieceCache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    if (this.recording) {
      this.wanted.set(key, { field, body });
      this.noted++;
      return '';
    }
    this.convert([[key, { field, body }]]);
    return pieceCache.get(key) ?? undefined;
  }

  /** Converts the pieces noted while recording. */
  flush(): void {
    const all = [...this.wanted];
    this.wanted.clear();
    for (let k = 0; k < all.length; k += PIECE_BATCH) this.convert(all.slice(k, k + PIECE_BATCH));
  }

  /** Converts pieces in one library call; a call the library reports anything for is split in halves. */
  private convert(pieces: [key: string, piece: Piece][]): void {
    const texts = pieces.map(([, { body }], n) => `@misc{paperlens${n},\n${body}\n}`);
    let lib;
    try {
      lib = this.parse(texts.join('\n'), this.options);
    } catch {
      lib = undefined;
    }
    if (this.stats) {
      this.stats.libraryCalls++;
      this.stats.libraryPieces += pieces.length;
    }
    if ((!lib || lib.errors.length) && pieces.length > 1) {
      const half = Math.ceil(pieces.length / 2);
      this.convert(pieces.slice(0, half));
      this.convert(pieces.slice(half));
      return;
    }
    pieces.forEach(([key, { field }], n) => {
      let hit: string | null = null;
      const entry = lib && !lib.errors.length ? lib.entries.find((e) => e.key === `paperlens${n}`) : undefined;
      const value = entry && (entry as { input?: string }).input === texts[n] ? entry.fields[field] : undefined;
      if (typeof value === 'string' && value.length >= 2 && value.startsWith('X') && value.endsWith('X')) hit = value.slice(1, -1);
      if (pieceCache.size >= PIECE_CACHE_MAX) pieceCache.clear();
      pieceCache.set(key, hit);
    });
  }
}

/** The counts of library calls the importer reports (`BibtexImportStats`). */
export interface LibraryCallStats {
  libraryCalls: number;
  libraryPieces: number;
}

/**
 * For an entry type and its crossref parent's type: each field the entry inherits, with the
 * parent's fields it takes it from, in the library's order of preference. The library's tables
 * (its crossref.js and fields.js) are not exported, so they are read off the library itself: a
 * parent with one field per parent field says which fields it gives (all in one call), and one
 * call per pair of candidates for the same field says which the library prefers (`fields`: the
 * parent's fields that may be given). Cached for the process.
 */
export function crossrefSources(parse: ParseFn, libOptions: Options, fields: readonly string[], childType: string, parentType: string): Map<string, string[]> | undefined {
  const key = `${childType}\u0001${parentType}`;
  const known = crossrefCache.get(key);
  if (known !== undefined) return known ?? undefined;
  let result: Map<string, string[]> | null = null;
  try {
    result = probeCrossref(parse, libOptions, fields, childType, parentType);
  } catch {
    // left to the library, entry by entry
  }
  crossrefCache.set(key, result);
  return result ?? undefined;
}

const crossrefCache = new Map<string, Map<string, string[]> | null>();

function probeCrossref(parse: ParseFn, libOptions: Options, parentFields: readonly string[], childType: string, parentType: string): Map<string, string[]> | null {
  const options = { ...libOptions, strings: {} } as Options;
  const fields = parentFields.filter((f) => f !== 'crossref');
  /**
   * For each parent field list in `givens` (each value `Q<name>`), what a child inherits: child
   * field → parent field. One library call; each pair of entries is on its own there.
   */
  const inheritedAll = (givens: string[][]): (Map<string, string> | null)[] => {
    const text = givens.map((given, k) => {
      const body = given.map((f) => `  ${f} = {Q${f}}`).join(',\n');
      return `@${parentType}{qparent${k},\n${body}\n}\n@${childType}{qchild${k},\n  crossref = {qparent${k}}\n}`;
    }).join('\n');
    const lib = parse(text, options);
    return givens.map((given, k) => {
      const child = lib.entries.find((e) => e.key === `qchild${k}`);
      if (lib.errors.length || !child) return null;
      const out = new Map<string, string>();
      for (const [name, value] of Object.entries(child.fields)) {
        if (name === 'crossref') continue;
        const m = /Q([a-z]+)/.exec(JSON.stringify(value));
        if (!m || !given.includes(m[1])) return null;
        out.set(name, m[1]);
      }
      return out;
    });
  };
  const inherited = (given: string[]): Map<string, string> | null => inheritedAll([given])[0];
  const candidates = new Map<string, string[]>();
  const single = inheritedAll(fields.map((f) => [f]));
  for (let k = 0; k < fields.length; k++) {
    const got = single[k];
    if (!got) return null;
    for (const child of got.keys()) candidates.set(child, [...(candidates.get(child) ?? []), fields[k]]);
  }
  for (const [child, list] of candidates) {
    if (list.length < 2) continue;
    // Insertion sort by the library's preference between two candidates.
    const sorted: string[] = [];
    for (const f of list) {
      let at = sorted.length;
      for (let k = 0; k < sorted.length; k++) {
        const winner = inherited([f, sorted[k]])?.get(child);
        if (winner === undefined) return null;
        if (winner === f) {
          at = k;
          break;
        }
      }
      sorted.splice(at, 0, f);
    }
    candidates.set(child, sorted);
  }
  return candidates;
}
