/**
 * `paperlens` — the command-line front end over src/core (no editor involved).
 * Exit codes: 0 success, 1 findings/failed entries, 2 usage errors or unknown ids.
 */
import path from 'node:path';
import { UsageError, type CliCommand, type CliIO } from './io';

/**
 * Each command's module is loaded when that command runs: `paperlens scan` does not evaluate the
 * MCP server's schemas or the search engine (bundle start-up is part of every run, issue 23).
 */
const COMMANDS: Record<string, { load: () => Promise<CliCommand>; summary: string }> = {
  'import-hf': { load: async () => (await import('./commands/importHf')).importHfCommand, summary: 'import-hf <page.txt> --year YYYY [--json]   parse a Hugging Face Daily Papers page dump' },
  cite: { load: async () => (await import('./commands/cite')).citeCommand, summary: 'cite <paper-id> [--comment]                 print the BibTeX entry (or a citation comment)' },
  scan: { load: async () => (await import('./commands/scan')).scanCommand, summary: 'scan [--json|--format sarif] [--fail-on warning] [--corpus FILE]... <file-or-dir>...   losses and loss bugs in .py/.ipynb files' },
  snippet: { load: async () => (await import('./commands/snippet')).snippetCommand, summary: 'snippet <concept-id> [--framework pytorch|jax|keras] [--json] | --list   print a verified loss implementation' },
  search: { load: async () => (await import('./commands/search')).searchCommand, summary: 'search <query> [--json] [--limit N] [--corpus FILE]...  search the paper corpus (plus your files)' },
  mcp: { load: async () => (await import('./commands/mcp')).mcpCommand, summary: 'mcp [--root DIR]... [--corpus FILE]...         serve the agent tools and papers over MCP (stdio)' },
  check: { load: async () => (await import('./commands/check')).checkCommand, summary: 'check [--json] <file>...                    load your corpus files (.bib, .paperlens.json, page dumps); report problems' },
};

export function usage(): string {
  return ['Usage: paperlens <command> [options]', '', 'Commands:', ...Object.values(COMMANDS).map((c) => `  ${c.summary}`), '', 'Run `paperlens <command> --help` for details.'].join('\n');
}

/** Runs the CLI with the given arguments and I/O; returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out('paperlens 0.1.0');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`paperlens: unknown command "${name}".\n${usage()}`);
    return 2;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`paperlens ${name}: ${err.message}`);
      return 2;
    }
    io.err(`paperlens ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/** Runs the CLI on this process's arguments and standard streams, setting its exit code. */
export function runFromCommandLine(): void {
  // A reader that stops early (`paperlens snippet --list | head`) closes the pipe: stop quietly,
  // as other command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  const io: CliIO = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    dataDir: process.env.PAPERLENS_DATA_DIR ?? path.join(__dirname, 'data'),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}

// Run when executed directly (tsx, or the bundle run by node); dist/cli.js (launch.ts) loads the
// bundle dist/cli-main.js with its code cache and calls runFromCommandLine itself.
if (require.main === module) runFromCommandLine();
