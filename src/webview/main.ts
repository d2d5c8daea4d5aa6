/**
 * The Papers sidebar (browser side). Owns the UI state — query, filters, sort, scroll, selection,
 * which view is open — and persists it with `setState`; every paper comes from the host on demand.
 *
 * Views: the result list (virtualised), a paper's detail, and workspace usages of losses.
 */
import type { Facets, Filters, HostNotification, PaperSummary, SearchReply, SortOrder } from '../protocol';
import { collectionBadge, sourceGroups } from './collections';
import { append, clear, el, highlighted, icon } from './dom';
import { renderDetail, type DetailActions } from './detail';
import { HostClient } from './host';
import { ResultList } from './resultList';
import { showConceptCards } from './conceptCard';
import { renderUsagesShell, UsagesList } from './usages';

/** What survives hiding and reloading the view. */
interface UiState {
  v: 1;
  query: string;
  filters: Filters;
  sort: SortOrder;
  filtersOpen: boolean;
  scrollTop: number;
  active: number;
  view: 'list' | 'detail' | 'usages';
  paperId?: string;
  usages?: { conceptIds: string[]; title: string };
}

const PAGE = 100;
const DEFAULT_STATE: UiState = { v: 1, query: '', filters: {}, sort: 'relevance', filtersOpen: false, scrollTop: 0, active: -1, view: 'list' };

function restoredState(raw: unknown): UiState {
  if (typeof raw !== 'object' || raw === null || (raw as UiState).v !== 1) return { ...DEFAULT_STATE };
  return { ...DEFAULT_STATE, ...(raw as UiState) };
}

class SidebarApp {
  private readonly client: HostClient<UiState>;
  private state: UiState;
  private facets: Facets | undefined;
  private conceptNames: Record<string, string> = {};
  /** The running "find usages" whose streamed hits go to its list (while that list is shown). */
  private usagesStream: { id: number; list: () => UsagesList | undefined } | undefined;
  private corpusVersion = -1;

  // Result data for the current search generation.
  private generation = 0;
  private readonly rows = new Map<number, PaperSummary>();
  private readonly pagesAsked = new Set<number>();
  private terms: string[] = [];
  private searchTimer = 0;
  private pendingRestore: { scrollTop: number; active: number } | undefined;

  // Elements.
  private readonly input: HTMLInputElement;
  private readonly filterToggle: HTMLButtonElement;
  private readonly filterPanel: HTMLElement;
  private readonly conceptSelect: HTMLSelectElement;
  private readonly yearFrom: HTMLInputElement;
  private readonly yearTo: HTMLInputElement;
  private readonly hasCode: HTMLInputElement;
  private readonly sourceSelect: HTMLSelectElement;
  private readonly sortSelect: HTMLSelectElement;
  private readonly status: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly list: ResultList;
  private readonly listView: HTMLElement;
  /** Cards of the losses the query names, above the results. */
  private readonly cards: HTMLElement;
  /** Strong matches of the current search: list rows before the weak-matches heading. */
  private strongTotal = 0;
  private total = 0;
  private readonly otherView: HTMLElement;
  private readonly toast: HTMLElement;
  private toastTimer = 0;

