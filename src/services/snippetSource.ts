/** The snippet catalog as the front ends see it: all snippets of a framework, or the one for a concept. */
import type { Snippet } from '../core/snippets/types';

export interface SnippetLookup {
  /** Every snippet of a framework, in catalog order. */
  all(framework: string): readonly Snippet[];
  /** The snippet implementing a concept in a framework, if one ships. */
  forConcept(conceptId: string, framework: string): Snippet | undefined;
}

/** A lookup over a lazily loaded list (the catalog is read on first use). */
export class SnippetSource implements SnippetLookup {
  private list: readonly Snippet[] | undefined;

  constructor(private readonly load: () => readonly Snippet[]) {}

  private snippets(): readonly Snippet[] {
    this.list ??= this.load();
    return this.list;
  }

  all(framework: string): readonly Snippet[] {
    return this.snippets().filter((s) => s.framework === framework);
  }

  forConcept(conceptId: string, framework: string): Snippet | undefined {
    return this.snippets().find((s) => s.conceptId === conceptId && s.framework === framework);
  }
}
