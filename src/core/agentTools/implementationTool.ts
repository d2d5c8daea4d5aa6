/**
 * `paperlens_getImplementation`: the verified snippet of a concept in a framework, with its
 * imports, functions and paper.
 */
import { codeSpan } from '../hover/markdown';
import { isSnippetFramework } from '../snippets/catalog';
import type { AgentToolContext, ImplementationData, ToolAnswer } from './types';
import { ToolInputError, oneLine, paperUrl, resolveConceptName, unknownConcept } from './shared';

export interface ImplementationInput {
  concept: string;
  framework?: string;
}

export function getImplementation(input: ImplementationInput, ctx: AgentToolContext): ToolAnswer<ImplementationData> {
  const framework = input.framework ?? ctx.defaultFramework ?? 'pytorch';
  if (!isSnippetFramework(framework)) throw new ToolInputError(`no implementations for framework "${framework}"`);
  const resolved = resolveConceptName(ctx.registry, input.concept);
  if (!resolved) throw unknownConcept(ctx.registry, input.concept);
  const concept = resolved.concept;
  const snippet = ctx.snippets.forConcept(concept.id, framework);
  if (!snippet) {
    const library = ctx.registry.identifiersFor(concept.id).filter((i) => i.framework !== 'handwritten').slice(0, 4);
    const use = library.length ? ` Libraries provide it as ${library.map((i) => codeSpan(i.qualifiedName)).join(', ')}.` : '';
    throw new ToolInputError(`PaperLens has no verified ${framework} implementation of ${concept.name} (concept \`${concept.id}\`).${use}`);
  }
  const papers = snippet.papers.map((p) => {
    const inCorpus = ctx.corpus.get(p.id);
    return { id: p.id, title: p.title, arxivId: p.arxivId, url: p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : inCorpus ? paperUrl(inCorpus) : null };
  });
  const data: ImplementationData = {
    concept: concept.id,
    name: concept.name,
    framework,
    title: snippet.title,
    imports: snippet.imports,
    functions: snippet.functions,
    papers,
    source: snippet.source,
    code: snippet.code,
  };
  const lines = [
    `### ${snippet.title} (concept ${codeSpan(concept.id)}, ${framework})`,
    `Verified: the PaperLens test suite executes this file (${codeSpan(snippet.source)}) under ${framework} before it ships.`,
    `**Paper${papers.length === 1 ? '' : 's'}:** ${papers.map((p) => `${p.title}${p.arxivId ? ` (arXiv:${p.arxivId})` : ''}${p.url ? ` — ${p.url}` : ''}`).join('; ')}`,
    `**Imports:**\n\`\`\`python\n${snippet.imports.join('\n')}\n\`\`\``,
    `**Functions:**\n${snippet.functions.map((f) => `- ${codeSpan(f.signature)}: ${oneLine(f.summary)}`).join('\n')}`,
    `**Code** (keep the citation header):\n\`\`\`python\n${snippet.header}\n${snippet.code.trimEnd()}\n\`\`\``,
  ];
  return { isError: false, markdown: lines.join('\n\n'), data };
}
