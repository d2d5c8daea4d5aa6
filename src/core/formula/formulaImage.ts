/**
 * From a colour-neutral formula SVG to an image a hover can show: an explicit fill colour per
 * theme kind, an optional size cap, a base64 `data:` URI. Pure string work, no MathJax.
 */
import type { RenderedFormula } from './types';

/**
 * The theme kinds VS Code distinguishes (`vscode.ColorThemeKind`): the formula is drawn in a
 * colour that reads on each kind's hover background.
 */
export type FormulaTheme = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export const FORMULA_THEMES: readonly FormulaTheme[] = ['light', 'dark', 'highContrast', 'highContrastLight'];

/**
 * Glyph colour per theme kind. `currentColor` cannot be used: an SVG shown through `<img>` is an
 * isolated document that inherits no CSS colour from the hover, so it would always be black.
 * Light/dark are close to the default editor foregrounds (Light Modern #3B3B3B, Dark Modern
 * #CCCCCC), a little stronger because formula strokes are thin; high contrast uses pure black/white.
 */
export const FORMULA_COLORS: Readonly<Record<FormulaTheme, string>> = {
  light: '#1F1F1F',
  dark: '#D4D4D4',
  highContrast: '#FFFFFF',
  highContrastLight: '#000000',
};

/** Maps `vscode.ColorThemeKind` (1 Light, 2 Dark, 3 HighContrast, 4 HighContrastLight) to a theme kind. */
export function themeFromColorThemeKind(kind: number): FormulaTheme {
  switch (kind) {
    case 1:
      return 'light';
    case 3:
      return 'highContrast';
    case 4:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

/** Replaces every `currentColor` in a MathJax SVG with the theme's colour. */
export function colorizeSvg(svg: string, theme: FormulaTheme): string {
  return svg.replace(/currentColor/g, FORMULA_COLORS[theme]);
}

/**
 * Scales a formula down (never up) so that it is at most `maxWidth` pixels wide, by rewriting the
 * root element's width and height; the viewBox keeps the drawing intact.
 */
export function fitFormula(formula: RenderedFormula, maxWidth: number): RenderedFormula {
  if (!(maxWidth > 0) || formula.width <= maxWidth) return formula;
  const scale = maxWidth / formula.width;
  const width = Math.round(maxWidth * 100) / 100;
  const height = Math.round(formula.height * scale * 100) / 100;
  const svg = formula.svg.replace(/^(<svg\b[^>]*?)\bwidth="[\d.]+"/, `$1width="${width}"`).replace(/^(<svg\b[^>]*?)\bheight="[\d.]+"/, `$1height="${height}"`);
  return { svg, width, height };
}

/** A base64 `data:image/svg+xml` URI (base64 keeps `(`, `)` and spaces out of markdown link targets). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
