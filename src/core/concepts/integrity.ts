/**
 * Whole-registry checks run by the build step (`scripts/buildConcepts.ts`) and the unit tests:
 * required ids, one concept per identifier, related ids that exist, formulas that both KaTeX and
 * MathJax accept, sources on every fact. Kept apart from `registry.ts` so that the extension
 * bundle does not pull KaTeX and MathJax in just to look concepts up.
 */
import { createRequire } from 'node:module';
import type { Paper } from '../papers/types';
import { ConceptRegistry, normalizeHandwrittenName } from './registry';
import type { Concept } from './types';

/** Concept ids other code and data refer to (issue 4); all must exist. */
export const REQUIRED_CONCEPT_IDS: readonly string[] = [
  'cross-entropy', 'nll', 'binary-cross-entropy', 'label-smoothing', 'focal', 'dice', 'tversky',
  'jaccard', 'lovasz', 'kl-divergence', 'mse', 'l1', 'huber', 'smooth-l1', 'log-cosh',
  'triplet-margin', 'contrastive', 'info-nce', 'supcon', 'multi-similarity', 'arcface', 'cosface',
  'circle', 'proxy-anchor', 'cosine-embedding', 'cosine-similarity', 'margin-ranking', 'hinge',
  'multi-margin', 'ctc', 'poisson-nll', 'gaussian-nll', 'z-loss', 'generalized-cross-entropy',
  'symmetric-cross-entropy', 'poly-loss', 'cut-cross-entropy',
  // the seed papers' own losses
  'orthogonal-projection', 'ldr-kl', 'harmonic', 'mann-whitney', 'self-adjusting-dice', 'gem', 'emo',
  'satimp', 'weat', 'spherical-z-loss', 'decoupled-softmax', 'direct-coverage-optimization',
  'plackett-luce-distillation', 'anyloss', 'clip-weighted-cross-entropy', 'inter-variable-contrastive',
  'unpg', 'correctness-aware-calibration', 'comp-sum', 'ensloss', 'snr-distance',
  'hyperbolic-pairwise-confusion',
];

/** One integrity problem, tied to a concept (or `*` for the registry as a whole). */
export interface IntegrityProblem {
  conceptId: string;
  message: string;
}

const requireHere = createRequire(__filename);

/** Parses `latex` with KaTeX in strict mode; returns the error message, or undefined when it parses. */
export function katexError(latex: string): string | undefined {
  const katex = requireHere('katex') as { renderToString(tex: string, options: object): string };
  try {
    katex.renderToString(latex, { throwOnError: true, strict: 'error', displayMode: true });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

type MathJaxConvert = (latex: string) => void;
let mathJaxConvert: MathJaxConvert | undefined;

/**
 * Converts `latex` to SVG with mathjax-full using only its `base` and `ams` packages (a formula
 * that passes there passes under any richer package set); returns the error, or undefined.
 */
export function mathJaxError(latex: string): string | undefined {
  if (!mathJaxConvert) {
    const { mathjax } = requireHere('mathjax-full/js/mathjax.js');
    const { TeX } = requireHere('mathjax-full/js/input/tex.js');
    const { SVG } = requireHere('mathjax-full/js/output/svg.js');
    const { liteAdaptor } = requireHere('mathjax-full/js/adaptors/liteAdaptor.js');
    const { RegisterHTMLHandler } = requireHere('mathjax-full/js/handlers/html.js');
    requireHere('mathjax-full/js/input/tex/base/BaseConfiguration.js');
    requireHere('mathjax-full/js/input/tex/ams/AmsConfiguration.js');
    const adaptor = liteAdaptor();
    RegisterHTMLHandler(adaptor);
    const tex = new TeX({
      packages: ['base', 'ams'],
      formatError: (_jax: unknown, err: Error) => {
        throw err;
      },
    });
    const doc = mathjax.document('', { InputJax: tex, OutputJax: new SVG({ fontCache: 'none' }) });
    mathJaxConvert = (s: string) => {
      doc.convert(s, { display: true });
    };
  }
  try {
    mathJaxConvert(latex);
    return undefined;
  } catch (err) {
    // MathJax throws TexError objects that are not Error instances but do carry a message.
    const message = (err as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : String(err);
  }
}

/** Facts in `concept` that name no source, as readable paths (`parameters[2].source`). */
export function missingSources(concept: Concept): string[] {
  const out: string[] = [];
  const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';
  if (blank(concept.formula.source)) out.push('formula.source');
  concept.parameters.forEach((p, i) => blank(p.source) && out.push(`parameters[${i}].source`));
  concept.identifiers.forEach((p, i) => blank(p.source) && out.push(`identifiers[${i}].source`));
  concept.pitfalls.forEach((p, i) => blank(p.source) && out.push(`pitfalls[${i}].source`));
  if (concept.origin && blank(concept.origin.source)) out.push('origin.source');
  return out;
}

/**
 * Every cross-concept and per-formula problem in `concepts`. Shape problems are the loader's job;
 * this assumes records that already passed `validateConcept`.
 */
export function checkRegistry(concepts: readonly Concept[], options: { formulas?: boolean } = {}): IntegrityProblem[] {
  const problems: IntegrityProblem[] = [];
  const registry = new ConceptRegistry(concepts);
  problems.push(...registry.problems);
  for (const id of REQUIRED_CONCEPT_IDS) {
    if (!registry.has(id)) problems.push({ conceptId: id, message: 'required concept is missing' });
  }
  const handwrittenOwners = new Map<string, string>();
  for (const concept of concepts) {
    for (const rel of concept.related) {
      if (!registry.has(rel)) problems.push({ conceptId: concept.id, message: `related concept "${rel}" does not exist` });
    }
    for (const path of missingSources(concept)) problems.push({ conceptId: concept.id, message: `${path} is empty` });
    const seen = new Set<string>();
    for (const identifier of concept.identifiers) {
      if (seen.has(identifier.qualifiedName)) problems.push({ conceptId: concept.id, message: `identifier ${identifier.qualifiedName} listed twice` });
      seen.add(identifier.qualifiedName);
    }
    for (const name of concept.handwrittenNames) {
      const key = normalizeHandwrittenName(name);
      const owner = handwrittenOwners.get(key);
      if (owner && owner !== concept.id) problems.push({ conceptId: concept.id, message: `hand-written name ${name} also belongs to "${owner}"` });
      handwrittenOwners.set(key, concept.id);
    }
    if (options.formulas !== false) {
      const k = katexError(concept.formula.latex);
      if (k) problems.push({ conceptId: concept.id, message: `formula does not parse with KaTeX: ${k}` });
      const m = mathJaxError(concept.formula.latex);
      if (m) problems.push({ conceptId: concept.id, message: `formula does not parse with MathJax: ${m}` });
    }
  }
  return problems;
}

/** Concept ids that papers use but the registry lacks, each with the papers that use it. */
export function unknownPaperConcepts(concepts: readonly Concept[], papers: readonly Paper[]): Map<string, string[]> {
  const known = new Set(concepts.map((c) => c.id));
  const out = new Map<string, string[]>();
  for (const paper of papers) {
    for (const tag of paper.concepts ?? []) {
      if (known.has(tag.id)) continue;
      const list = out.get(tag.id) ?? [];
      list.push(paper.id);
      out.set(tag.id, list);
    }
  }
  return out;
}
