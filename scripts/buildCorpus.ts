/**
 * Regenerates the shipped corpus: paper-data/papers.json (the seed collection) from
 * paper-data/sources/ and paper-data/enrichment.json, and paper-data/generated/classics.json (the
 * classics collection) from paper-data/classics/*.json.
 * `npm run corpus` writes both; `npm run corpus -- --check` fails when a committed file is stale.
 * A malformed classics file is reported (file:line) and left out; the build then exits with 1.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildClassics, type ClassicsFile } from '../src/core/papers/classics';
import { buildSeedCorpus, serialiseCorpus, type EnrichmentFile } from '../src/core/papers/seedCorpus';
import type { Paper } from '../src/core/papers/types';

export const SEED_PAGE = 'hf-daily-papers-loss-functions.txt';

/** Builds the corpus text from the files under `dataDir` (paper-data/). */
export function buildCorpusText(dataDir: string): { text: string; issues: string[]; papers: Paper[] } {
  const pageText = readFileSync(path.join(dataDir, 'sources', SEED_PAGE), 'utf8');
  const enrichment = JSON.parse(readFileSync(path.join(dataDir, 'enrichment.json'), 'utf8')) as EnrichmentFile;
  const { papers, issues } = buildSeedCorpus({ pageText, pageFile: SEED_PAGE, enrichment });
  return { text: serialiseCorpus(papers), issues: issues.map((i) => `${i.file}:${i.line}: ${i.severity}: ${i.message}`), papers };
}

/** The classics source files under `dataDir/classics`, named `classics/<file>` in issues. */
export function readClassicsFiles(dataDir: string): ClassicsFile[] {
  const dir = path.join(dataDir, 'classics');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name: `classics/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
}

/** The registry's concept ids, from the source files in `dataDir/concepts`. */
export function registryConceptIds(dataDir: string): Set<string> {
  const dir = path.join(dataDir, 'concepts');
  const ids = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    try {
      const id = (JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
    } catch {
      // A broken concept file is the concept build's to report.
    }
  }
  return ids;
}

/** Builds generated/classics.json's text; `errors` counts the files left out. */
export function buildClassicsText(dataDir: string, seed: readonly Paper[]): { text: string; issues: string[]; errors: number; count: number } {
  const { papers, issues } = buildClassics({ files: readClassicsFiles(dataDir), seed, conceptIds: registryConceptIds(dataDir) });
  return {
    text: serialiseCorpus(papers),
    issues: issues.map((i) => `paper-data/${i.file}:${i.line}: ${i.severity}: ${i.message}`),
    errors: issues.filter((i) => i.severity === 'error').length,
    count: papers.length,
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename);
if (isMain) {
  const dataDir = path.resolve(__dirname, '..', 'paper-data');
  const seed = buildCorpusText(dataDir);
  const classics = buildClassicsText(dataDir, seed.papers);
  for (const i of [...seed.issues, ...classics.issues]) console.error(i);
  const targets = [
    { file: path.join(dataDir, 'papers.json'), shown: 'paper-data/papers.json', text: seed.text },
    { file: path.join(dataDir, 'generated', 'classics.json'), shown: 'paper-data/generated/classics.json', text: classics.text },
  ];
  if (process.argv.includes('--check')) {
    let stale = false;
    for (const t of targets) {
      let current = '';
      try {
        current = readFileSync(t.file, 'utf8');
      } catch {
        // Missing counts as stale.
      }
      if (current !== t.text) {
        console.error(`${t.shown} is out of date: run \`npm run corpus\`.`);
        stale = true;
      } else console.log(`${t.shown} is up to date.`);
    }
    if (stale || classics.errors > 0) process.exit(1);
  } else {
    for (const t of targets) {
      writeFileSync(t.file, t.text);
      console.log(`Wrote ${t.file} (${JSON.parse(t.text).length} papers).`);
    }
    if (classics.errors > 0) {
      console.error(`${classics.errors} problem(s) in paper-data/classics: those files were left out.`);
      process.exit(1);
    }
  }
}
