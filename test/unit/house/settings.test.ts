/**
 * One source for the settings and the rules: the typed settings model (src/services/settings.ts)
 * matches `contributes.configuration` in package.json setting by setting, the two rule settings
 * list exactly the rules of the rule table (src/core/checks/rules.ts, read from code, so a rule
 * added there and not in package.json fails here), every rule has its anchor in the README, whose
 * settings table lists every setting with its default, and the rules' documentation URL is
 * defined once.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../src/core/checks/rules';
import { RULES_DOC, ruleDocUrl } from '../../../src/services/ruleDocs';
import { RULE_SEVERITIES, SETTINGS, settingsFrom, type PaperLensConfig } from '../../../src/services/settings';

const root = path.resolve(__dirname, '..', '..', '..');

interface SchemaProperty {
  type?: string;
  default?: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  scope?: string;
  markdownDescription?: string;
  items?: { type?: string; enum?: string[] };
  properties?: Record<string, SchemaProperty>;
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SchemaProperty> } | { properties: Record<string, SchemaProperty> }[] };
};
const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const schema: Record<string, SchemaProperty> = Object.assign({}, ...sections.map((s) => s.properties));
const PREFIX = 'paperlens.';
const ruleIds = RULES.map((r) => r.id).sort();
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('settings: the typed model and package.json', () => {
  it('declare the same settings', () => {
    assert.deepEqual(Object.keys(schema).sort(), Object.keys(SETTINGS).map((k) => PREFIX + k).sort());
  });

  for (const [key, spec] of Object.entries(SETTINGS)) {
    it(`paperlens.${key}: type, default, allowed values, scope and description`, () => {
      const p = schema[PREFIX + key];
      assert.ok(p, `package.json has no paperlens.${key}`);
      assert.equal(p.type, spec.type);
      assert.deepEqual(p.default, spec.default);
      assert.deepEqual(p.enum, spec.enum);
      assert.equal(p.minimum, spec.minimum);
      assert.equal(p.maximum, spec.maximum);
      assert.equal(p.scope, 'resource', 'settings are resource-scoped (read per document)');
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, 'has a markdownDescription');
    });
  }

  it('with nothing set, the model gives package.json defaults', () => {
    const config = settingsFrom(() => undefined);
    const expected: PaperLensConfig = {
      hover: { enabled: schema['paperlens.hover.enabled'].default as boolean, maxPapers: schema['paperlens.hover.maxPapers'].default as number },
      snippets: { framework: schema['paperlens.snippets.framework'].default as PaperLensConfig['snippets']['framework'] },
      completion: { enabled: schema['paperlens.completion.enabled'].default as boolean },
      corpus: { paths: schema['paperlens.corpus.paths'].default as string[] },
      checks: {
        enabled: schema['paperlens.checks.enabled'].default as boolean,
        disabled: schema['paperlens.checks.disabledRules'].default as string[],
        severity: schema['paperlens.checks.severity'].default as Record<string, never>,
      },
    };
    assert.deepEqual(config, expected);
  });

  it('reads set values, clamps maxPapers, and falls back on mistyped ones', () => {
    const values: Record<string, unknown> = {
      'hover.enabled': false,
      'hover.maxPapers': 42,
      'completion.enabled': 'no',
      'corpus.paths': ['refs.bib', 7],
      'checks.enabled': false,
      'checks.disabledRules': ['large-vocab-ce'],
      'checks.severity': { 'kl-div-mean': 'error', 'softmax-before-ce': 'loud' },
      'snippets.framework': 'fortran',
    };
    const config = settingsFrom((key) => values[key]);
    assert.equal(config.hover.enabled, false);
    assert.equal(config.hover.maxPapers, 10);
    assert.equal(config.completion.enabled, true);
    assert.deepEqual(config.corpus.paths, ['refs.bib']);
    assert.deepEqual(config.checks, { enabled: false, disabled: ['large-vocab-ce'], severity: { 'kl-div-mean': 'error' } });
    assert.equal(config.snippets.framework, SETTINGS['snippets.framework'].default);
  });

  it('the README settings table lists every setting with its default', () => {
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${PREFIX}${key}\` |`));
      assert.ok(row, `README lists paperlens.${key}`);
      const shown = row.split('|')[2].trim().replace(/^`|`$/g, '');
      assert.deepEqual(JSON.parse(shown), spec.default, `README's default of paperlens.${key}`);
    }
  });
});

describe('rules: the rule table, package.json and their docs', () => {
  it('paperlens.checks.disabledRules offers exactly the rule ids', () => {
    assert.deepEqual([...(schema['paperlens.checks.disabledRules'].items?.enum ?? [])].sort(), ruleIds);
  });

  it('paperlens.checks.severity has one entry per rule, each with the five severities', () => {
    const props = schema['paperlens.checks.severity'].properties ?? {};
    assert.deepEqual(Object.keys(props).sort(), ruleIds);
    for (const [id, p] of Object.entries(props)) assert.deepEqual(p.enum, RULE_SEVERITIES, id);
  });

  it('every rule has its documentation anchor in the README', () => {
    for (const id of ruleIds) {
      const anchor = ruleDocUrl(id).slice(ruleDocUrl(id).indexOf('#') + 1);
      assert.ok(readme.includes(`<a id="${anchor}"></a>\`${id}\``), `README anchors ${anchor}`);
    }
  });

  it('the documentation URL is defined once (src/services/ruleDocs.ts)', () => {
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const p = path.join(dir, name);
        return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
      });
    })(path.join(root, 'src'));
    const defining = files.filter((f) => readFileSync(f, 'utf8').includes(RULES_DOC)).map((f) => path.relative(root, f));
    assert.deepEqual(defining, [path.join('src', 'services', 'ruleDocs.ts')]);
  });
});
