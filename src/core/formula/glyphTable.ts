/**
 * Shared glyph outlines for the pre-rendered formulas file. Every self-contained MathJax SVG carries
 * the outlines of its glyphs in `<defs>`; across the shipped formulas those defs are ~70% of the
 * bytes but only ~150 distinct glyphs. The build moves them into one table (`compactFormula`) and
 * the extension puts them back (`inflateFormula`), so each image is still self-contained when shown.
 * Pure string work: no MathJax here.
 */

const DEFS_RE = /<defs>(.*?)<\/defs>/s;
const PATH_RE = /<path id="([^"]+)" d="([^"]*)"><\/path>/g;

/**
 * Moves the `<defs>` glyph paths of `svg` into `table` (id → path data) and returns the SVG with
 * empty defs plus the ids it needs. Returns undefined (keep the SVG as it is) when its defs hold
 * anything but plain glyph paths, or an id already in the table has different outlines.
 */
export function compactFormula(svg: string, table: Record<string, string>): { svg: string; glyphs: string[] } | undefined {
  const defs = DEFS_RE.exec(svg);
  if (!defs) return { svg, glyphs: [] };
  if (defs[1].replace(PATH_RE, '') !== '') return undefined;
  const glyphs: string[] = [];
  for (const [, id, d] of defs[1].matchAll(PATH_RE)) {
    if (table[id] !== undefined && table[id] !== d) return undefined;
    glyphs.push(id);
  }
  for (const [, id, d] of defs[1].matchAll(PATH_RE)) table[id] = d;
  return { svg: svg.replace(DEFS_RE, '<defs></defs>'), glyphs };
}

/** Puts the glyph paths back into the `<defs>` of a compacted SVG; undefined when a glyph is missing. */
export function inflateFormula(svg: string, glyphs: readonly string[], table: Readonly<Record<string, string>>): string | undefined {
  if (glyphs.length === 0) return svg;
  let defs = '';
  for (const id of glyphs) {
    const d = table[id];
    if (typeof d !== 'string') return undefined;
    defs += `<path id="${id}" d="${d}"></path>`;
  }
  return svg.replace('<defs></defs>', `<defs>${defs}</defs>`);
}
