// Formula rendering: LaTeX → standalone SVG (MathJax), per-theme colours, data URIs, and the store
// that serves pre-rendered formulas and renders the rest lazily.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { texToSvg, finishSvg } from '../../../src/core/formula/texToSvg';
import {
  FORMULA_COLORS,
  FORMULA_THEMES,
  colorizeSvg,
  fitFormula,
  svgDataUri,
  themeFromColorThemeKind,
} from '../../../src/core/formula/formulaImage';
import { FormulaStore } from '../../../src/core/formula/formulaStore';
import { compactFormula, inflateFormula } from '../../../src/core/formula/glyphTable';
import type { PrerenderedFormulaFile, TexRenderer } from '../../../src/core/formula/types';

const CE = '\\mathcal{L} = -\\log \\frac{e^{z_y}}{\\sum_{j} e^{z_j}}';

describe('texToSvg', () => {
  it('renders display math to a standalone SVG sized in pixels', () => {
    const r = texToSvg(CE);
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.match(r.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(r.svg, /<\/svg>$/);
    assert.ok(r.width > 50 && r.height > 10, `size ${r.width}×${r.height}`);
    assert.match(r.svg, new RegExp(`width="${r.width}"`));
    assert.doesNotMatch(r.svg, /\bex"/, 'no ex units left');
    // Self-contained: glyphs are defined in the image itself and referenced locally.
    assert.match(r.svg, /<defs><path id="/);
    assert.doesNotMatch(r.svg, /href="(?!#)/);
    assert.doesNotMatch(r.svg, /data-mml-node|style=/);
  });

  it('reports LaTeX that does not parse instead of drawing an error box', () => {
    const brace = texToSvg('\\frac{a}{');
    assert.equal(brace.ok, false);
    assert.match(!brace.ok ? brace.error : '', /brace/i);
    const macro = texToSvg('\\notamacro{x}');
    assert.equal(macro.ok, false);
    assert.match(!macro.ok ? macro.error : '', /notamacro/);
    assert.equal(texToSvg('   ').ok, false);
  });

  it('scales with the pixels-per-ex option', () => {
    const small = texToSvg('x^2', { exPx: 4 });
    const large = texToSvg('x^2', { exPx: 8 });
    assert.ok(small.ok && large.ok);
    if (small.ok && large.ok) assert.ok(Math.abs(large.width - 2 * small.width) < 0.05);
  });

  it('treats MathJax error markup as a failure', () => {
    const r = finishSvg('<svg width="2ex" height="1ex"><g data-mjx-error="Oops"></g></svg>', 8);
    assert.deepEqual(r, { ok: false, error: 'Oops' });
  });
});

describe('formula images', () => {
  const rendered = texToSvg(CE);
  assert.ok(rendered.ok);
  const formula = rendered.ok ? rendered : { svg: '', width: 0, height: 0 };

  it('draws in an explicit colour per theme kind (currentColor does not reach an <img>)', () => {
    for (const theme of FORMULA_THEMES) {
      const svg = colorizeSvg(formula.svg, theme);
      assert.doesNotMatch(svg, /currentColor/);
      assert.match(svg, new RegExp(`fill="${FORMULA_COLORS[theme]}"`));
    }
    assert.notEqual(FORMULA_COLORS.light, FORMULA_COLORS.dark);
  });

  it('maps vscode.ColorThemeKind values to theme kinds', () => {
    assert.equal(themeFromColorThemeKind(1), 'light');
    assert.equal(themeFromColorThemeKind(2), 'dark');
    assert.equal(themeFromColorThemeKind(3), 'highContrast');
    assert.equal(themeFromColorThemeKind(4), 'highContrastLight');
    assert.equal(themeFromColorThemeKind(99), 'dark');
  });

  it('scales wide formulas down to fit, never up', () => {
    const fitted = fitFormula(formula, formula.width / 2);
    assert.ok(Math.abs(fitted.width - formula.width / 2) < 0.02);
    assert.ok(Math.abs(fitted.height - formula.height / 2) < 0.02);
    assert.match(fitted.svg, new RegExp(`^<svg[^>]*width="${fitted.width}"[^>]*height="${fitted.height}"`));
    assert.equal(fitFormula(formula, formula.width * 3), formula);
  });

  it('encodes a base64 data URI that decodes to the SVG', () => {
    const uri = svgDataUri(formula.svg);
    assert.match(uri, /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/);
    assert.equal(Buffer.from(uri.split(',')[1], 'base64').toString('utf8'), formula.svg);
  });
});

/** A renderer that counts its calls and renders with the real MathJax. */
function countingRenderer(): { renderer: TexRenderer; calls: string[]; loads: number } {
  const state = { calls: [] as string[], loads: 0, renderer: undefined as unknown as TexRenderer };
  state.renderer = {
    texToSvg: (latex) => {
      state.calls.push(latex);
      return texToSvg(latex);
    },
  };
  return state;
}

/** A formulas.json as scripts/buildFormulas.mjs writes it (glyphs in a shared table). */
function prerendered(entries: Record<string, string>): PrerenderedFormulaFile {
  const formulas: PrerenderedFormulaFile['formulas'] = {};
  const glyphs: Record<string, string> = {};
  for (const [id, latex] of Object.entries(entries)) {
    const r = texToSvg(latex);
    const compact = r.ok ? compactFormula(r.svg, glyphs) : undefined;
    formulas[id] = r.ok && compact ? { latex, svg: compact.svg, glyphs: compact.glyphs, width: r.width, height: r.height } : { latex, error: r.ok ? 'x' : r.error };
  }
  return { version: 1, renderer: 'test', glyphs, formulas };
}

describe('FormulaStore', () => {
  it('serves pre-rendered formulas without loading the renderer', () => {
    let loads = 0;
    const store = new FormulaStore({
      loadPrerendered: () => prerendered({ 'cross-entropy': CE }),
      loadRenderer: () => {
        loads++;
        throw new Error('must not load');
      },
    });
    const view = store.view(CE, 'dark');
    assert.equal(view.kind, 'image');
    if (view.kind === 'image') {
      const svg = Buffer.from(view.uri.split(',')[1], 'base64').toString('utf8');
      assert.match(svg, new RegExp(FORMULA_COLORS.dark));
      const direct = texToSvg(CE);
      assert.ok(direct.ok);
      if (direct.ok) assert.equal(svg, colorizeSvg(direct.svg, 'dark'), 'glyphs restored from the shared table');
      assert.equal(view.latex, CE);
    }
    assert.equal(loads, 0);
    // Cached per theme: the same object comes back.
    assert.equal(store.view(CE, 'dark'), view);
    assert.notEqual(store.view(CE, 'light'), view);
  });

  it('renders other LaTeX lazily: source first, image once the scheduled render ran', async () => {
    const jobs: (() => void)[] = [];
    const counting = countingRenderer();
    let loads = 0;
    const rendered: string[] = [];
    const store = new FormulaStore({
      loadPrerendered: () => undefined,
      loadRenderer: () => {
        loads++;
        return counting.renderer;
      },
      schedule: (job) => jobs.push(job),
      onRendered: (latex) => rendered.push(latex),
    });
    const first = store.view('a^2 + b^2', 'light');
    assert.deepEqual(first, { kind: 'source', latex: 'a^2 + b^2', reason: 'pending' });
    store.view('a^2 + b^2', 'dark');
    assert.equal(jobs.length, 1, 'one render per formula, however often it is asked for');
    assert.equal(loads, 0, 'nothing loads on the caller’s path');
    jobs.shift()!();
    await store.whenIdle();
    assert.equal(loads, 1);
    assert.deepEqual(rendered, ['a^2 + b^2']);
    assert.equal(store.view('a^2 + b^2', 'light').kind, 'image');
    assert.deepEqual(counting.calls, ['a^2 + b^2']);
  });

  it('shows the source of a formula that does not parse, with the error', async () => {
    const store = new FormulaStore({ loadRenderer: () => countingRenderer().renderer, schedule: (job) => job() });
    store.view('\\frac{1}{', 'dark');
    await store.whenIdle();
    const view = store.view('\\frac{1}{', 'dark');
    assert.equal(view.kind, 'source');
    if (view.kind === 'source') {
      assert.equal(view.reason, 'error');
      assert.equal(view.latex, '\\frac{1}{');
      assert.match(view.error ?? '', /brace/i);
    }
  });

  it('keeps pre-rendered parse errors as errors, and keys by LaTeX so a changed formula is re-rendered', async () => {
    const file = prerendered({ broken: '\\frac{', old: 'x' });
    const jobs: (() => void)[] = [];
    const store = new FormulaStore({ loadPrerendered: () => file, loadRenderer: () => countingRenderer().renderer, schedule: (j) => jobs.push(j) });
    assert.equal(store.view('\\frac{', 'light').kind, 'source');
    assert.equal((store.view('\\frac{', 'light') as { reason: string }).reason, 'error');
    assert.equal(store.view('x', 'light').kind, 'image');
    assert.equal(store.view('x + 1', 'light').kind, 'source', 'the concept’s formula changed after the build');
    assert.equal(jobs.length, 1);
  });

  it('degrades to the source when the renderer cannot be loaded', async () => {
    const errors: string[] = [];
    const store = new FormulaStore({
      loadRenderer: () => {
        throw new Error('dist/texToSvg.js missing');
      },
      schedule: (job) => job(),
      onError: (m) => errors.push(m),
    });
    store.view('y', 'light');
    await store.whenIdle();
    const view = store.view('y', 'light');
    assert.equal(view.kind, 'source');
    assert.match(errors.join(), /texToSvg\.js missing/);
  });

  it('survives a malformed pre-rendered file', () => {
    const store = new FormulaStore({
      loadPrerendered: () => ({ version: 1, renderer: 'x', formulas: { a: { latex: 'q' } as never, b: null as never } }),
      loadRenderer: () => countingRenderer().renderer,
      schedule: () => undefined,
    });
    assert.equal(store.view('q', 'light').kind, 'source');
  });
});

describe('shared glyph table', () => {
  it('round-trips every shipped concept formula through compaction, sharing glyphs', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const file = path.resolve(__dirname, '..', '..', '..', 'paper-data', 'generated', 'concepts.json');
    const concepts = (JSON.parse(readFileSync(file, 'utf8')) as { concepts: { id: string; formula: { latex: string } }[] }).concepts;
    assert.ok(concepts.length > 30);
    const table: Record<string, string> = {};
    let before = 0;
    let after = 0;
    for (const c of concepts) {
      const r = texToSvg(c.formula.latex);
      assert.ok(r.ok, `${c.id}: ${!r.ok ? r.error : ''}`);
      if (!r.ok) continue;
      const compact = compactFormula(r.svg, table);
      assert.ok(compact, c.id);
      assert.equal(inflateFormula(compact!.svg, compact!.glyphs, table), r.svg, c.id);
      before += r.svg.length;
      after += compact!.svg.length;
    }
    after += Object.entries(table).reduce((n, [k, v]) => n + k.length + v.length, 0);
    assert.ok(after < before / 2, `compacted ${after} of ${before} bytes`);
  });

  it('refuses defs it does not understand, and reports missing glyphs', () => {
    assert.equal(compactFormula('<svg><defs><style>x</style></defs></svg>', {}), undefined);
    assert.equal(compactFormula('<svg><defs><path id="a" d="M1"></path></defs></svg>', { a: 'M2' }), undefined);
    assert.equal(inflateFormula('<svg><defs></defs></svg>', ['nope'], {}), undefined);
  });

  it('gives the same glyph the same id in every image', () => {
    const a = texToSvg('x');
    const b = texToSvg('x');
    assert.ok(a.ok && b.ok);
    if (a.ok && b.ok) assert.equal(a.svg, b.svg);
  });
});
