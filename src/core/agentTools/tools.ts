/**
 * The logic of the agent tools (see definitions.ts), shared by the VS Code language-model tools
 * (src/editor/lmTools.ts) and the MCP server (src/cli/commands/mcp.ts). Each tool answers with
 * compact markdown an agent reads, plus the same facts as plain data; bad input gives an answer
 * with `isError` and a message that says what to change, never an exception.
 *
 * The facts come from the same places as the hover (registry, corpus ranking), the diagnostics
 * (checkSource + rule settings) and the sidebar (the search index), so the answers agree with them.
 */
import { applyRuleSettings, checkSource, type RuleSettings } from '../checks/analyze';
import { RULES_BY_ID } from '../checks/rules';
import type { Finding } from '../checks/types';
import type { ConceptPaperLink, ConceptRegistry } from '../concepts/registry';
import type { Concept, Framework } from '../concepts/types';
import { scanNotebook, scanSource, type SourceScan } from '../detect/detector';
import type { LossIndex } from '../detect/lossIndex';
import { isPythonNotebook, parseIpynb } from '../detect/notebook';
import type { LossUsage } from '../detect/types';
import { concernsFramework, shortAuthors } from '../hover/card';
import { codeSpan } from '../hover/markdown';
import type { Corpus } from '../papers/corpus';
import type { Paper } from '../papers/types';
import { isEmptyQuery, parseQuery } from '../search/query';
import type { SearchIndex } from '../search/searchIndex';
import { isSnippetFramework } from '../snippets/catalog';
import type { Snippet, SnippetFramework } from '../snippets/types';
import { AGENT_TOOLS_BY_NAME, DEFAULT_SEARCH_LIMIT, MAX_CODE_CHARS, validateToolInput, type AgentToolName } from './definitions';
import { isStrongMatch } from './matchStrength';
import { PathError, readErrorMessage, resolveWorkspaceFile, type WorkspaceFiles } from './workspaceFiles';

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

// ---- entry point ------------------------------------------------------------------------------------

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

/** Bad input the agent can correct; its message is the whole answer. */
class ToolInputError extends Error {}

function failure(message: string): ToolAnswer {
  return { isError: true, markdown: `Error: ${message}` };
}

// ---- shared: sources, fragments, concepts ----------------------------------------------------------

/**
 * Imports assumed for a fragment that has none, so `F.kl_div(p, q)` resolves as it would in a file
 * with the usual aliases. Each line binds one conventional name.
 */
export const ASSUMED_IMPORTS: readonly string[] = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'import tensorflow as tf',
  'import keras',
  'import optax',
];

const HAS_IMPORT = /^[ \t]*(?:import[ \t]+\w|from[ \t]+[\w.]+[ \t]+import\b)/m;

/** A fragment of code as scanned: with the assumed imports in front when it had no imports. */
interface Fragment {
  text: string;
  /** Characters and lines added in front (0 when nothing was assumed). */
  shift: number;
  lineShift: number;
  assumed: boolean;
}

function prepareFragment(code: string): Fragment {
  if (code.length > MAX_CODE_CHARS) throw new ToolInputError(`\`code\` is ${code.length} characters; the limit is ${MAX_CODE_CHARS}. Pass a \`file\` instead.`);
  if (HAS_IMPORT.test(code)) return { text: code, shift: 0, lineShift: 0, assumed: false };
  const prelude = `${ASSUMED_IMPORTS.join('\n')}\n`;
  return { text: prelude + code, shift: prelude.length, lineShift: ASSUMED_IMPORTS.length, assumed: true };
}

/** A file read for a tool: its text, or its notebook cells. Empty files are an error. */
interface LoadedFile {
  shown: string;
  absolute: string;
  text: string;
  notebook?: { cells: { index: number; source: string }[]; scans: SourceScan[] };
}

