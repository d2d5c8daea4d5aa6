/**
 * `paperlens mcp [--root DIR]... [--corpus FILE]...` — a Model Context Protocol server over stdio
 * (the official TypeScript SDK) offering the agent tools of src/core/agentTools (the same four the
 * VS Code extension contributes as language-model tools) and every paper as a resource
 * `paperlens://paper/<id>`. stdout carries the protocol only; notes go to stderr.
 */
import path from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AGENT_TOOLS, type PropertySchema, type ToolInputSchema } from '../../core/agentTools/definitions';
import { paperMarkdown, runAgentTool, type AgentToolContext } from '../../core/agentTools/tools';
import { diskWorkspace } from '../../core/agentTools/workspaceFiles';
import { DataServices } from '../../services/dataServices';
import { diskProjects } from '../../services/projectFiles';
import { parseArgs } from '../args';
import { restoreDefaultEngineFlags } from '../engineFlags';
import type { CliCommand, CliIO } from '../io';

const USAGE = `Usage: paperlens mcp [--root DIR]... [--corpus FILE]...

Serves PaperLens to coding agents over the Model Context Protocol (stdio): the tools
paperlens_explainLoss, paperlens_checkCode, paperlens_getImplementation and paperlens_searchPapers,
and every paper as the resource paperlens://paper/<id>.
  --root DIR     a folder whose .py/.ipynb files the tools may read (default: the current folder); repeatable
  --corpus FILE  also offer your own papers (.bib, .paperlens.json, a page dump); repeatable
A --corpus file that is missing, unreadable or has entries that fail is reported (file:line on
stderr) and the rest is served; the exit status is then 1 when the server stops.
Register it with an MCP client as the command \`paperlens mcp\` (see the README).`;

export const MCP_SERVER_NAME = 'paperlens';
export const PAPER_URI_PREFIX = 'paperlens://paper/';

const INSTRUCTIONS =
  'PaperLens knows ML loss functions and the papers behind them. Before writing or reviewing loss code, call paperlens_explainLoss ' +
  '(formula, argument conventions, pitfalls, papers) and paperlens_checkCode (known loss bugs with fixes); use paperlens_getImplementation ' +
  'for verified implementations and paperlens_searchPapers to cite papers instead of recalling them. Papers are also resources paperlens://paper/<id>.';

/**
 * The tools' context over the shipped data in `io.dataDir`, the user's corpus files, and `roots`.
 * The corpus files' problems are printed on `io.err`; `loaded.errors` counts them.
 */
export async function cliAgentContext(io: CliIO, roots: readonly string[], corpusFiles: readonly string[], loaded: { errors: number } = { errors: 0 }): Promise<AgentToolContext> {
  const services = new DataServices(io.dataDir);
  const registry = services.registry; // no usable concept: an error naming concepts.json
  const { errors } = await services.addUserFiles(corpusFiles, io.cwd, (i) => io.err(`${i.file}:${i.line}: ${i.severity}: ${i.message}`));
  loaded.errors = errors;
  return {
    registry,
    corpus: services.corpus,
    lossIndex: services.lossIndex,
    snippets: services.snippets,
    searchIndex: () => services.searchIndex,
    workspace: diskWorkspace(roots),
    // Names imported from the served folder's own modules, by real path inside it.
    project: diskProjects(services.lossIndex, roots, true),
  };
}

/** The zod shape of a tool's JSON Schema (the SDK describes tools from zod); the same constraints. */
export function zodShape(schema: ToolInputSchema): z.ZodRawShape {
  const shape: z.ZodRawShape = {};
  for (const [name, prop] of Object.entries(schema.properties)) {
    let t = zodType(prop);
    if (!(schema.required ?? []).includes(name)) t = t.optional();
    shape[name] = t;
  }
  return shape;
}

