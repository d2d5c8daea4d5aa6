/**
 * The one write helper: a symlinked corpus file gets the new text at its target (the link stays a
 * link), a private file stays private, and nothing is left behind on failure.
 */
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { atomicWriteFile } from '../../../src/core/fs/atomicWrite';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'paperlens-write-'));
}

describe('atomicWriteFile', () => {
  it('writes through a symbolic link and keeps the link', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'shared'));
    const real = path.join(dir, 'shared', 'refs.bib');
    writeFileSync(real, 'old');
    const link = path.join(dir, 'refs.bib');
    symlinkSync(path.join('shared', 'refs.bib'), link);
    await atomicWriteFile(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(real, 'utf8'), 'new');
    assert.deepEqual(readdirSync(path.join(dir, 'shared')), ['refs.bib'], 'no temporary file left');
  });

  it('follows a chain of links to a file that does not exist yet', async () => {
    const dir = tempDir();
    symlinkSync('b.bib', path.join(dir, 'a.bib'));
    symlinkSync('c.bib', path.join(dir, 'b.bib'));
    await atomicWriteFile(path.join(dir, 'a.bib'), 'fresh');
    assert.equal(readFileSync(path.join(dir, 'c.bib'), 'utf8'), 'fresh');
    assert.ok(lstatSync(path.join(dir, 'a.bib')).isSymbolicLink());
  });

  it('keeps the file mode (0600 stays 0600)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'private.bib');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await atomicWriteFile(file, 'new');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8'), 'new');
  });

  it('fails on a link loop and leaves nothing behind', async () => {
    const dir = tempDir();
    symlinkSync('y.bib', path.join(dir, 'x.bib'));
    symlinkSync('x.bib', path.join(dir, 'y.bib'));
    await assert.rejects(atomicWriteFile(path.join(dir, 'x.bib'), 'x'), /ELOOP/);
    assert.deepEqual(readdirSync(dir).sort(), ['x.bib', 'y.bib']);
  });
});