async function loadFile(ctx: AgentToolContext, given: string, lossIndex: LossIndex): Promise<LoadedFile> {
  const file = await resolveWorkspaceFile(ctx.workspace, given);
  let text: string;
  try {
    text = await ctx.workspace.read(file.absolute);
  } catch (err) {
    throw new ToolInputError(`cannot read "${file.shown}": ${readErrorMessage(err)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new ToolInputError(`"${file.shown}" is empty: there is no code to look at`);
  if (!/\.ipynb$/i.test(file.absolute)) return { shown: file.shown, absolute: file.absolute, text };
  const notebook = parseIpynb(text);
  if (notebook.error) throw new ToolInputError(`"${file.shown}" is not a readable notebook: ${notebook.error}`);
  if (!isPythonNotebook(notebook)) throw new ToolInputError(`"${file.shown}" is a ${notebook.language} notebook, not Python`);
  const scans = scanNotebook(notebook.cells.map((c) => c.source), lossIndex).cells;
  return { shown: file.shown, absolute: file.absolute, text, notebook: { cells: notebook.cells, scans } };
}

/** Library prefixes people write, expanded the way the usual imports bind them. */
const ALIAS_PREFIXES: readonly [string, string][] = [
  ['F.', 'torch.nn.functional.'],
  ['nn.functional.', 'torch.nn.functional.'],
  ['nn.', 'torch.nn.'],
  ['functional.', 'torch.nn.functional.'],
  ['tf.', 'tensorflow.'],
  ['losses.', 'keras.losses.'],
  ['ops.', 'torchvision.ops.'],
];

/** Frameworks preferred when a bare name (`CrossEntropyLoss`) exists in several libraries. */
const FRAMEWORK_PREFERENCE: readonly Framework[] = ['pytorch', 'torchvision', 'keras', 'tensorflow', 'optax'];

interface ResolvedName {
  concept: Concept;
  qualifiedName: string;
  framework: Framework | null;
}

/**
 * The concept a name refers to: a concept id, a qualified or aliased library name (`nn.KLDivLoss`,
 * `tf.keras.losses.Huber`), a bare library name (`kl_div`), a hand-written function name
 * (`focal_loss`), or a concept's name or alias (`focal loss`). Undefined when none matches.
 */
export function resolveConceptName(registry: ConceptRegistry, text: string): ResolvedName | undefined {
  const t = text.trim().replace(/\(\s*\)$/, '');
  if (!t) return undefined;
  const byId = registry.get(t) ?? registry.get(t.toLowerCase());
  if (byId) return { concept: byId, qualifiedName: byId.id, framework: null };
  const candidates = [t, ...ALIAS_PREFIXES.filter(([p]) => t.startsWith(p)).map(([p, full]) => full + t.slice(p.length))];
  for (const c of candidates) {
    const match = registry.byQualifiedName(c);
    if (match) return { concept: match.concept, qualifiedName: match.identifier.qualifiedName, framework: match.identifier.framework };
  }
  if (/^[A-Za-z_]\w*$/.test(t)) {
    const bare = registry.qualifiedNames().filter((q) => q.endsWith(`.${t}`)).map((q) => registry.byQualifiedName(q)!);
    if (bare.length) {
      const rank = (f: Framework) => {
        const i = FRAMEWORK_PREFERENCE.indexOf(f);
        return i === -1 ? FRAMEWORK_PREFERENCE.length : i;
      };
      bare.sort((a, b) => rank(a.identifier.framework) - rank(b.identifier.framework));
      return { concept: bare[0].concept, qualifiedName: bare[0].identifier.qualifiedName, framework: bare[0].identifier.framework };
    }
    const hand = registry.byHandwrittenName(t);
    if (hand) return { concept: hand, qualifiedName: t, framework: 'handwritten' };
  }
  const lower = t.toLowerCase();
  const named = registry.all().find((c) => c.name.toLowerCase() === lower || c.aliases.some((a) => a.toLowerCase() === lower));
  if (named) return { concept: named, qualifiedName: named.id, framework: null };
  return undefined;
}

function unknownConcept(registry: ConceptRegistry, text: string, what = 'loss'): ToolInputError {
  const close = registry.search(text, 4);
  const hint = close.length ? ` Closest known: ${close.map((c) => `\`${c.id}\` (${c.name})`).join(', ')}.` : '';
  return new ToolInputError(`PaperLens knows no ${what} called "${text.trim()}".${hint}`);
}

function paperUrl(p: Paper): string | null {
  return p.links.arxiv ?? p.links.doi ?? p.links.url ?? p.links.huggingFace ?? null;
}

function paperRef(p: Paper, corpus: Corpus): PaperRef {
  return { id: p.id, title: p.title, year: p.year, venue: p.venue, url: paperUrl(p), bibtexKey: corpus.citationKey(p) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// ---- paperlens_explainLoss -------------------------------------------------------------------------

interface ExplainInput {
  identifier?: string;
  file?: string;
  line?: number;
  column?: number;
  cell?: number;
  code?: string;
}

/** Papers listed per loss (the hover lists 3 by default); the rest are counted. */
const MAX_PAPERS = 5;
/** Losses explained from one fragment or line. */
const MAX_EXPLAINED = 6;

async function explainLoss(input: ExplainInput, ctx: AgentToolContext): Promise<ToolAnswer<ExplainData>> {
  const given = (['identifier', 'file', 'code'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw new ToolInputError('give exactly one of `identifier`, `file` (with `line`) or `code`.');
  if (input.file === undefined && (input.line !== undefined || input.column !== undefined || input.cell !== undefined)) {
    throw new ToolInputError('`line`, `column` and `cell` go with `file`.');
  }

  if (input.identifier !== undefined) {
    // A call with arguments is a fragment: its arguments are worth explaining.
    if (/\(.*\S.*\)/s.test(input.identifier)) return explainFragment(input.identifier, ctx);
    const resolved = resolveConceptName(ctx.registry, input.identifier);
    if (!resolved) throw unknownConcept(ctx.registry, input.identifier);
    const explanation = explain(ctx, resolved.concept, { qualifiedName: resolved.qualifiedName, framework: resolved.framework });
    return answerExplanations({ explanations: [explanation] });
  }
  if (input.code !== undefined) return explainFragment(input.code, ctx);

  if (input.line === undefined) throw new ToolInputError('`file` needs a 1-based `line` (and optionally `column`).');
  const file = await loadFile(ctx, input.file!, ctx.lossIndex);
  let scan: SourceScan;
  let cell: number | undefined;
  if (file.notebook) {
    if (input.cell === undefined) {
      throw new ToolInputError(`"${file.shown}" is a notebook: give \`cell\`, the 0-based index of the cell (code cells: ${file.notebook.cells.map((c) => c.index).join(', ')}).`);
    }
    const k = file.notebook.cells.findIndex((c) => c.index === input.cell);
    if (k === -1) throw new ToolInputError(`"${file.shown}" has no code cell ${input.cell} (code cells: ${file.notebook.cells.map((c) => c.index).join(', ')}).`);
    scan = file.notebook.scans[k];
    cell = input.cell;
  } else {
    if (input.cell !== undefined) throw new ToolInputError(`\`cell\` is only for notebooks; "${file.shown}" is a Python file.`);
    scan = scanSource(file.text, ctx.lossIndex);
  }
  const lineCount = scan.lineStarts.length;
  const where = `${file.shown}${cell === undefined ? '' : `#cell${cell}`}`;
  if (input.line > lineCount) throw new ToolInputError(`${where} has ${lineCount} line${lineCount === 1 ? '' : 's'}; line ${input.line} does not exist.`);
  const onLine = scan.usages.filter((u) => u.line === input.line);
  let chosen = onLine;
  if (input.column !== undefined) {
    const offset = scan.offsetAt(input.line - 1, input.column - 1);
    chosen = onLine.filter((u) => u.expressionStart <= offset && offset <= u.end);
  }
  if (chosen.length === 0) {
    const others = input.column !== undefined && onLine.length
      ? ` Losses on line ${input.line}: ${onLine.map((u) => `${codeSpan(u.expression)} at column ${u.column - (u.start - u.expressionStart)}`).join(', ')}.`
      : nearbyUsages(scan.usages, input.line);
    throw new ToolInputError(`no loss at ${where}:${input.line}${input.column !== undefined ? `:${input.column}` : ''}.${others}`);
  }
  const explanations = chosen.slice(0, MAX_EXPLAINED).map((u) => explainUsage(ctx, u, { file: file.shown, cell }));
  return answerExplanations({ explanations });
}