function zodType(prop: PropertySchema): z.ZodTypeAny {
  if (prop.type === 'string') {
    if (prop.enum) return z.enum(prop.enum as [string, ...string[]]).describe(prop.description);
    let s = z.string();
    if (prop.minLength !== undefined) s = s.min(prop.minLength);
    return s.describe(prop.description);
  }
  let n = z.number().int();
  if (prop.minimum !== undefined) n = n.min(prop.minimum);
  if (prop.maximum !== undefined) n = n.max(prop.maximum);
  return n.describe(prop.description);
}

/** Builds the MCP server over a tool context (exported for tests that connect in-process). */
export function createMcpServer(ctx: AgentToolContext, version: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version }, { instructions: INSTRUCTIONS });
  for (const tool of AGENT_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.displayName,
        description: tool.modelDescription,
        inputSchema: z.object(zodShape(tool.inputSchema)).strict(),
        // Every tool only reads, and the answer depends on nothing outside PaperLens and the files.
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => {
        const answer = await runAgentTool(tool.name, args, ctx);
        return {
          content: [{ type: 'text' as const, text: answer.markdown }],
          ...(answer.data !== undefined ? { structuredContent: answer.data as Record<string, unknown> } : {}),
          ...(answer.isError ? { isError: true } : {}),
        };
      },
    );
  }

  server.registerResource(
    'paper',
    new ResourceTemplate(`${PAPER_URI_PREFIX}{id}`, {
      list: async () => ({
        resources: ctx.corpus.papers.map((p) => ({
          uri: `${PAPER_URI_PREFIX}${encodeURIComponent(p.id)}`,
          name: p.id,
          title: p.title,
          description: [p.year, p.venue].filter(Boolean).join(', ') || undefined,
          mimeType: 'text/markdown',
        })),
      }),
      complete: {
        id: (value: string) => ctx.corpus.papers.map((p) => p.id).filter((id) => id.startsWith(value)).slice(0, 100),
      },
    }),
    { title: 'Paper', description: 'A paper of the PaperLens corpus: metadata, links, the losses it proposes or studies, abstract and BibTeX.', mimeType: 'text/markdown' },
    async (uri, variables) => {
      const raw = Array.isArray(variables.id) ? variables.id[0] : variables.id;
      const id = decodeURIComponent(String(raw ?? ''));
      const paper = ctx.corpus.get(id);
      if (!paper) {
        const close = ctx.corpus.suggest(id);
        throw new McpError(ErrorCode.InvalidParams, `unknown paper "${id}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
      }
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: paperMarkdown(paper, ctx.corpus, ctx.registry) }] };
    },
  );
  return server;
}

/** `paperlens mcp`: serves until the client closes stdin. */
export const mcpCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { flags: ['help'], valued: ['root', 'corpus'] });
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length) {
    io.err(`paperlens mcp: unexpected argument "${parsed.positionals[0]}"\n${USAGE}`);
    return 2;
  }
  // A server runs for the whole session: V8's default compiler settings win there (engineFlags.ts).
  restoreDefaultEngineFlags();
  const roots = (parsed.options.get('root') ?? [io.cwd]).map((r) => path.resolve(io.cwd, r));
  const loaded = { errors: 0 };
  const ctx = await cliAgentContext(io, roots, parsed.options.get('corpus') ?? [], loaded);
  const server = createMcpServer(ctx, '0.1.0');
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    // The transport does not notice the end of stdin on its own.
    process.stdin.once('end', () => void server.close().then(resolve, resolve));
  });
  await server.connect(transport);
  io.err(`paperlens mcp: serving ${ctx.corpus.size} papers and ${ctx.registry.size} loss concepts over stdio; files under ${roots.join(', ')}`);
  if (loaded.errors > 0) io.err(`paperlens mcp: ${loaded.errors} problem${loaded.errors === 1 ? '' : 's'} loading --corpus files (above); the rest is served; exit status 1 when the server stops.`);
  await closed;
  return loaded.errors > 0 ? 1 : 0;
};
