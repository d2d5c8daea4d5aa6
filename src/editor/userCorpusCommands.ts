/**
 * The user-corpus commands — the only code that writes to a user's corpus file, and only when the
 * user runs a command: "Add Paper from BibTeX…" (paste an entry) and "Import Papers…" (pick a
 * file). Both append to a corpus file the user chooses, atomically (a temporary file in the same
 * folder, then one rename), and refuse a file with unsaved changes or in an encoding they would
 * damage. Also registers what starts the user corpus when a corpus file is opened.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { baseCitationKey, toBibtex } from '../core/papers/bibtex';
import { bibChunks } from '../core/papers/bibtexScan';
import { appendBibtexEntries, appendJsonRecords, newPapersJson, paperToRecord, uniqueKey, withCitationKey } from '../core/papers/corpusAppend';
import { inExcludedDir } from '../core/fs/excluded';
import { corpusFormat } from '../core/papers/corpusPaths';
import { atomicWriteFile } from '../core/fs/atomicWrite';
import { paperKeys } from '../core/papers/merge';
import type { Paper } from '../core/papers/types';
import { sharedServices, type Services } from './services';
import type { UserCorpus } from './userCorpus';

const LAST_TARGET = 'paperlens.corpus.lastTarget';

/** A message for the user, shown as an error without a stack in the log. */
class UserError extends Error {}

/** Registers the user-corpus commands. */
export function registerUserCorpus(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const services = () => sharedServices(context, log);
  const run = <A extends unknown[]>(name: string, fn: (...args: A) => Promise<unknown>) => async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof UserError) void vscode.window.showErrorMessage(`PaperLens: ${err.message}`);
      else {
        log.error(`${name}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        void vscode.window.showErrorMessage(`PaperLens: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('paperlens.addPaperFromBibtex', run('Add Paper from BibTeX', (entry?: unknown, target?: unknown) =>
      addPaperFromBibtex(services(), context, typeof entry === 'string' ? entry : undefined, target instanceof vscode.Uri ? target : undefined))),
    vscode.commands.registerCommand('paperlens.importPapers', run('Import Papers', (file?: unknown, target?: unknown) =>
      importPapers(services(), context, file instanceof vscode.Uri ? file : undefined, target instanceof vscode.Uri ? target : undefined))),
    // Not contributed: the corpus as loaded, for tests and troubleshooting.
    vscode.commands.registerCommand('paperlens._corpusState', (query?: unknown) => corpusState(services(), typeof query === 'string' ? query : undefined)),
    // Opening a corpus file is using it: load the user corpus so that its problems show.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isCorpusLike(doc.uri)) void services().userCorpus;
    }),
  );
  if (vscode.workspace.textDocuments.some((d) => isCorpusLike(d.uri))) void services().userCorpus;
}

function isCorpusLike(uri: vscode.Uri): boolean {
  return (uri.scheme === 'file' || uri.scheme === 'vscode-remote') && /\.(bib|bibtex|paperlens\.json)$/i.test(uri.path) && !inExcludedDir(uri.path);
}

// ——— Add Paper from BibTeX… ———

async function parseEntries(userCorpus: UserCorpus, text: string): Promise<{ papers: Paper[]; sources: string[] } | { error: string }> {
  if (!text.trim()) return { error: 'Paste a BibTeX entry, e.g. @article{key, title = {…}, …}.' };
  const r = await userCorpus.parseText(text, 'bibtex', 'the pasted entry');
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (errors.length) return { error: errors[0].line > 1 ? `Line ${errors[0].line}: ${errors[0].message}` : errors[0].message };
  if (r.papers.length === 0) return { error: 'No BibTeX entry found: an entry starts like @article{key, …' };
  return { papers: r.papers, sources: r.sourceTexts ?? [] };
}

