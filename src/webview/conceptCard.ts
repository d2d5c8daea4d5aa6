/**
 * The card of a loss the query names (`focal loss`, `BCEWithLogitsLoss`), shown above the results:
 * name, the summary's first sentence, the formula (KaTeX) with its source, and the hover card's
 * actions — insert a verified implementation, list its papers, find its usages.
 */
import type { ConceptCard } from '../protocol';
import { append, el, icon, type IconName } from './dom';
import { applyKatexStyles, renderFormula } from './render';

export interface ConceptCardActions {
  insertSnippet(conceptId: string): void;
  showConcept(conceptId: string): void;
  findUsages(conceptIds: string[], title: string): void;
}

function button(label: string, iconName: IconName, onClick: () => void, attrs: Record<string, string>): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'action', ...attrs }, icon(iconName), el('span', {}, label));
  b.addEventListener('click', onClick);
  return b;
}

/** One card. */
export function renderConceptCard(card: ConceptCard, actions: ConceptCardActions): HTMLElement {
  const section = el('section', { class: 'concept-card', 'aria-label': `Loss: ${card.name}`, 'data-concept': card.id },
    el('div', { class: 'concept-head' }, el('span', { class: 'concept-kind' }, 'Loss'), el('h3', { class: 'concept-name' }, card.name)));
  if (card.summary) append(section, el('p', { class: 'concept-summary' }, card.summary));
  if (card.formula) {
    const formula = el('div', { class: 'formula' });
    formula.innerHTML = renderFormula(card.formula); // render.ts only: KaTeX with trust off
    applyKatexStyles(formula.querySelectorAll<HTMLElement>('[data-katex-style]'));
    formula.setAttribute('role', 'math');
    formula.setAttribute('aria-label', card.formula);
    append(section, formula);
    if (card.formulaSource) append(section, el('p', { class: 'formula-source' }, `${card.formulaVerified ? 'Source' : 'Unverified; source'}: ${card.formulaSource}`));
  }
  const row = el('div', { class: 'actions' });
  if (card.hasSnippet) append(row, button('Insert snippet', 'insert', () => actions.insertSnippet(card.id), { 'data-action': 'insert-snippet', title: `Insert a verified implementation of ${card.name} into the editor` }));
  append(row,
    button('Papers on this loss', 'book', () => actions.showConcept(card.id), { 'data-action': 'show-concept' }),
    button('Find usages', 'references', () => actions.findUsages([card.id], card.name), { 'data-action': 'find-concept-usages' }),
  );
  append(section, row);
  return section;
}

/** Fills `container` with the cards (empty: hidden). */
export function showConceptCards(container: HTMLElement, cards: readonly ConceptCard[], actions: ConceptCardActions): void {
  container.replaceChildren(...cards.map((c) => renderConceptCard(c, actions)));
  container.hidden = cards.length === 0;
}