  constructor(root: HTMLElement) {
    this.client = new HostClient<UiState>((m) => this.onNotification(m));
    this.state = restoredState(this.client.state);

    this.input = el('input', {
      type: 'search', class: 'query', 'aria-label': 'Search papers', placeholder: 'Search papers: focal loss, CrossEntropyLoss, year:2024…',
      spellcheck: 'false', autocomplete: 'off',
    });
    this.filterToggle = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Filters', 'aria-controls': 'filters', title: 'Filters and sort' }, icon('filter'));
    this.conceptSelect = el('select', { 'aria-label': 'Concept', class: 'concept-filter' }, el('option', { value: '' }, 'Any loss'));
    this.yearFrom = el('input', { type: 'number', 'aria-label': 'From year', placeholder: 'from', min: 1900, max: 2100, class: 'year' });
    this.yearTo = el('input', { type: 'number', 'aria-label': 'To year', placeholder: 'to', min: 1900, max: 2100, class: 'year' });
    this.hasCode = el('input', { type: 'checkbox', class: 'has-code' });
    this.sourceSelect = el('select', { 'aria-label': 'Source', class: 'source-filter' }, el('option', { value: '' }, 'All sources'));
    this.sortSelect = el('select', { 'aria-label': 'Sort by', class: 'sort' }, el('option', { value: 'relevance' }, 'Relevance'), el('option', { value: 'newest' }, 'Newest'));
    const clearFilters = el('button', { type: 'button', class: 'link-button' }, 'Clear filters');
    this.filterPanel = el('div', { id: 'filters', class: 'filters', role: 'group', 'aria-label': 'Filters' },
      el('label', {}, el('span', {}, 'Loss'), this.conceptSelect),
      el('div', { class: 'year-range' }, el('span', {}, 'Year'), this.yearFrom, el('span', { 'aria-hidden': 'true' }, '–'), this.yearTo),
      el('label', { class: 'checkbox' }, this.hasCode, el('span', {}, 'Has code')),
      el('label', {}, el('span', {}, 'Source'), this.sourceSelect),
      el('label', {}, el('span', {}, 'Sort'), this.sortSelect),
      clearFilters,
    );
    this.status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.notes = el('p', { class: 'notes' });
    this.list = new ResultList({
      renderRow: (i, row) => this.renderRow(i, row),
      needRange: (from, to) => this.load(Math.max(0, this.resultIndex(from, true)), this.resultIndex(to, true)),
      open: (i) => { const p = this.rows.get(this.resultIndex(i)); if (p) this.openPaper(p.id); },
      escape: () => { this.input.focus(); this.input.select(); },
      changed: () => this.save(),
    }, 'Papers');
    this.cards = el('div', { class: 'concept-cards', hidden: true });
    this.listView = el('section', { class: 'list-view' }, this.cards, this.list.element);
    this.otherView = el('section', { class: 'other-view', hidden: true });
    this.toast = el('div', { class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true });

    const searchBox = el('div', { class: 'search-box' }, icon('search'), this.input, this.filterToggle);
    append(root, el('header', { class: 'top' }, searchBox, this.filterPanel, this.status, this.notes), this.listView, this.otherView, this.toast);

    // Controls reflect the saved state.
    this.input.value = this.state.query;
    this.applyFiltersToControls();
    this.setFiltersOpen(this.state.filtersOpen);

    this.input.addEventListener('input', () => {
      if (this.state.view !== 'list') this.showList();
      this.state.query = this.input.value;
      this.save();
      this.scheduleSearch();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'Enter') {
        if (this.list.size > 0) {
          e.preventDefault();
          if (this.state.view !== 'list') this.showList();
          this.list.focus();
          this.list.setActive(Math.max(0, this.list.active));
        }
      } else if (e.key === 'Escape' && this.input.value) {
        e.preventDefault();
        this.input.value = '';
        this.state.query = '';
        this.save();
        this.scheduleSearch(0);
      }
    });
    this.filterToggle.addEventListener('click', () => this.setFiltersOpen(!this.state.filtersOpen));
    for (const control of [this.conceptSelect, this.yearFrom, this.yearTo, this.hasCode, this.sourceSelect, this.sortSelect]) {
      control.addEventListener('change', () => this.readFilterControls());
    }
    clearFilters.addEventListener('click', () => {
      this.state.filters = {};
      this.state.sort = 'relevance';
      this.applyFiltersToControls();
      this.save();
      this.search();
    });

    window.addEventListener('error', (e) => this.client.notify({ type: 'error', message: String(e.message) }));
    window.addEventListener('unhandledrejection', (e) => this.client.notify({ type: 'error', message: String(e.reason) }));

