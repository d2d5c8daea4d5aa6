/**
 * How the sidebar shows the corpus's collections: the "Classic" badge on results and details, and
 * the groups of the Source filter (shipped collections, then the user's files). Pure (no DOM), so
 * it is unit-tested in node; main.ts and detail.ts turn it into elements with `textContent`.
 */
import type { Collection, Facets } from '../protocol';

/** A badge to show, or null for none. `className` is one of a fixed set (never built from data). */
export interface CollectionBadge {
  text: string;
  className: 'badge collection classics';
  title: string;
}

/**
 * The badge for a paper's collection: classics get one ("Classic" on a row, "Classic paper" in the
 * detail); seed and user papers none (they are the default). Anything the host did not mean (an
 * unknown value) gets none.
 */
export function collectionBadge(collection: Collection | undefined, place: 'row' | 'detail'): CollectionBadge | null {
  if (collection !== 'classics') return null;
  return {
    text: place === 'row' ? 'Classic' : 'Classic paper',
    className: 'badge collection classics',
    title: 'Classics collection: the paper that introduced a loss in the registry',
  };
}

/** One group of the Source filter: a label and its options (value = the source, as the host sent it). */
export interface SourceGroup {
  label: string;
  options: { value: string; text: string; title: string }[];
}

/**
 * The Source filter's options, grouped: "Collections" (the shipped classics and seed papers) and
 * "Your files". A group without options is left out.
 */
export function sourceGroups(sources: Facets['sources']): SourceGroup[] {
  const groups: SourceGroup[] = [
    { label: 'Collections', options: [] },
    { label: 'Your files', options: [] },
  ];
  for (const s of sources) {
    const group = s.collection === 'user' ? groups[1] : groups[0];
    group.options.push({ value: s.source, text: `${s.label} (${s.count})`, title: s.collection === 'user' ? s.source : `${s.label}: the ${s.collection} collection` });
  }
  return groups.filter((g) => g.options.length > 0);
}
