/**
 * Shape validation for one concept record. Hand-written rather than schema-driven so that each
 * message says, in a practitioner's words, what is wrong and on which line.
 */
import type { LoadIssue } from '../papers/types';
import type { JsonPath } from './jsonLines';
import type {
  Concept,
  ConceptIdentifier,
  ConceptOrigin,
  ConceptParameter,
  Framework,
} from './types';

/** Every framework the schema knows, in display order. */
export const FRAMEWORKS: readonly Framework[] = [
  'pytorch',
  'torchvision',
  'tensorflow',
  'keras',
  'optax',
  'pytorch-metric-learning',
  'segmentation-models-pytorch',
  'monai',
  'transformers',
  'cut-cross-entropy',
  'liger-kernel',
  'trl',
  'lightly',
  'timm',
  'kornia',
  'mmdet',
  'ultralytics',
  'lpips',
  'piq',
  'open-clip',
  'torchgan',
  'pytorch-msssim',
  'keras-cv',
  'composer',
  'fvcore',
  'handwritten',
];

/** Keys allowed in `parameters[].defaults`: a framework, or `paper` for the paper's own value. */
const DEFAULT_KEYS = new Set<string>([...FRAMEWORKS, 'paper']);

/** Stable concept ids: lower-case words joined by single hyphens. */
export const CONCEPT_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A new-style arXiv id (YYMM.NNNN or YYMM.NNNNN), without version suffix. */
export const ARXIV_ID_PATTERN = /^\d{4}\.\d{4,5}$/;

const CONCEPT_KEYS = new Set([
  'id',
  'name',
  'aliases',
  'summary',
  'formula',
  'parameters',
  'identifiers',
  'handwrittenNames',
  'lexicon',
  'kerasNames',
  'related',
  'papers',
  'pitfalls',
  'origin',
  'category',
]);

/**
 * Checks that `value` is a concept record. Returns the concept (with `papers` defaulted to `[]`)
 * when there were no errors, and every problem found either way.
 */
