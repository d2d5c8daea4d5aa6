import { parseConceptBundle } from '../../core/concepts/load';
import type { Concept } from '../../core/concepts/types';
import { dataFilePath, readDataFile } from '../../core/dataFiles';
import { isEmptyQuery, parseQuery } from '../../core/search/query';
import { buildSearchIndex } from '../../core/search/searchIndex';
import { intOption, parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';
import { loadCorpusWithUserFiles } from './check';

const USAGE = [
  'Usage: paperlens search <query> [--json] [--limit N] [--newest] [--corpus FILE]...',
  '',
  '--corpus adds your own papers (.bib, .paperlens.json or a page dump); repeat it for more files.',
  'Exit status 1 when a --corpus file is missing or unreadable, or has entries that could not be loaded.',
  'Typos are corrected ("harmonc loss"), library identifiers find their papers ("CrossEntropyLoss").',
  'Hints: year:2025  year:2020..2023  concept:focal  author:mohri  venue:iclr  has:code',
  '       "exact phrase"  -excluded  source:refs.bib  id:2411.09009  sort:newest',
].join('\n');

/** The registry's concepts when the data has them: they let identifiers and concept names find papers. */
function shippedConcepts(dataDir: string): Concept[] {
  if (!dataFilePath(dataDir, 'concepts.json')) return [];
  const { text, path } = readDataFile(dataDir, 'concepts.json');
  return parseConceptBundle(text, path).concepts;
}

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
  const { corpus, errors } = await loadCorpusWithUserFiles(parsed.options.get('corpus') ?? [], io);
  const status = errors > 0 ? 1 : 0;
  const index = buildSearchIndex(corpus.papers, shippedConcepts(io.dataDir));
  const result = index.search(parsedQuery, { limit, sort: parsed.flags.has('newest') ? 'newest' : 'relevance' });
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify({
      query,
      total: result.total,
      corrections: result.corrections,
      results: result.hits.map((h) => ({
        id: h.paper.id, title: h.paper.title, year: h.paper.year, venue: h.paper.venue,
        score: Number(h.score.toFixed(4)), concepts: h.paper.concepts.map((c) => c.id), url: h.paper.links.arxiv ?? h.paper.links.code ?? null,
      })),
    }, null, 2));
    return status;
  }
  for (const problem of result.query.problems) io.err(`note: ${problem}`);
  if (result.hits.length === 0) {
    io.out(`No papers match "${query}".`);
    return status;
  }
  for (const c of result.corrections) io.out(`(searched "${c.word}" as ${c.suggestions.map((s) => `"${s}"`).join(', ')})`);
  for (const h of result.hits) {
    const meta = [h.paper.year, h.paper.venue].filter(Boolean).join(', ');
    io.out(`${h.paper.id.padEnd(12)} ${h.paper.title}${meta ? ` (${meta})` : ''}`);
  }
  if (result.total > result.hits.length) io.out(`… ${result.total - result.hits.length} more (--limit N)`);
  if (status) io.err(`paperlens search: ${errors} problem${errors === 1 ? '' : 's'} loading --corpus files (above); exit status 1.`);
  return status;
};
