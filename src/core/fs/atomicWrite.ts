/**
 * The one way PaperLens changes a user's file on disk (the CLI and the editor alike).
 *
 *  - Symbolic links are followed: the file a link points to is replaced, and the link stays a
 *    link (writing next to the link and renaming over it would turn it into a regular file, and
 *    the target would never get the change).
 *  - The file keeps its permission bits (a `0600` bibliography stays private).
 *  - The new text goes to a temporary file in the target's own folder, then one `rename` replaces
 *    the target: readers see the old file or the new one, never half of one, and the rename never
 *    crosses file systems.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Links followed at most (a loop of links fails like the system does, with ELOOP). */
const MAX_LINKS = 40;

/** The path a write to `file` should replace: `file` itself, or what its chain of links points to (even when that does not exist yet). */
export async function resolveWriteTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // The file, or the end of its link chain, does not exist: follow the links by hand.
  let current = path.resolve(file);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let link: string;
    try {
      link = await readlink(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') {
        // Not a link (or not there): the folder holding it is resolved, the name kept.
        const dir = await realpath(path.dirname(current));
        return path.join(dir, path.basename(current));
      }
      throw err;
    }
    current = path.resolve(path.dirname(current), link);
  }
  const loop = new Error(`ELOOP: too many symbolic links, ${file}`) as NodeJS.ErrnoException;
  loop.code = 'ELOOP';
  throw loop;
}

/**
 * Writes `data` to `file` atomically, following links and keeping the file's mode (see the module
 * comment). A new file gets the default mode (0666 less the umask). Throws the system's error.
 */
export async function atomicWriteFile(file: string, data: string | Uint8Array): Promise<void> {
  const target = await resolveWriteTarget(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, typeof data === 'string' ? { encoding: 'utf8', flag: 'wx' } : { flag: 'wx' });
    const mode = await stat(target).then((s) => s.mode & 0o7777, () => undefined);
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