export function validateConcept(
  value: unknown,
  file: string,
  lineOf: (path: JsonPath) => number,
  basePath: JsonPath = [],
): { concept?: Concept; issues: LoadIssue[] } {
  const issues: LoadIssue[] = [];
  const at = (path: JsonPath): number => lineOf([...basePath, ...path]);
  const error = (path: JsonPath, message: string): void => {
    issues.push({ file, line: at(path), message, severity: 'error' });
  };
  const idHint = isObject(value) && typeof value.id === 'string' ? ` (concept "${value.id}")` : '';
  const err = (path: JsonPath, message: string): void => error(path, `${message}${idHint}`);

  if (!isObject(value)) {
    error([], 'a concept must be a JSON object');
    return { issues };
  }
  for (const key of Object.keys(value)) {
    if (!CONCEPT_KEYS.has(key)) err([key], `unknown field "${key}"`);
  }

  const str = (path: JsonPath, v: unknown, what: string): v is string => {
    if (typeof v !== 'string' || v.trim() === '') {
      err(path, `${what} must be a non-empty string`);
      return false;
    }
    return true;
  };
  const strList = (path: JsonPath, v: unknown, what: string): v is string[] => {
    if (!Array.isArray(v)) {
      err(path, `${what} must be an array of strings`);
      return false;
    }
    let ok = true;
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') {
        err([...path, i], `${what}[${i}] must be a non-empty string`);
        ok = false;
      }
    });
    return ok;
  };
  const source = (path: JsonPath, v: unknown): void => {
    str(path, v, `${path.join('.')}`);
  };

  if (str(['id'], value.id, 'id') && !CONCEPT_ID_PATTERN.test(value.id)) {
    err(['id'], `id "${value.id}" is not kebab-case (lower-case words joined by "-")`);
  }
  str(['name'], value.name, 'name');
  strList(['aliases'], value.aliases, 'aliases');
  str(['summary'], value.summary, 'summary');

  const formula = value.formula;
  if (!isObject(formula)) {
    err(['formula'], 'formula must be an object {latex, source, verified}');
  } else {
    for (const key of Object.keys(formula)) {
      if (!['latex', 'source', 'verified', 'note'].includes(key)) err(['formula', key], `unknown field "formula.${key}"`);
    }
    str(['formula', 'latex'], formula.latex, 'formula.latex');
    source(['formula', 'source'], formula.source);
    if (typeof formula.verified !== 'boolean') err(['formula', 'verified'], 'formula.verified must be true or false');
    if (formula.note !== undefined) str(['formula', 'note'], formula.note, 'formula.note');
  }

  if (!Array.isArray(value.parameters)) {
    err(['parameters'], 'parameters must be an array');
  } else {
    value.parameters.forEach((p: unknown, i: number) => checkParameter(p, ['parameters', i]));
  }

  if (!Array.isArray(value.identifiers)) {
    err(['identifiers'], 'identifiers must be an array');
  } else {
    value.identifiers.forEach((id: unknown, i: number) => checkIdentifier(id, ['identifiers', i]));
  }

  strList(['handwrittenNames'], value.handwrittenNames, 'handwrittenNames');
  if (value.lexicon !== undefined && strList(['lexicon'], value.lexicon, 'lexicon')) {
    value.lexicon.forEach((w, i) => {
      if (!/^[a-z0-9]+(?: [a-z0-9]+)*$/.test(w)) err(['lexicon', i], `lexicon entry "${w}" must be lower-case words separated by single spaces`);
    });
  }
  if (value.kerasNames !== undefined && strList(['kerasNames'], value.kerasNames, 'kerasNames')) {
    value.kerasNames.forEach((w, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) err(['kerasNames', i], `kerasNames entry "${w}" must be a Keras loss string such as "mse"`);
    });
  }
  if (strList(['related'], value.related, 'related')) {
    value.related.forEach((r, i) => {
      if (!CONCEPT_ID_PATTERN.test(r)) err(['related', i], `related id "${r}" is not kebab-case`);
      if (r === value.id) err(['related', i], 'a concept cannot be related to itself');
    });
  }
  if (value.papers !== undefined && (!Array.isArray(value.papers) || value.papers.length > 0)) {
    err(['papers'], 'papers must be left out: paper links live on the papers in papers.json (use papersFor)');
  }

  if (!Array.isArray(value.pitfalls)) {
    err(['pitfalls'], 'pitfalls must be an array');
  } else {
    value.pitfalls.forEach((p: unknown, i: number) => {
      const path = ['pitfalls', i];
      if (!isObject(p)) return err(path, `pitfalls[${i}] must be an object {text, source}`);
      for (const key of Object.keys(p)) if (key !== 'text' && key !== 'source') err([...path, key], `unknown field "${key}" in pitfalls[${i}]`);
      str([...path, 'text'], p.text, `pitfalls[${i}].text`);
      str([...path, 'source'], p.source, `pitfalls[${i}].source`);
    });
  }

  if (value.origin !== undefined) checkOrigin(value.origin, ['origin']);
  if (value.category !== 'classic' && value.category !== 'seed' && value.category !== 'modern') {
    err(['category'], 'category must be "classic", "seed" or "modern"');
  }

  function checkParameter(p: unknown, path: JsonPath): void {
    const label = `parameters[${path[1]}]`;
    if (!isObject(p)) return err(path, `${label} must be an object`);
    for (const key of Object.keys(p)) {
      if (!['name', 'defaults', 'meaning', 'pitfall', 'source'].includes(key)) err([...path, key], `unknown field "${key}" in ${label}`);
    }
    str([...path, 'name'], p.name, `${label}.name`);
    if (!isObject(p.defaults)) {
      err([...path, 'defaults'], `${label}.defaults must be an object of framework → default value text`);
    } else {
      for (const [k, v] of Object.entries(p.defaults)) {
        if (!DEFAULT_KEYS.has(k)) err([...path, 'defaults', k], `${label}.defaults has unknown framework "${k}"`);
        if (typeof v !== 'string') err([...path, 'defaults', k], `${label}.defaults.${k} must be a string (source text of the default)`);
      }
    }
    str([...path, 'meaning'], p.meaning, `${label}.meaning`);
    if (p.pitfall !== undefined) str([...path, 'pitfall'], p.pitfall, `${label}.pitfall`);
    str([...path, 'source'], p.source, `${label}.source`);
  }

  function checkIdentifier(id: unknown, path: JsonPath): void {
    const label = `identifiers[${path[1]}]`;
    if (!isObject(id)) return err(path, `${label} must be an object`);
    for (const key of Object.keys(id)) {
      if (!['framework', 'qualifiedName', 'kind', 'source'].includes(key)) err([...path, key], `unknown field "${key}" in ${label}`);
    }
    if (typeof id.framework !== 'string' || !(FRAMEWORKS as readonly string[]).includes(id.framework)) {
      err([...path, 'framework'], `${label}.framework must be one of ${FRAMEWORKS.join(', ')}`);
    }
    if (str([...path, 'qualifiedName'], id.qualifiedName, `${label}.qualifiedName`)) {
      if (!/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$/.test(id.qualifiedName)) {
        err([...path, 'qualifiedName'], `${label}.qualifiedName "${id.qualifiedName}" must be a dotted Python name (module.name)`);
      }
    }
    if (id.kind !== 'class' && id.kind !== 'function') err([...path, 'kind'], `${label}.kind must be "class" or "function"`);
    str([...path, 'source'], id.source, `${label}.source`);
  }

  function checkOrigin(o: unknown, path: JsonPath): void {
    if (!isObject(o)) return err(path, 'origin must be an object');
    for (const key of Object.keys(o)) {
      if (!['title', 'authors', 'year', 'arxivId', 'url', 'source'].includes(key)) err([...path, key], `unknown field "origin.${key}"`);
    }
    str([...path, 'title'], o.title, 'origin.title');
    str([...path, 'authors'], o.authors, 'origin.authors');
    if (typeof o.year !== 'number' || !Number.isInteger(o.year) || o.year < 1900 || o.year > 2100) {
      err([...path, 'year'], 'origin.year must be a four-digit year');
    }
    if (o.arxivId !== undefined && (typeof o.arxivId !== 'string' || !ARXIV_ID_PATTERN.test(o.arxivId))) {
      err([...path, 'arxivId'], 'origin.arxivId must look like 1708.02002 (no "arXiv:" prefix, no version)');
    }
    if (o.url !== undefined) str([...path, 'url'], o.url, 'origin.url');
    str([...path, 'source'], o.source, 'origin.source');
  }

  if (issues.some((i) => i.severity === 'error')) return { issues };
  return { concept: toConcept(value), issues };
}