function nearbyUsages(usages: readonly LossUsage[], line: number): string {
  if (!usages.length) return ' PaperLens found no loss in this code.';
  const near = [...usages].sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line)).slice(0, 5).sort((a, b) => a.start - b.start);
  return ` Nearest losses: ${near.map((u) => `${codeSpan(u.expression)} at line ${u.line}`).join(', ')}.`;
}

function explainFragment(code: string, ctx: AgentToolContext): ToolAnswer<ExplainData> {
  if (code.trim() === '') throw new ToolInputError('`code` is empty.');
  const fragment = prepareFragment(code);
  const scan = scanSource(fragment.text, ctx.lossIndex);
  const usages = scan.usages.filter((u) => u.start >= fragment.shift);
  if (usages.length === 0) {
    throw new ToolInputError(`PaperLens found no loss in the code${fragment.assumed ? ` (with the usual imports assumed: ${ASSUMED_IMPORTS.join('; ')})` : ''}. Pass a loss name as \`identifier\` instead, e.g. \`nn.CrossEntropyLoss\` or \`focal_loss\`.`);
  }
  const explanations = usages.slice(0, MAX_EXPLAINED).map((u) => {
    const e = explainUsage(ctx, u, {});
    e.location = { line: u.line - fragment.lineShift, column: u.column };
    return e;
  });
  return answerExplanations({ explanations, assumedImports: fragment.assumed ? [...ASSUMED_IMPORTS] : undefined }, usages.length - explanations.length);
}

