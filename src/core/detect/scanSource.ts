/**
 * `scanSource`: one source text (a file or a notebook cell) through the scanner's passes. The design
 * is described in `detector.ts`, the module other code imports.
 */
import { tokenize, type TokenStream } from '../python/tokenizer';
import { computeLineStarts } from '../text/lineIndex';
import type { LossIndex } from './lossIndex';
import { ScanScope, SourceScan, type ScanOptions } from './sourceScan';
import { ScanReferences } from './scanReferences';
import { scratchArrays } from './scanSupport';
import type { LossUsage } from './types';

/** Token arrays kept between scans (scans are synchronous, so one set is enough). */
let scratchTokens: TokenStream | undefined;

/**
 * Finds every loss named in `text` (a Python file or one notebook cell). Never throws for any
 * input; the result's `usageAt` answers hover queries by binary search.
 */
export function scanSource(text: string, index: LossIndex, options: ScanOptions = {}): SourceScan {
  const source = typeof text === 'string' ? text : '';
  const scope = options.scope ?? new ScanScope();
  // Tokens the caller shares (one tokenization for the detector, the checks and the syntax check),
  // else the scan's own. Its own arrays are only needed during the scan: they are lent to the next
  // scan once this one is done (a scan may scan another file meanwhile, through `options.project`).
  let tokens = options.tokens;
  const own = !tokens;
  if (!tokens) {
    const lent = scratchTokens;
    scratchTokens = undefined;
    tokens = tokenize(source, { ipython: options.ipython === true }, lent);
  }
  const lineStarts = options.lineStarts ?? computeLineStarts(source);
  scratchArrays.active++;
  let scanner: ScanReferences;
  try {
    scanner = new ScanReferences(source, tokens, index, scope, lineStarts);
    scanner.project = options.project;
    scanner.collectScope();
    scanner.collectFunctions();
    scanner.findReferences();
    scanner.findStrings();
    scanner.finishCalls();
  } finally {
    scratchArrays.active--;
  }
  if (options.work) {
    options.work.tokens += tokens.count;
    options.work.visits += scanner.visits;
  }
  if (own) scratchTokens = tokens;
  const usages = scanner.usages.sort((a, b) => a.start - b.start);
  return new SourceScan(dedupe(usages), lineStarts, source.length);
}

/** Two resolutions can land on the same identifier (e.g. an alias bound twice); keep the first. */
function dedupe(sorted: LossUsage[]): LossUsage[] {
  const out: LossUsage[] = [];
  for (const u of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === u.start) continue;
    out.push(u);
  }
  return out;
}
