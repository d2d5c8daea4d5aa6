/**
 * The logic of the agent tools (see definitions.ts), shared by the VS Code language-model tools
 * (src/editor/lmTools.ts) and the MCP server (src/cli/commands/mcp.ts). Each tool answers with
 * compact markdown an agent reads, plus the same facts as plain data; bad input gives an answer
 * with `isError` and a message that says what to change, never an exception.
 *
 * The facts come from the same places as the hover (registry, corpus ranking), the diagnostics
 * (checkSource + rule settings) and the sidebar (the search index), so the answers agree with them.
 */
import { AGENT_TOOLS_BY_NAME, validateToolInput, type AgentToolName } from './definitions';
import { PathError } from './workspaceFiles';
import type { AgentToolContext, ToolAnswer } from './types';
import { ToolInputError, failure } from './shared';
import { explainLoss, type ExplainInput } from './explainTool';
import { checkCode, type CheckInput } from './checkTool';
import { getImplementation, type ImplementationInput } from './implementationTool';
import { searchPapers, type SearchInput } from './searchTool';

export type { AgentToolContext, CheckData, CheckedEdit, CheckedFinding, ExplainData, ExplainedArgument, ImplementationData, LossExplanation, PaperRef, SearchData, ToolAnswer } from './types';
export { ASSUMED_IMPORTS, resolveConceptName } from './shared';
export { paperMarkdown } from './paperDocument';

/** Runs a tool by name on untrusted input. Never throws: problems come back as error answers. */
export async function runAgentTool(name: string, input: unknown, ctx: AgentToolContext): Promise<ToolAnswer> {
  const def = AGENT_TOOLS_BY_NAME.get(name);
  if (!def) return failure(`unknown tool "${name}"; PaperLens tools: ${[...AGENT_TOOLS_BY_NAME.keys()].join(', ')}`);
  const problem = validateToolInput(def.inputSchema, input ?? {});
  if (problem) return failure(`${name}: ${problem}.`);
  const args = (input ?? {}) as Record<string, unknown>;
  try {
    switch (name as AgentToolName) {
      case 'paperlens_explainLoss':
        return await explainLoss(args as ExplainInput, ctx);
      case 'paperlens_checkCode':
        return await checkCode(args as CheckInput, ctx);
      case 'paperlens_getImplementation':
        return getImplementation(args as unknown as ImplementationInput, ctx);
      case 'paperlens_searchPapers':
        return await searchPapers(args as unknown as SearchInput, ctx);
    }
  } catch (err) {
    if (err instanceof ToolInputError || err instanceof PathError) return failure(`${name}: ${err.message}`);
    return failure(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