function explainUsage(ctx: AgentToolContext, u: LossUsage, where: { file?: string; cell?: number }): LossExplanation {
  const concept = ctx.registry.get(u.conceptId);
  if (!concept) throw new Error(`concept "${u.conceptId}" is missing from the registry`);
  const e = explain(ctx, concept, { qualifiedName: u.qualifiedName, framework: u.framework, usage: u });
  e.location = { ...(where.file !== undefined ? { file: where.file } : {}), ...(where.cell !== undefined ? { cell: where.cell } : {}), line: u.line, column: u.column };
  return e;
}

/**
 * The framework whose defaults apply: the library of the call; the paper's for hand-written code and
 * for a concept named without a library (`focal`).
 */
function defaultsKey(framework: Framework | null): Framework | 'paper' {
  return framework === 'handwritten' || framework === null ? 'paper' : framework;
}

function explain(ctx: AgentToolContext, concept: Concept, at: { qualifiedName: string; framework: Framework | null; usage?: LossUsage }): LossExplanation {
  const { registry, corpus } = ctx;
  const key = defaultsKey(at.framework);
  const args: ExplainedArgument[] = [];
  for (const a of at.usage?.call?.arguments ?? []) {
    if (a.kind !== 'keyword' || !a.name) continue;
    const p = registry.parameter(concept.id, a.name, at.framework ?? undefined);
    if (!p) continue;
    const dflt = p.defaults[key];
    args.push({ name: a.name, value: oneLine(a.value), meaning: p.meaning, ...(dflt !== undefined ? { default: dflt } : {}), ...(p.pitfall ? { pitfall: p.pitfall } : {}) });
  }
  const passed = new Set(at.usage?.call?.arguments.map((a) => a.name).filter(Boolean));
  const defaults: { name: string; value: string }[] = [];
  for (const p of concept.parameters) {
    const v = p.defaults[key];
    if (v === undefined || passed.has(p.name) || defaults.some((d) => d.name === p.name)) continue;
    defaults.push({ name: p.name, value: v });
  }
  const shownWithArgs = new Set(args.map((a) => a.pitfall).filter(Boolean));
  const pitfalls = concept.pitfalls
    .map((p) => p.text)
    .filter((t) => !shownWithArgs.has(t) && (at.framework === null || concernsFramework(t, at.framework)));

  let links: ConceptPaperLink[] = registry.papersFor(concept.id, corpus.papers);
  const origin = concept.origin;
  const originInCorpus = origin && links.some((l) => (origin.arxivId && l.paper.arxivId === origin.arxivId) || l.paper.title.trim().toLowerCase() === origin.title.trim().toLowerCase());
  if (!links.length && !origin) {
    // As in the hover: with nothing on the loss itself, papers on related losses.
    links = registry.related(concept.id).flatMap((r) => registry.papersFor(r.id, corpus.papers));
  }
  const seen = new Set<string>();
  links = links.filter((l) => (seen.has(l.paper.id) ? false : (seen.add(l.paper.id), true)));
  const room = MAX_PAPERS - (origin && !originInCorpus ? 1 : 0);
  return {
    concept: concept.id,
    name: concept.name,
    qualifiedName: at.qualifiedName,
    framework: at.framework,
    summary: concept.summary,
    formula: { latex: concept.formula.latex, source: concept.formula.source, verified: concept.formula.verified, ...(concept.formula.note ? { note: concept.formula.note } : {}) },
    arguments: args,
    defaults,
    pitfalls,
    papers: links.slice(0, room).map((l) => ({ ...paperRef(l.paper, corpus), relation: l.relation, inferred: l.inferred })),
    ...(origin && !originInCorpus
      ? { origin: { title: origin.title, authors: origin.authors, year: origin.year, url: origin.arxivId ? `https://arxiv.org/abs/${origin.arxivId}` : origin.url ?? null } }
      : {}),
    morePapers: Math.max(0, links.length - room),
  };
}

