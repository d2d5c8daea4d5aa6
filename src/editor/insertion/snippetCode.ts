/**
 * From a catalog snippet to the code that is inserted: the citation header, then the snippet's
 * functions (its module docstring stays in the catalog: a 30-line string in the middle of someone's
 * module is noise, and the header names the paper), with its imports kept apart so that only the
 * missing ones are added. Pure.
 */
import type { Snippet } from '../../core/snippets/types';
import { splitSnippetCode, type SnippetCode } from './plan';

/** The parts of a snippet that insertion places (see plan.ts). */
export function insertionCode(snippet: Pick<Snippet, 'code' | 'header' | 'imports'>): SnippetCode {
  const code = stripModuleDocstring(snippet.code.replace(/\r\n?/g, '\n'));
  const split = splitSnippetCode(code);
  const header = snippet.header.trim();
  const body = header ? `${header}\n${split.body}` : split.body;
  // The catalog's import list is authoritative (it is what the Python tier ran with).
  const imports = snippet.imports.length ? [...snippet.imports] : split.imports;
  return { ...split, body, imports };
}

/** Removes a leading module docstring (and the blank lines after it). */
export function stripModuleDocstring(code: string): string {
  const m = /^\s*(?:[rRuU]{0,2})("""|''')[\s\S]*?\1[ \t]*\n?/.exec(code);
  if (!m) return code;
  return code.slice(m[0].length).replace(/^\s*\n/, '');
}
