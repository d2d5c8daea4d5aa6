/**
 * Users' own papers in the editor: the files named by `paperlens.corpus.paths`, found in the
 * workspace (or at absolute paths), parsed in a worker, watched, merged with the shipped corpus and
 * published as one Corpus. Problems become diagnostics at their lines (source "PaperLens"); a
 * file that cannot be read is reported once. Nothing here writes to a user's file: that happens
 * only in userCorpusCommands.ts, on an explicit command.
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realPathInside } from '../core/fs/containment';
import * as vscode from 'vscode';
import type { ConceptNames } from '../core/papers/conceptInference';
import { Corpus } from '../core/papers/corpus';
import { EXCLUDE_GLOB, inExcludedDir, isExcludedDir } from '../core/fs/excluded';
import { globToRegExp, parseCorpusPath, type CorpusPathEntry } from '../core/papers/corpusPaths';
import { mergePapers } from '../core/papers/merge';
import { TimeSlicer } from '../core/papers/slicer';
import type { LoadIssue, Paper } from '../core/papers/types';
import { corpusFormat, type CorpusFormat } from '../core/papers/corpusPaths';
import type { CorpusLoadResult } from '../core/papers/userCorpus';
import { DEFAULT_CORPUS_PATHS, stringList } from './config';
import { CorpusWorkerClient, type ParseOutcome } from '../services/corpusWorkerClient';

/** Files found per pattern at most: a default glob must not turn a monorepo into a corpus. */
const MAX_FILES_PER_PATTERN = 500;
/** Files above this size get a progress indicator while they load. */
const PROGRESS_BYTES = 2 * 1024 * 1024;
/** …in a notification rather than the status bar above this size. */
const NOTIFY_BYTES = 16 * 1024 * 1024;
/** Quiet time after a change before a file is read again (saves come in bursts). */
const RELOAD_DELAY_MS = 75;

export interface UserCorpusDeps {
  log: vscode.LogOutputChannel;
  /** Where the worker bundle lives (dist/userCorpusWorker.js). */
  workerPath: string;
  shipped: () => Corpus;
  /** Registry concept names for tags and inference; null when the registry is unavailable. */
  concepts: () => ConceptNames[] | null;
  /** Called with the new merged corpus after every change. */
  onMerged: (corpus: Corpus) => void;
}

/** One user file that the settings select. */
export interface CorpusSource {
  uri: vscode.Uri;
  /** Workspace-relative path (or the absolute one), as shown in `sources` and messages. */
  label: string;
  format: CorpusFormat;
  /** Sort key: settings order, then path. Earlier sources win fields when papers merge. */
  rank: string;
  papers: readonly Paper[];
  issues: readonly LoadIssue[];
  loaded: boolean;
}

interface SourceState extends CorpusSource {
  version: number;
}

interface Pattern {
  entry: CorpusPathEntry;
  folder?: vscode.WorkspaceFolder;
  index: number;
}

export class UserCorpus implements vscode.Disposable {
  /** The merged corpus, once users' files are loaded; undefined while only shipped papers exist. */
  merged: Corpus | undefined;
  private readonly sources = new Map<string, SourceState>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('paperlens-corpus');
  private readonly client: CorpusWorkerClient;
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  private watchers: vscode.Disposable[] = [];
  private patterns: Pattern[] = [];
  private readonly reloadTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private mergeTimer: ReturnType<typeof setTimeout> | undefined;
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;
  private mergeGeneration = 0;
  private refreshGeneration = 0;
  private readonly reportedUnreadable = new Set<string>();
  private started = false;
  private conceptsSent = false;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  /** Longest main-thread slice of the last merge, in ms (logged; read by the measurement). */
  lastMergeSliceMs = 0;

  constructor(private readonly deps: UserCorpusDeps) {
    this.client = new CorpusWorkerClient(deps.workerPath, (m) => deps.log.info(m));
  }

