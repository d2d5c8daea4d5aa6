/**
 * Regenerates paper-data/papers.json from paper-data/sources/ and paper-data/enrichment.json.
 * `npm run corpus` writes it; `npm run corpus -- --check` fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSeedCorpus, serialiseCorpus, type EnrichmentFile } from '../src/core/papers/seedCorpus';

export const SEED_PAGE = 'hf-daily-papers-loss-functions.txt';

/** Builds the corpus text from the files under `dataDir` (paper-data/). */
export function buildCorpusText(dataDir: string): { text: string; issues: string[] } {
  const pageText = readFileSync(path.join(dataDir, 'sources', SEED_PAGE), 'utf8');
  const enrichment = JSON.parse(readFileSync(path.join(dataDir, 'enrichment.json'), 'utf8')) as EnrichmentFile;
  const { papers, issues } = buildSeedCorpus({ pageText, pageFile: SEED_PAGE, enrichment });
  return { text: serialiseCorpus(papers), issues: issues.map((i) => `${i.file}:${i.line}: ${i.severity}: ${i.message}`) };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename);
if (isMain) {
  const dataDir = path.resolve(__dirname, '..', 'paper-data');
  const { text, issues } = buildCorpusText(dataDir);
  for (const i of issues) console.error(i);
  const target = path.join(dataDir, 'papers.json');
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error('paper-data/papers.json is out of date: run `npm run corpus`.');
      process.exit(1);
    }
    console.log('paper-data/papers.json is up to date.');
  } else {
    writeFileSync(target, text);
    console.log(`Wrote ${target} (${JSON.parse(text).length} papers).`);
  }
}
