/**
 * Math in the sidebar is rendered where markdown puts content, never inside an attribute, a code
 * span or a URL: a link title holding `$y$` used to receive KaTeX's HTML and break its anchor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown, renderRichText } from '../../../src/webview/render';

/** A hang guard, not a benchmark: the test fails if it runs this long (the bugs it guards against took 20 s and more on 200 KB; times belong to `npm run bench`). */
const HANG = { timeout: 60_000 };

/** The attribute values of every tag in `html`. */
function attributeValues(html: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*>/gi)].flatMap((tag) => [...tag[0].matchAll(/="([^"]*)"/g)].map((m) => m[1]));
}

describe('sidebar markup', () => {
  it('keeps a link title with math as text in the attribute', () => {
    const html = renderRichText('See [the paper](https://example.org/p "loss $y$ here") for $x^2$.');
    assert.match(html, /<a href="https:\/\/example\.org\/p" title="loss \$y\$ here"/);
    assert.match(html, /class="katex"/); // $x^2$ outside the link is still math
    for (const v of attributeValues(html)) assert.doesNotMatch(v, /[<>]/, v);
  });
  it('leaves math in code spans and URLs alone', () => {
    const html = renderRichText('Code `$a$` and https://example.org/$b$ and <https://example.org/$c$>');
    assert.match(html, /<code>\$a\$<\/code>/);
    assert.doesNotMatch(html, /katex/);
  });
  it('renders math inside link text, and display math', () => {
    const html = renderRichText('[$\\alpha$ loss](https://example.org) and $$\\sum_i x_i$$');
    assert.match(html, /<a href="https:\/\/example\.org"[^>]*><span class="katex">/);
    assert.match(html, /katex-display/);
  });
  it('never lets a private-use character become a formula', () => {
    const html = renderRichText('\uE0000\uE001 and $z$');
    assert.equal((html.match(/class="katex"/g) ?? []).length, 1);
  });
});

describe('sidebar markup on long lines', () => {
  it('renders a 200 KB line of unclosed \\( or \\[ in linear time (no length cap)', HANG, () => {
    for (const unit of ['\\(', '\\[', '$$']) {
      // About 0.1 s; searching to the end of the line for each opener took about 25 s.
      assert.ok(renderMarkdown(unit.repeat(100_000)).length > 0, unit);
    }
  });
  it('still finds each closed formula after many unclosed openers', () => {
    const html = renderRichText(`${'\\( '.repeat(50)} and \\(a\\) then \\[b\\]`);
    assert.equal((html.match(/class="katex"/g) ?? []).length, 1); // \( … \( a \) is one formula
    assert.equal((html.match(/katex-display/g) ?? []).length, 1);
  });
});

describe('sidebar markup on megabyte text', () => {
  it('renders the first 20,000 characters and says how many were left out', HANG, () => {
    const text = '*3I[R CimZ)h@)_'.repeat(70_000);
    const html = renderRichText(text);
    assert.match(html, /<em>\([\d,]+ more characters not shown\)<\/em>/);
  });
});

describe('sidebar links on long runs without spaces', () => {
  it('renders 60,000 characters of URL-like text quickly and still links ordinary URLs', HANG, () => {
    // 23 s before.
    assert.ok(renderMarkdown('https://x.org/{'.repeat(4_000)).length > 0);
    assert.match(renderRichText('see https://example.org/a and x'), /<a href="https:\/\/example\.org\/a"/);
  });
});

describe('sidebar markup on deep link nesting', () => {
  it('renders 200,000 unclosed [ quickly (cut to 20,000 characters)', HANG, () => {
    // About 0.1 s; markdown-it over the whole run takes about 20 s.
    assert.match(renderRichText('['.repeat(200_000)), /more characters not shown/);
  });
});
