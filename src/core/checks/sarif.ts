/** SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers). */
import { lineColumn } from '../text/lineIndex';
import { RULES } from './rules';
import type { Finding, Severity } from './types';

/** A quick fix as line/column replacements (1-based; end column exclusive, as SARIF regions). */
export interface SarifFix {
  description: string;
  replacements: { startLine: number; startColumn: number; endLine: number; endColumn: number; text: string }[];
}

/**
 * A finding's fixes as SARIF replacements, located with the file's line index (`lineStarts` from
 * core/text/lineIndex, built once per file: a line index per finding made a scan quadratic).
 */
export function sarifFixes(f: Finding, lineStarts: ArrayLike<number>): SarifFix[] {
  return f.fixes.map((fix) => ({
    description: fix.title,
    replacements: fix.edits.map((e) => {
      const a = lineColumn(lineStarts, e.start);
      const b = lineColumn(lineStarts, e.end);
      return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column, text: e.newText };
    }),
  }));
}

/** A finding located in a file, as the CLI reports it. */
export interface LocatedFinding extends Pick<Finding, 'rule' | 'line' | 'column' | 'endLine' | 'endColumn' | 'message' | 'severity'> {
  path: string;
  /** Notebook cell (0-based), when the file is a notebook. */
  cell?: number;
  /** Quick fixes (files only, not notebook cells), written as SARIF `fixes`. */
  fixes?: SarifFix[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The SARIF log for a scan. Paths are written as given (relative paths resolve against the scan's cwd). */
export function toSarif(findings: readonly LocatedFinding[], toolVersion: string, rulesDoc: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PaperLens',
            version: toolVersion,
            informationUri: rulesDoc,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: `${rulesDoc}-${r.id}`,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity], enabled: r.enabledByDefault },
              properties: { source: r.source },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(f.fixes?.length ? {
            fixes: f.fixes.map((fix) => ({
              description: { text: fix.description },
              artifactChanges: [{
                artifactLocation: { uri: f.path.split('\\').join('/') },
                replacements: fix.replacements.map((r) => ({
                  deletedRegion: { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn },
                  insertedContent: { text: r.text },
                })),
              }],
            })),
          } : {}),
          level: LEVEL[f.severity],
          message: { text: f.cell === undefined ? f.message : `${f.message} (notebook cell ${f.cell})` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.path.split('\\').join('/') },
                region: f.cell === undefined
                  ? { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn }
                  : { startLine: 1, startColumn: 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function isSeverity(value: string): value is Severity {
  return value in RANK;
}
