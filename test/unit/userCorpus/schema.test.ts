/** The published JSON schema and the loader agree; the manifest registers the schema the build ships. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { JSON_PAPER_FIELDS } from '../../../src/core/papers/userJson';
import { root } from './helpers';

interface Schema {
  oneOf: { properties?: Record<string, unknown>; items?: unknown }[];
  definitions: {
    paper: { required: string[]; properties: Record<string, unknown>; additionalProperties: boolean };
    concept: { oneOf: { properties?: { relation?: { enum: string[] } } }[] };
  };
}

const schemaPath = path.join(root, 'paper-data/schema/paperlens-papers.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Schema;

describe('paperlens-papers.schema.json', () => {
  it('describes exactly the fields the loader reads, requiring only the title', () => {
    const described = Object.keys(schema.definitions.paper.properties).filter((k) => !k.startsWith('$')).sort();
    assert.deepEqual(described, [...JSON_PAPER_FIELDS].sort());
    assert.deepEqual(schema.definitions.paper.required, ['title']);
    assert.equal(schema.definitions.paper.additionalProperties, false, 'typos are flagged in the editor');
  });

  it('names the relations the model has', () => {
    assert.deepEqual(schema.definitions.concept.oneOf[1].properties?.relation?.enum, ['proposes', 'studies', 'introduces-classic']);
  });

  it('is registered for *.paperlens.json at the path the build copies it to', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] } };
    const entry = manifest.contributes.jsonValidation?.find((v) => [v.fileMatch].flat().includes('*.paperlens.json'));
    assert.ok(entry, 'package.json contributes no jsonValidation for *.paperlens.json');
    assert.equal(entry.url, './dist/schema/paperlens-papers.schema.json');
    const build = readFileSync(path.join(root, 'scripts/buildData.mjs'), 'utf8');
    assert.match(build, /paper-data', 'schema'/);
    assert.match(readFileSync(path.join(root, '.vscodeignore'), 'utf8'), /^!dist\/schema\/\*\*$/m);
  });
});
