/**
 * Shapes shared by the formula renderer (texToSvg.ts, which loads MathJax), the formula store and
 * the pre-rendered data file. Types only: importing this module loads nothing.
 */

/** A formula rendered to a colour-neutral SVG (fills are `currentColor`), sized in CSS pixels. */
export interface RenderedFormula {
  svg: string;
  width: number;
  height: number;
}

/** The outcome of rendering one LaTeX string. */
export type TexRenderResult = ({ ok: true } & RenderedFormula) | { ok: false; error: string };

/** The renderer's interface, as the lazily loaded bundle exposes it. */
export interface TexRenderer {
  texToSvg(latex: string, options?: { exPx?: number }): TexRenderResult;
}

/**
 * One entry of `formulas.json`: the LaTeX it was rendered from, and the SVG or the parse error.
 * `glyphs` lists the ids of glyph outlines moved to the file's shared table (see glyphTable.ts).
 */
export type PrerenderedFormula = { latex: string } & ({ svg: string; width: number; height: number; glyphs?: string[] } | { error: string });

/** `dist/data/formulas.json`, written at build time by scripts/buildFormulas.mjs. */
export interface PrerenderedFormulaFile {
  /** Format version of this file. */
  version: 1;
  /** What rendered it, e.g. `mathjax-full 3.2.2`. */
  renderer: string;
  /** Glyph outlines shared by the formulas: id → SVG path data. */
  glyphs?: Record<string, string>;
  /** Concept id → formula. */
  formulas: Record<string, PrerenderedFormula>;
}
