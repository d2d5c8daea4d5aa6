// Validates every concept file in paper-data/concepts/ and writes the combined, sorted
// paper-data/generated/concepts.json that the extension and the CLI ship (copied to dist/data by
// scripts/buildData.mjs). Exits non-zero, writing nothing, when any file or integrity check fails.
// Usage: npx tsx scripts/buildConcepts.ts [--check]   (--check: fail if the committed file is stale)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkRegistry, unknownPaperConcepts } from '../src/core/concepts/integrity';
import { loadConceptDir, serializeConcepts } from '../src/core/concepts/load';
import type { Paper } from '../src/core/papers/types';

const root = path.resolve(__dirname, '..');
const sourceDir = path.join(root, 'paper-data', 'concepts');
const outFile = path.join(root, 'paper-data', 'generated', 'concepts.json');
const check = process.argv.includes('--check');

const { concepts, issues } = loadConceptDir(sourceDir);
for (const issue of issues) {
  console.error(`${path.relative(root, issue.file)}:${issue.line}: ${issue.severity}: ${issue.message}`);
}
const problems = checkRegistry(concepts);
for (const p of problems) console.error(`concept ${p.conceptId}: ${p.message}`);

const corpusFile = path.join(root, 'paper-data', 'papers.json');
if (existsSync(corpusFile)) {
  const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as { papers?: Paper[] } | Paper[];
  const papers = Array.isArray(corpus) ? corpus : corpus.papers ?? [];
  for (const [id, users] of unknownPaperConcepts(concepts, papers)) {
    console.error(`warning: papers.json uses unknown concept "${id}" (${users.join(', ')})`);
  }
}

if (issues.some((i) => i.severity === 'error') || problems.length > 0) {
  console.error(`concepts: ${issues.length} file issue(s), ${problems.length} integrity problem(s); nothing written`);
  process.exit(1);
}

const text = serializeConcepts(concepts);
if (check) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(root, outFile)} is stale: run npx tsx scripts/buildConcepts.ts`);
    process.exit(1);
  }
  console.log(`concepts: ${concepts.length} concepts, ${path.relative(root, outFile)} is up to date`);
} else {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  const verified = concepts.filter((c) => c.formula.verified).length;
  console.log(`concepts: wrote ${concepts.length} concepts (${verified} formulas verified) to ${path.relative(root, outFile)}`);
}
