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

/**
 * The usages list, filled in as the host streams hits (grouped by file, in scan order) and
 * completed by the final reply. A hit already shown is not added again (refs are unique per scan),
 * so the focus stays where the user put it while the scan goes on.
 */
export class UsagesList {
  private readonly shown = new Set<string>();
  private readonly files = new Map<string, HTMLElement>();

  constructor(private readonly body: HTMLElement, private readonly status: HTMLElement, private readonly names: Record<string, string>, private readonly actions: UsagesActions) {}

  /** Hits streamed while the scan runs, with its progress. */
  progress(hits: readonly UsageHit[], filesDone: number, filesTotal: number): void {
    this.add(hits);
    const usages = `${this.shown.size} usage${this.shown.size === 1 ? '' : 's'}`;
    this.status.textContent = `Scanning the workspace… ${filesDone.toLocaleString()} of ${filesTotal.toLocaleString()} files, ${usages} so far.`;
  }

  /** The final reply: every hit (those not streamed yet are added) and the summary. */
  finish(hits: readonly UsageHit[], filesScanned: number, truncated: boolean): void {
    this.add(hits);
    const files = `${this.files.size} file${this.files.size === 1 ? '' : 's'}`;
    this.status.textContent = hits.length === 0
      ? `No usages in ${filesScanned} Python file${filesScanned === 1 ? '' : 's'} and notebooks.`
      : `${hits.length}${truncated ? '+' : ''} usage${hits.length === 1 ? '' : 's'} in ${files} (${filesScanned} scanned).`;
  }

  private add(hits: readonly UsageHit[]): void {
    for (const hit of hits) {
      if (this.shown.has(hit.ref)) continue;
      this.shown.add(hit.ref);
      let items = this.files.get(hit.path);
      if (!items) {
        items = el('ul', { class: 'usage-list' });
        this.files.set(hit.path, items);
        append(this.body, el('section', { class: 'usage-file' }, el('h3', { title: hit.path }, hit.path), items));
      }
      const b = el('button', { type: 'button', class: 'usage', 'data-ref': hit.ref, 'aria-label': `${hit.expression}, ${this.names[hit.conceptId] ?? hit.conceptId}, ${hit.path} line ${hit.line}` },
        el('span', { class: 'usage-pos' }, `${hit.line}:${hit.column}`),
        el('span', { class: 'usage-expr' }, hit.expression),
        el('span', { class: 'usage-preview' }, hit.preview),
      );
      b.addEventListener('click', () => this.actions.open(hit.ref));
      append(items, el('li', {}, b));
    }
  }
}
