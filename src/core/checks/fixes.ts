/**
 * Applying the checks' quick fixes to a text, and the user's rule settings (disabled rules,
 * severity overrides) to their findings.
 */
import { RULES_BY_ID } from './rules';
import type { Finding, Severity, TextEdit } from './types';

/** Applies edits (non-overlapping) to text, last first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** User settings for rules: disabled ids and severity overrides (`off` disables). */
export interface RuleSettings {
  disabled?: readonly string[];
  severity?: Readonly<Record<string, Severity | 'off'>>;
}

/** Which rules run, and at which severity, under the given settings. */
export function effectiveRules(settings: RuleSettings = {}): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const [id, info] of RULES_BY_ID) {
    const override = settings.severity?.[id];
    const disabled = settings.disabled?.includes(id) || override === 'off';
    if (disabled) continue;
    if (info.enabledByDefault || override !== undefined) out.set(id, override ?? info.defaultSeverity);
  }
  return out;
}

/** Filters findings to the enabled rules and applies severity overrides. */
export function applyRuleSettings(findings: readonly Finding[], settings: RuleSettings = {}): Finding[] {
  const rules = effectiveRules(settings);
  return findings.filter((f) => rules.has(f.rule)).map((f) => ({ ...f, severity: rules.get(f.rule)! }));
}

/**
 * Applies preferred fixes one at a time, re-checking after each, until none is left (bounded).
 * `check` runs the rules on a text.
 */
export function applyAllFixes(text: string, check: (text: string) => Finding[], maxRounds = 100): string {
  let current = text;
  for (let round = 0; round < maxRounds; round++) {
    const fix = check(current).flatMap((f) => f.fixes.filter((x) => x.preferred))[0];
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}
