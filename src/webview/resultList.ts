/**
 * The result list: a virtualised listbox. Only the rows in view (plus a margin) exist in the DOM,
 * so ten thousand results scroll like ten; rows have a fixed height, and each carries
 * `aria-posinset`/`aria-setsize` so a screen reader still knows where it is in the whole list.
 *
 * Keyboard: ↑/↓, PageUp/PageDown, Home/End move the active row (`aria-activedescendant`), Enter
 * opens it, Escape hands focus back to the search box.
 */
import { el } from './dom';

export const ROW_HEIGHT = 68;
const OVERSCAN = 6;

export interface ResultListHooks {
  /** Fills row `index`; returns false when its data has not arrived yet (a placeholder). */
  renderRow(index: number, row: HTMLElement): boolean;
  /** Rows `from..to` (inclusive) are about to be shown: load what is missing. */
  needRange(from: number, to: number): void;
  open(index: number): void;
  escape(): void;
  /** Scroll position or active row changed (for saving UI state). */
  changed(): void;
}

export class ResultList {
  readonly element: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private total = 0;
  private activeIndex = -1;
  private frame = 0;
  private readonly rendered = new Map<number, HTMLElement>();
  private rebuildPending = false;

  constructor(private readonly hooks: ResultListHooks, label: string) {
    this.spacer = el('div', { class: 'spacer' });
    this.element = el('div', { class: 'results', role: 'listbox', tabindex: 0, 'aria-label': label }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('focus', () => {
      if (this.activeIndex < 0 && this.total > 0) this.setActive(0);
    });
    this.element.addEventListener('click', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('.row');
      if (!row) return;
      const index = Number(row.dataset.index);
      this.setActive(index);
      this.hooks.open(index);
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  get size(): number {
    return this.total;
  }

  get active(): number {
    return this.activeIndex;
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  set scrollTop(value: number) {
    this.element.scrollTop = value;
    this.render();
  }

  /** New results: `total` rows, all rebuilt; keeps the active row when it still exists. */
  reset(total: number, active = -1): void {
    this.total = total;
    for (const row of this.rendered.values()) row.remove();
    this.rendered.clear();
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    this.activeIndex = active < total ? active : -1;
    this.render();
  }

  /** Data arrived: rebuilds the placeholder rows in view. */
  refresh(): void {
    this.rebuildPending = true;
    this.schedule();
  }

  focus(): void {
    this.element.focus();
  }

  setActive(index: number, reveal = true): void {
    if (this.total === 0) return;
    this.activeIndex = Math.max(0, Math.min(this.total - 1, index));
    if (reveal) {
      const top = this.activeIndex * ROW_HEIGHT;
      const view = this.element.clientHeight;
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + view) this.element.scrollTop = top + ROW_HEIGHT - view;
    }
    this.render();
    this.hooks.changed();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const rebuild = this.rebuildPending;
      this.rebuildPending = false;
      this.render(rebuild);
      this.hooks.changed();
    });
  }

  /**
   * Brings the rendered rows in line with the scroll position: rows leaving the window are removed,
   * rows entering it are built, rows that stay are updated in place (so a row under the mouse is
   * never replaced between mousedown and click). `rebuild` also rebuilds rows still waiting for data.
   */
  private render(rebuild = false): void {
    const height = this.element.clientHeight || ROW_HEIGHT * 10;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total - 1, Math.ceil((this.element.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    if (this.total > 0 && last >= first) this.hooks.needRange(first, last);
    for (const [i, row] of this.rendered) {
      if (i < first || i > last) {
        row.remove();
        this.rendered.delete(i);
      }
    }
    for (let i = first; i <= last; i++) {
      let row = this.rendered.get(i);
      if (row && (rebuild && row.dataset.loaded !== 'true')) {
        row.remove();
        row = undefined;
      }
      if (!row) {
        row = el('div', { class: 'row', role: 'option', id: `result-${i}`, 'data-index': i, 'aria-posinset': i + 1 });
        row.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
        row.dataset.loaded = String(this.hooks.renderRow(i, row));
        this.spacer.appendChild(row);
        this.rendered.set(i, row);
      }
      const active = i === this.activeIndex;
      row.classList.toggle('active', active);
      row.setAttribute('aria-selected', String(active));
      row.setAttribute('aria-setsize', String(this.total));
    }
    if (this.activeIndex >= 0 && this.activeIndex >= first && this.activeIndex <= last) {
      this.element.setAttribute('aria-activedescendant', `result-${this.activeIndex}`);
    } else {
      this.element.removeAttribute('aria-activedescendant');
    }
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number | undefined> = {
      ArrowDown: this.activeIndex + 1,
      ArrowUp: this.activeIndex - 1,
      PageDown: this.activeIndex + page,
      PageUp: this.activeIndex - page,
      Home: 0,
      End: this.total - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && this.activeIndex <= 0) {
        this.hooks.escape();
        return;
      }
      this.setActive(target);
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (this.activeIndex >= 0) {
        e.preventDefault();
        this.hooks.open(this.activeIndex);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.hooks.escape();
    }
  }
}
