/**
 * The entries of `paperlens.corpus.paths`: files or globs, relative to each workspace folder or
 * absolute (`~/` is the home folder). Pure functions, so the editor's file discovery and watching
 * rest on tested rules.
 */

export type CorpusPathEntry =
  /** A glob or file relative to each workspace folder. */
  | { kind: 'relative'; pattern: string }
  /** An absolute location: `base` is a folder, `pattern` a glob under it (a file is `base` + its name). */
  | { kind: 'absolute'; base: string; pattern: string };

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Classifies one setting entry. Returns undefined for entries that are empty, or that are not
 * allowed: with `restrict` (an untrusted workspace's own settings), only workspace-relative
 * patterns that stay inside the folder are honoured.
 */
export function parseCorpusPath(entry: string, home: string, restrict = false): CorpusPathEntry | undefined {
  let e = entry.trim().replace(/\\/g, '/');
  if (!e) return undefined;
  const isHome = e === '~' || e.startsWith('~/');
  const isAbsolute = isHome || e.startsWith('/') || /^[A-Za-z]:\//.test(e);
  if (restrict && (isAbsolute || e.split('/').includes('..'))) return undefined;
  if (!isAbsolute) return { kind: 'relative', pattern: e.replace(/^\.\//, '') };
  if (isHome) e = `${home.replace(/\\/g, '/').replace(/\/$/, '')}${e.slice(1)}`;
  // Split at the first segment with glob characters: the folder before it is the watch base.
  const segments = e.split('/');
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const cut = firstGlob === -1 ? segments.length - 1 : firstGlob;
  const base = segments.slice(0, cut).join('/') || '/';
  const pattern = segments.slice(cut).join('/');
  return { kind: 'absolute', base, pattern };
}

export type CorpusFormat = 'bibtex' | 'json' | 'hf-page';

/**
 * The format a corpus file is read as, from its name: BibTeX (`.bib`, `.bibtex`), PaperLens JSON
 * (`.json`), or a Hugging Face Daily Papers page saved as text (anything else).
 */
export function corpusFormat(file: string): CorpusFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.bib') || lower.endsWith('.bibtex')) return 'bibtex';
  if (lower.endsWith('.json')) return 'json';
  return 'hf-page';
}

/**
 * A RegExp for a glob relative to a base folder, matched against `/`-separated relative paths:
 * `**` (any folders), `*` and `?` (within a name), `{a,b}` and `[…]`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