function answerExplanations(data: ExplainData, notShown = 0): ToolAnswer<ExplainData> {
  const parts = data.explanations.map(explanationMarkdown);
  if (data.assumedImports) parts.unshift(`_The code has no imports; assumed: ${data.assumedImports.map(codeSpan).join(', ')}._`);
  if (notShown > 0) parts.push(`_${notShown} more loss${notShown === 1 ? '' : 'es'} in the code not shown._`);
  return { isError: false, markdown: parts.join('\n\n'), data };
}

function explanationMarkdown(e: LossExplanation): string {
  const lines: string[] = [];
  const loc = e.location ? ` at ${e.location.file ?? 'line'}${e.location.cell !== undefined ? `#cell${e.location.cell}` : ''}${e.location.file ? ':' : ' '}${e.location.line}:${e.location.column}` : '';
  const qualified = e.qualifiedName !== e.concept ? ` — ${codeSpan(e.qualifiedName)}` : '';
  lines.push(`### ${e.name}${qualified} (concept ${codeSpan(e.concept)})${loc}`);
  lines.push(oneLine(e.summary));
  const formulaNotes = [e.formula.verified ? '' : 'not checked against the original code', e.formula.note ? oneLine(e.formula.note) : ''].filter(Boolean);
  lines.push(`**Formula (LaTeX):** ${codeSpan(e.formula.latex)} — source: ${e.formula.source}${formulaNotes.length ? ` (${formulaNotes.join('; ')})` : ''}`);
  if (e.arguments.length) {
    lines.push('**Arguments given:**');
    for (const a of e.arguments) {
      lines.push(`- ${codeSpan(`${a.name}=${a.value}`)}: ${oneLine(a.meaning)}${a.default !== undefined ? ` Default ${codeSpan(a.default)}.` : ''}${a.pitfall ? ` Pitfall: ${oneLine(a.pitfall)}` : ''}`);
    }
  }
  if (e.defaults.length) {
    const label = e.framework === 'handwritten' || e.framework === null ? 'Paper defaults' : `Defaults (${e.framework})`;
    lines.push(`**${label}:** ${e.defaults.map((d) => codeSpan(`${d.name}=${d.value}`)).join(', ')}`);
  }
  if (e.pitfalls.length) {
    lines.push('**Pitfalls:**');
    for (const p of e.pitfalls) lines.push(`- ${oneLine(p)}`);
  }
  if (e.papers.length || e.origin) {
    lines.push('**Papers:**');
    if (e.origin) lines.push(`- ${e.origin.title} — ${shortAuthors(e.origin.authors)}, ${e.origin.year} — origin, not in the corpus${e.origin.url ? ` — ${e.origin.url}` : ''}`);
    for (const p of e.papers) {
      const meta = [p.year, p.venue].filter(Boolean).join(', ');
      lines.push(`- ${codeSpan(p.id)} ${p.title}${meta ? ` (${meta})` : ''} — ${p.relation}${p.inferred ? ' (inferred)' : ''} — BibTeX key ${codeSpan(p.bibtexKey)}${p.url ? ` — ${p.url}` : ''}`);
    }
    if (e.morePapers > 0) lines.push(`- … ${e.morePapers} more (paperlens_searchPapers with \`concept:${e.concept}\`)`);
  }
  return lines.join('\n');
}

