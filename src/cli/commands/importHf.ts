import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHfPageDump } from '../../core/papers/hfPageDump';
import { paperFromEntry } from '../../core/papers/seedCorpus';
import { parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

/** `paperlens import-hf <page.txt> --year YYYY [--json]`: prints the papers parsed from a page dump. */
export const importHfCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'help'], valued: ['year'] });
  if (parsed.flags.has('help')) {
    io.out('Usage: paperlens import-hf <page.txt> --year YYYY [--json]\nDates shown without a year on the page belong to --year (the year the page was captured).');
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('expected one page dump file');
  const yearText = parsed.options.get('year')?.at(-1);
  // Required, as documented: the page shows dates without a year ("Mar 13"), and guessing one
  // (today's year, the file's) silently dates a page saved last December a year late.
  if (yearText === undefined) throw new UsageError('--year YYYY is required: the year the page was saved (its dates show no year), e.g. `paperlens import-hf page.txt --year 2026`');
  const pageYear = Number(yearText);
  if (!(Number.isInteger(pageYear) && pageYear >= 1900 && pageYear <= 2200)) throw new UsageError(`--year must be a year, got "${yearText}"`);
  const file = path.resolve(io.cwd, parsed.positionals[0]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`paperlens import-hf: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  const name = path.basename(file);
  const page = parseHfPageDump(text, { pageYear, file: name });
  const papers = page.entries.map((e) => paperFromEntry(e, undefined, name));
  for (const issue of page.issues) io.err(`${issue.file}:${issue.line}: ${issue.severity}: ${issue.message}`);
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify({ pageDate: page.pageDate, papers, issues: page.issues }, null, 2));
  } else {
    for (const p of papers) io.out(`${p.date ?? '    -     '}  ${p.title}`);
    io.out(`${papers.length} papers`);
  }
  return page.issues.some((i) => i.severity === 'error') ? 1 : 0;
};
