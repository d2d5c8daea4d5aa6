/**
 * A large generated BibTeX file (the benchmark's generator) through the CLI, as `paperlens check`
 * and `paperlens search --corpus` read it: every good entry is loaded and searchable, each broken
 * entry costs only itself, and the problems are listed up to the cap with one line counting the
 * rest. Time is measured by `npm run bench` and reported in the README, not asserted here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateBib } from '../../../bench/bibtex';
import type { CliIO } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { MAX_ISSUES_PER_FILE } from '../../../src/core/papers/userCorpus';

const root = path.resolve(__dirname, '..', '..', '..');

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir: path.join(root, 'paper-data'), cwd };
  const code = await main(args, io);
  return { code, out, err };
}

describe('a large BibTeX file through the CLI', () => {
  let dir = '';
  let entries = 0;
  let broken = 0;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperlens-large-bib-'));
    // Every 10th entry loses the brace that closes its year: that entry is cut at the next one.
    let k = 0;
    const text = generateBib(3 * 1024 * 1024).replace(/^ {2}year = \{(\d{4})\}/gm, (all, year: string) => {
      k++;
      if (k % 10 !== 0) return all;
      broken++;
      return `  year = {${year}`;
    });
    entries = k;
    writeFileSync(path.join(dir, 'big.bib'), text);
    writeFileSync(path.join(dir, 'good.bib'), generateBib(3 * 1024 * 1024));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check loads every good entry and lists the broken ones up to the cap, counting the rest', async () => {
    assert.ok(entries > 3_000 && broken > MAX_ISSUES_PER_FILE, `${entries} entries, ${broken} broken`);
    const r = await cli(['check', '--json', 'big.bib'], dir);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as { loaded: number; errors: { file: string; line: number; message: string }[] };
    assert.equal(json.loaded, entries - broken);
    assert.equal(json.errors.length, MAX_ISSUES_PER_FILE + 1);
    const last = json.errors[json.errors.length - 1];
    const m = /^(\d+) more problems? from this line on \((\d+) errors?\)/.exec(last.message);
    assert.ok(m, last.message);
    assert.equal(MAX_ISSUES_PER_FILE + Number(m[2]), broken);
    // Each broken entry is reported at its own line, in order.
    const lines = json.errors.slice(0, -1).map((e) => e.line);
    assert.deepEqual([...lines].sort((a, b) => a - b), lines);
    assert.equal(new Set(lines).size, lines.length);
  });

  it('search --corpus finds an entry from the end of the file and exits 0 when all of it loaded', async () => {
    const check = await cli(['check', 'good.bib'], dir);
    assert.equal(check.code, 0, check.out + check.err);
    const loaded = Number(/^(\d+) papers loaded/m.exec(check.out)?.[1]);
    assert.ok(loaded > 3_000, check.out);
    const r = await cli(['search', '--json', '--limit', '50', '--corpus', 'good.bib', `Task ${loaded - 1}`], dir);
    assert.equal(r.code, 0, r.err);
    const hits = JSON.parse(r.out) as { results?: { title: string }[] } | { title: string }[];
    const titles = (Array.isArray(hits) ? hits : hits.results ?? []).map((h) => h.title);
    assert.ok(titles.some((t) => t.includes(`for Task ${loaded - 1}:`)), titles.slice(0, 5).join(' | '));
  });
});