async function addPaperFromBibtex(services: Services, context: vscode.ExtensionContext, entryArg?: string, targetArg?: vscode.Uri) {
  const userCorpus = services.userCorpus;
  let text = entryArg;
  if (text === undefined) {
    const clip = await vscode.env.clipboard.readText().then((t) => t, () => '');
    text = await vscode.window.showInputBox({
      title: 'PaperLens: Add Paper from BibTeX',
      prompt: 'Paste a BibTeX entry (from arXiv, Google Scholar, a publisher). It is appended to a .bib file you choose next.',
      placeHolder: '@article{key, title = {…}, author = {…}, year = {…}}',
      value: /^\s*@\s*[A-Za-z]+\s*[{(]/.test(clip) ? clip.trim() : '',
      ignoreFocusOut: true,
      validateInput: async (value) => {
        const parsed = await parseEntries(userCorpus, value);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (!text) return undefined;
  }
  const parsed = await parseEntries(userCorpus, text);
  if ('error' in parsed) throw new UserError(parsed.error);

  const already = parsed.papers.map((p) => findInUserPapers(userCorpus, p)).filter((x): x is { paper: Paper; source: string } => x !== undefined);
  if (already.length && entryArg === undefined) {
    const first = already[0];
    const choice = await vscode.window.showWarningMessage(
      `“${first.paper.title}” is already in your papers (${first.source}).`,
      { modal: true, detail: 'Adding it again puts a second entry in your bibliography; PaperLens shows the paper once either way.' },
      'Add Anyway',
    );
    if (choice !== 'Add Anyway') return undefined;
  }
  const target = targetArg ?? (await pickTarget(userCorpus, context, ['bibtex'], `Add “${clip(parsed.papers[0].title)}” to…`));
  if (!target) return undefined;
  if (corpusFormat(target.path) !== 'bibtex') throw new UserError(`${vscode.workspace.asRelativePath(target)} is not a .bib file.`);
  const keys: string[] = [];
  await appendToFile(target, (existing) => {
    const taken = bibtexKeys(existing);
    const entries = parsed.papers.map((p, i) => {
      const key = uniqueKey(p.citationKey ?? baseCitationKey(p), taken);
      taken.add(key);
      keys.push(key);
      return withCitationKey(parsed.sources[i] ?? toBibtex(p, key), key);
    });
    return appendBibtexEntries(existing, entries);
  });
  await context.workspaceState.update(LAST_TARGET, target.toString());
  await afterWrite(userCorpus, target, `Added ${parsed.papers.length === 1 ? `“${clip(parsed.papers[0].title)}”` : `${parsed.papers.length} papers`} to ${vscode.workspace.asRelativePath(target)} as ${keys.join(', ')}.`, entryArg === undefined);
  return { target: target.toString(), keys };
}

/** The paper in the user's own files (not only shipped) that is the same as `paper`, if any. */
function findInUserPapers(userCorpus: UserCorpus, paper: Paper): { paper: Paper; source: string } | undefined {
  const keys = new Set(paperKeys(paper));
  for (const s of userCorpus.list()) {
    for (const p of s.papers) if (paperKeys(p).some((k) => keys.has(k))) return { paper: p, source: s.label };
  }
  return undefined;
}

function bibtexKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const chunk of bibChunks(text)) {
    if (chunk.kind !== 'entry') continue;
    const key = /^@[^{(]*[{(]\s*([^,\s}=)]*)/.exec(text.slice(chunk.start, Math.min(chunk.end, chunk.start + 400)))?.[1];
    if (key) keys.add(key);
  }
  return keys;
}

// ——— Import Papers… ———

async function importPapers(services: Services, context: vscode.ExtensionContext, fileArg?: vscode.Uri, targetArg?: vscode.Uri) {
  const userCorpus = services.userCorpus;
  const file = fileArg ?? (await vscode.window.showOpenDialog({
    title: 'PaperLens: Import Papers',
    openLabel: 'Import',
    canSelectMany: false,
    filters: { 'Papers (BibTeX, PaperLens JSON, saved Hugging Face pages)': ['bib', 'bibtex', 'json', 'txt'], 'All files': ['*'] },
  }))?.[0];
  if (!file) return undefined;
  const label = vscode.workspace.asRelativePath(file);
  const result = await userCorpus.loadOnce(file);
  if (result.unreadable) throw new UserError(`could not read ${label}: ${result.unreadable}`);
  const failed = result.issues.filter((i) => i.severity === 'error');
  for (const i of result.issues) services.log.warn(`Import ${i.file}:${i.line}: ${i.message}`);
  if (result.papers.length === 0) throw new UserError(`no papers found in ${label}${failed[0] ? ` (line ${failed[0].line}: ${failed[0].message})` : ''}.`);

  // Papers already in the user's files are left out; so are repeats within the imported file.
  const seen = new Set<string>();
  for (const s of userCorpus.list()) for (const p of s.papers) for (const k of paperKeys(p)) seen.add(k);
  const fresh: number[] = [];
  result.papers.forEach((p, i) => {
    const keys = paperKeys(p);
    if (keys.some((k) => seen.has(k))) return;
    for (const k of keys) seen.add(k);
    fresh.push(i);
  });
  const skipped = result.papers.length - fresh.length;
  if (fresh.length === 0) {
    void vscode.window.showInformationMessage(`PaperLens: all ${result.papers.length} papers in ${label} are already in your papers.`);
    return { imported: 0, skipped, target: undefined };
  }
  const title = `Import ${fresh.length} paper${fresh.length === 1 ? '' : 's'} from ${label}${skipped ? ` (${skipped} already yours)` : ''} into…`;
  const target = targetArg ?? (await pickTarget(userCorpus, context, ['bibtex', 'json'], title));
  if (!target) return undefined;
  const targetFormat = corpusFormat(target.path);
  const fromBibtex = corpusFormat(file.path) === 'bibtex';
  await appendToFile(target, (existing) => {
    if (targetFormat === 'json') {
      const out = appendJsonRecords(existing, fresh.map((i) => paperToRecord(result.papers[i])));
      if ('error' in out) throw new UserError(`${vscode.workspace.asRelativePath(target)}: ${out.error}.`);
      return out.text;
    }
    if (targetFormat !== 'bibtex') throw new UserError(`${vscode.workspace.asRelativePath(target)} is neither a .bib nor a .json file.`);
    const taken = bibtexKeys(existing);
    const entries = fresh.map((i) => {
      const paper = result.papers[i];
      const key = uniqueKey(paper.citationKey ?? baseCitationKey(paper), taken);
      taken.add(key);
      // A BibTeX entry is copied as written (its fields, its LaTeX); other formats are exported.
      const source = fromBibtex ? result.sourceTexts?.[i] : undefined;
      return source ? withCitationKey(source, key) : toBibtex(paper, key);
    });
    return appendBibtexEntries(existing, entries);
  });
  await context.workspaceState.update(LAST_TARGET, target.toString());
  const notes = [skipped ? `${skipped} already in your papers` : '', failed.length ? `${failed.length} could not be read (see the PaperLens output)` : ''].filter(Boolean);
  await afterWrite(userCorpus, target, `Imported ${fresh.length} paper${fresh.length === 1 ? '' : 's'} into ${vscode.workspace.asRelativePath(target)}${notes.length ? `; ${notes.join('; ')}` : ''}.`, fileArg === undefined);
  return { imported: fresh.length, skipped, target: target.toString() };
}

// ——— shared ———

interface TargetItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  create?: 'bibtex' | 'json';
}

/** Asks which corpus file to append to: the user's files of the given formats, or a new one. */
async function pickTarget(userCorpus: UserCorpus, context: vscode.ExtensionContext, formats: ('bibtex' | 'json')[], title: string): Promise<vscode.Uri | undefined> {
  await Promise.race([userCorpus.whenIdle(), new Promise((r) => setTimeout(r, 3000))]);
  const last = context.workspaceState.get<string>(LAST_TARGET);
  const files: TargetItem[] = userCorpus.list()
    .filter((s) => (formats as string[]).includes(s.format))
    .map((s) => ({ label: `$(file) ${s.label.split('/').pop()}`, description: s.label, detail: `${s.papers.length} paper${s.papers.length === 1 ? '' : 's'}`, uri: s.uri }))
    .sort((a, b) => (a.uri!.toString() === last ? -1 : b.uri!.toString() === last ? 1 : 0));
  const items: TargetItem[] = [...files];
  if (formats.includes('bibtex')) items.push({ label: '$(new-file) New BibTeX file…', create: 'bibtex' });
  if (formats.includes('json')) items.push({ label: '$(new-file) New PaperLens JSON file…', create: 'json' });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: files.length ? 'Choose the file to append to' : 'You have no corpus file yet: create one' });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = picked.create === 'json' ? 'papers.paperlens.json' : 'references.bib';
  const uri = await vscode.window.showSaveDialog({
    title: picked.create === 'json' ? 'New PaperLens papers file' : 'New BibTeX file',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: picked.create === 'json' ? { 'PaperLens papers': ['json'] } : { BibTeX: ['bib'] },
  });
  return uri;
}

/**
 * Appends through `compose(existing) → new text`, then replaces the file atomically. Refuses a file
 * with unsaved changes (they would be lost or conflict) or that is not UTF-8 (it would be damaged).
 */
async function appendToFile(target: vscode.Uri, compose: (existing: string) => string): Promise<void> {
  const label = vscode.workspace.asRelativePath(target);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (open?.isDirty) throw new UserError(`${label} has unsaved changes. Save or revert it, then try again.`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await vscode.workspace.fs.readFile(target);
  } catch (err) {
    if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
  }
  let existing = '';
  let bom = false;
  if (bytes) {
    bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    try {
      existing = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new UserError(`${label} is not UTF-8; PaperLens does not change files in other encodings. Convert it to UTF-8 first.`);
    }
  }
  let next = compose(existing);
  if (!bytes && corpusFormat(target.path) === 'json' && next.trim() === '') next = newPapersJson([]);
  await atomicWrite(target, (bom ? '\uFEFF' : '') + next);
}

/**
 * Replaces `target` with `text` in one atomic step. Files on disk go through the core's one write
 * helper ({@link atomicWriteFile}: follows symbolic links, keeps the file's mode, renames in the
 * same folder); other file systems (virtual workspaces) through VS Code's, which cannot follow
 * links or set modes.
 */
export async function atomicWrite(target: vscode.Uri, text: string): Promise<void> {
  if (target.scheme === 'file') {
    await atomicWriteFile(target.fsPath, text);
    return;
  }
  const dir = vscode.Uri.joinPath(target, '..');
  const name = target.path.split('/').pop() ?? 'corpus';
  const temp = vscode.Uri.joinPath(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await vscode.workspace.fs.writeFile(temp, new TextEncoder().encode(text));
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (err) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    throw err;
  }
}

/** Reloads the file now, says what happened, and offers to add the file to the settings if they do not select it. */
async function afterWrite(userCorpus: UserCorpus, target: vscode.Uri, message: string, interactive: boolean): Promise<void> {
  userCorpus.reloadNow(target);
  const selected = userCorpus.selects(target);
  if (!interactive) return;
  if (!selected) {
    const add = 'Add to paperlens.corpus.paths';
    const choice = await vscode.window.showWarningMessage(`PaperLens: ${message} PaperLens does not read this file yet: paperlens.corpus.paths does not select it.`, add);
    if (choice === add) {
      const config = vscode.workspace.getConfiguration('paperlens', target);
      const current = config.get<string[]>('corpus.paths') ?? [];
      const folder = vscode.workspace.getWorkspaceFolder(target);
      const entry = folder ? vscode.workspace.asRelativePath(target, false) : target.fsPath;
      await config.update('corpus.paths', [...current, entry], folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global);
    }
    return;
  }
  const openIt = 'Open File';
  const choice = await vscode.window.showInformationMessage(`PaperLens: ${message}`, openIt);
  if (choice === openIt) await vscode.window.showTextDocument(target, { preview: false });
}

/** The corpus as loaded: sizes, sources and their problem counts, and papers whose title contains `query`. */
async function corpusState(services: Services, query?: string) {
  const userCorpus = services.userCorpus;
  await Promise.race([userCorpus.whenIdle(), new Promise((r) => setTimeout(r, 5000))]);
  const corpus = services.corpus;
  const q = query?.toLowerCase();
  return {
    size: corpus.size,
    shipped: services.shippedCorpus.size,
    sources: userCorpus.list().map((s) => ({
      uri: s.uri.toString(), label: s.label, loaded: s.loaded, papers: s.papers.length,
      errors: s.issues.filter((i) => i.severity === 'error').length, warnings: s.issues.filter((i) => i.severity === 'warning').length,
    })),
    papers: q ? corpus.papers.filter((p) => p.title.toLowerCase().includes(q)).slice(0, 20).map((p) => ({
      id: p.id, title: p.title, venue: p.venue, year: p.year, sources: p.sources, concepts: p.concepts, citationKey: corpus.citationKey(p),
    })) : [],
  };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
