/**
 * Moved to src/services/snippetSource.ts. This forwarding module keeps the editor files that other
 * branches are changing compiling until they land; new code imports the services module.
 */
export { SnippetSource, type SnippetLookup } from '../services/snippetSource';