  /** Starts discovery, watching and loading (once; cheap to call again). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('paperlens.corpus.paths')) void this.refresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      // Files refused in Restricted Mode (links out of the workspace) are read once trust is granted.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh().then(() => { for (const s of this.sources.values()) this.scheduleReload(s.uri, 0); })),
      // Watchers can lag or miss events on some file systems; a save is a sure sign of a change.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.sources.has(doc.uri.toString())) this.scheduleReload(doc.uri);
      }),
    );
    void this.refresh();
  }

  /** Every source, in merge order. */
  list(): CorpusSource[] {
    return [...this.sources.values()].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  }

  /** Resolves when no file is being read and no merge is pending. */
  whenIdle(): Promise<void> {
    if (this.busy === 0 && !this.mergeTimer && this.reloadTimers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Reads a file now (after an explicit write by a command), if the settings select it. */
  reloadNow(uri: vscode.Uri): void {
    this.scheduleReload(uri, 0);
  }

  /** Whether the settings select this file. */
  selects(uri: vscode.Uri): boolean {
    return this.sources.has(uri.toString()) || this.patternFor(uri) !== undefined;
  }

  /** Loads a file that is not (necessarily) a source, e.g. for Import Papers…; keeps entry sources. */
  async loadOnce(uri: vscode.Uri): Promise<CorpusLoadResult> {
    this.sendConcepts();
    const label = this.labelFor(uri);
    const input = uri.scheme === 'file'
      ? { kind: 'file' as const, file: uri.fsPath }
      : { kind: 'bytes' as const, bytes: await vscode.workspace.fs.readFile(uri), cacheKey: `import:${uri.toString()}` };
    const outcome = await this.withProgress(uri, label, (onProgress) => this.client.parse({ input, label, keepSource: true, onProgress }));
    if (outcome.cancelled) throw new Error('the load was cancelled');
    return outcome;
  }

  /** Parses text (a pasted entry) as the given format, with entry sources kept. */
  async parseText(text: string, format: CorpusFormat, label: string): Promise<CorpusLoadResult> {
    this.sendConcepts();
    const outcome = await this.client.parse({ input: { kind: 'text', text, format }, label, keepSource: true });
    if (outcome.cancelled) throw new Error('the parse was cancelled');
    return outcome;
  }

  dispose(): void {
    for (const t of this.reloadTimers.values()) clearTimeout(t);
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
    this.client.dispose();
  }

  // ——— discovery and watching ———

  /** The patterns in effect, from settings; see the README on workspace trust. */
  private readPatterns(): Pattern[] {
    const home = os.homedir();
    const out: Pattern[] = [];
    const seenAbsolute = new Set<string>();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const scopes: (vscode.WorkspaceFolder | undefined)[] = folders.length ? [...folders] : [undefined];
    for (const folder of scopes) {
      const inspected = vscode.workspace.getConfiguration('paperlens', folder?.uri).inspect<unknown>('corpus.paths');
      const fromWorkspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
      const value = fromWorkspace ?? inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_CORPUS_PATHS;
      const list = stringList(value, DEFAULT_CORPUS_PATHS);
      // An untrusted workspace's own settings may only point inside the workspace.
      const restrict = !vscode.workspace.isTrusted && fromWorkspace !== undefined;
      list.forEach((raw, index) => {
        const entry = parseCorpusPath(raw, home, restrict);
        if (!entry) {
          if (raw.trim()) this.deps.log.warn(`paperlens.corpus.paths: "${raw}" is ignored in this untrusted workspace (only paths inside the workspace are read).`);
          return;
        }
        if (entry.kind === 'relative') {
          if (folder) out.push({ entry, folder, index });
        } else {
          const key = `${entry.base}|${entry.pattern}`;
          if (!seenAbsolute.has(key)) {
            seenAbsolute.add(key);
            out.push({ entry, index });
          }
        }
      });
    }
    return out;
  }

  private globFor(p: Pattern): vscode.RelativePattern {
    return p.entry.kind === 'relative'
      ? new vscode.RelativePattern(p.folder!, p.entry.pattern)
      : new vscode.RelativePattern(vscode.Uri.file(p.entry.base), p.entry.pattern);
  }

  /** The first pattern that selects `uri`, if any. */
  private patternFor(uri: vscode.Uri): Pattern | undefined {
    if (inExcludedDir(uri.path)) return undefined;
    for (const p of this.patterns) {
      const base = p.entry.kind === 'relative' ? p.folder!.uri : vscode.Uri.file(p.entry.base);
      const rel = path.posix.relative(base.path, uri.path);
      if (!rel || rel.startsWith('..') || base.scheme !== uri.scheme || base.authority !== uri.authority) continue;
      if (globToRegExp(p.entry.pattern).test(rel)) return p;
    }
    return undefined;
  }

  private rankFor(p: Pattern, uri: vscode.Uri): string {
    const folderIndex = p.folder?.index ?? 999;
    return `${String(p.index).padStart(4, '0')}:${String(folderIndex).padStart(4, '0')}:${uri.path}`;
  }

  private labelFor(uri: vscode.Uri): string {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const inside = folders.some((f) => uri.path.startsWith(`${f.uri.path}/`));
    if (inside) return vscode.workspace.asRelativePath(uri, folders.length > 1);
    const home = os.homedir();
    return uri.scheme === 'file' && uri.fsPath.startsWith(home + path.sep) ? `~${uri.fsPath.slice(home.length)}` : uri.scheme === 'file' ? uri.fsPath : uri.toString();
  }

  /** Re-reads the settings, re-creates the watchers and re-discovers the files. */
  private async refresh(): Promise<void> {
    const generation = ++this.refreshGeneration;
    this.enter();
    try {
      this.patterns = this.readPatterns();
      for (const w of this.watchers) w.dispose();
      this.watchers = [];
      for (const p of this.patterns) {
        const watcher = vscode.workspace.createFileSystemWatcher(this.globFor(p));
        this.watchers.push(
          watcher,
          watcher.onDidCreate((uri) => this.scheduleReload(uri)),
          watcher.onDidChange((uri) => this.scheduleReload(uri)),
          watcher.onDidDelete((uri) => this.remove(uri)),
        );
      }
      // A file written into a folder created a moment earlier can escape the watchers above (the
      // new folder is not watched yet), so a new folder triggers a rescan.
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (!this.patterns.some((p) => p.folder === folder)) continue;
        const created = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, true, true);
        this.watchers.push(created, created.onDidCreate((uri) => this.onCreated(uri)));
      }
      const found = new Map<string, { uri: vscode.Uri; pattern: Pattern }>();
      for (const p of this.patterns) {
        for (const uri of await this.discover(p)) {
          if (!found.has(uri.toString()) && !inExcludedDir(uri.path)) found.set(uri.toString(), { uri, pattern: p });
        }
      }
      if (generation !== this.refreshGeneration) return;
      for (const key of [...this.sources.keys()]) if (!found.has(key)) this.remove(this.sources.get(key)!.uri, false);
      for (const [key, { uri, pattern }] of found) {
        const existing = this.sources.get(key);
        if (existing) existing.rank = this.rankFor(pattern, uri);
        else this.scheduleReload(uri, 0);
      }
      this.deps.log.info(`Corpus files: ${found.size} selected by paperlens.corpus.paths${found.size ? ` (${[...found.values()].slice(0, 5).map((f) => this.labelFor(f.uri)).join(', ')}${found.size > 5 ? ', …' : ''})` : ''}.`);
      this.scheduleMerge();
    } catch (err) {
      this.deps.log.error(`Could not look for corpus files: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.leave();
    }
  }

  /** Something was created in a workspace folder: when it looks like a folder, look for corpus files again. */
  private onCreated(uri: vscode.Uri): void {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    // Names with an extension are files (corpus files have their own watchers); a folder name
    // with a dot in it is the rare case this misses until the next change.
    if (name.includes('.') || isExcludedDir(name) || inExcludedDir(uri.path)) return;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      void this.refresh();
    }, 300);
  }

  private async discover(p: Pattern): Promise<vscode.Uri[]> {
    if (p.entry.kind === 'relative') {
      const uris = await vscode.workspace.findFiles(this.globFor(p), EXCLUDE_GLOB, MAX_FILES_PER_PATTERN);
      return uris.sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    // findFiles only searches workspace folders; absolute locations are walked directly.
    const { base, pattern } = p.entry;
    if (!/[*?[\]{}]/.test(pattern)) {
      const file = path.join(base, pattern);
      return [vscode.Uri.file(file)];
    }
    const re = globToRegExp(pattern);
    const out: vscode.Uri[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      if (depth > 8 || out.length >= MAX_FILES_PER_PATTERN) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!isExcludedDir(e.name)) await walk(path.join(dir, e.name), r, depth + 1);
        } else if (re.test(r)) out.push(vscode.Uri.file(path.join(dir, e.name)));
      }
    };
    await walk(base, '', 0);
    return out;
  }

  // ——— loading ———

  private scheduleReload(uri: vscode.Uri, delay = RELOAD_DELAY_MS): void {
    const key = uri.toString();
    const previous = this.reloadTimers.get(key);
    if (previous) clearTimeout(previous);
    this.reloadTimers.set(key, setTimeout(() => {
      this.reloadTimers.delete(key);
      void this.load(uri);
    }, delay));
  }

  private async load(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const pattern = this.patternFor(uri);
    if (!pattern) {
      this.checkIdle();
      return;
    }
    let s = this.sources.get(key);
    if (!s) {
      s = { uri, label: this.labelFor(uri), format: corpusFormat(uri.path), rank: this.rankFor(pattern, uri), papers: [], issues: [], loaded: false, version: 0 };
      this.sources.set(key, s);
    }
    const version = ++s.version;
    this.enter();
    try {
      this.sendConcepts();
      const started = performance.now();
      let readPath = uri.fsPath;
      if (uri.scheme === 'file' && !vscode.workspace.isTrusted && pattern.entry.kind === 'relative') {
        // Restricted Mode: a file found in the workspace is read only when it really is there (a
        // link to ~/private.bib is not), and through its real path, so a link swapped later is not followed.
        const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
        const inside = await realPathInside(uri.fsPath, roots);
        if (!inside) {
          const reason = 'In Restricted Mode PaperLens reads only files inside the workspace, and this one is (or links to) a file outside it.';
          if (this.sources.get(key) === s && s.version === version) {
            s.papers = [];
            s.issues = [];
            s.loaded = true;
            this.publish(s, { papers: [], issues: [], entries: 0, failed: 0, unreadable: reason });
            this.scheduleMerge();
          }
          return;
        }
        readPath = inside;
      }
      const outcome = uri.scheme === 'file'
        ? await this.withProgress(uri, s.label, (onProgress) => this.client.parse({ input: { kind: 'file', file: readPath }, label: s!.label, onProgress }))
        : await this.readAndParse(uri, s.label);
      if (outcome.cancelled) return;
      const result: CorpusLoadResult = outcome;
      if (this.sources.get(key) !== s || s.version !== version) return; // removed, or a newer load is on its way
      s.papers = result.papers;
      s.issues = result.issues;
      s.loaded = true;
      this.publish(s, result);
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      this.deps.log.info(`${s.label}: ${result.papers.length} papers, ${errors} error${errors === 1 ? '' : 's'} in ${(performance.now() - started).toFixed(0)} ms`);
      this.scheduleMerge();
    } catch (err) {
      this.deps.log.error(`${s.label}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.leave();
    }
  }

  /** Files on other file systems (remote, virtual): read through VS Code, parsed from bytes. */
  private async readAndParse(uri: vscode.Uri, label: string): Promise<ParseOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (err) {
      const reason = err instanceof vscode.FileSystemError && err.code === 'FileNotFound' ? 'The file does not exist.' : `The file could not be read (${err instanceof Error ? err.message : String(err)}).`;
      return { papers: [], issues: [{ file: label, line: 1, message: reason, severity: 'error' }], entries: 0, failed: 0, unreadable: reason };
    }
    return this.client.parse({ input: { kind: 'bytes', bytes, cacheKey: uri.toString() }, label });
  }

