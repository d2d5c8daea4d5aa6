/**
 * A paper as a markdown document (the MCP server's paper resources).
 */
import type { ConceptRegistry } from '../concepts/registry';
import { codeSpan } from '../hover/markdown';
import type { Corpus } from '../papers/corpus';
import type { Paper } from '../papers/types';
import { oneLine } from './shared';

/** A paper as markdown: metadata, links, concepts, abstract and BibTeX (an MCP resource's text). */
export function paperMarkdown(paper: Paper, corpus: Corpus, registry: ConceptRegistry): string {
  const lines = [`# ${paper.title}`];
  const who = paper.authors.length ? paper.authors.join(', ') : paper.organization ?? '';
  const meta = [who, paper.year, paper.venue].filter(Boolean).join(' · ');
  if (meta) lines.push(meta);
  lines.push(`Id: ${codeSpan(paper.id)}${paper.arxivId ? ` · arXiv:${paper.arxivId}` : ''} · BibTeX key ${codeSpan(corpus.citationKey(paper))}`);
  const links = Object.entries(paper.links).filter(([, url]) => url).map(([kind, url]) => `- ${kind}: ${url}`);
  if (links.length) lines.push(`**Links:**\n${links.join('\n')}`);
  if (paper.concepts.length) {
    lines.push(`**Losses:** ${paper.concepts.map((c) => `${registry.get(c.id)?.name ?? c.id} (${codeSpan(c.id)}, ${c.relation}${c.inferred ? ', inferred' : ''})`).join('; ')}`);
  }
  if (paper.abstract.trim()) lines.push(`**Abstract:** ${oneLine(paper.abstract)}`);
  lines.push(`**BibTeX:**\n\`\`\`bibtex\n${corpus.bibtex(paper).trimEnd()}\n\`\`\``);
  return lines.join('\n\n');
}
