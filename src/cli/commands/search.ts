import { noAnswerMessage, oneLine, verbatimQuery } from '../../core/search/explain';
import { isEmptyQuery, parseQuery } from '../../core/search/query';
import type { SearchHit } from '../../core/search/searchIndex';
import { DataServices } from '../../services/dataServices';
import { intOption, parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

const USAGE = [
  'Usage: paperlens search <query> [--json] [--limit N] [--newest] [--corpus FILE]...',
  '',
  '--corpus adds your own papers (.bib, .paperlens.json or a page dump); repeat it for more files.',
  'Typos are corrected ("harmonc loss"; real words and ML terms never are; quote a word to search it',
  'as typed). A loss named by name or library identifier ("CrossEntropyLoss") is shown first, then',
  'its papers, the one that introduced it first. Results that match only some of the query\'s words',
  'are listed apart, as weak matches; --json marks each result "match": "strong" | "weak".',
  'Exit status 1 when a --corpus file is missing or unreadable, or has entries that could not be loaded.',
  'Hints: year:2025  year:2020..2023  concept:focal  author:mohri  venue:iclr  has:code',
  '       "exact phrase"  -excluded  source:refs.bib  id:2411.09009  sort:newest',
].join('\n');

/** `paperlens search <query> [--json] [--limit N] [--newest] [--corpus FILE]...` over the shipped corpus plus users' files. */
export const searchCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'help', 'newest'], valued: ['limit', 'corpus'] });
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  const query = parsed.positionals.join(' ').trim();
  if (!query) throw new UsageError('expected a query, e.g. `paperlens search focal loss`');
  const limit = intOption(parsed, 'limit', 10);
  const parsedQuery = parseQuery(query);
  if (isEmptyQuery(parsedQuery)) throw new UsageError(`"${query}" has no words or hints to search for`);
  // A --corpus file that is missing, unreadable or has entries that fail is reported (file:line on
  // stderr) and makes the exit status 1; the search still runs over what could be loaded.
  const services = new DataServices(io.dataDir);
  const { errors } = await services.addUserFiles(parsed.options.get('corpus') ?? [], io.cwd, (i) => io.err(`${i.file}:${i.line}: ${i.severity}: ${i.message}`));
  const status = errors > 0 ? 1 : 0;
  const concepts = services.searchConcepts();
  const index = await services.searchIndex;
  const result = index.search(parsedQuery, { limit, sort: parsed.flags.has('newest') ? 'newest' : 'relevance' });
  const byId = new Map(concepts.map((c) => [c.id, c]));
  const named = [...new Map(result.named.map((n) => [n.id, n])).values()].map((n) => {
    const c = byId.get(n.id);
    return {
      id: n.id, name: n.name, via: n.via, words: n.words,
      summary: c ? oneLine(c.summary) : null,
      formula: c?.formula.latex ?? null,
      formulaSource: c?.formula.source ?? null,
    };
  });
  const noAnswer = noAnswerMessage(result);
  const hasSnippet = (conceptId: string): boolean => {
    try {
      return services.snippets.forConcept(conceptId, 'pytorch') !== undefined;
    } catch {
      return false;
    }
  };
  const corrections = result.corrections.map((c) => ({ ...c, searchInstead: verbatimQuery(query, [c.word]) }));
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify({
      query,
      about: result.about,
      total: result.total,
      strongTotal: result.strongTotal,
      noAnswer: noAnswer ?? null,
      corrections,
      concepts: named,
      results: result.hits.map((h) => ({
        id: h.paper.id, title: h.paper.title, year: h.paper.year, venue: h.paper.venue, match: h.match, coverage: h.coverage,
        score: Number(h.score.toFixed(4)), concepts: h.paper.concepts.map((c) => c.id), url: h.paper.links.arxiv ?? h.paper.links.code ?? null,
      })),
    }, null, 2));
    return status;
  }
  for (const problem of result.query.problems) io.err(`note: ${problem}`);
  for (const c of corrections) {
    io.out(`Showing results for ${c.suggestions.map((s) => `"${s}"`).join(', ')} (you typed "${c.word}"); search instead for it as typed: paperlens search '${c.searchInstead.replace(/'/g, "'\\''")}'`);
  }
  for (const c of named) {
    io.out(`Loss: ${c.name} (${c.id})${c.summary ? ` — ${c.summary}` : ''}`);
    if (c.formula) io.out(`  ${c.formula}`);
    io.out(`  papers: paperlens search concept:${c.id}${hasSnippet(c.id) ? `   implementation: paperlens snippet ${c.id}` : ''}`);
  }
  const line = (h: SearchHit): string => {
    const meta = [h.paper.year, h.paper.venue].filter(Boolean).join(', ');
    return `${h.paper.id.padEnd(12)} ${h.paper.title}${meta ? ` (${meta})` : ''}`;
  };
  if (result.total === 0) {
    io.out(noAnswer ? `${noAnswer}.` : `No papers match "${query}".`);
    return status;
  }
  const strong = result.hits.filter((h) => h.match === 'strong');
  const weak = result.hits.filter((h) => h.match === 'weak');
  if (noAnswer) io.out(`${noAnswer}.`);
  for (const h of strong) io.out(line(h));
  if (weak.length) {
    io.out(noAnswer ? 'Weak matches (they share only some of the words):' : 'Weak matches:');
    for (const h of weak) io.out(line(h));
  }
  if (result.total > result.hits.length) io.out(`… ${result.total - result.hits.length} more (--limit N)`);
  if (status) io.err(`paperlens search: ${errors} problem${errors === 1 ? '' : 's'} loading --corpus files (above); exit status 1.`);
  return status;
};
