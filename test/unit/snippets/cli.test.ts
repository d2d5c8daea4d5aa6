import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { snippet } from '../../../src/cli/commands/snippet';
import { UsageError, type CliIO } from '../../../src/cli/io';

const root = path.join(__dirname, '../../..');
/** One catalog entry per snippet file: the list must show them all, however many ship. */
const snippetFileCount = readdirSync(path.join(root, 'paper-data', 'snippets', 'pytorch')).filter((f) => f.endsWith('.py')).length;

/** Runs `paperlens snippet …` in-process with a fake I/O over the source-tree data. */
async function run(args: string[], dataDir = path.join(root, 'paper-data')): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir, cwd: root };
  const code = await snippet(args, io);
  return { code, out, err };
}

describe('paperlens snippet', () => {
  it('prints the snippet with its citation header', async () => {
    const r = await run(['focal']);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    const lines = r.out.split('\n');
    assert.equal(lines[0], '# PaperLens: Focal loss, softmax (multi-class) and sigmoid (multi-label) forms — Focal Loss for Dense Object Detection, arXiv:1708.02002');
    assert.equal(lines[1], '"""Focal loss, softmax (multi-class) and sigmoid (multi-label) forms.');
    assert.match(r.out, /^def focal_loss\($/m);
    assert.match(r.out, /^def sigmoid_focal_loss\($/m);
  });

  it('accepts --framework pytorch and prints the catalog entry with --json', async () => {
    const r = await run(['cut-cross-entropy', '--framework', 'pytorch', '--json']);
    assert.equal(r.code, 0);
    const entry = JSON.parse(r.out);
    assert.equal(entry.conceptId, 'cut-cross-entropy');
    assert.equal(entry.framework, 'pytorch');
    assert.equal(entry.functions[0].name, 'chunked_cross_entropy');
    assert.equal(entry.papers[0].arxivId, '2411.09009');
    assert.match(entry.code, /class _ChunkedLinearCrossEntropy/);
  });

  it('lists every snippet with --list, as text or JSON', async () => {
    const text = await run(['--list']);
    assert.equal(text.code, 0);
    const lines = text.out.trimEnd().split('\n');
    assert.equal(lines.length, snippetFileCount);
    assert.match(lines.find((l) => l.startsWith('focal '))!, /^focal +Focal loss.*\[focal_loss, sigmoid_focal_loss\]$/);
    const json = await run(['--list', '--json', '--framework=pytorch']);
    const entries = JSON.parse(json.out) as { conceptId: string; functions: string[]; papers: string[] }[];
    assert.equal(entries.length, snippetFileCount);
    assert.deepEqual(entries.find((e) => e.conceptId === 'z-loss'), {
      conceptId: 'z-loss', framework: 'pytorch', title: 'Auxiliary z-loss: penalise the squared log-partition function of the logits',
      functions: ['z_loss'], papers: ['2204.02311', '2202.08906'],
    });
  });

  it('exits 2 with a one-line error naming close matches for an unknown id', async () => {
    const r = await run(['focall']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.trimEnd().split('\n').length, 1);
    assert.equal(r.err.trimEnd(), 'paperlens snippet: unknown concept id "focall" for pytorch (did you mean focal?)');
    assert.match((await run(['focal_loss'])).err, /did you mean focal\?/);
    assert.match((await run(['dice-loss'])).err, /did you mean dice/);
    const none = await run(['qwertyuiop']);
    assert.equal(none.code, 2);
    assert.match(none.err, /run `paperlens snippet --list`/);
  });

  it('rejects bad usage with a UsageError', async () => {
    await assert.rejects(run([]), UsageError);
    await assert.rejects(run(['focal', 'dice']), UsageError);
    await assert.rejects(run(['focal', '--framework', 'tensorflow']), /unknown framework "tensorflow"/);
    await assert.rejects(run(['focal', '--verbose']), /unknown option --verbose/);
    await assert.rejects(run(['--list', 'focal']), UsageError);
  });

  it('prints the JAX or Keras implementation with --framework jax|keras', async () => {
    const jax = await run(['focal', '--framework', 'jax']);
    assert.equal(jax.code, 0);
    assert.match(jax.out.split('\n')[0], /^# PaperLens: Focal loss in JAX, .* — Focal Loss for Dense Object Detection, arXiv:1708\.02002$/);
    assert.match(jax.out, /^import jax\.numpy as jnp$/m);
    assert.doesNotMatch(jax.out, /torch\.Tensor/);
    const keras = await run(['dpo', '--framework=keras']);
    assert.equal(keras.code, 0);
    assert.match(keras.out, /^from keras import ops$/m);
    assert.match(keras.out, /^def dpo_loss\($/m);
    const list = await run(['--list', '--framework', 'keras']);
    assert.equal(list.out.trimEnd().split('\n').length, readdirSync(path.join(root, 'paper-data', 'snippets', 'keras')).filter((f) => f.endsWith('.py')).length);
  });

  it('names the frameworks that have a concept the asked one lacks', async () => {
    const r = await run(['cut-cross-entropy', '--framework', 'jax']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.trimEnd(), 'paperlens snippet: no jax implementation of "cut-cross-entropy" yet (it ships for pytorch: add --framework pytorch)');
  });

  it('prints help', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: paperlens snippet <concept-id> \[--framework pytorch\|jax\|keras\]/);
  });

  it('fails with the missing file named when the data directory has no snippets.json', async () => {
    await assert.rejects(run(['focal'], path.join(root, 'test')), /snippets\.json not found/);
  });
});
