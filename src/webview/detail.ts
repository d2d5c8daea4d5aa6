/**
 * A paper's detail: title, authors, venue, links, actions, the abstract (markdown and math) and
 * the paper's loss concepts with their formulas. Markup comes only from render.ts; everything else
 * is text nodes.
 */
import type { ConceptDetail, PaperDetail, SnippetFrameworkName, SnippetTab } from '../protocol';
import { collectionBadge } from './collections';
import { append, el, icon, type IconName } from './dom';
import { applyKatexStyles, renderFormula, renderRichText } from './render';

/** What the detail's buttons do; main.ts routes them to the host. */
export interface DetailActions {
  back(): void;
  copyBibtex(paperId: string): void;
  cite(paperId: string): void;
  openLink(paperId: string, url: string): void;
  /** Insert the concept's snippet in `framework` (the selected tab). */
  insertSnippet(conceptId: string, framework?: SnippetFrameworkName): void;
  showConcept(conceptId: string): void;
  findUsages(conceptIds: string[], title: string): void;
}

const RELATION: Record<ConceptDetail['relation'], string> = {
  proposes: 'proposes',
  studies: 'studies',
  'introduces-classic': 'introduces',
};

function button(label: string, iconName: IconName, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const { class: extraClass, ...rest } = attrs;
  const b = el('button', { type: 'button', ...rest, class: extraClass ? `action ${extraClass}` : 'action' }, icon(iconName), el('span', {}, label));
  b.addEventListener('click', onClick);
  return b;
}

/** Parses rendered HTML into a container and applies KaTeX's styles through CSSOM. */
function rich(className: string, html: string): HTMLElement {
  const container = el('div', { class: className });
  container.innerHTML = html; // from render.ts only: HTML off, links allowlisted, KaTeX trust off
  applyKatexStyles(container.querySelectorAll<HTMLElement>('[data-katex-style]'));
  return container;
}

function authorLine(paper: PaperDetail): string {
  if (paper.authors.length === 0) return paper.organization ?? 'Unknown authors';
  if (paper.authors.length <= 8) return paper.authors.join(', ');
  return `${paper.authors.slice(0, 7).join(', ')} and ${paper.authors.length - 7} more`;
}

