import { citationComment } from '../../core/papers/bibtex';
import { DataServices } from '../../services/dataServices';
import { parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

/** `paperlens cite <paper-id> [--comment]`: prints a BibTeX entry; unknown id → exit 2. */
export const citeCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['comment', 'help'] });
  if (parsed.flags.has('help')) {
    io.out('Usage: paperlens cite <paper-id>... [--comment]\nPrints BibTeX for each paper (id, arXiv id or citation key); --comment prints a one-line citation comment instead.');
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('expected a paper id, e.g. `paperlens cite 2411.09009`');
  const { corpus } = new DataServices(io.dataDir);
  const chunks: string[] = [];
  for (const id of parsed.positionals) {
    const paper = corpus.get(id);
    if (!paper) {
      const close = corpus.suggest(id);
      io.err(`paperlens cite: unknown paper id "${id}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
      return 2;
    }
    chunks.push(parsed.flags.has('comment') ? citationComment(paper) : corpus.bibtex(paper).trimEnd());
  }
  io.out(chunks.join('\n\n'));
  return 0;
};
