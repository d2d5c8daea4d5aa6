/**
 * What the agent tools share: error answers, code fragments with assumed imports, files read from
 * the workspace, concept names as agents write them, and paper references.
 */
import type { ConceptRegistry } from '../concepts/registry';
import type { Concept, Framework } from '../concepts/types';
import { scanNotebook, type SourceScan } from '../detect/detector';
import type { LossIndex } from '../detect/lossIndex';
import { isPythonNotebook, parseIpynb } from '../detect/notebook';
import type { Corpus } from '../papers/corpus';
import type { Paper } from '../papers/types';
import { MAX_CODE_CHARS } from './definitions';
import { readErrorMessage, resolveWorkspaceFile } from './workspaceFiles';
import type { AgentToolContext, PaperRef, ToolAnswer } from './types';

/**
 * Imports assumed for a fragment that has none, so `F.kl_div(p, q)` resolves as it would in a file
 * with the usual aliases. Each line binds one conventional name.
 */
export const ASSUMED_IMPORTS: readonly string[] = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'import tensorflow as tf',
  'import keras',
  'import optax',
];

const HAS_IMPORT = /^[ \t]*(?:import[ \t]+\w|from[ \t]+[\w.]+[ \t]+import\b)/m;

/** A fragment of code as scanned: with the assumed imports in front when it had no imports. */
interface Fragment {
  text: string;
  /** Characters and lines added in front (0 when nothing was assumed). */
  shift: number;
  lineShift: number;
  assumed: boolean;
}

export function prepareFragment(code: string): Fragment {
  if (code.length > MAX_CODE_CHARS) throw new ToolInputError(`\`code\` is ${code.length} characters; the limit is ${MAX_CODE_CHARS}. Pass a \`file\` instead.`);
  if (HAS_IMPORT.test(code)) return { text: code, shift: 0, lineShift: 0, assumed: false };
  const prelude = `${ASSUMED_IMPORTS.join('\n')}\n`;
  return { text: prelude + code, shift: prelude.length, lineShift: ASSUMED_IMPORTS.length, assumed: true };
}

/** A file read for a tool: its text, or its notebook cells. Empty files are an error. */
interface LoadedFile {
  shown: string;
  absolute: string;
  text: string;
  notebook?: { cells: { index: number; source: string }[]; scans: SourceScan[] };
}

export async function loadFile(ctx: AgentToolContext, given: string, lossIndex: LossIndex): Promise<LoadedFile> {
  const file = await resolveWorkspaceFile(ctx.workspace, given);
  let text: string;
  try {
    text = await ctx.workspace.read(file.absolute);
  } catch (err) {
    throw new ToolInputError(`cannot read "${file.shown}": ${readErrorMessage(err)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new ToolInputError(`"${file.shown}" is empty: there is no code to look at`);
  if (!/\.ipynb$/i.test(file.absolute)) return { shown: file.shown, absolute: file.absolute, text };
  const notebook = parseIpynb(text);
  if (notebook.error) throw new ToolInputError(`"${file.shown}" is not a readable notebook: ${notebook.error}`);
  if (!isPythonNotebook(notebook)) throw new ToolInputError(`"${file.shown}" is a ${notebook.language} notebook, not Python`);
  const scans = scanNotebook(notebook.cells.map((c) => c.source), lossIndex, { project: ctx.project?.(file.absolute) }).cells;
  return { shown: file.shown, absolute: file.absolute, text, notebook: { cells: notebook.cells, scans } };
}

/** Library prefixes people write, expanded the way the usual imports bind them. */
const ALIAS_PREFIXES: readonly [string, string][] = [
  ['F.', 'torch.nn.functional.'],
  ['nn.functional.', 'torch.nn.functional.'],
  ['nn.', 'torch.nn.'],
  ['functional.', 'torch.nn.functional.'],
  ['tf.', 'tensorflow.'],
  ['losses.', 'keras.losses.'],
  ['ops.', 'torchvision.ops.'],
];

/** Frameworks preferred when a bare name (`CrossEntropyLoss`) exists in several libraries. */
const FRAMEWORK_PREFERENCE: readonly Framework[] = ['pytorch', 'torchvision', 'keras', 'tensorflow', 'optax'];

interface ResolvedName {
  concept: Concept;
  qualifiedName: string;
  framework: Framework | null;
}

/**
 * The concept a name refers to: a concept id, a qualified or aliased library name (`nn.KLDivLoss`,
 * `tf.keras.losses.Huber`), a bare library name (`kl_div`), a hand-written function name
 * (`focal_loss`), or a concept's name or alias (`focal loss`). Undefined when none matches.
 */
export function resolveConceptName(registry: ConceptRegistry, text: string): ResolvedName | undefined {
  const t = text.trim().replace(/\(\s*\)$/, '');
  if (!t) return undefined;
  const byId = registry.get(t) ?? registry.get(t.toLowerCase());
  if (byId) return { concept: byId, qualifiedName: byId.id, framework: null };
  const candidates = [t, ...ALIAS_PREFIXES.filter(([p]) => t.startsWith(p)).map(([p, full]) => full + t.slice(p.length))];
  for (const c of candidates) {
    const match = registry.byQualifiedName(c);
    if (match) return { concept: match.concept, qualifiedName: match.identifier.qualifiedName, framework: match.identifier.framework };
  }
  if (/^[A-Za-z_]\w*$/.test(t)) {
    const bare = registry.qualifiedNames().filter((q) => q.endsWith(`.${t}`)).map((q) => registry.byQualifiedName(q)!);
    if (bare.length) {
      const rank = (f: Framework) => {
        const i = FRAMEWORK_PREFERENCE.indexOf(f);
        return i === -1 ? FRAMEWORK_PREFERENCE.length : i;
      };
      bare.sort((a, b) => rank(a.identifier.framework) - rank(b.identifier.framework));
      return { concept: bare[0].concept, qualifiedName: bare[0].identifier.qualifiedName, framework: bare[0].identifier.framework };
    }
    const hand = registry.byHandwrittenName(t);
    if (hand) return { concept: hand, qualifiedName: t, framework: 'handwritten' };
  }
  const lower = t.toLowerCase();
  const named = registry.all().find((c) => c.name.toLowerCase() === lower || c.aliases.some((a) => a.toLowerCase() === lower));
  if (named) return { concept: named, qualifiedName: named.id, framework: null };
  return undefined;
}

export function unknownConcept(registry: ConceptRegistry, text: string, what = 'loss'): ToolInputError {
  const close = registry.search(text, 4);
  const hint = close.length ? ` Closest known: ${close.map((c) => `\`${c.id}\` (${c.name})`).join(', ')}.` : '';
  return new ToolInputError(`PaperLens knows no ${what} called "${text.trim()}".${hint}`);
}

export function paperUrl(p: Paper): string | null {
  return p.links.arxiv ?? p.links.doi ?? p.links.url ?? p.links.huggingFace ?? null;
}

export function paperRef(p: Paper, corpus: Corpus): PaperRef {
  return { id: p.id, title: p.title, year: p.year, venue: p.venue, url: paperUrl(p), bibtexKey: corpus.citationKey(p) };
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Bad input the agent can correct; its message is the whole answer. */
export class ToolInputError extends Error {}

export function failure(message: string): ToolAnswer {
  return { isError: true, markdown: `Error: ${message}` };
}
