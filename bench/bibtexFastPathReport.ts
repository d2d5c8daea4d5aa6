/**
 * Which entries of a .bib file the importer's fast path (bibtexFastPath.ts) cannot convert on its
 * own, and why (the first thing it meets in each; formulas count as understood), then what an
 * import sends to @retorquere/bibtex-parser: whole entries, single fields, pieces (formulas,
 * unknown commands, groups) and in how many calls. A diagnostic for developers, never shown to users.
 *
 *   npx tsx bench/bibtexFastPathReport.ts file.bib      (or --realistic / --hard: the generated files)
 */
import { readFileSync } from 'node:fs';
import { fastFields, lastRefusal } from '../src/core/papers/bibtexFastPath';
import { importBibtex, type BibtexImportStats } from '../src/core/papers/bibtexImport';
import { bibChunks, resolveValue, scanFields, type RawEntry } from '../src/core/papers/bibtexScan';
import { generateRealisticBib } from './bibtexRealistic';

/** Refusals by reason, over the entries (not containers) of `text`; formulas count as understood. */
export function fastPathRefusals(text: string): { entries: number; refused: number; reasons: Map<string, number> } {
  const macros = new Map<string, string>();
  const entries: RawEntry[] = [];
  for (const chunk of bibChunks(text)) {
    const r = scanFields(text, chunk);
    if (!('entry' in r)) continue;
    if (chunk.kind === 'string') for (const f of r.entry.fields) macros.set(f.name.toUpperCase(), resolveValue(f.parts, macros));
    else if (chunk.kind === 'entry' && !['proceedings', 'mvproceedings', 'periodical', 'set', 'xdata'].includes(chunk.type)) entries.push(r.entry);
  }
  const shown = (f: { name: string }) => !['abstract', 'note', 'pages', 'volume', 'number', 'publisher', 'timestamp', 'biburl', 'bibsource', 'file', 'urldate'].includes(f.name);
  const reasons = new Map<string, number>();
  let refused = 0;
  for (const e of entries) {
    if (fastFields(e, macros, shown, (m) => m) !== undefined) continue;
    refused++;
    const why = lastRefusal();
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  return { entries: entries.length, refused, reasons };
}

if (require.main === module) {
  const arg = process.argv[2] ?? '--realistic';
  const text = arg === '--realistic' ? generateRealisticBib(1 << 20) : arg === '--hard' ? generateRealisticBib(1 << 20, { hard: true }) : readFileSync(arg, 'utf8');
  const { entries, refused, reasons } = fastPathRefusals(text);
  console.log(`${refused} of ${entries} entries need the library for something`);
  for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${why}`);
  const stats: BibtexImportStats = { libraryEntries: 0, libraryCalls: 0, libraryFields: 0, libraryPieces: 0 };
  void importBibtex(text, 'report.bib', { stats }).then(() => {
    console.log(`an import sends the library ${stats.libraryEntries} whole entries, ${stats.libraryFields} fields and ${stats.libraryPieces} pieces, in ${stats.libraryCalls} calls`);
  });
}
