import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inExcludedDir } from '../../../src/core/fs/excluded';
import { globToRegExp, parseCorpusPath } from '../../../src/core/papers/corpusPaths';

describe('paperlens.corpus.paths entries', () => {
  it('keeps workspace-relative globs as they are', () => {
    assert.deepEqual(parseCorpusPath('**/*.bib', '/home/u'), { kind: 'relative', pattern: '**/*.bib' });
    assert.deepEqual(parseCorpusPath('./refs/main.bib', '/home/u'), { kind: 'relative', pattern: 'refs/main.bib' });
  });

  it('splits absolute entries into a folder to watch and a pattern, expanding ~', () => {
    assert.deepEqual(parseCorpusPath('~/papers/*.bib', '/home/u'), { kind: 'absolute', base: '/home/u/papers', pattern: '*.bib' });
    assert.deepEqual(parseCorpusPath('/data/refs.bib', '/home/u'), { kind: 'absolute', base: '/data', pattern: 'refs.bib' });
    assert.deepEqual(parseCorpusPath('C:\\Users\\me\\lib\\**\\*.bib', 'C:\\Users\\me'), { kind: 'absolute', base: 'C:/Users/me/lib', pattern: '**/*.bib' });
  });

  it('in an untrusted workspace’s own settings, allows only patterns inside the folder', () => {
    assert.equal(parseCorpusPath('/etc/passwd', '/home/u', true), undefined);
    assert.equal(parseCorpusPath('~/.ssh/id_rsa', '/home/u', true), undefined);
    assert.equal(parseCorpusPath('../../secret.bib', '/home/u', true), undefined);
    assert.deepEqual(parseCorpusPath('refs/*.bib', '/home/u', true), { kind: 'relative', pattern: 'refs/*.bib' });
    assert.equal(parseCorpusPath('   ', '/home/u'), undefined);
  });

  it('matches globs like VS Code does for the cases the setting uses', () => {
    const bib = globToRegExp('**/*.bib');
    assert.ok(bib.test('refs.bib') && bib.test('a/b/refs.bib') && !bib.test('refs.bibx'));
    assert.ok(globToRegExp('*.{bib,json}').test('x.json'));
    assert.ok(!globToRegExp('*.bib').test('a/x.bib'));
    assert.ok(globToRegExp('paper[0-9].txt').test('paper7.txt'));
  });

  it('recognises excluded folders on either separator', () => {
    assert.ok(inExcludedDir('/w/node_modules/pkg/refs.bib'));
    assert.ok(inExcludedDir('C:\\w\\.venv\\lib\\refs.bib'));
    assert.ok(!inExcludedDir('/w/papers/refs.bib'));
    assert.ok(!inExcludedDir('/w/papers/env.bib'));
  });
});
