/** Types of the paper-aware checks: rule metadata, findings and their quick fixes. */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement of source text between two 0-based UTF-16 offsets. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A fix for a finding: applying all its edits together removes the finding. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor should offer first (VS Code's `isPreferred`). */
  preferred: boolean;
}

/** A problem found in Python source. */
export interface Finding {
  /** Rule id, e.g. `kl-div-mean`. */
  rule: string;
  /** 0-based offsets of the flagged text. */
  start: number;
  end: number;
  /** 1-based line and column of `start`; `endLine`/`endColumn` of `end`. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: Severity;
  /** Where the rule's claim comes from (library docs or paper). */
  source: string;
  /** The loss concept involved, for "Explain" (opens the concept in the sidebar). */
  conceptId: string;
  fixes: QuickFix[];
  /** A snippet the user may insert instead (e.g. the chunked cross-entropy for large vocabularies). */
  suggestedSnippet?: string;
}

/** Static description of a rule, for settings, docs and SARIF. */
export interface RuleInfo {
  id: string;
  title: string;
  defaultSeverity: Severity;
  /** Rules that are hints rather than bugs are off until the user turns them on. */
  enabledByDefault: boolean;
  source: string;
  /** One-paragraph explanation (README, SARIF `fullDescription`). */
  description: string;
}
