import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanLibraryText, latexToText, protectAngles, stripMarkup } from '../../../src/core/papers/latexText';

describe('latexToText (abstracts and over-long fields)', () => {
  it('converts accents in all their spellings', () => {
    assert.equal(latexToText(String.raw`M\"uller, M{\"u}ller, M\"{u}ller, Doll{\'a}r, Ca\~{n}on, \c{c}a, \v{S}koda, Mar{\'\i}a, \aa{}ngstr\"om, Stra\ss e`), 'Müller, Müller, Müller, Dollár, Cañon, ça, Škoda, María, ångström, Straße');
  });

  it('unescapes specials, turns dashes, quotes and ties into text, and drops braces', () => {
    assert.equal(latexToText("50\\% of \\$x \\& {BERT} --- a ``test'' -- 1~2"), '50% of $x & BERT — a “test” – 1 2');
  });

  it('keeps the text of formatting commands and drops citations', () => {
    assert.equal(latexToText(String.raw`\emph{very} \textbf{bold}\cite{x} \href{http://a}{link} \unknown{kept}`), 'very bold link kept');
  });

  it('keeps math as written', () => {
    assert.equal(latexToText(String.raw`loss $\mathcal{L} = -\log p_t$ and \(x^2\)`), String.raw`loss $\mathcal{L} = -\log p_t$ and \(x^2\)`);
  });

  it('never throws on truncated input', () => {
    for (const s of ['\\', '\\"', '{\\"', '$x', '\\href{', '\\c']) assert.equal(typeof latexToText(s), 'string');
  });

  it('treats commands named like Object.prototype members as unknown commands (an abstract with \\constructor crashed the import)', () => {
    assert.equal(latexToText('\\constructor{x} and \\toString y \\hasOwnProperty{z}'), 'x and y z');
  });
});

describe('library output clean-up', () => {
  it('removes markup but keeps protected angle brackets', () => {
    assert.equal(stripMarkup(`<i>x</i> ${protectAngles('a < b > c')} <span class="nocase">BERT</span>`), 'x a < b > c BERT');
  });

  it('puts an accent on a dotless i back on a plain i', () => {
    assert.equal(cleanLibraryText('Marı\u0301a'), 'María');
  });
});
