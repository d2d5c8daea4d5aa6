/**
 * The `paperlens.*` settings as one typed model, free of `vscode`: the setting table
 * ({@link SETTINGS}: key, default, allowed values) and {@link settingsFrom}, which turns raw values
 * into a {@link PaperLensConfig}. The editor and the sidebar read VS Code's configuration through
 * it (src/editor/config.ts); test/unit/house/settings.test.ts holds the table against
 * `contributes.configuration` in package.json, so a setting added there and not here fails.
 */
import type { RuleSettings } from '../core/checks/analyze';
import type { Severity } from '../core/checks/types';
import { parseFrameworkSetting, SNIPPET_FRAMEWORK_SETTINGS, type SnippetFrameworkSetting } from '../core/snippets/framework';

/** A rule's severity setting: one of the diagnostic severities, or `off`. */
export type RuleSeverity = Severity | 'off';

export const RULE_SEVERITIES: readonly RuleSeverity[] = ['error', 'warning', 'information', 'hint', 'off'];

export { SNIPPET_FRAMEWORK_SETTINGS, type SnippetFrameworkSetting };

/** Every `paperlens.*` setting, typed. */
export interface PaperLensConfig {
  hover: { enabled: boolean; maxPapers: number };
  /** `auto`: from the file's imports (src/core/snippets/framework.ts); else a fixed framework. */
  snippets: { framework: SnippetFrameworkSetting };
  completion: { enabled: boolean };
  /** Users' corpus files: globs or files, workspace-relative or absolute (see src/editor/userCorpus.ts). */
  corpus: { paths: string[] };
  checks: RuleSettings & { enabled: boolean };
}

/** `paperlens.corpus.paths`' default. */
export const DEFAULT_CORPUS_PATHS: readonly string[] = ['**/*.bib', '**/*.paperlens.json'];

/** What package.json declares for a setting, as far as the model depends on it. */
export interface SettingSpec {
  type: 'boolean' | 'integer' | 'string' | 'array' | 'object';
  default: unknown;
  /** Allowed values (strings) or, for `integer`, the inclusive range. */
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

/**
 * The settings, keyed without the `paperlens.` prefix. The rule-id lists of the two `checks.*`
 * settings are not repeated here: they come from the rule table (src/core/checks/rules.ts).
 */
export const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  'corpus.paths': { type: 'array', default: DEFAULT_CORPUS_PATHS },
  'hover.enabled': { type: 'boolean', default: true },
  'hover.maxPapers': { type: 'integer', default: 3, minimum: 0, maximum: 10 },
  'snippets.framework': { type: 'string', default: 'auto', enum: SNIPPET_FRAMEWORK_SETTINGS },
  'completion.enabled': { type: 'boolean', default: true },
  'checks.enabled': { type: 'boolean', default: true },
  'checks.disabledRules': { type: 'array', default: [] },
  'checks.severity': { type: 'object', default: {} },
};

/** Reads one raw setting value (`undefined` when unset); the editor passes VS Code's `get`. */
export type SettingReader = (key: string) => unknown;

/** The typed settings from raw values; a missing or mistyped value takes its default. */
export function settingsFrom(get: SettingReader): PaperLensConfig {
  const bool = (key: string): boolean => {
    const v = get(key);
    return typeof v === 'boolean' ? v : (SETTINGS[key].default as boolean);
  };
  const spec = SETTINGS['hover.maxPapers'];
  const maxPapers = get('hover.maxPapers');
  const framework = get('snippets.framework');
  return {
    hover: {
      enabled: bool('hover.enabled'),
      maxPapers: typeof maxPapers === 'number' ? clampInt(maxPapers, spec.minimum!, spec.maximum!) : (spec.default as number),
    },
    snippets: {
      framework: parseFrameworkSetting(framework),
    },
    completion: { enabled: bool('completion.enabled') },
    corpus: { paths: stringList(get('corpus.paths'), DEFAULT_CORPUS_PATHS) },
    checks: {
      enabled: bool('checks.enabled'),
      disabled: stringList(get('checks.disabledRules'), []),
      severity: severityMap(get('checks.severity')),
    },
  };
}

/** The strings of a list setting; the default when the setting is not a list. */
export function stringList(value: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [...fallback];
}

/** `checks.severity`'s entries whose value is a known severity (others are ignored). */
function severityMap(value: unknown): Record<string, RuleSeverity> {
  const out: Record<string, RuleSeverity> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [rule, severity] of Object.entries(value)) {
    if (RULE_SEVERITIES.includes(severity as RuleSeverity)) out[rule] = severity as RuleSeverity;
  }
  return out;
}

function clampInt(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}
