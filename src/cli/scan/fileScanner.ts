/**
 * What `paperlens scan` does to one file, as a function a worker thread can set up on its own:
 * the detector's usages (with the concept's papers) and the paper-aware checks' findings, in the
 * JSON shapes of src/cli/commands/scan.ts. `createFileScanner` loads the concepts and the shipped
 * corpus once per thread; the returned function scans one file's text and never throws (a notebook
 * that is not JSON is an `error`).
 *
 * This mirrors `scanFile`/`loadData` of scan.ts on main (which are not exported); once they are,
 * this module should call them instead (see the note in parallelScan.ts).
 */
import { parseConceptBundle } from '../../core/concepts/load';
import { ConceptRegistry } from '../../core/concepts/registry';
import { applyRuleSettings, checkSource, type RuleSettings } from '../../core/checks/analyze';
import type { Finding } from '../../core/checks/types';
import { loadShippedCorpus, readDataFile } from '../../core/dataFiles';
import { scanNotebook, scanSource } from '../../core/detect/detector';
import { buildLossIndex } from '../../core/detect/lossIndex';
import { isPythonNotebook, parseIpynb } from '../../core/detect/notebook';
import type { LossUsage } from '../../core/detect/types';
import type { ScanJsonFinding, ScanJsonUsage } from '../commands/scan';

/** What a worker needs to set itself up: plain data, so it can cross a thread boundary. */
export interface FileScannerSetup {
  /** Directory of the shipped data (concepts.json, papers.json, classics.json). */
  dataDir: string;
  rules?: RuleSettings;
}

export type FileScanResult = { usages: ScanJsonUsage[]; findings: ScanJsonFinding[] } | { error: string };

export type FileScanner = (file: string, text: string) => FileScanResult;

function toJsonUsage(u: LossUsage, papers: ReadonlyMap<string, string[]>, cell?: number): ScanJsonUsage {
  const out: ScanJsonUsage = cell === undefined ? ({} as ScanJsonUsage) : ({ cell } as ScanJsonUsage);
  out.line = u.line;
  out.column = u.column;
  out.endColumn = u.endColumn;
  out.identifier = u.identifier;
  out.qualifiedName = u.qualifiedName;
  out.concept = u.conceptId;
  out.framework = u.framework;
  out.papers = papers.get(u.conceptId) ?? [];
  return out;
}

function toJsonFinding(f: Finding, cell?: number): ScanJsonFinding {
  const out: ScanJsonFinding = cell === undefined ? ({} as ScanJsonFinding) : ({ cell } as ScanJsonFinding);
  out.rule = f.rule;
  out.line = f.line;
  out.column = f.column;
  out.endLine = f.endLine;
  out.endColumn = f.endColumn;
  out.message = f.message;
  out.severity = f.severity;
  out.source = f.source;
  out.concept = f.conceptId;
  return out;
}

/** Loads the concepts and papers once; throws when the concepts file has no usable concept. */
export function createFileScanner(setup: FileScannerSetup): FileScanner {
  const conceptsFile = readDataFile(setup.dataDir, 'concepts.json');
  const { concepts } = parseConceptBundle(conceptsFile.text, conceptsFile.path);
  if (concepts.length === 0) throw new Error(`no usable concepts in ${conceptsFile.path}`);
  const index = buildLossIndex(concepts);
  const registry = new ConceptRegistry(concepts);
  const corpus = loadShippedCorpus(setup.dataDir).corpus;
  const papers = new Map<string, string[]>();
  for (const concept of registry.all()) papers.set(concept.id, registry.papersFor(concept.id, corpus.papers).map((link) => link.paper.id));
  const rules = setup.rules ?? {};

  return (file, text) => {
    try {
      const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (/\.ipynb$/i.test(file)) {
        const notebook = parseIpynb(source);
        if (notebook.error) return { error: notebook.error };
        if (!isPythonNotebook(notebook)) return { usages: [], findings: [] };
        const scan = scanNotebook(notebook.cells.map((c) => c.source), index);
        const usages: ScanJsonUsage[] = [];
        const findings: ScanJsonFinding[] = [];
        scan.cells.forEach((cellScan, i) => {
          const cell = notebook.cells[i];
          for (const u of cellScan.usages) usages.push(toJsonUsage(u, papers, cell.index));
          for (const f of applyRuleSettings(checkSource(cell.source, cellScan, { ipython: true }), rules)) findings.push(toJsonFinding(f, cell.index));
        });
        return { usages, findings };
      }
      const scan = scanSource(source, index);
      return {
        usages: scan.usages.map((u) => toJsonUsage(u, papers)),
        findings: applyRuleSettings(checkSource(source, scan), rules).map((f) => toJsonFinding(f)),
      };
    } catch (err) {
      return { error: `scan failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
}