  private withProgress<T>(uri: vscode.Uri, label: string, run: (onProgress?: (done: number, total: number) => void) => Promise<T>): Promise<T> {
    const size = uri.scheme === 'file' ? stat(uri.fsPath).then((info) => info.size, () => 0) : Promise.resolve(0);
    return size.then((size) => {
      if (size < PROGRESS_BYTES) return run();
      return vscode.window.withProgress(
        { location: size >= NOTIFY_BYTES ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: `PaperLens: reading ${label}` },
        (progress) => {
          let shown = 0;
          return run((done, total) => {
            const pct = Math.min(100, Math.floor((done / Math.max(1, total)) * 100));
            if (pct > shown) {
              progress.report({ increment: pct - shown, message: `${pct}%` });
              shown = pct;
            }
          });
        },
      );
    });
  }

  private remove(uri: vscode.Uri, merge = true): void {
    const key = uri.toString();
    if (!this.sources.delete(key)) return;
    this.diagnostics.delete(uri);
    this.reportedUnreadable.delete(key);
    this.client.forget(uri.scheme === 'file' ? uri.fsPath : key);
    if (merge) this.scheduleMerge();
  }

  /** Diagnostics for a file's issues; an unreadable file is announced once, until it reads again. */
  private publish(s: SourceState, result: CorpusLoadResult): void {
    const key = s.uri.toString();
    if (result.unreadable) {
      this.diagnostics.delete(s.uri);
      if (!this.reportedUnreadable.has(key)) {
        this.reportedUnreadable.add(key);
        this.deps.log.warn(`${s.label}: ${result.unreadable} It is skipped.`);
        void vscode.window.showWarningMessage(`PaperLens skipped ${s.label}: ${result.unreadable}`);
      }
      return;
    }
    this.reportedUnreadable.delete(key);
    this.diagnostics.set(s.uri, result.issues.map((i) => toDiagnostic(i)));
  }

