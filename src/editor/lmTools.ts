/**
 * The agent tools as VS Code language-model tools (`vscode.lm.registerTool`, stable since VS Code
 * 1.95), contributed in package.json under `contributes.languageModelTools`. The logic lives in
 * src/core/agentTools and is shared with `paperlens mcp`; this file only adapts it: the context
 * over the extension's services, and the answer as one markdown text part.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { AGENT_TOOLS } from '../core/agentTools/definitions';
import { runAgentTool, type AgentToolContext } from '../core/agentTools/tools';
import type { WorkspaceFiles } from '../core/agentTools/workspaceFiles';
import { buildLossIndex, type LossIndex } from '../core/detect/lossIndex';
import { readRuleSettings } from './checks';
import { readConfig } from './config';
import type { Services } from './services';

/** The workspace as the tools see it: folders on disk; open editors' text (unsaved edits) first. */
function editorWorkspace(): WorkspaceFiles {
  return {
    get roots() {
      return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    },
    async read(absolutePath: string): Promise<string> {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && path.resolve(d.uri.fsPath) === path.resolve(absolutePath));
      if (open) return open.getText();
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(absolutePath));
      return new TextDecoder('utf-8').decode(bytes);
    },
  };
}

/** The tools' context over the shared services; every part loads on first use. */
function servicesContext(services: Services): AgentToolContext {
  let lossIndex: LossIndex | undefined;
  const workspace = editorWorkspace();
  return {
    get registry() {
      return services.registry;
    },
    get corpus() {
      return services.corpus;
    },
    get lossIndex() {
      lossIndex ??= buildLossIndex(services.registry.all());
      return lossIndex;
    },
    snippets: { forConcept: (conceptId, framework) => services.snippets.forConcept(conceptId, framework) },
    searchIndex: () => services.searchIndex,
    workspace,
    project: (file) => services.projectImports.forUri(vscode.Uri.file(file)),
    ruleSettings: (file) => readRuleSettings(file ? vscode.Uri.file(file) : undefined),
    // A fixed setting; with `auto`, the framework of the open Python file when its imports name one.
    get defaultFramework() {
      const setting = readConfig().snippets.framework;
      if (setting !== 'auto') return setting;
      const open = services.insertTargetFrameworks();
      return open.length === 1 ? open[0] : undefined;
    },
  };
}

/** One PaperLens tool: answers with markdown; bad input becomes an error the model can read. */
class PaperLensTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(
    private readonly name: string,
    private readonly displayName: string,
    private readonly context: AgentToolContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    // Read-only: no confirmation, only the progress message.
    return { invocationMessage: `${this.displayName.replace(/ \(PaperLens\)$/, '')}…` };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const started = performance.now();
    const answer = await runAgentTool(this.name, options.input, this.context);
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    this.log.info(`${this.name}: ${answer.isError ? 'error' : 'answered'} in ${(performance.now() - started).toFixed(0)} ms`);
    // VS Code's guidance: a failed tool throws, with a message the model can act on.
    if (answer.isError) throw new Error(answer.markdown.replace(/^Error: /, ''));
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.markdown)]);
  }
}

/** Registers the four tools; each registration is owned by `context.subscriptions`. */
export function registerLanguageModelTools(context: vscode.ExtensionContext, services: Services, log: vscode.LogOutputChannel): void {
  // Hosts without the language-model API (older forks) simply get no tools.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('Language-model tools are not available in this editor; PaperLens tools not registered');
    return;
  }
  const toolContext = servicesContext(services);
  for (const tool of AGENT_TOOLS) {
    context.subscriptions.push(vscode.lm.registerTool(tool.name, new PaperLensTool(tool.name, tool.displayName, toolContext, log)));
  }
}
