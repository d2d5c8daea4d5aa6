/**
 * The hover card for a loss found in code, as markdown, built from core data only (concept,
 * detector usage, ranked papers, formula view), so it is unit-tested without VS Code.
 *
 * Order (issue 6): the concept and the name it resolved to; the formula; the arguments of this
 * call; notable defaults and pitfalls; the top papers; actions. Sections are returned separately:
 * the editor gives each its own MarkdownString, which VS Code separates with a rule.
 */
import type { ConceptPaperLink } from '../concepts/registry';
import type { Concept, ConceptOrigin, ConceptParameter, Framework } from '../concepts/types';
import type { CallInfo, UsageHow } from '../detect/types';
import type { FormulaView } from '../formula/formulaStore';
import type { Paper } from '../papers/types';
import { clip, codeSpan, escapeMarkdown, link } from './markdown';

/** Commands a card links to. The editor's HOVER_COMMANDS allowlist must contain each of them. */
export const CARD_COMMANDS = ['paperlens.insertSnippet', 'paperlens.showConcept', 'paperlens.copyBibtex'] as const;
export type CardCommand = (typeof CARD_COMMANDS)[number];

/** What the card needs to know about the place in code (a subset of the detector's `LossUsage`). */
export interface CardUsage {
  /** The last name component as written (`CE` for an alias of `CrossEntropyLoss`). */
  identifier: string;
  /** The registry's spelling of what it resolved to; for hand-written losses, the name. */
  qualifiedName: string;
  framework: Framework;
  role: 'call' | 'reference' | 'import' | 'definition';
  /** `parameter` for a keyword argument that is a concept itself (`label_smoothing=` of a CE call). */
  kind?: 'class' | 'function' | 'parameter';
  /** How the detector recognised it (`LossUsage.how`); the header says so in a short phrase. */
  how?: UsageHow;
  call?: Pick<CallInfo, 'arguments'>;
}

export interface HoverCardInput {
  concept: Concept;
  usage: CardUsage;
  /** Parameter lookup, `ConceptRegistry.parameter`. */
  parameter: (conceptId: string, name: string, framework?: Framework) => ConceptParameter | undefined;
  /** Papers for the concept, ranked (`ConceptRegistry.papersFor`). */
  papers: readonly ConceptPaperLink[];
  /**
   * Papers of related concepts (in the registry's `related` order), listed only when the concept
   * has no paper and no origin of its own, under a heading that says so.
   */
  relatedPapers?: readonly { conceptName: string; link: ConceptPaperLink }[];
  /** How many papers to list (the concept's origin counts as one); 0 hides the list. */
  maxPapers: number;
  formula: FormulaView;
  /**
   * Set when a verified implementation can be inserted for this concept. `frameworkLabel` names the
   * file's framework (`JAX`) in the action; `missing` says the file's framework has no snippet of
   * the concept, and `others` lists the frameworks to offer instead.
   */
  snippet?: { id: string; frameworkLabel?: string; missing?: boolean; others?: readonly { framework: string; label: string }[] };
  /** Builds an allowlisted `command:` URI (the editor's `commandLink`). */
  commandLink: (command: CardCommand, ...args: unknown[]) => string;
}

export interface HoverCard {
  /** Markdown sections, in display order. */
  sections: string[];
  /** Commands linked from the card (all from {@link CARD_COMMANDS}). */
  commands: CardCommand[];
  /** Paper ids listed, in order (origins outside the corpus have none). */
  paperIds: string[];
}

/** Longest argument value shown verbatim; longer ones are clipped. */
const MAX_VALUE_CHARS = 40;
/** Defaults listed when the call does not set them. */
const MAX_DEFAULTS = 6;
/** Concept-level pitfalls listed. */
const MAX_PITFALLS = 2;
/** A parameter's meaning and a pitfall are clipped to these lengths: the sidebar has the full text. */
const MAX_MEANING_CHARS = 110;
const MAX_PITFALL_CHARS = 220;

/** Builds the card. Pure: the same input always gives the same markdown. */
export function buildHoverCard(input: HoverCardInput): HoverCard {
  const commands = new Set<CardCommand>();
  const linkTo = (command: CardCommand, ...args: unknown[]): string => {
    commands.add(command);
    return input.commandLink(command, ...args);
  };
  const sections: string[] = [];

  sections.push([headerLine(input), formulaBlock(input)].filter(Boolean).join('\n\n'));

  const details = [argumentsBlock(input), defaultsLine(input), pitfallsBlock(input)].filter(Boolean);
  if (details.length) sections.push(details.join('\n\n'));


  const papers = paperList(input, linkTo);
  if (papers.markdown) sections.push(papers.markdown);

  const firstPaper = input.papers.find((l) => l.paper.id === papers.firstPaperId)?.paper;
  const actions = actionLine(input, firstPaper, linkTo);
  if (actions) sections.push(actions);

  return { sections, commands: [...commands], paperIds: papers.ids };
}

