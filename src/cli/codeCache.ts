/**
 * Loading a CommonJS bundle with a V8 code cache: `dist/cli.js` (the launcher, `launch.ts`) loads
 * the CLI's program `dist/cli-main.js` through {@link loadBundle}, with the bytecode the build saved
 * for it in `dist/cli-main.js.cache` ({@link writeCodeCache}, run by scripts/cliCodeCache.ts after
 * exercising the commands). Compiling the 1.2 MB bundle and its functions as they are first called
 * is a fixed cost of every run; with the cache, V8 reads the bytecode instead (issue 23: about 80 ms
 * of a small scan's 0.29 s on the two-core CI machine).
 *
 * V8 checks a cache against its own version, its flags and the source's length, not its content:
 * a cache of another bundle of the same length would be taken. So the cache starts with a header
 * holding the SHA-256 of the bundle it was made from, and of its own bytes: a cache of another
 * bundle ("stale") or one not whole ("damaged") is not given to V8. A cache V8 turns down
 * ("rejected": another Node, other flags) or a missing or unreadable one costs only the compile
 * it would have saved.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * What became of the cache: used; turned down by V8 (another Node or other flags); made for
 * another bundle; not whole (its bytes do not match the checksum written with them); absent.
 */
export type CodeCacheStatus = 'accepted' | 'rejected' | 'stale' | 'damaged' | 'missing';

const MAGIC = 'paperlens-code-cache-2\n';
/**
 * Header: the magic line, the bundle's SHA-256 in hex, a newline, the SHA-256 of the bytecode that
 * follows, a newline. V8 does not checksum a cache's payload in release builds: damaged bytes
 * would be run.
 */
const HEADER_LENGTH = MAGIC.length + 65 + 65;

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: Record<string, unknown>;
  status: CodeCacheStatus;
  /** The compiled script: {@link writeCodeCache} takes its bytecode after the bundle has run. */
  script: vm.Script;
  /** SHA-256 of the bundle's source. */
  sourceHash: string;
}

/** The cache file of a bundle. */
export function cachePathOf(bundle: string): string {
  return `${bundle}.cache`;
}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The cached data for a bundle of this hash, or why there is none. */
function readCache(file: string, hash: string): { data?: Buffer; status: CodeCacheStatus } {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return { status: 'missing' };
  }
  if (raw.length <= HEADER_LENGTH || raw.toString('latin1', 0, MAGIC.length) !== MAGIC) return { status: 'stale' };
  if (raw.toString('latin1', MAGIC.length, MAGIC.length + 64) !== hash) return { status: 'stale' };
  const data = raw.subarray(HEADER_LENGTH);
  if (raw.toString('latin1', MAGIC.length + 65, MAGIC.length + 129) !== sha256(data)) return { status: 'damaged' };
  return { data, status: 'accepted' };
}

/**
 * Loads and runs a CommonJS bundle as Node would (`require`, `module`, `__filename`, `__dirname`
 * are the bundle's own), with its code cache when one matches. `parent`: the loading module.
 */
export function loadBundle(bundle: string, parent?: NodeModule): LoadedBundle {
  const file = path.resolve(bundle);
  const source = readFileSync(file, 'utf8');
  const sourceHash = sha256(source);
  const cache = readCache(cachePathOf(file), sourceHash);
  // A shebang line is not JavaScript inside the module wrapper; keep the offsets the same.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename: file, cachedData: cache.data });
  const status: CodeCacheStatus = cache.data && script.cachedDataRejected ? 'rejected' : cache.status;
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const localRequire = createRequire(file);
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: NodeModule, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, localRequire, mod, file, path.dirname(file));
  mod.loaded = true;
  return { exports: mod.exports as Record<string, unknown>, status, script, sourceHash };
}

/**
 * Writes the bytecode V8 holds for a loaded bundle (every function compiled so far: run the
 * bundle's work first) to its cache file, replacing it in one rename. Returns the cache's size.
 */
export function writeCodeCache(bundle: string, loaded: LoadedBundle): number {
  const data = loaded.script.createCachedData();
  const out = Buffer.concat([Buffer.from(`${MAGIC}${loaded.sourceHash}\n${sha256(data)}\n`, 'latin1'), data]);
  const target = cachePathOf(path.resolve(bundle));
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, target);
  return out.length;
}