/**
 * Rebuilds a validated record with a fixed key order and `papers: []`, so that the combined file
 * is deterministic whatever order the source file wrote its keys in.
 */
function toConcept(v: Record<string, unknown>): Concept {
  const formula = v.formula as Concept['formula'];
  const concept: Concept = {
    id: v.id as string,
    name: v.name as string,
    aliases: [...(v.aliases as string[])],
    category: v.category as Concept['category'],
    summary: v.summary as string,
    formula: {
      latex: formula.latex,
      source: formula.source,
      verified: formula.verified,
      ...(formula.note !== undefined ? { note: formula.note } : {}),
    },
    parameters: (v.parameters as ConceptParameter[]).map((p) => ({
      name: p.name,
      defaults: { ...p.defaults },
      meaning: p.meaning,
      ...(p.pitfall !== undefined ? { pitfall: p.pitfall } : {}),
      source: p.source,
    })),
    identifiers: (v.identifiers as ConceptIdentifier[]).map((i) => ({
      framework: i.framework,
      qualifiedName: i.qualifiedName,
      kind: i.kind,
      source: i.source,
    })),
    handwrittenNames: [...(v.handwrittenNames as string[])],
    ...(v.lexicon !== undefined ? { lexicon: [...(v.lexicon as string[])] } : {}),
    ...(v.kerasNames !== undefined ? { kerasNames: [...(v.kerasNames as string[])] } : {}),
    related: [...(v.related as string[])],
    papers: [],
    pitfalls: (v.pitfalls as Concept['pitfalls']).map((p) => ({ text: p.text, source: p.source })),
  };
  if (v.origin !== undefined) {
    const o = v.origin as ConceptOrigin;
    concept.origin = {
      title: o.title,
      authors: o.authors,
      year: o.year,
      ...(o.arxivId !== undefined ? { arxivId: o.arxivId } : {}),
      ...(o.url !== undefined ? { url: o.url } : {}),
      source: o.source,
    };
  }
  return concept;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
