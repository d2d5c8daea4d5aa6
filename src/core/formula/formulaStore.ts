/**
 * Formulas as hover images, per theme kind, cached. Shipped concepts come pre-rendered
 * (`formulas.json`, written at build time); any other LaTeX is rendered lazily, off the caller's
 * path: the first request schedules the render and answers with the LaTeX source, later requests
 * get the image. A formula that does not parse keeps showing its source. No MathJax is loaded here:
 * the renderer arrives through `loadRenderer` only when a formula was not pre-rendered.
 */
import { colorizeSvg, fitFormula, svgDataUri, type FormulaTheme } from './formulaImage';
import { inflateFormula } from './glyphTable';
import type { PrerenderedFormulaFile, RenderedFormula, TexRenderer } from './types';

/** What a hover shows for a formula: an image, or its LaTeX source (while rendering, or because it does not parse). */
export type FormulaView =
  | { kind: 'image'; uri: string; width: number; height: number; latex: string }
  | { kind: 'source'; latex: string; reason: 'pending' | 'error'; error?: string };

type Template = { ok: true; formula: RenderedFormula } | { ok: false; error: string };

export interface FormulaStoreOptions {
  /** The pre-rendered file, read on first use; undefined when there is none. */
  loadPrerendered?: () => PrerenderedFormulaFile | undefined;
  /** Loads the MathJax renderer (a separate bundle); called at most once, only on a cache miss. */
  loadRenderer: () => TexRenderer;
  /** Runs a render job later. Default: `setImmediate`, so a hover never waits for MathJax. */
  schedule?: (job: () => void) => void;
  /** Images wider than this (CSS pixels) are scaled down to fit a hover. */
  maxWidth?: number;
  /** Called after a lazily rendered formula is ready (or failed). */
  onRendered?: (latex: string, ok: boolean) => void;
  /** Called when the pre-rendered file or the renderer cannot be loaded. */
  onError?: (message: string) => void;
}

/** Images wider than this are scaled down: hovers are about 500 px wide by default. */
export const DEFAULT_MAX_FORMULA_WIDTH = 480;

export class FormulaStore {
  private readonly templates = new Map<string, Template>();
  private readonly images = new Map<string, FormulaView>();
  private readonly queued = new Set<string>();
  private prerenderedLoaded = false;
  private renderer: TexRenderer | undefined;
  private rendererError: string | undefined;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly options: FormulaStoreOptions) {}

  /**
   * The formula for `latex` in `theme`: the image when it is rendered, otherwise its source. On a
   * miss, a render is scheduled (`reason: 'pending'`); ask again later for the image.
   */
  view(latex: string, theme: FormulaTheme): FormulaView {
    const key = `${theme}\u0000${latex}`;
    const cached = this.images.get(key);
    if (cached) return cached;
    const template = this.template(latex);
    if (!template) {
      this.scheduleRender(latex);
      return { kind: 'source', latex, reason: 'pending' };
    }
    const view: FormulaView = template.ok
      ? this.toImage(latex, template.formula, theme)
      : { kind: 'source', latex, reason: 'error', error: template.error };
    this.images.set(key, view);
    return view;
  }

  /** Renders `latex` now if it is not known yet (for callers that may block, e.g. a command). */
  renderNow(latex: string): void {
    if (!this.template(latex)) this.render(latex);
  }

  /** Resolves when every scheduled render has run (for tests and warm-up). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** True when `latex` is known (pre-rendered or rendered), successfully or not. */
  has(latex: string): boolean {
    return this.template(latex) !== undefined;
  }

  /** Number of distinct formulas known (pre-rendered plus rendered). */
  get size(): number {
    this.ensurePrerendered();
    return this.templates.size;
  }

  private template(latex: string): Template | undefined {
    this.ensurePrerendered();
    return this.templates.get(latex);
  }

  private ensurePrerendered(): void {
    if (this.prerenderedLoaded) return;
    this.prerenderedLoaded = true;
    let file: PrerenderedFormulaFile | undefined;
    try {
      file = this.options.loadPrerendered?.();
    } catch (err) {
      this.options.onError?.(`pre-rendered formulas could not be read: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!file || typeof file !== 'object' || !file.formulas || typeof file.formulas !== 'object') return;
    // Keyed by LaTeX rather than concept id: a concept whose formula changed after the build simply
    // misses and is rendered lazily, never shown with a stale picture.
    const table = file.glyphs && typeof file.glyphs === 'object' ? file.glyphs : {};
    for (const entry of Object.values(file.formulas)) {
      if (!entry || typeof entry.latex !== 'string') continue;
      if ('svg' in entry && typeof entry.svg === 'string' && entry.width > 0 && entry.height > 0) {
        // A glyph missing from the table: leave the formula to the lazy renderer rather than draw holes.
        const svg = inflateFormula(entry.svg, Array.isArray(entry.glyphs) ? entry.glyphs : [], table);
        if (svg !== undefined) this.templates.set(entry.latex, { ok: true, formula: { svg, width: entry.width, height: entry.height } });
      } else if ('error' in entry && typeof entry.error === 'string') {
        this.templates.set(entry.latex, { ok: false, error: entry.error });
      }
    }
  }

  private scheduleRender(latex: string): void {
    if (this.queued.has(latex)) return;
    this.queued.add(latex);
    const schedule = this.options.schedule ?? ((job: () => void) => void setImmediate(job));
    const done = new Promise<void>((resolve) => {
      schedule(() => {
        try {
          this.render(latex);
        } finally {
          this.queued.delete(latex);
          resolve();
        }
      });
    });
    this.idle = Promise.all([this.idle, done]).then(() => undefined);
  }

  private render(latex: string): void {
    let template: Template;
    const renderer = this.getRenderer();
    if (!renderer) {
      template = { ok: false, error: this.rendererError ?? 'formula renderer unavailable' };
    } else {
      try {
        const result = renderer.texToSvg(latex);
        template = result.ok ? { ok: true, formula: { svg: result.svg, width: result.width, height: result.height } } : { ok: false, error: result.error };
      } catch (err) {
        template = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
    this.templates.set(latex, template);
    this.options.onRendered?.(latex, template.ok);
  }

  private getRenderer(): TexRenderer | undefined {
    if (this.renderer || this.rendererError) return this.renderer;
    try {
      this.renderer = this.options.loadRenderer();
    } catch (err) {
      this.rendererError = `formula renderer could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
      this.options.onError?.(this.rendererError);
    }
    return this.renderer;
  }

  private toImage(latex: string, formula: RenderedFormula, theme: FormulaTheme): FormulaView {
    const fitted = fitFormula(formula, this.options.maxWidth ?? DEFAULT_MAX_FORMULA_WIDTH);
    return { kind: 'image', uri: svgDataUri(colorizeSvg(fitted.svg, theme)), width: fitted.width, height: fitted.height, latex };
  }
}
