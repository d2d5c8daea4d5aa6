/**
 * Where the paper-aware rules are documented: the README's *Paper-aware checks* section, one
 * anchor per rule (`#paper-aware-checks-<rule id>`). Used by the editor's diagnostics (the rule
 * id links here) and by the CLI's SARIF output (`informationUri`, `helpUri`); a unit test holds
 * every rule of src/core/checks/rules.ts to an anchor in README.md.
 */
export const RULES_DOC = 'https://github.com/paperlens/paperlens#paper-aware-checks';

/** The documentation link of one rule. */
export function ruleDocUrl(ruleId: string): string {
  return `${RULES_DOC}-${ruleId}`;
}