/** `JAX`, `PyTorch or Keras`. */
function labelList(labels: readonly string[], conjunction: string): string {
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} ${conjunction} ${labels[labels.length - 1]}`;
}

const FRAMEWORK_LABELS: Record<SnippetFrameworkName, string> = { pytorch: 'PyTorch', jax: 'JAX', keras: 'Keras' };

/**
 * The concept's implementations, one tab per framework that has one (WAI-ARIA tabs: arrow keys
 * move between them). The tab of the target file's framework is selected first; when that
 * framework has none, a note says so and the other frameworks' tabs are offered.
 */
function snippetTabs(concept: ConceptDetail, target: readonly SnippetFrameworkName[], actions: DetailActions): HTMLElement | null {
  if (concept.snippets.length === 0) return null;
  const fits = concept.snippets.filter((t) => target.includes(t.framework));
  const section = el('div', { class: 'snippets', 'data-concept': concept.id });
  if (target.length > 0 && fits.length === 0) {
    const wanted = labelList(target.map((f) => FRAMEWORK_LABELS[f]), 'or');
    const others = labelList(concept.snippets.map((t) => t.label), 'and');
    append(section, el('p', { class: 'snippet-missing', role: 'note', 'data-missing': target.join(' ') },
      `No verified ${wanted} implementation of ${concept.name} yet. The ${others} ${concept.snippets.length > 1 ? 'ones are' : 'one is'} below.`));
  }
  const tablist = el('div', { class: 'snippet-tabs', role: 'tablist', 'aria-label': `Implementations of ${concept.name}` });
  const panel = el('div', { class: 'snippet-panel', role: 'tabpanel', tabindex: 0 });
  const panelId = `snippet-panel-${concept.id}`;
  panel.id = panelId;
  const tabs = concept.snippets.map((tab) => {
    const b = el('button', { type: 'button', role: 'tab', class: 'snippet-tab', 'data-framework': tab.framework, 'aria-controls': panelId, id: `snippet-tab-${concept.id}-${tab.framework}` }, tab.label);
    b.addEventListener('click', () => select(tab));
    return b;
  });
  const select = (tab: SnippetTab, focus = false): void => {
    tabs.forEach((b, i) => {
      const on = concept.snippets[i] === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    });
    panel.setAttribute('aria-labelledby', `snippet-tab-${concept.id}-${tab.framework}`);
    panel.replaceChildren(
      el('pre', { class: 'snippet-code', 'data-framework': tab.framework }, el('code', {}, [...tab.imports, ...(tab.imports.length ? [''] : []), tab.code].join('\n'))),
      el('div', { class: 'actions' }, button(`Insert ${tab.label} snippet`, 'insert', () => actions.insertSnippet(concept.id, tab.framework), {
        'data-action': 'insert-snippet', 'data-framework': tab.framework, title: `Insert the verified ${tab.label} implementation of ${concept.name} into the editor`,
      })),
    );
  };
  tablist.addEventListener('keydown', (e) => {
    const current = tabs.findIndex((b) => b.getAttribute('aria-selected') === 'true');
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || current < 0) return;
    e.preventDefault();
    select(concept.snippets[(current + step + tabs.length) % tabs.length], true);
  });
  append(tablist, ...tabs);
  select(fits[0] ?? concept.snippets[0]);
  append(section, tablist, panel);
  return section;
}

function conceptBlock(concept: ConceptDetail, target: readonly SnippetFrameworkName[], actions: DetailActions): HTMLElement {
  const heading = el('h4', { class: 'concept-name' }, concept.name);
  const relation = el('span', { class: `relation relation-${concept.relation}` }, RELATION[concept.relation]);
  const inferred = concept.inferred ? el('span', { class: 'inferred', title: 'Inferred from the title and abstract' }, 'inferred') : null;
  const block = el('section', { class: 'concept', 'aria-label': `${concept.name} (${RELATION[concept.relation]})` }, el('div', { class: 'concept-head' }, heading, relation, inferred));
  if (concept.summary) append(block, el('p', { class: 'concept-summary' }, concept.summary));
  if (concept.formula) {
    const formula = rich('formula', renderFormula(concept.formula));
    formula.setAttribute('role', 'math');
    formula.setAttribute('aria-label', concept.formula);
    append(block, formula);
    if (concept.formulaSource) {
      append(block, el('p', { class: 'formula-source' }, `${concept.formulaVerified ? 'Source' : 'Unverified; source'}: ${concept.formulaSource}`));
    }
  }
  const snippets = snippetTabs(concept, target, actions);
  if (snippets) append(block, snippets);
  const row = el('div', { class: 'actions' });
  append(row, button('Papers on this loss', 'book', () => actions.showConcept(concept.id), { 'data-action': 'show-concept' }));
  append(row, button('Find usages', 'references', () => actions.findUsages([concept.id], concept.name), { 'data-action': 'find-concept-usages' }));
  append(block, row);
  return block;
}

/** Builds the detail view of `paper`. */
export function renderDetail(paper: PaperDetail, actions: DetailActions): HTMLElement {
  const back = button('Back', 'back', () => actions.back(), { class: 'back', 'aria-label': 'Back to results', 'data-action': 'back' });
  const title = el('h2', { class: 'paper-title', tabindex: -1 }, paper.title);
  const meta = el('p', { class: 'meta' }, [paper.venue, paper.date ?? (paper.year ? String(paper.year) : null), paper.arxivId ? `arXiv:${paper.arxivId}` : null].filter(Boolean).join(' · '));
  const authors = el('p', { class: 'authors' }, authorLine(paper));
  const badge = collectionBadge(paper.collection, 'detail');
  const collection = badge ? el('p', { class: 'collection-line' }, el('span', { class: badge.className, title: badge.title }, badge.text)) : null;

  const links = el('nav', { class: 'links', 'aria-label': 'Links' });
  for (const link of paper.links) {
    const a = el('a', { href: link.url, class: 'link', title: link.url }, icon(link.kind === 'code' ? 'code' : 'external'), el('span', {}, link.label));
    a.addEventListener('click', (e) => {
      e.preventDefault();
      actions.openLink(paper.id, link.url);
    });
    append(links, a);
  }

  const paperActions = el('div', { class: 'actions' },
    button('Copy BibTeX', 'copy', () => actions.copyBibtex(paper.id), { 'data-action': 'copy-bibtex', title: `Copy the BibTeX entry (${paper.citationKey})` }),
    button('Insert citation', 'quote', () => actions.cite(paper.id), { 'data-action': 'cite', title: 'Insert a citation comment at the cursor' }),
    paper.concepts.length > 0 ? button('Find usages in workspace', 'references', () => actions.findUsages(paper.concepts.map((c) => c.id), paper.title), { 'data-action': 'find-usages' }) : null,
  );

  const abstract = rich('abstract', renderRichText(paper.abstract || '_No abstract._'));
  abstract.addEventListener('click', (e) => {
    const a = (e.target as Element).closest('a');
    if (!a) return;
    e.preventDefault();
    const href = a.getAttribute('href');
    if (href) actions.openLink(paper.id, href);
  });

  const concepts = paper.concepts.length
    ? el('section', { class: 'concepts', 'aria-label': 'Loss concepts' }, el('h3', {}, 'Losses'), ...paper.concepts.map((c) => conceptBlock(c, paper.targetFrameworks, actions)))
    : null;

  const view = el('article', { class: 'detail', 'aria-labelledby': 'detail-title' },
    el('div', { class: 'detail-bar' }, back),
    title, collection, authors, meta, links, paperActions,
    el('section', { class: 'abstract-section', 'aria-label': 'Abstract' }, el('h3', {}, 'Abstract'), abstract),
    concepts,
  );
  title.id = 'detail-title';
  view.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      actions.back();
    }
  });
  return view;
}
