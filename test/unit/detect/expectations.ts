/**
 * Inline expectations for fixture files: a comment `# expect: <identifier> <concept>[ <role>]; …`
 * on a line lists the usages the detector must report on that line. Every other line must report
 * nothing, so negatives need no marker. Markers live in comments, which the detector ignores.
 */
import { readFileSync } from 'node:fs';
import type { LossUsage } from '../../../src/core/detect/types';

export interface ExpectedUsage {
  line: number;
  identifier: string;
  concept: string;
  role?: string;
}

const MARKER = /#\s*expect:\s*(.*)$/;

/** Reads the markers of one source (a file or a notebook cell). */
export function parseExpectations(text: string): ExpectedUsage[] {
  const out: ExpectedUsage[] = [];
  text.split(/\r\n|\r|\n/).forEach((lineText, i) => {
    const m = MARKER.exec(lineText);
    if (!m) return;
    for (const item of m[1].split(';')) {
      const [identifier, concept, role] = item.trim().split(/\s+/);
      if (identifier && concept) out.push({ line: i + 1, identifier, concept, ...(role ? { role } : {}) });
    }
  });
  return out;
}

export function keyOf(e: { line: number; identifier: string; concept: string }, prefix = ''): string {
  return `${prefix}${e.line}:${e.identifier}:${e.concept}`;
}

export interface Comparison {
  truePositives: string[];
  falsePositives: string[];
  falseNegatives: string[];
}

/** Compares reported usages with the expectations as multisets of line:identifier:concept. */
export function compare(expected: ExpectedUsage[], actual: LossUsage[], prefix = ''): Comparison {
  const want = new Map<string, number>();
  for (const e of expected) want.set(keyOf(e, prefix), (want.get(keyOf(e, prefix)) ?? 0) + 1);
  const result: Comparison = { truePositives: [], falsePositives: [], falseNegatives: [] };
  for (const u of actual) {
    const key = keyOf({ line: u.line, identifier: u.identifier, concept: u.conceptId }, prefix);
    const n = want.get(key) ?? 0;
    if (n > 0) {
      want.set(key, n - 1);
      result.truePositives.push(key);
    } else {
      result.falsePositives.push(`${key} (${u.qualifiedName}, ${u.role})`);
    }
  }
  for (const [key, n] of want) for (let i = 0; i < n; i++) result.falseNegatives.push(key);
  return result;
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