    this.pendingRestore = { scrollTop: this.state.scrollTop, active: this.state.active };
    // Handshake: the host sends `init` (facets) and then whatever it queued.
    this.client.notify({ type: 'ready' });
  }

  // ----------------------------------------------------------------------------------------
  // Host notifications

  private onNotification(m: HostNotification): void {
    switch (m.type) {
      case 'init': {
        const first = this.corpusVersion < 0;
        this.facets = m.facets;
        this.conceptNames = m.conceptNames;
        this.corpusVersion = m.corpusVersion;
        this.fillFilterOptions();
        this.search(!first);
        if (first && this.state.view === 'detail' && this.state.paperId) this.openPaper(this.state.paperId, false);
        if (first && this.state.view === 'usages' && this.state.usages) this.openUsages(this.state.usages.conceptIds, this.state.usages.title);
        break;
      }
      case 'focusSearch':
        if (m.query !== undefined) {
          this.input.value = m.query;
          this.state.query = m.query;
          this.search();
        }
        this.showList();
        this.input.focus();
        this.input.select();
        break;
      case 'showConcept':
        this.state.filters = { concept: m.conceptId };
        this.state.query = '';
        this.input.value = '';
        this.applyFiltersToControls();
        this.showList();
        this.search();
        break;
      case 'showPaper':
        this.openPaper(m.paperId);
        break;
      case 'showUsages':
        this.openUsages(m.conceptIds, m.conceptIds.length === 1 ? this.conceptNames[m.conceptIds[0]] ?? m.conceptIds[0] : 'Loss functions');
        break;
      case 'usagesProgress':
        if (this.usagesStream?.id === m.id) this.usagesStream.list()?.progress(m.hits, m.filesDone, m.filesTotal);
        break;
      case 'actionResult':
        this.showToast(m.message, m.ok);
        break;
    }
  }

  // ----------------------------------------------------------------------------------------
  // Searching and paging

  private scheduleSearch(delay = 40): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.search(), delay);
  }

  /** Starts a new search generation: forgets loaded rows, asks for the first page. */
  private search(keepPosition = false): void {
    clearTimeout(this.searchTimer);
    if (!this.facets) return; // before `init`; init runs it
    this.generation++;
    this.rows.clear();
    this.pagesAsked.clear();
    if (keepPosition) this.pendingRestore = { scrollTop: this.list.scrollTop, active: this.list.active };
    this.requestPage(0, true);
  }

  private load(from: number, to: number): void {
    for (let page = Math.floor(from / PAGE); page <= Math.floor(to / PAGE); page++) this.requestPage(page, false);
  }

  private requestPage(page: number, first: boolean): void {
    if (this.pagesAsked.has(page)) return;
    this.pagesAsked.add(page);
    const generation = this.generation;
    void this.client.request({
      type: 'search', query: this.state.query, filters: this.state.filters, sort: this.state.sort, offset: page * PAGE, limit: PAGE,
    }).then((reply) => {
      if (generation !== this.generation) return; // a newer search replaced this one
      if (reply.type === 'failed') {
        this.status.textContent = `Search failed: ${reply.message}`;
        return;
      }
      reply.hits.forEach((hit, i) => this.rows.set(reply.offset + i, hit));
      if (first) this.firstPage(reply);
      else this.list.refresh();
    });
  }

  /** The weak matches have a heading row, at the position after the strong ones. */
  private get hasWeakHeading(): boolean {
    return this.total > this.strongTotal;
  }

  /**
   * The result index shown at list row `row` (-1: the weak-matches heading; with `clamp`, the
   * heading reads as the result after it).
   */
  private resultIndex(row: number, clamp = false): number {
    if (!this.hasWeakHeading || row < this.strongTotal) return row;
    if (row === this.strongTotal) return clamp ? row : -1;
    return row - 1;
  }

  private firstPage(reply: SearchReply): void {
    this.terms = reply.terms;
    const restore = this.pendingRestore;
    this.pendingRestore = undefined;
    this.total = reply.total;
    this.strongTotal = Math.min(reply.strongTotal, reply.total);
    this.list.reset(reply.total + (this.hasWeakHeading ? 1 : 0), restore ? restore.active : -1);
    showConceptCards(this.cards, reply.concepts, this.detailActions());
    // A hidden list cannot scroll; showList() applies the saved position when it comes back.
    const scrollTop = restore ? restore.scrollTop : 0;
    if (this.listView.hidden) this.state.scrollTop = scrollTop;
    else this.list.scrollTop = scrollTop;
    const count = reply.total.toLocaleString('en-US');
    clear(this.status);
    this.status.classList.toggle('no-answer', reply.noAnswer !== null);
    if (reply.noAnswer !== null) {
      // "No paper in your corpus is about <em>direct preference optimization</em>", said first.
      const about = reply.about.trim();
      const lead = reply.noAnswer.endsWith(about) ? reply.noAnswer.slice(0, reply.noAnswer.length - about.length) : `${reply.noAnswer} `;
      append(this.status, lead, el('em', {}, about), '.');
      if (reply.total > 0) append(this.status, ` ${count} weak match${reply.total === 1 ? '' : 'es'} below.`);
    } else {
      const weak = reply.total - this.strongTotal;
      this.status.textContent = reply.total === 0
        ? 'No papers match.'
        : weak > 0
          ? `${reply.totalExact ? '' : 'About '}${this.strongTotal.toLocaleString('en-US')} paper${this.strongTotal === 1 ? '' : 's'}, ${weak.toLocaleString('en-US')} weak match${weak === 1 ? '' : 'es'}`
          : `${reply.totalExact ? '' : 'About '}${count} paper${reply.total === 1 ? '' : 's'}`;
    }
    clear(this.notes);
    for (const c of reply.corrections) {
      const instead = el('button', { type: 'button', class: 'link-button search-instead', title: `Search ${c.searchInstead}` }, c.word);
      instead.addEventListener('click', () => {
        this.input.value = c.searchInstead;
        this.state.query = c.searchInstead;
        this.save();
        this.search();
      });
      append(this.notes, el('span', { class: 'note' }, `Showing results for “${c.suggestions.join(', ')}”; search instead for `, instead));
    }
    for (const p of reply.problems) append(this.notes, el('span', { class: 'note warning' }, p));
    this.listView.classList.toggle('empty', reply.total === 0);
  }

  private renderRow(display: number, row: HTMLElement): boolean {
    const index = this.resultIndex(display);
    if (index < 0) {
      row.classList.add('section-heading');
      row.setAttribute('aria-disabled', 'true');
      const weak = this.total - this.strongTotal;
      append(row,
        el('div', { class: 'row-title' }, this.strongTotal === 0 ? 'Weak matches' : `Weak matches (${weak.toLocaleString('en-US')})`),
        el('div', { class: 'row-meta' }, 'These papers share only some of your words.'));
      return true;
    }
    const paper = this.rows.get(index);
    if (!paper) {
      row.classList.add('loading');
      append(row, el('div', { class: 'row-title' }, 'Loading…'));
      return false;
    }
    const chips = el('span', { class: 'chips' });
    const badge = collectionBadge(paper.collection, 'row');
    if (badge) append(chips, el('span', { class: badge.className, title: badge.title }, badge.text));
    if (paper.hasCode) append(chips, el('span', { class: 'badge code' }, 'code'));
    for (const c of paper.concepts.slice(0, 4)) {
      append(chips, el('span', { class: `chip${c.relation === 'studies' ? '' : ' main'}`, title: `${c.relation} ${c.name}` }, c.name));
    }
    const title = el('div', { class: 'row-title' });
    title.appendChild(highlighted(paper.title, this.terms));
    const meta = [paper.year, paper.venue && paper.venue !== String(paper.year) ? paper.venue : null].filter(Boolean).join(' · ');
    append(row,
      title,
      el('div', { class: 'row-meta' }, el('span', { class: 'when' }, meta), el('span', { class: 'who' }, paper.authors), chips),
    );
    const concepts = paper.concepts.map((c) => c.name).join(', ');
    row.setAttribute('aria-label', [paper.title, badge ? 'classic paper' : '', meta, paper.authors, concepts && `losses: ${concepts}`, paper.hasCode ? 'has code' : ''].filter(Boolean).join(', '));
    return true;
  }

  // ----------------------------------------------------------------------------------------
  // Filters

  private setFiltersOpen(open: boolean): void {
    this.state.filtersOpen = open;
    this.filterPanel.hidden = !open;
    this.filterToggle.setAttribute('aria-expanded', String(open));
    this.filterToggle.classList.toggle('on', open || Object.keys(this.state.filters).length > 0 || this.state.sort !== 'relevance');
    this.save();
  }

  private fillFilterOptions(): void {
    const f = this.facets;
    if (!f) return;
    const keepConcept = this.state.filters.concept;
    this.conceptSelect.replaceChildren(el('option', { value: '' }, 'Any loss'));
    const concepts = [...f.concepts].sort((a, b) => a.name.localeCompare(b.name));
    if (keepConcept && !concepts.some((c) => c.id === keepConcept)) concepts.unshift({ id: keepConcept, name: this.conceptNames[keepConcept] ?? keepConcept, count: 0 });
    for (const c of concepts) append(this.conceptSelect, el('option', { value: c.id }, `${c.name} (${c.count})`));
    this.sourceSelect.replaceChildren(el('option', { value: '' }, 'All sources'));
    for (const group of sourceGroups(f.sources)) {
      append(this.sourceSelect, el('optgroup', { label: group.label }, ...group.options.map((o) => el('option', { value: o.value, title: o.title }, o.text))));
    }
    if (f.years) {
      for (const input of [this.yearFrom, this.yearTo]) {
        input.min = String(f.years.min);
        input.max = String(f.years.max);
      }
      this.yearFrom.placeholder = String(f.years.min);
      this.yearTo.placeholder = String(f.years.max);
    }
    this.applyFiltersToControls();
  }

  private applyFiltersToControls(): void {
    const f = this.state.filters;
    this.conceptSelect.value = f.concept ?? '';
    this.yearFrom.value = f.yearFrom ? String(f.yearFrom) : '';
    this.yearTo.value = f.yearTo ? String(f.yearTo) : '';
    this.hasCode.checked = f.hasCode === true;
    this.sourceSelect.value = f.source ?? '';
    this.sortSelect.value = this.state.sort;
    this.filterToggle.classList.toggle('on', this.state.filtersOpen || Object.keys(f).length > 0 || this.state.sort !== 'relevance');
  }

  private readFilterControls(): void {
    const year = (input: HTMLInputElement): number | undefined => {
      const n = Number(input.value);
      return input.value && Number.isInteger(n) && n >= 1000 && n <= 9999 ? n : undefined;
    };
    const filters: Filters = {};
    if (this.conceptSelect.value) filters.concept = this.conceptSelect.value;
    const from = year(this.yearFrom);
    const to = year(this.yearTo);
    if (from !== undefined) filters.yearFrom = from;
    if (to !== undefined) filters.yearTo = to;
    if (this.hasCode.checked) filters.hasCode = true;
    if (this.sourceSelect.value) filters.source = this.sourceSelect.value;
    this.state.filters = filters;
    this.state.sort = this.sortSelect.value === 'newest' ? 'newest' : 'relevance';
    this.applyFiltersToControls();
    this.save();
    this.search();
  }

  // ----------------------------------------------------------------------------------------
  // Views

  private showList(): void {
    if (this.state.view === 'list') return;
    this.state.view = 'list';
    this.state.paperId = undefined;
    this.state.usages = undefined;
    this.otherView.hidden = true;
    clear(this.otherView);
    this.listView.hidden = false;
    this.list.scrollTop = this.state.scrollTop;
    this.save();
  }

  private backToList(): void {
    this.showList();
    this.list.focus();
    if (this.list.active >= 0) this.list.setActive(this.list.active);
  }

  private detailActions(): DetailActions {
    return {
      back: () => this.backToList(),
      copyBibtex: (paperId) => this.client.notify({ type: 'copyBibtex', paperId }),
      cite: (paperId) => this.client.notify({ type: 'citePaper', paperId }),
      openLink: (paperId, url) => this.client.notify({ type: 'openLink', paperId, url }),
      insertSnippet: (conceptId, framework) => this.client.notify(framework ? { type: 'insertSnippet', conceptId, framework } : { type: 'insertSnippet', conceptId }),
      showConcept: (conceptId) => this.onNotification({ type: 'showConcept', conceptId }),
      findUsages: (conceptIds, title) => this.openUsages(conceptIds, title),
    };
  }

  private openPaper(paperId: string, focus = true): void {
    this.state.view = 'detail';
    this.state.paperId = paperId;
    this.save();
    this.listView.hidden = true;
    this.otherView.hidden = false;
    this.otherView.replaceChildren(el('p', { class: 'status' }, 'Loading…'));
    void this.client.request({ type: 'getPaper', paperId }).then((reply) => {
      if (this.state.view !== 'detail' || this.state.paperId !== paperId) return;
      if (reply.type === 'failed' || !reply.paper) {
        this.otherView.replaceChildren(el('p', { class: 'status' }, reply.type === 'failed' ? reply.message : 'This paper is no longer in the corpus.'));
        return;
      }
      const view = renderDetail(reply.paper, this.detailActions());
      this.otherView.replaceChildren(view);
      this.otherView.scrollTop = 0;
      if (focus) view.querySelector<HTMLElement>('.paper-title')?.focus();
    });
  }

  private openUsages(conceptIds: string[], title: string): void {
    this.state.view = 'usages';
    this.state.usages = { conceptIds, title };
    this.save();
    this.listView.hidden = true;
    this.otherView.hidden = false;
    const heading = conceptIds.length === 0 ? 'Loss usages in the workspace' : `Usages of ${title}`;
    const actions = { back: () => this.backToList(), open: (ref: string) => this.client.notify({ type: 'openUsage', ref }) };
    const { view, body, status } = renderUsagesShell(heading, actions);
    this.otherView.replaceChildren(view);
    view.querySelector<HTMLElement>('.usages-title')?.focus();
    const list = new UsagesList(body, status, this.conceptNames, actions);
    const current = () => this.state.view === 'usages' && this.state.usages?.conceptIds === conceptIds;
    const request = this.client.start({ type: 'findUsages', conceptIds });
    this.usagesStream = { id: request.id, list: () => (current() ? list : undefined) };
    void request.reply.then((reply) => {
      if (this.usagesStream?.id === request.id) this.usagesStream = undefined;
      if (!current()) return;
      if (reply.type === 'failed') {
        status.textContent = `Could not scan the workspace: ${reply.message}`;
        return;
      }
      list.finish(reply.hits, reply.filesScanned, reply.truncated);
    });
  }

  private showToast(message: string, ok: boolean): void {
    this.toast.textContent = message;
    this.toast.classList.toggle('error', !ok);
    this.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => { this.toast.hidden = true; }, 4000);
  }

  private saveTimer = 0;

  /** Persists the UI state (debounced to a frame: scrolling calls this often). */
  private save(): void {
    if (this.saveTimer) return;
    this.saveTimer = requestAnimationFrame(() => {
      this.saveTimer = 0;
      if (!this.pendingRestore && !this.listView.hidden) {
        this.state.scrollTop = this.list.scrollTop;
        this.state.active = this.list.active;
      }
      this.client.state = this.state;
    });
  }
}

const root = document.getElementById('app');
if (root) new SidebarApp(root);
