/**
 * The snippet catalog model: verified loss implementations built from
 * `paper-data/snippets/<framework>/<concept-id>.py` into `paper-data/generated/snippets.json`
 * (shipped as `dist/data/snippets.json`). The extension and the CLI read the catalog, never the
 * `.py` files. Plain data, so it can cross the webview boundary.
 */

/** Frameworks with snippets: one folder each under paper-data/snippets. */
export type SnippetFramework = 'pytorch' | 'jax' | 'keras';

/** Every framework, in the order the editor offers them (tabs, pickers). */
export const SNIPPET_FRAMEWORKS: readonly SnippetFramework[] = ['pytorch', 'jax', 'keras'];

/** How each framework is named to users. */
export const SNIPPET_FRAMEWORK_LABELS: Readonly<Record<SnippetFramework, string>> = {
  pytorch: 'PyTorch',
  jax: 'JAX',
  keras: 'Keras',
};

/** Version of the snippets.json layout; bumped on incompatible changes. */
export const SNIPPETS_SCHEMA_VERSION = 1;

/** A public top-level function of a snippet. */
export interface SnippetFunction {
  name: string;
  /** The signature on one line, annotations and defaults included: `focal_loss(logits: torch.Tensor, …) -> torch.Tensor`. */
  signature: string;
  /** First line of the function's docstring. */
  summary: string;
}

/** A paper the snippet's docstring cites (`Paper: <title>, arXiv:<id>`). */
export interface SnippetPaper {
  /** Paper id as in the corpus: the arXiv id, or a slug for papers without a verified one. */
  id: string;
  title: string;
  /** The arXiv id, or null when the paper has none (then `id` is a slug). */
  arxivId: string | null;
}

export interface Snippet {
  /** Concept id from the registry (`focal`, `cut-cross-entropy`); also the file name. */
  conceptId: string;
  framework: SnippetFramework;
  /** The docstring's first line without its final period. */
  title: string;
  /** Cited papers, primary first. */
  papers: SnippetPaper[];
  /** Public functions in file order. */
  functions: SnippetFunction[];
  /** The file's import statements, one per entry (`import torch.nn.functional as F`). */
  imports: string[];
  /** `# PaperLens: <title> — <paper>, arXiv:<id>`: the comment that goes above inserted code. */
  header: string;
  /** Repository-relative path of the source file. */
  source: string;
  /** The whole file, with `\n` line endings. */
  code: string;
}

/** The contents of snippets.json. */
export interface SnippetCatalogFile {
  schemaVersion: number;
  snippets: Snippet[];
}
