/**
 * The corpus's collections: the seed page's papers, the classic papers behind the registry's losses,
 * and the user's own files. Shipped records carry their collection; the user's do not (they come
 * from any number of importers), so readers go through {@link paperCollection}.
 */
import type { Paper, PaperCollection } from './types';

/** The `sources` entry of every classics record (`paper-data/classics/README.md`). */
export const CLASSICS_SOURCE = 'shipped:classics';

/** The collection of a paper: its own field when set, else `user` (users' records have none). */
export function paperCollection(paper: Pick<Paper, 'collection'>): PaperCollection {
  return paper.collection ?? 'user';
}

/** How a collection is named in the sidebar and the CLI. */
export const COLLECTION_LABELS: Record<PaperCollection, string> = {
  seed: 'Seed papers',
  classics: 'Classic papers',
  user: 'Your papers',
};

/** The collection a shipped source belongs to (`shipped:classics` → classics, any other shipped file → seed), or undefined for a user's file. */
export function shippedSourceCollection(source: string): PaperCollection | undefined {
  if (source === CLASSICS_SOURCE) return 'classics';
  return source.startsWith('shipped:') ? 'seed' : undefined;
}
