/**
 * Builds the snippet catalog from `paper-data/snippets/<framework>/<concept-id>.py`: each file's
 * module docstring supplies the title (first line), the cited papers (`Paper: <title>, arXiv:<id>`
 * or `Paper: <title>, id:<slug>`) and the concept (`Concept: <id>`, equal to the file name); the
 * code supplies the imports and the public functions. Used by scripts/buildSnippets.ts and by the
 * unit test that keeps paper-data/generated/snippets.json current.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { outlineModule } from '../python/module';
import {
  SNIPPET_FRAMEWORKS, SNIPPETS_SCHEMA_VERSION,
  type Snippet, type SnippetCatalogFile, type SnippetFramework, type SnippetPaper,
} from './types';

/** A snippet source file: repository-relative path (`paper-data/snippets/pytorch/focal.py`) and text. */
export interface SnippetSourceFile {
  path: string;
  text: string;
}

/** A problem that keeps a file out of the catalog. */
export interface SnippetBuildIssue {
  file: string;
  message: string;
}

const PAPER_LINE = /^Paper: (.+), (?:arXiv:(\d{4}\.\d{4,5})|id:([a-z0-9][a-z0-9-]*))$/;
const CONCEPT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Reads every `<framework>/<id>.py` under `snippetsDir`, paths relative to `root`, sorted. */
export function collectSnippetFiles(root: string, snippetsDir = path.join(root, 'paper-data', 'snippets')): SnippetSourceFile[] {
  const files: SnippetSourceFile[] = [];
  for (const framework of readdirSync(snippetsDir).sort()) {
    const dir = path.join(snippetsDir, framework);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.py')) continue;
      const file = path.join(dir, name);
      files.push({ path: path.relative(root, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') });
    }
  }
  return files;
}

/** Builds one catalog entry, or explains why the file cannot be one. */
export function buildSnippet(file: SnippetSourceFile): Snippet | SnippetBuildIssue {
  const fail = (message: string): SnippetBuildIssue => ({ file: file.path, message });
  const parts = file.path.split('/');
  const framework = parts.at(-2) as SnippetFramework;
  const conceptId = (parts.at(-1) ?? '').replace(/\.py$/, '');
  if (!SNIPPET_FRAMEWORKS.includes(framework)) return fail(`unknown framework folder "${framework}" (known: ${SNIPPET_FRAMEWORKS.join(', ')})`);
  if (!CONCEPT_ID.test(conceptId)) return fail(`file name "${conceptId}" is not a kebab-case concept id`);

  const code = file.text.replace(/\r\n?/g, '\n');
  const info = outlineModule(code);
  if (!info.docstring) return fail('missing module docstring');
  const lines = info.docstring.split('\n').map((l) => l.trim());
  const title = lines[0].replace(/\.$/, '');
  if (!title) return fail('the docstring must start with a one-line title');

  const papers: SnippetPaper[] = [];
  for (const line of lines.filter((l) => l.startsWith('Paper:'))) {
    const m = PAPER_LINE.exec(line);
    if (!m) return fail(`malformed paper line "${line}" (expected "Paper: <title>, arXiv:<id>" or "Paper: <title>, id:<slug>")`);
    papers.push({ id: m[2] ?? m[3], title: m[1], arxivId: m[2] ?? null });
  }
  if (papers.length === 0) return fail('the docstring names no paper ("Paper: <title>, arXiv:<id>")');
  const concept = lines.find((l) => l.startsWith('Concept:'))?.slice('Concept:'.length).trim();
  if (concept !== conceptId) return fail(`"Concept: ${concept ?? ''}" does not match the file name "${conceptId}"`);

  const functions = info.functions
    .filter((f) => !f.name.startsWith('_'))
    .map((f) => ({ name: f.name, signature: f.signature, summary: (f.docstring ?? '').trim().split('\n')[0].trim() }));
  if (functions.length === 0) return fail('defines no public function');

  const primary = papers[0];
  const header = `# PaperLens: ${title} — ${primary.title}${primary.arxivId ? `, arXiv:${primary.arxivId}` : ''}`;
  return {
    conceptId,
    framework,
    title,
    papers,
    functions,
    imports: info.imports.filter((s) => s.topLevel).map((s) => s.text),
    header,
    source: file.path,
    code,
  };
}

/** Builds the catalog from source files; entries are sorted by framework, then concept id. */
export function buildSnippetCatalog(files: readonly SnippetSourceFile[]): { catalog: SnippetCatalogFile; issues: SnippetBuildIssue[] } {
  const snippets: Snippet[] = [];
  const issues: SnippetBuildIssue[] = [];
  for (const file of files) {
    const built = buildSnippet(file);
    if ('message' in built) issues.push(built);
    else snippets.push(built);
  }
  snippets.sort((a, b) => compare(a.framework, b.framework) || compare(a.conceptId, b.conceptId));
  return { catalog: { schemaVersion: SNIPPETS_SCHEMA_VERSION, snippets }, issues };
}

/** The exact text of snippets.json: two-space JSON and a final newline, so rebuilds are byte-identical. */
export function serializeSnippetCatalog(catalog: SnippetCatalogFile): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
