// Copies the generated, shipped data (corpus, concept registry, snippet catalog) into dist/data,
// where the extension and the CLI read it lazily on first use.
import { mkdir, copyFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildData() {
  const out = path.join(root, 'dist', 'data');
  await mkdir(out, { recursive: true });
  await copyFile(path.join(root, 'paper-data', 'papers.json'), path.join(out, 'papers.json'));
  // The papers-file JSON schema, registered by contributes.jsonValidation for *.paperlens.json.
  const schemaOut = path.join(root, 'dist', 'schema');
  await mkdir(schemaOut, { recursive: true });
  for (const name of await readdir(path.join(root, 'paper-data', 'schema'))) {
    if (name.endsWith('.json')) await copyFile(path.join(root, 'paper-data', 'schema', name), path.join(schemaOut, name));
  }
  const generated = path.join(root, 'paper-data', 'generated');
  if (existsSync(generated)) {
    for (const name of await readdir(generated)) {
      if (name.endsWith('.json')) await copyFile(path.join(generated, name), path.join(out, name));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildData();
