/**
 * Text → HTML for the sidebar's detail view: abstracts as markdown with math, and formulas. The
 * only place the webview produces markup from data; everything else is built with `textContent`.
 *
 * Safety, in layers:
 *  - markdown-it with HTML off: `<script>`, `<img onerror=…>` in the text come out as escaped text;
 *  - links only when their scheme is http or https (`javascript:`, `data:`, `command:`, `file:`…
 *    stay text); images are not rendered at all (no remote loads);
 *  - math is rendered by KaTeX with `trust: false` (no `\href`, `\url`, `\htmlStyle`…), from text
 *    taken out before markdown sees it and put back by index;
 *  - KaTeX's inline `style` attributes become `data-katex-style`, applied through CSSOM by
 *    {@link applyKatexStyles}, so the CSP needs no `'unsafe-inline'` for styles.
 *
 * Pure (no DOM), so it is unit-tested in node with the hostile inputs the issue names.
 */
import katex from 'katex';
import MarkdownIt from 'markdown-it';

/** Escapes text for use inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** True for the link schemes the view opens (through the host, which checks again). */
export function isAllowedLink(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image', 'html_block', 'html_inline']);
md.validateLink = isAllowedLink;
// Links open through the host (the view intercepts clicks); mark them for screen readers and styling.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('class', 'external-link');
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Longest formula rendered; longer ones stay as their source text. */
const MAX_TEX = 2_000;
/** Most formulas rendered per text. */
const MAX_FORMULAS = 200;

/**
 * Renders LaTeX with KaTeX. Errors render as KaTeX's error span (the source, in red), never throw.
 * Returns HTML whose inline styles are `data-katex-style` attributes.
 */
export function renderMath(tex: string, displayMode: boolean): string {
  if (tex.length > MAX_TEX) return `<code class="math-source">${escapeHtml(tex)}</code>`;
  let html: string;
  try {
    html = katex.renderToString(tex, {
      displayMode,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      output: 'htmlAndMathml',
      maxSize: 50,
      maxExpand: 500,
    });
  } catch {
    return `<code class="math-source">${escapeHtml(tex)}</code>`;
  }
  return html.replace(/\sstyle="/g, ' data-katex-style="');
}

const PLACEHOLDER = /\uE000(\d+)\uE001/g;
/** `$$…$$`, `\[…\]`, `\(…\)`, and `$…$` that looks like math (no space inside the dollars, not `$5`). */
const MATH = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<![\\$\w])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?![\w$])/g;

/**
 * Renders a paper abstract (or any paper text): markdown with HTML off, http(s) links only, and
 * `$…$`/`$$…$$` math through KaTeX.
 */
export function renderRichText(text: string): string {
  const source = (typeof text === 'string' ? text : '').replace(/[\uE000\uE001]/g, '');
  const formulas: string[] = [];
  const withPlaceholders = source.replace(MATH, (whole, display: string | undefined, bracket: string | undefined, paren: string | undefined, inline: string | undefined) => {
    if (formulas.length >= MAX_FORMULAS) return whole;
    const tex = display ?? bracket ?? paren ?? inline ?? '';
    formulas.push(renderMath(tex.trim(), display !== undefined || bracket !== undefined));
    return `\uE000${formulas.length - 1}\uE001`;
  });
  const html = md.render(withPlaceholders);
  return html.replace(PLACEHOLDER, (_m, i: string) => formulas[Number(i)] ?? '');
}

/** Renders a display formula (a concept's LaTeX). */
export function renderFormula(latex: string): string {
  return renderMath(latex, true);
}

/** What {@link applyKatexStyles} needs from an element; the DOM's `HTMLElement` fits. */
export interface StylableElement {
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  style: { cssText: string };
}

/**
 * Moves KaTeX's `data-katex-style` attributes into `element.style` (CSSOM, which a CSP without
 * `'unsafe-inline'` allows, unlike `style=""` in markup).
 */
export function applyKatexStyles(elements: Iterable<StylableElement>): void {
  for (const el of elements) {
    const css = el.getAttribute('data-katex-style');
    if (css !== null) {
      el.style.cssText = css;
      el.removeAttribute('data-katex-style');
    }
  }
}
