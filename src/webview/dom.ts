/**
 * DOM building for the sidebar: elements from data with `textContent` only (never markup), and the
 * view's icons as inline SVG that takes the theme's colour (`currentColor`).
 */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null>;

/**
 * `el('button', { class: 'x', 'aria-label': 'Back' }, 'text', child)`. Attribute values are set with
 * `setAttribute` (never parsed as markup); `true` sets an empty attribute, false/undefined/null skip it.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const SVG = 'http://www.w3.org/2000/svg';

/** 16×16 outline icons, drawn for this view (stroke follows the theme colour). */
const ICONS = {
  search: 'M7 2.5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9ZM10.2 10.2 13.5 13.5',
  filter: 'M2 3.5h12M4.5 8h7M7 12.5h2',
  back: 'M9.5 3.5 5 8l4.5 4.5M5.5 8H13',
  close: 'M4 4l8 8M12 4l-8 8',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  quote: 'M3 9.5h3.5v3.5H3zM3 9.5c0-3 1-4.5 3-5.5M9.5 9.5H13V13H9.5zM9.5 9.5c0-3 1-4.5 3-5.5',
  insert: 'M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10',
  external: 'M9 2.5h4.5V7M13.5 2.5 7.5 8.5M11.5 9.5v4h-9v-9h4',
  code: 'M5.5 4.5 2 8l3.5 3.5M10.5 4.5 14 8l-3.5 3.5',
  references: 'M2.5 3.5h11M2.5 8h11M2.5 12.5h6M11.5 10.5l2 2-2 2',
  book: 'M3 3h4.5a1.5 1.5 0 0 1 1.5 1.5V13a1.5 1.5 0 0 0-1.5-1.5H3zM13 3H9v10a1.5 1.5 0 0 1 1.5-1.5H13z',
  sort: 'M4.5 2.5v11M2 11l2.5 2.5L7 11M11.5 13.5v-11M9 5l2.5-2.5L14 5',
} as const;

export type IconName = keyof typeof ICONS;

/** An inline icon, hidden from screen readers (its button carries the label). */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.appendChild(path);
  return svg;
}

/**
 * `text` with the words in `terms` wrapped in `<mark>` (case- and accent-insensitively, whole-word
 * prefixes), as DOM nodes. For titles in the result list.
 */
export function highlighted(text: string, terms: readonly string[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  if (terms.length === 0) {
    fragment.append(text);
    return fragment;
  }
  const fold = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const wanted = new Set(terms);
  const re = /[\p{L}\p{N}]+/gu;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = fold(m[0]);
    if (!wanted.has(word)) continue;
    if (m.index > last) fragment.append(text.slice(last, m.index));
    const mark = document.createElement('mark');
    mark.textContent = m[0];
    fragment.append(mark);
    last = m.index + m[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}
