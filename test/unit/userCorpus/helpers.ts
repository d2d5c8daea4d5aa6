/** Shared helpers for the user-corpus tests: fixture paths and a small concept list. */
import path from 'node:path';
import { ConceptMatcher, type ConceptNames } from '../../../src/core/papers/conceptInference';
import type { LoadIssue } from '../../../src/core/papers/types';

export const fixtures = __dirname;
export const root = path.join(__dirname, '../../..');

/** A fixture file's path, e.g. `fixture('bibtex', 'realWorld.bib')`. */
export function fixture(...parts: string[]): string {
  return path.join(fixtures, ...parts);
}

/**
 * Concept names as in the registry (ids, names, aliases), so these tests do not depend on the
 * registry's data as it grows.
 */
export const testConcepts: ConceptNames[] = [
  { id: 'cross-entropy', name: 'Cross-entropy loss', aliases: ['cross entropy', 'log loss', 'CE'] },
  { id: 'binary-cross-entropy', name: 'Binary cross-entropy', aliases: ['BCE', 'binary cross entropy loss'] },
  { id: 'focal', name: 'Focal loss', aliases: ['FL'] },
  { id: 'label-smoothing', name: 'Label smoothing', aliases: ['label smoothing regularization'] },
  { id: 'contrastive', name: 'Contrastive loss', aliases: ['SupCon', 'supervised contrastive loss'] },
  { id: 'dice', name: 'Dice loss', aliases: ['soft Dice loss'] },
  { id: 'poly-loss', name: 'PolyLoss', aliases: ['poly loss'] },
  { id: 'triplet-margin', name: 'Triplet margin loss', aliases: ['triplet loss'] },
  { id: 'kl-divergence', name: 'KL divergence', aliases: ['Kullback-Leibler divergence'] },
  { id: 'mse', name: 'Mean squared error', aliases: ['MSE', 'L2 loss'] },
];

export const matcher = new ConceptMatcher(testConcepts);
const ids = new Set(testConcepts.map((c) => c.id));
export const conceptOptions = { matcher, knownConcept: (id: string) => ids.has(id) };

/** Issues as `line severity message` strings, compact for assertions. */
export function brief(issues: readonly LoadIssue[]): string[] {
  return issues.map((i) => `${i.line} ${i.severity} ${i.message}`);
}
