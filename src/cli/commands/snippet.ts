import { isSnippetFramework } from '../../core/snippets/catalog';
import { SNIPPET_FRAMEWORKS, type Snippet } from '../../core/snippets/types';
import { DataServices } from '../../services/dataServices';
import { parseArgs } from '../args';
import { UsageError, type CliCommand } from '../io';

const HELP = [
  'Usage: paperlens snippet <concept-id> [--framework pytorch|jax|keras] [--json]',
  '       paperlens snippet --list [--framework pytorch|jax|keras] [--json]',
  'Prints a verified loss implementation with its citation header: PyTorch by default, or the',
  'JAX (jax.numpy) or Keras 3 (keras.ops) one. Every file is executed under its framework by the',
  'test suite before it ships. --json prints the catalog entry instead.',
].join('\n');

/**
 * `paperlens snippet <concept-id>`: prints a snippet from the shipped catalog (dataDir/snippets.json).
 * Unknown concept id → exit 2 with a one-line error naming close matches.
 */
export const snippetCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['json', 'list', 'help'], valued: ['framework'] });
  if (parsed.flags.has('help')) {
    io.out(HELP);
    return 0;
  }
  const frameworkName = parsed.options.get('framework')?.at(-1) ?? 'pytorch';
  if (!isSnippetFramework(frameworkName)) {
    throw new UsageError(`unknown framework "${frameworkName}" (snippets exist for: ${SNIPPET_FRAMEWORKS.join(', ')})`);
  }
  const json = parsed.flags.has('json');

  if (parsed.flags.has('list')) {
    if (parsed.positionals.length > 0) throw new UsageError('--list takes no concept id');
    const snippets = new DataServices(io.dataDir).snippetCatalog.list(frameworkName);
    if (json) {
      io.out(JSON.stringify(snippets.map(summary), null, 2));
    } else {
      const width = Math.max(...snippets.map((s) => s.conceptId.length));
      for (const s of snippets) io.out(`${s.conceptId.padEnd(width)}  ${s.title}  [${s.functions.map((f) => f.name).join(', ')}]`);
    }
    return 0;
  }

  if (parsed.positionals.length !== 1) {
    throw new UsageError('expected one concept id, e.g. `paperlens snippet focal` (or --list)');
  }
  const conceptId = parsed.positionals[0];
  const catalog = new DataServices(io.dataDir).snippetCatalog;
  const snippet = catalog.get(conceptId, frameworkName);
  const elsewhere = SNIPPET_FRAMEWORKS.filter((f) => f !== frameworkName && catalog.get(conceptId, f));
  if (!snippet && elsewhere.length > 0) {
    io.err(`paperlens snippet: no ${frameworkName} implementation of "${conceptId}" yet (it ships for ${elsewhere.join(', ')}: add --framework ${elsewhere[0]})`);
    return 2;
  }
  if (!snippet) {
    const close = catalog.suggest(conceptId, frameworkName);
    const hint = close.length > 0 ? `did you mean ${close.join(', ')}?` : 'run `paperlens snippet --list`';
    io.err(`paperlens snippet: unknown concept id "${conceptId}" for ${frameworkName} (${hint})`);
    return 2;
  }
  io.out(json ? JSON.stringify(snippet, null, 2) : `${snippet.header}\n${snippet.code.trimEnd()}`);
  return 0;
};

/** The same command under the name the CLI wiring asks for. */
export const snippet: CliCommand = snippetCommand;

function summary(s: Snippet): { conceptId: string; framework: string; title: string; functions: string[]; papers: string[] } {
  return { conceptId: s.conceptId, framework: s.framework, title: s.title, functions: s.functions.map((f) => f.name), papers: s.papers.map((p) => p.id) };
}
