import { loadShippedCorpus } from '../../core/dataFiles';
import { simpleSearch } from '../../core/search/simpleSearch';
import { intOption, parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

/** `paperlens search <query> [--json] [--limit N]` over the shipped corpus. */
export const searchCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'help'], valued: ['limit'] });
  if (parsed.flags.has('help')) {
    io.out('Usage: paperlens search <query> [--json] [--limit N]');
    return 0;
  }
  const query = parsed.positionals.join(' ').trim();
  if (!query) throw new UsageError('expected a query, e.g. `paperlens search focal loss`');
  const limit = intOption(parsed, 'limit', 10);
  const { corpus } = loadShippedCorpus(io.dataDir);
  const hits = simpleSearch(corpus.papers, query, limit);
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify({
      query,
      results: hits.map((h) => ({
        id: h.paper.id, title: h.paper.title, year: h.paper.year, venue: h.paper.venue,
        score: Number(h.score.toFixed(4)), concepts: h.paper.concepts.map((c) => c.id), url: h.paper.links.arxiv ?? h.paper.links.code ?? null,
      })),
    }, null, 2));
    return 0;
  }
  if (hits.length === 0) {
    io.out(`No papers match "${query}".`);
    return 0;
  }
  for (const h of hits) {
    const meta = [h.paper.year, h.paper.venue].filter(Boolean).join(', ');
    io.out(`${h.paper.id.padEnd(12)} ${h.paper.title}${meta ? ` (${meta})` : ''}`);
  }
  return 0;
};
