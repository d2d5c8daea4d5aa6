// The sidebar's markdown and math rendering (src/webview/render.ts) against hostile corpus text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyKatexStyles, escapeHtml, isAllowedLink, renderFormula, renderRichText } from '../../../../src/webview/render';

/** Every tag in the output, with its attributes, for checks that do not depend on formatting. */
function tags(html: string): { name: string; attrs: Record<string, string> }[] {
  const out: { name: string; attrs: Record<string, string> }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) attrs[a[1].toLowerCase()] = a[2] ?? '';
    out.push({ name: m[1].toLowerCase(), attrs });
  }
  return out;
}

const HOSTILE = [
  'A title <script>alert("x")</script> here.',
  'An image <img src=x onerror="alert(1)"> and <iframe src="https://evil.example"></iframe>.',
  'Links: [click](javascript:alert(1)), [data](data:text/html;base64,PHNjcmlwdD4=), [vb](vbscript:x), [cmd](command:workbench.action.terminal.new), [file](file:///etc/passwd).',
  'Autolink <javascript:alert(1)> and raw javascript:alert(1) text.',
  'Image markdown ![x](https://evil.example/track.png) and ![y](javascript:alert(1)).',
  'Math that tries: $\\href{javascript:alert(1)}{x}$ and $$\\url{javascript:alert(2)}$$ and $\\htmlStyle{color:red}{x}$.',
  '<a href="javascript:alert(1)" onclick="alert(2)">raw anchor</a> <svg onload=alert(1)>',
  'Entities &lt;script&gt; and \u0000 nulls and \uE0000\uE001 placeholders.',
];

describe('renderRichText: hostile text is inert', () => {
  for (const text of HOSTILE) {
    it(JSON.stringify(text.slice(0, 60)), () => {
      const html = renderRichText(text);
      for (const tag of tags(html)) {
        assert.ok(!['script', 'img', 'iframe', 'svg', 'object', 'embed', 'style', 'link', 'meta', 'form', 'input'].includes(tag.name), `<${tag.name}> in ${html}`);
        for (const [name, value] of Object.entries(tag.attrs)) {
          assert.ok(!name.startsWith('on'), `event handler ${name} in ${html}`);
          assert.notEqual(name, 'style', `inline style in ${html}`);
          if (name === 'href') assert.match(value, /^https?:\/\//, `href ${value}`);
          assert.doesNotMatch(value, /^\s*(javascript|data|vbscript|command|file):/i, `${name}=${value}`);
        }
      }
    });
  }

  it('keeps the hostile markup visible as text', () => {
    const html = renderRichText('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('renders http(s) links, marked external', () => {
    const html = renderRichText('See [code](https://github.com/apple/ml-cross-entropy) and https://arxiv.org/abs/2411.09009.');
    const anchors = tags(html).filter((t) => t.name === 'a');
    assert.deepEqual(anchors.map((a) => a.attrs.href), ['https://github.com/apple/ml-cross-entropy', 'https://arxiv.org/abs/2411.09009']);
    assert.ok(anchors.every((a) => a.attrs.class === 'external-link' && a.attrs.rel === 'noopener noreferrer'));
  });
});

describe('renderRichText: math', () => {
  it('renders $…$ and $$…$$ with KaTeX (HTML and MathML), leaving prices alone', () => {
    const html = renderRichText('The loss $\\mathcal{L} = -\\log p_y$ and $$\\sum_i x_i$$ cost $5 and $10.');
    assert.equal((html.match(/class="katex"/g) ?? []).length, 2);
    assert.equal((html.match(/class="katex-display"/g) ?? []).length, 1);
    assert.match(html, /<math/);
    assert.match(html, /cost \$5 and \$10\./);
  });

  it('keeps markdown out of math: underscores and asterisks stay math', () => {
    const html = renderRichText('Weights $w_i * x_i$ and _emphasis_.');
    assert.match(html, /<em>emphasis<\/em>/);
    assert.match(html, /<annotation encoding="application\/x-tex">w_i \* x_i<\/annotation>/);
  });

  it('moves KaTeX inline styles to data attributes (no style="" for the CSP)', () => {
    const html = renderFormula('\\frac{a}{b} + \\sqrt{x}');
    assert.doesNotMatch(html, /\sstyle="/);
    assert.match(html, /data-katex-style="[^"]+"/);
  });

  it('renders a bad formula as an error span, and an over-long one as source, without throwing', () => {
    assert.match(renderFormula('\\frac{'), /katex-error|math-source/);
    assert.match(renderFormula(`x${'+x'.repeat(2000)}`), /class="math-source"/);
  });

  it('applyKatexStyles moves the data attribute into element.style', () => {
    const attrs = new Map([['data-katex-style', 'height:0.68em;']]);
    const el = { style: { cssText: '' }, getAttribute: (n: string) => attrs.get(n) ?? null, removeAttribute: (n: string) => { attrs.delete(n); } };
    applyKatexStyles([el]);
    assert.equal(el.style.cssText, 'height:0.68em;');
    assert.equal(attrs.size, 0);
  });
});

describe('helpers', () => {
  it('escapeHtml and isAllowedLink', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(isAllowedLink('https://arxiv.org'), true);
    assert.equal(isAllowedLink('HTTP://x.org'), true);
    for (const bad of ['javascript:alert(1)', ' javascript:x', 'data:text/html,x', 'command:x', 'file:///x', '//evil.example', 'mailto:x@y']) assert.equal(isAllowedLink(bad), false, bad);
  });
});