// ---- paperlens_checkCode ---------------------------------------------------------------------------

interface CheckInput {
  file?: string;
  code?: string;
}

async function checkCode(input: CheckInput, ctx: AgentToolContext): Promise<ToolAnswer<CheckData>> {
  if ((input.file === undefined) === (input.code === undefined)) throw new ToolInputError('give exactly one of `file` or `code`.');
  const results: CheckedFinding[] = [];
  const losses = new Set<string>();
  if (input.code !== undefined) {
    if (input.code.trim() === '') throw new ToolInputError('`code` is empty: there is no code to check.');
    const fragment = prepareFragment(input.code);
    const settings = ctx.ruleSettings?.() ?? {};
    const scan = scanSource(fragment.text, ctx.lossIndex);
    for (const u of scan.usages) if (u.start >= fragment.shift) losses.add(u.conceptId);
    const findings = settings.enabled === false ? [] : applyRuleSettings(checkSource(fragment.text, scan), settings);
    for (const f of findings) {
      if (f.start < fragment.shift) continue;
      results.push(toChecked(f, fragment.text, fragment.shift, fragment.lineShift, undefined));
    }
    const data: CheckData = { findings: results, losses: [...losses], ...(fragment.assumed ? { assumedImports: [...ASSUMED_IMPORTS] } : {}) };
    return { isError: false, markdown: checkMarkdown(data, 'the code', settings.enabled === false), data };
  }
  const file = await loadFile(ctx, input.file!, ctx.lossIndex);
  const settings = ctx.ruleSettings?.(file.absolute) ?? {};
  const off = settings.enabled === false;
  if (file.notebook) {
    file.notebook.cells.forEach((cell, k) => {
      const scan = file.notebook!.scans[k];
      for (const u of scan.usages) losses.add(u.conceptId);
      if (off) return;
      for (const f of applyRuleSettings(checkSource(cell.source, scan, { ipython: true }), settings)) results.push(toChecked(f, cell.source, 0, 0, cell.index));
    });
  } else {
    const scan = scanSource(file.text, ctx.lossIndex);
    for (const u of scan.usages) losses.add(u.conceptId);
    if (!off) for (const f of applyRuleSettings(checkSource(file.text, scan), settings)) results.push(toChecked(f, file.text, 0, 0, undefined));
  }
  const data: CheckData = { file: file.shown, findings: results, losses: [...losses] };
  return { isError: false, markdown: checkMarkdown(data, codeSpan(file.shown), off), data };
}

/** 1-based line and column of an offset in `text`. */
function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function toChecked(f: Finding, text: string, shift: number, lineShift: number, cell: number | undefined): CheckedFinding {
  const fixes = f.fixes
    // A fix that would edit the assumed imports cannot be applied to the agent's code.
    .filter((fix) => fix.edits.every((e) => e.start >= shift))
    .map((fix) => ({
      title: fix.title,
      preferred: fix.preferred,
      edits: fix.edits.map((e) => {
        const s = lineColumnOf(text, e.start);
        const end = lineColumnOf(text, e.end);
        return { line: s.line - lineShift, column: s.column, endLine: end.line - lineShift, endColumn: end.column, newText: e.newText };
      }),
    }));
  return {
    rule: f.rule,
    title: RULES_BY_ID.get(f.rule)?.title ?? f.rule,
    severity: f.severity,
    ...(cell !== undefined ? { cell } : {}),
    line: f.line - lineShift,
    column: f.column,
    endLine: f.endLine - lineShift,
    endColumn: f.endColumn,
    message: f.message,
    source: f.source,
    concept: f.conceptId,
    fixes,
    ...(f.suggestedSnippet ? { suggestedImplementation: f.suggestedSnippet } : {}),
  };
}

