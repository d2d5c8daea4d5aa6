/**
 * Text → HTML for the sidebar's detail view: abstracts as markdown with math, and formulas. The
 * only place the webview produces markup from data; everything else is built with `textContent`.
 *
 * Safety, in layers:
 *  - markdown-it with HTML off: `<script>`, `<img onerror=…>` in the text come out as escaped text;
 *  - links only when their scheme is http or https (`javascript:`, `data:`, `command:`, `file:`…
 *    stay text); images are not rendered at all (no remote loads);
 *  - math is rendered by KaTeX with `trust: false` (no `\href`, `\url`, `\htmlStyle`…), from
 *    `math` tokens that a markdown-it inline rule makes: math is markup only where markdown puts
 *    content, never inside an attribute (a link title with `$y$` stays text), a code span or a URL;
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

/** A run of this many non-space characters is no URL anyone clicks. */
const LONG_WORD = /\S{2000}/;
const LONG_WORD_AT_START = /^\S{2000}/;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image', 'html_block', 'html_inline']);
md.validateLink = isAllowedLink;
// linkify-it's matching is quadratic on a long run without spaces (30,000 characters: 9 s). No
// link is that long, so text with such a run is not linkified (markdown links still work).
const linkifyTest = md.linkify.test.bind(md.linkify);
md.linkify.test = (text: string) => !LONG_WORD.test(text) && linkifyTest(text);
// The inline rule asks at each `:` whether a link starts there, with the rest of the line.
const linkifyAtStart = md.linkify.matchAtStart.bind(md.linkify);
md.linkify.matchAtStart = (text: string) => (LONG_WORD_AT_START.test(text) ? null : linkifyAtStart(text));
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

/** `$…$` that looks like math: no space inside the dollars, not `$5`, on one line. */
const INLINE_MATH = /(?<![\\$\w])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?![\w$])/y;

/** Delimited math: `$$…$$` and `\[…\]` are display math, `\(…\)` inline. */
const DELIMITED: readonly { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
];

/** Per-render state kept in markdown-it's `env`. */
interface MathEnv {
  formulas: number;
  /** The inline text the cache below is for. */
  src?: string;
  /**
   * For each closing delimiter, where it next occurs (-1: nowhere) after the position it was last
   * looked for from. Reused while the parser moves forward, so a line of a thousand unclosed `\(`
   * is one search, not a thousand searches to its end.
   */
  next?: Map<string, { from: number; at: number }>;
}

function closerAfter(env: MathEnv, src: string, closer: string, from: number): number {
  if (env.src !== src || !env.next) {
    env.src = src;
    env.next = new Map();
  }
  // Valid when it was looked for from here or earlier and lies here or later (the parser can
  // also step back, e.g. after trying a link label).
  const cached = env.next.get(closer);
  if (cached && cached.from <= from && (cached.at === -1 || cached.at >= from)) return cached.at;
  const at = src.indexOf(closer, from);
  env.next.set(closer, { from, at });
  return at;
}

// Math as an inline token: tried at every position before backslash escapes (so `\(` and `\[`
// are seen), after code spans, links and autolinks have taken their own text.
md.inline.ruler.before('escape', 'math', (state, silent) => {
  const src = state.src;
  const pos = state.pos;
  const c = src.charCodeAt(pos);
  if (c !== 0x24 /* $ */ && c !== 0x5c /* \ */) return false;
  const env = state.env as MathEnv;
  if ((env.formulas ?? 0) >= MAX_FORMULAS) return false;
  let tex: string | undefined;
  let display = false;
  let end = pos;
  for (const d of DELIMITED) {
    if (!src.startsWith(d.open, pos)) continue;
    // At least one character of formula, as in `$$x$$`.
    const close = closerAfter(env, src, d.close, pos + d.open.length + 1);
    if (close === -1) break;
    tex = src.slice(pos + d.open.length, close);
    display = d.display;
    end = close + d.close.length;
    break;
  }
  if (tex === undefined && c === 0x24) {
    INLINE_MATH.lastIndex = pos;
    const m = INLINE_MATH.exec(src);
    if (m) {
      tex = m[1];
      end = pos + m[0].length;
    }
  }
  if (tex === undefined) return false;
  if (!silent) {
    const token = state.push('math', '', 0);
    token.content = tex.trim();
    token.meta = { display };
    env.formulas = (env.formulas ?? 0) + 1;
  }
  state.pos = end;
  return true;
});
md.renderer.rules.math = (tokens, idx) => renderMath(tokens[idx].content, Boolean(tokens[idx].meta?.display));

/**
 * Renders a paper abstract (or any paper text): markdown with HTML off, http(s) links only, and
 * `$…$`/`$$…$$` math through KaTeX.
 */
export function renderRichText(text: string): string {
  let source = typeof text === 'string' ? text : '';
  if (source.length > MAX_RICH_TEXT) {
    // markdown-it's link-label scan grows with the square of a run of `[` (48,000: 1 s); no abstract is this
    // long, so the rest is left out and said so.
    const cut = source.lastIndexOf(' ', MAX_RICH_TEXT);
    const kept = source.slice(0, cut > MAX_RICH_TEXT / 2 ? cut : MAX_RICH_TEXT);
    source = `${kept}\n\n*(${(source.length - kept.length).toLocaleString('en-US')} more characters not shown)*`;
  }
  return renderMarkdown(source);
}

/** {@link renderRichText} without the length cap (exported for the tests that time the rules themselves). */
export function renderMarkdown(text: string): string {
  const env: MathEnv = { formulas: 0 };
  return md.render(text, env);
}

/** Longest text rendered as markdown; the rest is left out with a note. */
const MAX_RICH_TEXT = 20_000;

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
