/**
 * Scanning the files of a tree, one thread's share: {@link createTreeScanner} sets up the
 * detector, the checks and the other Python files of the scan once (from plain data, so a worker
 * thread can do it on its own), and {@link readAndScan} reads and scans one file with it through
 * fileScan.ts. `paperlens scan` runs it on its own thread for a small tree and in worker threads
 * for a large one (src/cli/scan/parallelScan.ts); both give the same result for each file.
 */
import { readFileSync } from 'node:fs';
import type { RuleSettings } from '../core/checks/analyze';
import { WorkspaceFiles } from '../core/checks/flow';
import { kerasLossNames, type KerasLossNames } from '../core/checks/keras';
import { parseConceptBundle } from '../core/concepts/load';
import { readDataFile } from '../core/dataFiles';
import { ProjectLosses } from '../core/detect/detector';
import { buildLossIndex, type LossIndex } from '../core/detect/lossIndex';
import { DiskPythonFiles, scanFile, type FileScanResult, type ScanContext } from './fileScan';

/** What a thread needs to scan files: plain data, so it can cross a thread boundary. */
export interface TreeScanSetup {
  /** Directory of the shipped data (concepts.json). */
  dataDir: string;
  rules: RuleSettings;
  /** Paper ids per concept (the shipped corpus merged with users' files), from the main thread. */
  papers: [string, string[]][];
  /**
   * `/`-separated absolute paths of every `.py` file of the scan: imports are followed into them.
   * With one file or none, imports are not followed.
   */
  pythonFiles: string[];
}

/** Scans one file's text; never throws. */
export type TreeScanner = (file: string, text: string) => FileScanResult;

function toPosix(file: string): string {
  return file.split('\\').join('/');
}

/** What scanning needs from the concepts; a thread that has DataServices (dataServices.ts) passes them. */
export interface ConceptData {
  lossIndex: LossIndex;
  kerasNames: KerasLossNames;
}

/**
 * The concepts read for a worker thread alone: concepts.json only (a worker's bundle leaves out
 * the corpus, search and snippets). Throws when it has no usable concept, naming the file.
 */
function loadConceptData(dataDir: string): ConceptData {
  const file = readDataFile(dataDir, 'concepts.json');
  const { concepts, issues } = parseConceptBundle(file.text, file.path);
  if (concepts.length === 0) throw new Error(`no usable concepts in ${file.path}${issues[0] ? `: ${issues[0].message} (line ${issues[0].line})` : ''}`);
  return { lossIndex: buildLossIndex(concepts), kerasNames: kerasLossNames(concepts) };
}

/**
 * Sets up scanning for one thread. Throws when the data has no usable concept (the message names
 * the file). `services`: the thread's concepts, when it already has them loaded.
 */
export function createTreeScanner(setup: TreeScanSetup, services: ConceptData = loadConceptData(setup.dataDir)): TreeScanner {
  const disk = setup.pythonFiles.length > 1 ? new DiskPythonFiles(setup.pythonFiles) : undefined;
  const ctx: ScanContext = {
    index: services.lossIndex,
    kerasNames: services.kerasNames,
    papers: new Map(setup.papers),
    rules: setup.rules,
    workspace: disk ? new WorkspaceFiles(disk) : undefined,
    project: disk ? new ProjectLosses(services.lossIndex, (p) => disk.get(p)) : undefined,
  };
  return (file, text) => {
    const posix = toPosix(file);
    disk?.remember(posix, text);
    return scanFile(posix, text, ctx);
  };
}

/** A file system error as a short phrase (`no such file or directory`). */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    const known: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ELOOP: 'too many symbolic links',
    };
    return known[code] ?? `${code}: ${(err as unknown as Error).message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads a file (UTF-8); a file that cannot be read is an error result, never a throw. Reads are
 * synchronous: each thread is busy scanning anyway, and a promise-based read of a small file costs
 * more than the read (bench/vsTree.ts: 0.45 s of a 2,400-file scan's 4.5 s).
 */
export function readText(file: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

/** Reads and scans one file. */
export function readAndScan(scan: TreeScanner, file: string): FileScanResult {
  const read = readText(file);
  return 'error' in read ? read : scan(file, read.text);
}