function checkMarkdown(data: CheckData, what: string, off: boolean): string {
  const lines: string[] = [];
  if (data.assumedImports) lines.push(`_The code has no imports; assumed: ${data.assumedImports.map(codeSpan).join(', ')}. Lines below are lines of the code as given._`);
  const losses = data.losses.length ? ` Losses checked: ${data.losses.map(codeSpan).join(', ')}.` : ' PaperLens found no loss in it.';
  if (off) {
    lines.push(`The paper-aware checks are turned off (\`paperlens.checks.enabled\`); nothing was checked in ${what}.`);
    return lines.join('\n');
  }
  if (!data.findings.length) {
    lines.push(`No loss bugs found in ${what}.${losses}`);
    return lines.join('\n\n');
  }
  lines.push(`**${data.findings.length} finding${data.findings.length === 1 ? '' : 's'}** in ${what}.${losses}`);
  data.findings.forEach((f, i) => {
    const at = `${f.cell !== undefined ? `cell ${f.cell}, ` : ''}line ${f.line}, column ${f.column}`;
    const block = [`${i + 1}. ${codeSpan(f.rule)} (${f.severity}) at ${at}: ${oneLine(f.message)}`, `   Source: ${f.source}`];
    for (const fix of f.fixes) {
      block.push(`   Fix${fix.preferred ? ' (preferred)' : ''}: ${fix.title}`);
      for (const e of fix.edits) {
        const range = e.line === e.endLine && e.column === e.endColumn ? `insert at ${e.line}:${e.column}` : `replace ${e.line}:${e.column}–${e.endLine}:${e.endColumn}`;
        block.push(`   - ${range} with ${e.newText.includes('\n') ? `\n\`\`\`python\n${e.newText}\n\`\`\`` : codeSpan(e.newText)}`);
      }
    }
    if (f.suggestedImplementation) block.push(`   Or use a verified implementation: paperlens_getImplementation with concept ${codeSpan(f.suggestedImplementation)}`);
    lines.push(block.join('\n'));
  });
  return lines.join('\n\n');
}

// ---- paperlens_getImplementation -------------------------------------------------------------------

interface ImplementationInput {
  concept: string;
  framework?: string;
}

function getImplementation(input: ImplementationInput, ctx: AgentToolContext): ToolAnswer<ImplementationData> {
  const framework = input.framework ?? ctx.defaultFramework ?? 'pytorch';
  if (!isSnippetFramework(framework)) throw new ToolInputError(`no implementations for framework "${framework}"`);
  const resolved = resolveConceptName(ctx.registry, input.concept);
  if (!resolved) throw unknownConcept(ctx.registry, input.concept);
  const concept = resolved.concept;
  const snippet = ctx.snippets.forConcept(concept.id, framework);
  if (!snippet) {
    const library = ctx.registry.identifiersFor(concept.id).filter((i) => i.framework !== 'handwritten').slice(0, 4);
    const use = library.length ? ` Libraries provide it as ${library.map((i) => codeSpan(i.qualifiedName)).join(', ')}.` : '';
    throw new ToolInputError(`PaperLens has no verified ${framework} implementation of ${concept.name} (concept \`${concept.id}\`).${use}`);
  }
  const papers = snippet.papers.map((p) => {
    const inCorpus = ctx.corpus.get(p.id);
    return { id: p.id, title: p.title, arxivId: p.arxivId, url: p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : inCorpus ? paperUrl(inCorpus) : null };
  });
  const data: ImplementationData = {
    concept: concept.id,
    name: concept.name,
    framework,
    title: snippet.title,
    imports: snippet.imports,
    functions: snippet.functions,
    papers,
    source: snippet.source,
    code: snippet.code,
  };
  const lines = [
    `### ${snippet.title} (concept ${codeSpan(concept.id)}, ${framework})`,
    `Verified: the PaperLens test suite executes this file (${codeSpan(snippet.source)}) under ${framework} before it ships.`,
    `**Paper${papers.length === 1 ? '' : 's'}:** ${papers.map((p) => `${p.title}${p.arxivId ? ` (arXiv:${p.arxivId})` : ''}${p.url ? ` — ${p.url}` : ''}`).join('; ')}`,
    `**Imports:**\n\`\`\`python\n${snippet.imports.join('\n')}\n\`\`\``,
    `**Functions:**\n${snippet.functions.map((f) => `- ${codeSpan(f.signature)}: ${oneLine(f.summary)}`).join('\n')}`,
    `**Code** (keep the citation header):\n\`\`\`python\n${snippet.header}\n${snippet.code.trimEnd()}\n\`\`\``,
  ];
  return { isError: false, markdown: lines.join('\n\n'), data };
}

// ---- paperlens_searchPapers ------------------------------------------------------------------------

interface SearchInput {
  query: string;
  limit?: number;
}

async function searchPapers(input: SearchInput, ctx: AgentToolContext): Promise<ToolAnswer<SearchData>> {
  const query = input.query.trim();
  const parsed = parseQuery(query);
  if (isEmptyQuery(parsed)) throw new ToolInputError(`"${query}" has no words or hints to search for.`);
  const index = await ctx.searchIndex();
  const result = index.search(parsed, { limit: input.limit ?? DEFAULT_SEARCH_LIMIT });
  const data: SearchData = {
    query,
    total: result.total,
    corrections: result.corrections,
    papers: result.hits.map((h) => ({
      ...paperRef(h.paper, ctx.corpus),
      authors: h.paper.authors.length ? shortAuthors(h.paper.authors.join(', ')) : h.paper.organization ?? '',
      concepts: [...new Set(h.paper.concepts.map((c) => c.id))],
      strong: isStrongMatch(h, result),
    })),
  };
  const lines: string[] = [];
  for (const c of result.corrections) lines.push(`_Searched "${c.word}" as ${c.suggestions.map((s) => `"${s}"`).join(', ')}._`);
  for (const p of result.query.problems) lines.push(`_Note: ${p}_`);
  if (!data.papers.length) {
    lines.push(`No papers match "${query}".`);
    return { isError: false, markdown: lines.join('\n'), data };
  }
  lines.push(`**${data.papers.length} of ${result.total} paper${result.total === 1 ? '' : 's'}** for "${query}":`);
  for (const p of data.papers) {
    const meta = [p.authors, p.year, p.venue].filter(Boolean).join(', ');
    lines.push(`- ${codeSpan(p.id)} ${p.title}${meta ? ` (${meta})` : ''} — ${p.strong ? 'strong match' : 'weak match'} — BibTeX key ${codeSpan(p.bibtexKey)}${p.concepts.length ? ` — concepts: ${p.concepts.join(', ')}` : ''}${p.url ? ` — ${p.url}` : ''}`);
  }
  if (result.total > data.papers.length) lines.push(`… ${result.total - data.papers.length} more (raise \`limit\`).`);
  return { isError: false, markdown: lines.join('\n'), data };
}

// ---- papers as documents (MCP resources) -----------------------------------------------------------

/** A paper as markdown: metadata, links, concepts, abstract and BibTeX (an MCP resource's text). */
export function paperMarkdown(paper: Paper, corpus: Corpus, registry: ConceptRegistry): string {
  const lines = [`# ${paper.title}`];
  const who = paper.authors.length ? paper.authors.join(', ') : paper.organization ?? '';
  const meta = [who, paper.year, paper.venue].filter(Boolean).join(' · ');
  if (meta) lines.push(meta);
  lines.push(`Id: ${codeSpan(paper.id)}${paper.arxivId ? ` · arXiv:${paper.arxivId}` : ''} · BibTeX key ${codeSpan(corpus.citationKey(paper))}`);
  const links = Object.entries(paper.links).filter(([, url]) => url).map(([kind, url]) => `- ${kind}: ${url}`);
  if (links.length) lines.push(`**Links:**\n${links.join('\n')}`);
  if (paper.concepts.length) {
    lines.push(`**Losses:** ${paper.concepts.map((c) => `${registry.get(c.id)?.name ?? c.id} (${codeSpan(c.id)}, ${c.relation}${c.inferred ? ', inferred' : ''})`).join('; ')}`);
  }
  if (paper.abstract.trim()) lines.push(`**Abstract:** ${oneLine(paper.abstract)}`);
  lines.push(`**BibTeX:**\n\`\`\`bibtex\n${corpus.bibtex(paper).trimEnd()}\n\`\`\``);
  return lines.join('\n\n');
}
