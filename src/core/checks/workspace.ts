/**
 * The files the checks may follow imports into: the CLI gives every `.py` file of a scan, the
 * editor its own implementation (`src/editor/checks.ts`). Models are built on first use and kept.
 */
import { FileModel } from './model';

/** Files of a workspace the checks may follow imports into. */
export interface Workspace {
  /** The file a `from <module> import …` in `fromPath` names, or undefined. */
  resolve(fromPath: string, module: string): FileModel | undefined;
}

/** A workspace over known files (the CLI: every .py file of the scan). */
export class WorkspaceFiles implements Workspace {
  private readonly models = new Map<string, FileModel>();
  private readonly pathSet: Set<string>;
  /** Paths by file name (`losses.py`), packages by `name/__init__.py`: an absolute import looks among these only. */
  private readonly byBaseName = new Map<string, string[]>();
  private readonly resolved = new Map<string, FileModel | undefined>();

  constructor(private readonly files: ReadonlyMap<string, string>) {
    const paths = [...files.keys()].map((p) => p.split('\\').join('/'));
    this.pathSet = new Set(paths);
    for (const p of paths) {
      const parts = p.split('/');
      const base = parts[parts.length - 1] === '__init__.py' ? parts.slice(-2).join('/') : parts[parts.length - 1];
      const list = this.byBaseName.get(base);
      if (list) list.push(p);
      else this.byBaseName.set(base, [p]);
    }
  }

  model(path: string): FileModel | undefined {
    const p = path.split('\\').join('/');
    let m = this.models.get(p);
    if (!m) {
      const text = this.files.get(path) ?? this.files.get(p);
      if (text === undefined) return undefined;
      m = new FileModel(text, p);
      this.models.set(p, m);
    }
    return m;
  }

  resolve(fromPath: string, module: string): FileModel | undefined {
    const key = `${fromPath}\u0000${module}`;
    if (!this.resolved.has(key)) this.resolved.set(key, this.lookup(fromPath, module));
    return this.resolved.get(key);
  }

  private lookup(fromPath: string, module: string): FileModel | undefined {
    const from = fromPath.split('\\').join('/');
    const dir = from.slice(0, from.lastIndexOf('/'));
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    const candidates = (base: string) => (rest ? [`${base}/${rest}.py`, `${base}/${rest}/__init__.py`] : [`${base}/__init__.py`]);
    if (dots > 0) {
      let base = dir;
      for (let d = 1; d < dots; d++) base = base.slice(0, base.lastIndexOf('/'));
      for (const c of candidates(base)) if (this.pathSet.has(c)) return this.model(c);
      return undefined;
    }
    if (!rest) return undefined;
    // Absolute: next to the importing file first, then any file whose path ends with the module path.
    for (const c of candidates(dir)) if (this.pathSet.has(c)) return this.model(c);
    const suffixes = [`/${rest}.py`, `/${rest}/__init__.py`];
    const last = rest.slice(rest.lastIndexOf('/') + 1);
    const pool = [...(this.byBaseName.get(`${last}.py`) ?? []), ...(this.byBaseName.get(`${last}/__init__.py`) ?? [])];
    const hits = pool.filter((p) => suffixes.some((s) => p.endsWith(s) || `/${p}` === s));
    if (hits.length === 0) return undefined;
    // The nearest one to the importing file (longest shared prefix).
    hits.sort((a, b) => sharedPrefix(b, from) - sharedPrefix(a, from) || a.length - b.length);
    return this.model(hits[0]);
  }
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
