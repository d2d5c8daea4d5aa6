/**
 * LaTeX → standalone SVG with mathjax-full (TeX input, SVG output, lite DOM adaptor: no browser).
 *
 * This module is the only one that imports MathJax. It is bundled on its own (dist/texToSvg.js) and
 * loaded on demand, so the extension's activation path never pays for MathJax; the build uses the
 * same bundle to pre-render the shipped concepts' formulas (scripts/buildFormulas.mjs).
 *
 * The SVG keeps MathJax's `currentColor` fills: it is a colour-neutral template. Inside an `<img>`
 * (which is how a hover shows it, as a data URI) `currentColor` has no CSS context to inherit from
 * and falls back to black, so callers substitute an explicit colour per theme kind with
 * `colorizeSvg` (formulaImage.ts) before they show it.
 */
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor, type LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import type { MathDocument } from 'mathjax-full/js/core/MathDocument.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import type { RenderedFormula, TexRenderResult } from './types';

// The build script pre-renders through this bundle and shares glyphs between formulas with it.
export { compactFormula } from './glyphTable';

/** Pixels per TeX `ex`. Hover text is 13 px; 8 px/ex sets the formula at a 16 px em, a little larger, as display math usually is. */
export const DEFAULT_EX_PX = 8;

/** The TeX packages user LaTeX may use. The registry's integrity check accepts `base` and `ams` only, a subset of this. */
export const TEX_PACKAGES: readonly string[] = ['base', 'ams', 'boldsymbol'];

let engine: { adaptor: LiteAdaptor; doc: MathDocument<unknown, unknown, unknown> } | undefined;

function getEngine(): NonNullable<typeof engine> {
  if (!engine) {
    const adaptor = liteAdaptor();
    RegisterHTMLHandler(adaptor);
    const tex = new TeX({
      packages: [...TEX_PACKAGES],
      // By default MathJax renders a parse error as red text inside the formula; we want to know,
      // so that the caller can show the source instead of a picture of an error.
      formatError: (_jax: unknown, err: Error) => {
        throw err;
      },
    });
    // 'local': glyph paths are defined once per SVG in <defs> and reused, so each image is
    // self-contained (a data URI cannot refer to a cache shared between images).
    const svg = new SVG({ fontCache: 'local' });
    const doc = mathjax.document('', { InputJax: tex, OutputJax: svg }) as MathDocument<unknown, unknown, unknown>;
    engine = { adaptor, doc };
  }
  return engine;
}

/** Attributes MathJax adds for its own in-page use; dead weight in a standalone image. */
const STRIP_ATTRIBUTES = / (?:data-mml-node|data-c|data-mjx-texclass|data-variant|role|focusable|style)="[^"]*"/g;

/**
 * Renders `latex` (display style) to a standalone SVG whose width and height are in pixels.
 * Never throws: a formula that does not parse (or that MathJax can only render as an error box)
 * gives `{ ok: false, error }`.
 */
export function texToSvg(latex: string, options: { exPx?: number } = {}): TexRenderResult {
  const exPx = options.exPx ?? DEFAULT_EX_PX;
  if (latex.trim() === '') return { ok: false, error: 'empty formula' };
  let markup: string;
  try {
    const { adaptor, doc } = getEngine();
    const container = doc.convert(latex, { display: true }) as Parameters<LiteAdaptor['firstChild']>[0];
    const svgNode = adaptor.firstChild(container) as Parameters<LiteAdaptor['outerHTML']>[0];
    markup = adaptor.outerHTML(svgNode);
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
  return finishSvg(markup, exPx);
}

/** Turns MathJax's `<svg>` markup into a standalone image: pixel size, no page-only attributes. Exported for tests. */
export function finishSvg(markup: string, exPx: number): TexRenderResult {
  if (!markup.startsWith('<svg')) return { ok: false, error: 'MathJax produced no SVG' };
  const errorMatch = /data-mjx-error="([^"]*)"/.exec(markup);
  if (errorMatch) return { ok: false, error: errorMatch[1] || 'MathJax reported an error' };
  const open = /^<svg\b[^>]*>/.exec(markup)![0];
  const widthEx = Number(/\bwidth="([\d.]+)ex"/.exec(open)?.[1]);
  const heightEx = Number(/\bheight="([\d.]+)ex"/.exec(open)?.[1]);
  if (!(widthEx > 0) || !(heightEx > 0)) return { ok: false, error: 'MathJax produced an SVG without a size' };
  const width = round2(widthEx * exPx);
  const height = round2(heightEx * exPx);
  const newOpen = open
    .replace(STRIP_ATTRIBUTES, '')
    .replace(/\bwidth="[\d.]+ex"/, `width="${width}"`)
    .replace(/\bheight="[\d.]+ex"/, `height="${height}"`);
  // Glyph ids carry a per-document counter (`MJX-12-TEX-N-28`); without it the same glyph has the
  // same id in every image, so output does not depend on render order and glyphs can be shared.
  const body = markup.slice(open.length).replace(STRIP_ATTRIBUTES, '').replace(/\bMJX-\d+-/g, 'MJX-');
  const svg: RenderedFormula = { svg: newOpen + body, width, height };
  return { ok: true, ...svg };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
