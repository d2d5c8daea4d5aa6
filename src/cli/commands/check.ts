/**
 * `paperlens check [--json] <file>...` — loads users' corpus files (BibTeX, PaperLens JSON, page
 * dumps) exactly as the editor does and reports every problem with its file and line.
 * Exit 0 when every entry loaded, 1 when any entry (or file) failed, 2 for usage errors. The
 * files load through src/services/dataServices.ts, as `--corpus` files of `search`, `scan` and
 * `mcp` do.
 */
import type { LoadIssue } from '../../core/papers/types';
import { loadUserCorpora } from '../../services/dataServices';
import { parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

const USAGE = `Usage: paperlens check [--json] <file>...

Loads corpus files as the editor does and reports each problem as file:line.
  .bib/.bibtex   BibTeX           .json   PaperLens papers (see paperlens-papers.schema.json)
  anything else  a Hugging Face Daily Papers page saved as text
  --json         {"loaded":N,"errors":[{"file","line","message"}],"warnings":[…]}
Exit status 1 when any entry or file could not be loaded.`;

export const checkCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'help'] });
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('expected one or more corpus files, e.g. `paperlens check refs.bib`');
  const user = await loadUserCorpora(parsed.positionals, io.cwd, io.dataDir);
  const errors = user.issues.filter((i) => i.severity === 'error');
  const warnings = user.issues.filter((i) => i.severity === 'warning');
  if (parsed.flags.has('json')) {
    const row = (i: LoadIssue) => ({ file: i.file, line: i.line, message: i.message });
    io.out(JSON.stringify({ loaded: user.loaded, errors: errors.map(row), warnings: warnings.map(row) }, null, 2));
  } else {
    for (const i of user.issues) io.out(`${i.file}:${i.line}: ${i.severity}: ${i.message}`);
    const files = parsed.positionals.length;
    io.out(`${user.loaded} paper${user.loaded === 1 ? '' : 's'} loaded from ${files} file${files === 1 ? '' : 's'}; ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`);
  }
  return errors.length > 0 || user.failed > 0 ? 1 : 0;
};
