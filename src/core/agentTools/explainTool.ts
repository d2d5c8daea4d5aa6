/**
 * `paperlens_explainLoss`: a loss named by identifier, found at a file position, or in a code
 * fragment, explained as the hover explains it (formula, arguments, defaults, pitfalls, papers).
 */
import type { ConceptPaperLink } from '../concepts/registry';
import type { Concept, Framework } from '../concepts/types';
import { scanSource, type SourceScan } from '../detect/detector';
import type { LossUsage } from '../detect/types';
import { concernsFramework, shortAuthors } from '../hover/card';
import { codeSpan } from '../hover/markdown';
import type { AgentToolContext, ExplainData, ExplainedArgument, LossExplanation, ToolAnswer } from './types';
import { ASSUMED_IMPORTS, ToolInputError, loadFile, oneLine, paperRef, prepareFragment, resolveConceptName, unknownConcept } from './shared';

export interface ExplainInput {
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

export async function explainLoss(input: ExplainInput, ctx: AgentToolContext): Promise<ToolAnswer<ExplainData>> {
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
    scan = scanSource(file.text, ctx.lossIndex, { project: ctx.project?.(file.absolute) });
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
