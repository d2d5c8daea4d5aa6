// Builds paper-data/generated/snippets.json from paper-data/snippets/<framework>/<concept-id>.py
// (title, concept, cited papers from each module docstring; imports and public functions from the
// code). The build copies it into dist/data; the extension and the CLI read only the catalog.
// Usage: npx tsx scripts/buildSnippets.ts [--check]   (--check: fail if the committed file is stale)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSnippetCatalog, collectSnippetFiles, serializeSnippetCatalog } from '../src/core/snippets/build';

const root = path.resolve(__dirname, '..');
const outFile = path.join(root, 'paper-data', 'generated', 'snippets.json');
const check = process.argv.includes('--check');

const { catalog, issues } = buildSnippetCatalog(collectSnippetFiles(root));
for (const issue of issues) console.error(`${issue.file}: ${issue.message}`);
if (issues.length > 0) {
  console.error(`snippets: ${issues.length} file(s) with problems; nothing written`);
  process.exit(1);
}

const text = serializeSnippetCatalog(catalog);
const relative = path.relative(root, outFile);
if (check) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(`${relative} is stale: run npx tsx scripts/buildSnippets.ts`);
    process.exit(1);
  }
  console.log(`snippets: ${catalog.snippets.length} snippets, ${relative} is up to date`);
} else {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  console.log(`snippets: wrote ${catalog.snippets.length} snippets to ${relative}`);
}
