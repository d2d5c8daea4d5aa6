/**
 * The agent tools' inputs and answers: what the tools read (`AgentToolContext`) and the data
 * each answer carries next to its markdown (also MCP `structuredContent`).
 */
import type { ProjectImports } from '../detect/types';
import type { RuleSettings } from '../checks/analyze';
import type { ConceptRegistry } from '../concepts/registry';
import type { Framework } from '../concepts/types';
import type { LossIndex } from '../detect/lossIndex';
import type { Corpus } from '../papers/corpus';
import type { SearchIndex } from '../search/searchIndex';
import type { Snippet, SnippetFramework } from '../snippets/types';
import type { WorkspaceFiles } from './workspaceFiles';

/** What the tools read: the same services the editor and the CLI already have. */
export interface AgentToolContext {
  registry: ConceptRegistry;
  /** Shipped papers merged with the user's own. */
  corpus: Corpus;
  lossIndex: LossIndex;
  snippets: { forConcept(conceptId: string, framework: string): Snippet | undefined };
  searchIndex(): Promise<SearchIndex>;
  workspace: WorkspaceFiles;
  /** The user's check settings for a file (the editor's `paperlens.checks.*`); defaults otherwise. */
  ruleSettings?(absolutePath?: string): RuleSettings & { enabled?: boolean };
  /**
   * The project a workspace file's imports resolve in (names imported from the workspace's own
   * modules, as the hover and `paperlens scan` of a folder follow them); none: each file alone.
   */
  project?(absolutePath: string): ProjectImports | undefined;
  /** Framework of implementations when the agent names none (the editor's setting). */
  defaultFramework?: SnippetFramework;
}

/** A tool's answer: markdown for the agent, the same facts as data, and whether it is an error. */
export interface ToolAnswer<T = unknown> {
  isError: boolean;
  markdown: string;
  data?: T;
}

// ---- data shapes (also MCP `structuredContent`) ---------------------------------------------------

export interface PaperRef {
  id: string;
  title: string;
  year: number | null;
  venue: string | null;
  url: string | null;
  bibtexKey: string;
}

export interface ExplainedArgument {
  name: string;
  value: string;
  meaning: string;
  default?: string;
  pitfall?: string;
}

export interface LossExplanation {
  concept: string;
  name: string;
  qualifiedName: string;
  framework: Framework | null;
  /** Where the loss is, for a file or fragment (1-based line and column; `cell` for notebooks). */
  location?: { file?: string; cell?: number; line: number; column: number };
  summary: string;
  formula: { latex: string; source: string; verified: boolean; note?: string };
  arguments: ExplainedArgument[];
  defaults: { name: string; value: string }[];
  pitfalls: string[];
  papers: (PaperRef & { relation: string; inferred: boolean })[];
  /** The classic origin when it is not in the corpus (e.g. a 1990s paper without an arXiv id). */
  origin?: { title: string; authors: string; year: number; url: string | null };
  morePapers: number;
}

export interface ExplainData {
  explanations: LossExplanation[];
  assumedImports?: string[];
}

export interface CheckedEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

export interface CheckedFinding {
  rule: string;
  title: string;
  severity: string;
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  source: string;
  concept: string;
  fixes: { title: string; preferred: boolean; edits: CheckedEdit[] }[];
  suggestedImplementation?: string;
}

export interface CheckData {
  file?: string;
  findings: CheckedFinding[];
  /** Concept ids of the losses the checks looked at. */
  losses: string[];
  assumedImports?: string[];
}

export interface ImplementationData {
  concept: string;
  name: string;
  framework: SnippetFramework;
  title: string;
  imports: string[];
  functions: { name: string; signature: string; summary: string }[];
  papers: { id: string; title: string; arxivId: string | null; url: string | null }[];
  source: string;
  code: string;
}

export interface SearchData {
  query: string;
  total: number;
  corrections: { word: string; suggestions: string[] }[];
  papers: (PaperRef & { authors: string; concepts: string[]; strong: boolean })[];
}