/** The card as one markdown string, sections separated by rules (for previews, the CLI and tests). */
export function hoverCardMarkdown(card: HoverCard): string {
  return card.sections.join('\n\n---\n\n');
}

/** How the detector recognised a usage, as the card's header says it (library names speak for themselves). */
const HOW_PHRASES: Record<Exclude<UsageHow, 'library'>, string> = {
  definition: 'defined here',
  local: 'your code, defined or imported in this file',
  name: 'recognised by its name',
  string: 'named by the string',
};

function headerLine({ concept, usage }: HoverCardInput): string {
  const name = `**${escapeMarkdown(concept.name)}**`;
  if (usage.kind === 'parameter') {
    // qualifiedName is `torch.nn.CrossEntropyLoss(label_smoothing=…)`: name the keyword and its call.
    const callee = usage.qualifiedName.replace(/\(.*$/s, '');
    return `${name} · ${codeSpan(`${usage.identifier}=`)} of ${codeSpan(callee)}`;
  }
  if (usage.framework === 'handwritten') {
    const what = usage.how && usage.how !== 'library' ? HOW_PHRASES[usage.how] : usage.role === 'definition' ? 'defined here' : 'hand-written';
    return `${name} · ${codeSpan(usage.identifier)} _(${what})_`;
  }
  const qualified = codeSpan(usage.qualifiedName);
  if (usage.how === 'string') return `${name} · ${qualified} _(${HOW_PHRASES.string}: ${codeSpan(`"${usage.identifier}"`)})_`;
  const last = usage.qualifiedName.slice(usage.qualifiedName.lastIndexOf('.') + 1);
  // An alias (`from torch.nn import CrossEntropyLoss as CE`) says what it stands for.
  const alias = usage.identifier && usage.identifier !== last ? ` _(as ${codeSpan(usage.identifier)})_` : '';
  return `${name} · ${qualified}${alias}`;
}

function formulaBlock({ concept, formula }: HoverCardInput): string {
  const lines: string[] = [];
  if (formula.kind === 'image') {
    lines.push(`![${escapeMarkdown(`Formula of ${concept.name}`)}](${formula.uri})`);
  } else {
    // Never an empty box: the source is readable on its own.
    const why = formula.reason === 'pending' ? 'rendering…' : 'not rendered';
    lines.push(`${codeSpan(formula.latex)} _(${why})_`);
  }
  const notes: string[] = [];
  if (!concept.formula.verified) notes.push('formula not checked against the original code');
  if (concept.formula.note) notes.push(clip(concept.formula.note, 220));
  if (notes.length) {
    const source = /^https?:/.test(concept.formula.source) ? ` (${link('source', concept.formula.source)})` : '';
    lines.push(`_${escapeMarkdown(capitalize(notes.join('; ')))}_${source}`);
  }
  return lines.join('\n\n');
}

/** The framework whose defaults apply: the library of the call, or the paper's for hand-written code. */
function defaultsKey(framework: Framework): Framework | 'paper' {
  return framework === 'handwritten' ? 'paper' : framework;
}

function defaultOf(param: ConceptParameter, framework: Framework): string | undefined {
  return param.defaults[defaultsKey(framework)];
}

function argumentsBlock({ concept, usage, parameter }: HoverCardInput): string {
  const args = usage.call?.arguments.filter((a) => a.kind === 'keyword' && a.name) ?? [];
  const lines: string[] = [];
  for (const arg of args) {
    const param = parameter(concept.id, arg.name!, usage.framework);
    if (!param) continue;
    const written = codeSpan(`${arg.name}=${clip(arg.value, MAX_VALUE_CHARS)}`);
    const fallback = defaultOf(param, usage.framework);
    const dflt = fallback !== undefined ? ` (default ${codeSpan(fallback)})` : '';
    const pitfall = param.pitfall ? ` ⚠️ ${escapeMarkdown(clip(param.pitfall, MAX_PITFALL_CHARS))}` : '';
    lines.push(`- ${written} — ${escapeMarkdown(clip(param.meaning, MAX_MEANING_CHARS))}${dflt}${pitfall}`);
  }
  // No heading: the argument as written says which part of the call each line is about, and a
  // hover has about 250 px before it scrolls.
  return lines.join('\n');
}

function defaultsLine({ concept, usage }: HoverCardInput): string {
  const passed = new Set(usage.call?.arguments.map((a) => a.name).filter(Boolean));
  const seen = new Set<string>();
  const shown: { text: string; notable: boolean }[] = [];
  for (const param of concept.parameters) {
    if (passed.has(param.name) || seen.has(param.name)) continue;
    const value = defaultOf(param, usage.framework);
    if (value === undefined) continue;
    seen.add(param.name);
    shown.push({ text: codeSpan(`${param.name}=${clip(value, MAX_VALUE_CHARS)}`), notable: Boolean(param.pitfall) });
  }
  if (!shown.length) return '';
  // Defaults with a known pitfall first: those are the ones worth a glance.
  const ordered = [...shown.filter((s) => s.notable), ...shown.filter((s) => !s.notable)];
  const more = ordered.length > MAX_DEFAULTS ? ` _+${ordered.length - MAX_DEFAULTS} more_` : '';
  const label = usage.framework === 'handwritten' ? 'Paper defaults' : 'Defaults';
  return `**${label}** ${ordered.slice(0, MAX_DEFAULTS).map((s) => s.text).join(' · ')}${more}`;
}

function pitfallsBlock({ concept, usage, parameter }: HoverCardInput): string {
  const passedWithPitfall = new Set(
    (usage.call?.arguments ?? [])
      .filter((a) => a.kind === 'keyword' && a.name)
      .map((a) => parameter(concept.id, a.name!, usage.framework)?.pitfall)
      .filter((p): p is string => Boolean(p)),
  );
  // A pitfall already shown next to an argument of this call is not repeated, and one about
  // another library's API (optax's reductions under a PyTorch call) is left to the sidebar.
  const pitfalls = concept.pitfalls
    .map((p) => p.text)
    .filter((t) => !passedWithPitfall.has(t) && concernsFramework(t, usage.framework))
    .slice(0, MAX_PITFALLS);
  if (!pitfalls.length) return '';
  return pitfalls.map((t) => `- ⚠️ ${escapeMarkdown(clip(t, MAX_PITFALL_CHARS))}`).join('\n');
}

/** Library families and the words that tie a pitfall's text to one of them. */
const FAMILIES: readonly { frameworks: readonly Framework[]; words: RegExp }[] = [
  {
    // Every library built on PyTorch shares its conventions: a pitfall naming torch (or one of them)
    // applies to their calls too.
    frameworks: [
      'pytorch', 'torchvision', 'pytorch-metric-learning', 'segmentation-models-pytorch', 'monai', 'transformers', 'cut-cross-entropy', 'liger-kernel',
      'trl', 'lightly', 'timm', 'kornia', 'mmdet', 'ultralytics', 'lpips', 'piq', 'open-clip', 'torchgan', 'pytorch-msssim', 'fvcore',
    ],
    words: /\b(?:PyTorch|torch|nn\.\w|F\.\w|Hugging Face|transformers|torchvision|MONAI|pytorch-metric-learning|segmentation_models_pytorch|lightly|open_clip|mmdet|ultralytics|kornia|timm|piq|lpips|torchgan|fvcore|detectron2)/i,
  },
  { frameworks: ['keras', 'tensorflow', 'keras-cv'], words: /\b(?:Keras|TensorFlow|tf\.\w)/i },
  { frameworks: ['optax'], words: /\b(?:optax|JAX|flax)\b/i },
];

/**
 * False when `text` names only other libraries than the usage's (so it does not apply to this
 * call); true when it names this library, none, or the code is hand-written.
 */
export function concernsFramework(text: string, framework: Framework): boolean {
  if (framework === 'handwritten') return true;
  const mentioned = FAMILIES.filter((f) => f.words.test(text));
  return mentioned.length === 0 || mentioned.some((f) => f.frameworks.includes(framework));
}

const RELATION_LABEL: Record<ConceptPaperLink['relation'], string> = {
  proposes: 'proposes',
  'introduces-classic': 'introduces',
  studies: 'studies',
};

/** A venue that names its year (`ICLR 2025`) stands alone: that is the year to cite, not the preprint's. */
function whenAndWhere(year: number | null | undefined, venue: string | null | undefined): string {
  if (venue && /\b(?:19|20)\d{2}\b/.test(venue)) return venue;
  return [year, venue].filter(Boolean).join(' · ');
}

function paperList(
  input: HoverCardInput,
  linkTo: (command: CardCommand, ...args: unknown[]) => string,
): { markdown: string; ids: string[]; firstPaperId?: string } {
  const max = Math.max(0, Math.floor(input.maxPapers));
  if (max === 0) return { markdown: '', ids: [] };
  const lines: string[] = [];
  const ids: string[] = [];
  const origin = input.concept.origin;
  const originInCorpus = origin && input.papers.some((l) => sameWork(l.paper, origin));
  if (origin && !originInCorpus) lines.push(originLine(origin));
  for (const l of input.papers) {
    if (lines.length >= max) break;
    lines.push(paperLine(l, linkTo));
    ids.push(l.paper.id);
  }
  // Paper lines speak for themselves (linked title, year, relation); only a fallback list is titled.
  let heading = '';
  let total = input.papers.length + (origin && !originInCorpus ? 1 : 0);
  if (!lines.length && input.relatedPapers?.length) {
    // Nothing on this loss itself: papers on its related losses are the next best thing, said as such.
    heading = '**Papers on related losses**';
    const seen = new Set<string>();
    for (const { conceptName, link: l } of input.relatedPapers) {
      if (seen.has(l.paper.id)) continue;
      seen.add(l.paper.id);
      if (lines.length < max) {
        lines.push(paperLine(l, linkTo, conceptName));
        ids.push(l.paper.id);
      }
    }
    total = seen.size;
  }
  if (!lines.length) return { markdown: '', ids };
  const more = total > lines.length ? `\n\n_${total - lines.length} more in the sidebar_` : '';
  // The card's own Copy BibTeX action is for a paper on this loss, never a related one.
  return { markdown: `${heading ? `${heading}\n\n` : ''}${lines.join('\n')}${more}`, ids, firstPaperId: heading ? undefined : ids[0] };
}

function sameWork(paper: Paper, origin: ConceptOrigin): boolean {
  if (origin.arxivId && paper.arxivId === origin.arxivId) return true;
  return paper.title.trim().toLowerCase() === origin.title.trim().toLowerCase();
}

function paperLine(l: ConceptPaperLink, linkTo: (command: CardCommand, ...args: unknown[]) => string, relatedTo?: string): string {
  const p = l.paper;
  const main = p.links.arxiv ?? p.links.huggingFace ?? p.links.doi ?? p.links.url ?? p.links.pdf;
  const title = main ? link(escapeMarkdown(p.title), main, 'Open the paper') : `_${escapeMarkdown(p.title)}_`;
  const relation = `${RELATION_LABEL[l.relation]}${relatedTo ? ` ${escapeMarkdown(relatedTo)}` : ''}${l.inferred ? ' (inferred)' : ''}`;
  const meta = [whenAndWhere(p.year, p.venue), `_${relation}_`].filter(Boolean);
  const extra: string[] = [];
  if (p.links.huggingFace && p.links.huggingFace !== main) extra.push(link('HF', p.links.huggingFace, 'Hugging Face paper page'));
  if (p.links.code) extra.push(link('code', p.links.code, 'Official code'));
  extra.push(link('BibTeX', linkTo('paperlens.copyBibtex', p.id), 'Copy BibTeX'));
  return `- ${title} — ${[...meta, ...extra].join(' · ')}`;
}

function originLine(o: ConceptOrigin): string {
  const url = o.arxivId ? `https://arxiv.org/abs/${o.arxivId}` : o.url;
  const title = url ? link(escapeMarkdown(o.title), url, 'Open the paper') : `_${escapeMarkdown(o.title)}_`;
  return `- ${title} — ${[escapeMarkdown(shortAuthors(o.authors)), String(o.year), '_origin_'].filter(Boolean).join(' · ')}`;
}

/** `Tsung-Yi Lin, Priya Goyal, …` → `Lin et al.`; one or two names stay as they are. */
export function shortAuthors(authors: string): string {
  const names = authors.split(/\s*(?:,|;|\band\b)\s*/).map((n) => n.trim()).filter(Boolean);
  if (names.length <= 2 || /et al\.?$/.test(authors.trim())) return authors.trim();
  const first = names[0].split(/\s+/);
  return `${first[first.length - 1]} et al.`;
}

function actionLine(
  input: HoverCardInput,
  firstPaper: Paper | undefined,
  linkTo: (command: CardCommand, ...args: unknown[]) => string,
): string {
  const actions: string[] = [];
  const snippet = input.snippet;
  if (snippet?.missing) {
    // The file's framework has none: say so, and offer the others by name.
    actions.push(`_No verified ${snippet.frameworkLabel ? `${escapeMarkdown(snippet.frameworkLabel)} ` : ''}implementation yet_`);
    for (const other of snippet.others ?? []) {
      actions.push(link(`$(insert) Insert ${other.label} implementation`, linkTo('paperlens.insertSnippet', { conceptId: input.concept.id, framework: other.framework }), `Insert the verified ${other.label} implementation into this file`));
    }
  } else if (snippet) {
    const label = snippet.frameworkLabel ? `Insert ${snippet.frameworkLabel} implementation` : 'Insert implementation';
    actions.push(link(`$(insert) ${label}`, linkTo('paperlens.insertSnippet', { conceptId: input.concept.id }), 'Insert a verified implementation into this file'));
  }
  actions.push(link('$(book) Show in sidebar', linkTo('paperlens.showConcept', input.concept.id), 'Show this loss and its papers in the PaperLens sidebar'));
  if (firstPaper) actions.push(link('$(copy) Copy BibTeX', linkTo('paperlens.copyBibtex', firstPaper.id), `Copy the BibTeX of “${firstPaper.title}”`));
  return actions.join(' · ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