  // ——— merging ———

  private scheduleMerge(): void {
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    this.mergeTimer = setTimeout(() => {
      this.mergeTimer = undefined;
      void this.merge();
    }, 20);
  }

  private async merge(): Promise<void> {
    const generation = ++this.mergeGeneration;
    this.enter();
    try {
      const shipped = this.deps.shipped();
      const sources = this.list().filter((s) => s.papers.length > 0).map((s) => ({ file: s.label, papers: s.papers }));
      const started = performance.now();
      const slicer = new TimeSlicer(8);
      const papers = sources.length ? await mergePapers(shipped.papers, sources, slicer) : undefined;
      if (generation !== this.mergeGeneration) return;
      const buildStart = performance.now();
      this.merged = papers ? new Corpus(papers) : undefined;
      slicer.finish();
      this.lastMergeSliceMs = Math.max(slicer.longestSliceMs, performance.now() - buildStart);
      if (papers) {
        this.deps.log.info(`Corpus: ${papers.length} papers (${shipped.size} shipped, ${sources.length} file${sources.length === 1 ? '' : 's'} of yours) merged in ${(performance.now() - started).toFixed(0)} ms; longest blocking slice ${this.lastMergeSliceMs.toFixed(1)} ms`);
      }
      this.deps.onMerged(this.merged ?? shipped);
    } catch (err) {
      this.deps.log.error(`Could not merge users' papers: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.leave();
    }
  }

  private sendConcepts(): void {
    if (this.conceptsSent) return;
    this.conceptsSent = true;
    this.client.setConcepts(this.conceptNames());
  }

  private conceptNames(): ConceptNames[] | null {
    try {
      return this.deps.concepts();
    } catch (err) {
      this.deps.log.warn(`Concept tags for your papers are off: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private enter(): void {
    this.busy++;
  }

  private leave(): void {
    this.busy--;
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.busy === 0 && !this.mergeTimer && this.reloadTimers.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}

/** A load issue as a diagnostic on its whole line. */
export function toDiagnostic(issue: LoadIssue): vscode.Diagnostic {
  const line = Math.max(0, issue.line - 1);
  // The range is clamped to the line's real length when shown; it only needs to cover the line.
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 10_000), issue.message, issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'PaperLens';
  return d;
}
