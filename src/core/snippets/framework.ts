/**
 * Which framework's snippet fits a file: read from its imports (or, in a notebook, from every
 * cell's), or fixed by the `paperlens.snippets.framework` setting. `jax`, `optax`, `flax` mean
 * JAX; `keras` (and KerasCV/KerasHub) or `tensorflow` mean Keras; `torch` (and torchvision,
 * torchaudio) means PyTorch. Only module-level imports count: an import inside a function or a
 * `try:` block says what the file may use, not what it is written in.
 *
 * The imports come from the one model of Python source (src/core/python/module.ts).
 */
import { outlineModule } from '../python/module';
import { SNIPPET_FRAMEWORKS, SNIPPET_FRAMEWORK_LABELS, type SnippetFramework } from './types';

/** The setting's values: `auto` reads the imports, the others fix the framework. */
export type SnippetFrameworkSetting = 'auto' | SnippetFramework;

export const SNIPPET_FRAMEWORK_SETTINGS: readonly SnippetFrameworkSetting[] = ['auto', ...SNIPPET_FRAMEWORKS];

/** Top-level packages that tell the framework, by framework. */
const PACKAGES: Readonly<Record<SnippetFramework, readonly string[]>> = {
  pytorch: ['torch', 'torchvision', 'torchaudio'],
  jax: ['jax', 'jaxlib', 'optax', 'flax'],
  keras: ['keras', 'keras_cv', 'keras_hub', 'keras_nlp', 'tensorflow', 'tf_keras'],
};

/** The framework a top-level package belongs to, if it tells one. */
export function frameworkOfPackage(topLevel: string): SnippetFramework | undefined {
  return SNIPPET_FRAMEWORKS.find((f) => PACKAGES[f].includes(topLevel));
}

/**
 * The frameworks the module-level imports of `sources` (a file's text, or a notebook's cells)
 * name, in {@link SNIPPET_FRAMEWORKS} order.
 */
export function frameworksInSources(sources: readonly string[]): SnippetFramework[] {
  const found = new Set<SnippetFramework>();
  for (const text of sources) {
    for (const statement of outlineModule(text, { ipython: true }).imports) {
      if (!statement.topLevel) continue;
      // `from tensorflow import keras` binds keras.* but names tensorflow: the statement's module counts.
      const modules = statement.bindings.length > 0
        ? statement.bindings.map((b) => b.target)
        : [statement.module];
      for (const module of modules) {
        const framework = frameworkOfPackage(module.split('.')[0]);
        if (framework) found.add(framework);
      }
    }
  }
  return SNIPPET_FRAMEWORKS.filter((f) => found.has(f));
}

/** How the framework for a file was decided. */
export type FrameworkResolution =
  /** One framework: fixed by the setting, read from the imports, or the default for a file that imports none. */
  | { kind: 'resolved'; framework: SnippetFramework; reason: 'setting' | 'imports' | 'default' }
  /** The imports name several frameworks: the user is asked (candidates in catalog order). */
  | { kind: 'ambiguous'; candidates: SnippetFramework[] };

/** The framework PaperLens falls back to when a file imports none (an empty file, plain NumPy). */
export const DEFAULT_SNIPPET_FRAMEWORK: SnippetFramework = 'pytorch';

/** Applies the setting to what the imports say. */
export function resolveSnippetFramework(setting: SnippetFrameworkSetting, detected: readonly SnippetFramework[]): FrameworkResolution {
  if (setting !== 'auto') return { kind: 'resolved', framework: setting, reason: 'setting' };
  if (detected.length === 1) return { kind: 'resolved', framework: detected[0], reason: 'imports' };
  if (detected.length === 0) return { kind: 'resolved', framework: DEFAULT_SNIPPET_FRAMEWORK, reason: 'default' };
  return { kind: 'ambiguous', candidates: [...detected] };
}

/** `setting` when it is a valid value of the setting, else `auto` (a typo in settings.json must not break insertion). */
export function parseFrameworkSetting(setting: unknown): SnippetFrameworkSetting {
  return typeof setting === 'string' && (SNIPPET_FRAMEWORK_SETTINGS as readonly string[]).includes(setting) ? (setting as SnippetFrameworkSetting) : 'auto';
}

/** `PyTorch`, `JAX`, `Keras`. */
export function frameworkLabel(framework: SnippetFramework): string {
  return SNIPPET_FRAMEWORK_LABELS[framework];
}

/** `PyTorch`, `PyTorch or JAX`, `PyTorch, JAX or Keras`. */
export function frameworkList(frameworks: readonly SnippetFramework[], conjunction = 'or'): string {
  const labels = frameworks.map(frameworkLabel);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} ${conjunction} ${labels[labels.length - 1]}`;
}
