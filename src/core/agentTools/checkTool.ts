/**
 * `paperlens_checkCode`: the paper-aware checks over a file or a fragment, with each finding's
 * quick-fix edits in line/column ranges of the text the agent gave.
 */
import { applyRuleSettings, checkSource } from '../checks/analyze';
import { RULES_BY_ID } from '../checks/rules';
import type { Finding } from '../checks/types';
import { scanSource } from '../detect/detector';
import { codeSpan } from '../hover/markdown';
import type { AgentToolContext, CheckData, CheckedFinding, ToolAnswer } from './types';
import { ASSUMED_IMPORTS, ToolInputError, loadFile, oneLine, prepareFragment } from './shared';
import { lineColumnOf } from '../text/lineIndex';

export interface CheckInput {
  file?: string;
  code?: string;
}

export async function checkCode(input: CheckInput, ctx: AgentToolContext): Promise<ToolAnswer<CheckData>> {
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
    const scan = scanSource(file.text, ctx.lossIndex, { project: ctx.project?.(file.absolute) });
    for (const u of scan.usages) losses.add(u.conceptId);
    if (!off) for (const f of applyRuleSettings(checkSource(file.text, scan), settings)) results.push(toChecked(f, file.text, 0, 0, undefined));
  }
  const data: CheckData = { file: file.shown, findings: results, losses: [...losses] };
  return { isError: false, markdown: checkMarkdown(data, codeSpan(file.shown), off), data };
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
