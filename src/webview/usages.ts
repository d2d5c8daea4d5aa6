/**
 * "Find usages in workspace": the detector's hits, grouped by file. A click (or Enter) asks the host
 * to open the place; the host only opens places it listed (the webview sends back its token).
 */
import type { UsageHit } from '../protocol';
import { append, el, icon } from './dom';

export interface UsagesActions {
  back(): void;
  open(ref: string): void;
}

/** The usages view shell, with a status line that {@link showUsages} fills in. */
export function renderUsagesShell(title: string, actions: UsagesActions): { view: HTMLElement; body: HTMLElement; status: HTMLElement } {
  const back = el('button', { type: 'button', class: 'action back', 'aria-label': 'Back', 'data-action': 'back' }, icon('back'), el('span', {}, 'Back'));
  back.addEventListener('click', () => actions.back());
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Scanning the workspace…');
  const body = el('div', { class: 'usage-files' });
  const heading = el('h2', { class: 'usages-title', tabindex: -1 }, title);
  const view = el('section', { class: 'usages', 'aria-label': title }, el('div', { class: 'detail-bar' }, back), heading, status, body);
  view.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      actions.back();
    }
  });
  return { view, body, status };
}

/** Fills the usages list. `names` maps concept ids to display names. */
export function showUsages(body: HTMLElement, status: HTMLElement, hits: readonly UsageHit[], filesScanned: number, truncated: boolean, names: Record<string, string>, actions: UsagesActions): void {
  const byFile = new Map<string, UsageHit[]>();
  for (const hit of hits) {
    const list = byFile.get(hit.path) ?? [];
    list.push(hit);
    byFile.set(hit.path, list);
  }
  const files = `${byFile.size} file${byFile.size === 1 ? '' : 's'}`;
  status.textContent = hits.length === 0
    ? `No usages in ${filesScanned} Python file${filesScanned === 1 ? '' : 's'} and notebooks.`
    : `${hits.length}${truncated ? '+' : ''} usage${hits.length === 1 ? '' : 's'} in ${files} (${filesScanned} scanned).`;
  for (const [path, list] of byFile) {
    const items = el('ul', { class: 'usage-list' });
    for (const hit of list) {
      const b = el('button', { type: 'button', class: 'usage', 'data-ref': hit.ref, 'aria-label': `${hit.expression}, ${names[hit.conceptId] ?? hit.conceptId}, ${path} line ${hit.line}` },
        el('span', { class: 'usage-pos' }, `${hit.line}:${hit.column}`),
        el('span', { class: 'usage-expr' }, hit.expression),
        el('span', { class: 'usage-preview' }, hit.preview),
      );
      b.addEventListener('click', () => actions.open(hit.ref));
      append(items, el('li', {}, b));
    }
    append(body, el('section', { class: 'usage-file' }, el('h3', { title: path }, path), items));
  }
}
