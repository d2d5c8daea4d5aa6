/**
 * Paper-aware checks over one Python source (or notebook cell), on top of the detector's scan:
 * which losses are called, on what, with which arguments. Pure and synchronous; never throws.
 *
 * The run's state and shared helpers are in `context.ts`; the rules in `rulesInputs.ts`,
 * `rulesKeras.ts`, `rulesDistill.ts` and `rulesLm.ts`; the value flow they ask in `flow.ts`.
 * Every per-file index is built once, so a run costs a small multiple of one pass over the tokens
 * (issue 23); `options.work` reports that count for the tests that hold it there.
 */
import type { SourceScan } from '../detect/detector';
import { CheckRun, type CheckOptions } from './context';
import { kdTemperature } from './rulesDistill';
import { inputRules, klDivMean, labelSmoothing, largeVocab } from './rulesInputs';
import { kerasFromLogits } from './rulesKeras';
import { lmUnshifted } from './rulesLm';
import type { Finding } from './types';

export type { CheckOptions, CheckWork } from './context';
export { LARGE_VOCAB } from './rulesInputs';
export { applyAllFixes, applyEdits, applyRuleSettings, effectiveRules, type RuleSettings } from './fixes';

/** Runs every rule over `text`. `scan` is the detector's result for the same text. */
export function checkSource(text: string, scan: SourceScan, options: CheckOptions = {}): Finding[] {
  // Every rule starts from a loss call, or (Keras) a compile(loss="…") that names its loss by string.
  if (!scan.usages.some((u) => u.role === 'call') && !/\.compile\s*\(/.test(text)) return [];
  let run: CheckRun | undefined;
  try {
    run = new CheckRun(text, scan, options);
    run.collectApplications();
    klDivMean(run);
    inputRules(run);
    kerasFromLogits(run);
    labelSmoothing(run);
    largeVocab(run);
    kdTemperature(run);
    lmUnshifted(run);
    return run.findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  } catch {
    // A rule bug must never cost the user their other diagnostics or the hover.
    return [];
  } finally {
    if (options.work && run) options.work.steps += run.steps;
  }
}
