// @ts-check
// The Papers sidebar as a user sees it in the browser VS Code: search as you type, typo tolerance,
// a paper's detail with math rendered by KaTeX, Copy BibTeX, keyboard navigation, state that
// survives hiding the view, and screenshots in light and dark themes.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** @typedef {import('../workbench.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const FOCAL_PAPER = 'Focal Loss for Dense Object Detection';
const HARMONIC_PAPER = 'Harmonic Loss Trains Interpretable AI Models';

/**
 * Opens the PaperLens container and returns the Papers webview's content frame once its script
 * has built the search box (the handshake with the host is then under way).
 * @param {Workbench} wb
 * @returns {Promise<Frame>}
 */
async function openPapers(wb) {
  await wb.openView('PaperLens');
  return papersFrame(wb);
}

/**
 * The Papers webview's content frame, once its script has built the search box.
 * @param {Workbench} wb
 * @returns {Promise<Frame>}
 */
async function papersFrame(wb) {
  // Look through every frame rather than Workbench.webviewFrames(): after the view was hidden, the
  // old webview's iframe may linger without content while the new one loads.
  for (let attempt = 0; attempt < 120; attempt++) {
    for (const frame of wb.page.frames()) {
      if (frame.isDetached()) continue;
      const found = await frame.locator('#app input.query').count().catch(() => 0);
      if (found && await frame.locator('#app input.query').isVisible().catch(() => false)) return frame;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error('the Papers webview never showed its search box');
}

/**
 * Types a query and waits until the first result row shows `firstTitle`.
 * @param {Frame} frame @param {string} query @param {string} firstTitle
 */
async function search(frame, query, firstTitle) {
  const input = frame.locator('input.query');
  await input.fill(query);
  await frame.locator('.row[data-index="0"] .row-title', { hasText: firstTitle }).waitFor({ timeout: 20_000 });
}

/**
 * Records CSP violations inside the webview frame from now on.
 * @param {Frame} frame
 */
async function watchCsp(frame) {
  await frame.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

/** @param {Frame} frame @returns {Promise<string[]>} */
async function cspViolations(frame) {
  return frame.evaluate(() => /** @type {any} */ (window).__cspViolations ?? []);
}

export const checks = [
  {
    name: 'sidebar: type "focal", open the focal-loss paper with its formula rendered, copy BibTeX; light and dark',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      const frame = await openPapers(wb);
      await watchCsp(frame);
      await frame.locator('.status', { hasText: /papers?/ }).first().waitFor();
      await search(frame, 'focal', FOCAL_PAPER);
      await frame.locator('.row[data-index="0"] .chip', { hasText: /focal/i }).first().waitFor();
      await wb.screenshot('results-focal');

      await frame.locator('.row[data-index="0"]').click();
      const detail = frame.locator('article.detail');
      await detail.locator('h2.paper-title', { hasText: FOCAL_PAPER }).waitFor();
      // Formulas are KaTeX output, with KaTeX's fonts and layout styles applied (no CSP errors).
      await detail.locator('.concept .formula .katex .katex-html').first().waitFor();
      const katexCount = await detail.locator('.katex').count();
      assert.ok(katexCount >= 1, `expected the focal loss formula rendered, found ${katexCount} .katex elements`);
      const styled = await detail.locator('.katex .strut').first().evaluate((el) => /** @type {HTMLElement} */ (el).style.height);
      assert.ok(styled && styled.endsWith('em'), `KaTeX layout styles were not applied (height: ${styled})`);
      const leftover = await detail.locator('[data-katex-style]').count();
      assert.equal(leftover, 0, 'KaTeX styles left as data attributes');
      const font = await detail.locator('.katex').first().evaluate((el) => getComputedStyle(el).fontFamily);
      assert.match(font, /KaTeX_Main/);
      await detail.locator('.concept .formula').first().scrollIntoViewIfNeeded();
      await wb.screenshot('detail-with-math');

      await detail.locator('button[data-action="copy-bibtex"]').click();
      await frame.locator('.toast', { hasText: /BibTeX copied/ }).waitFor();
      await wb.page.locator('.statusbar', { hasText: /BibTeX for .* copied/ }).waitFor();

      assert.deepEqual(await cspViolations(frame), [], 'Content Security Policy violations in the webview');

      await detail.locator('.concept .formula').first().scrollIntoViewIfNeeded();
      await wb.setTheme('light');
      await detail.locator('.katex').first().waitFor();
      await wb.screenshot('detail-light');
      await wb.setTheme('dark');
      await detail.locator('.katex').first().waitFor();
      await wb.screenshot('detail-dark');
      // The side bar alone, for the README.
      await wb.page.locator('.part.sidebar').screenshot({ path: `${wb.screenshotDir}/sidebar-detail-dark.png` });
    },
  },
  {
    name: 'sidebar: "harmonc loss" puts the harmonic loss paper first; keyboard; state survives hiding the view',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      const frame = await openPapers(wb);
      await search(frame, 'harmonc loss', HARMONIC_PAPER);
      await frame.locator('.notes', { hasText: /harmonic/ }).waitFor();
      await wb.setTheme('light');
      await wb.screenshot('typo-light');
      await wb.page.locator('.part.sidebar').screenshot({ path: `${wb.screenshotDir}/sidebar-results-light.png` });
      await wb.setTheme('dark');
      await wb.screenshot('typo-dark');

      // Keyboard: ↓ from the search box enters the list, Enter opens, Escape comes back.
      await frame.locator('input.query').press('ArrowDown');
      const list = frame.locator('[role="listbox"]');
      await frame.locator('.row.active[data-index="0"]').waitFor();
      assert.equal(await list.getAttribute('aria-activedescendant'), 'result-0');
      await list.press('ArrowDown');
      await frame.locator('.row.active[data-index="1"]').waitFor();
      await list.press('ArrowUp');
      await list.press('Enter');
      await frame.locator('article.detail h2.paper-title', { hasText: HARMONIC_PAPER }).waitFor();
      await frame.locator('article.detail h2.paper-title').press('Escape');
      await frame.locator('.row.active[data-index="0"]').waitFor();

      // Virtualised: with every paper listed, only the rows in view (and a margin) exist.
      await frame.locator('input.query').fill('');
      // Every shipped paper: the seed page's and the classics.
      const status = frame.locator('.status', { hasText: /^\d+ papers$/ });
      await status.waitFor();
      const total = Number((await status.textContent())?.match(/^(\d+)/)?.[1]);
      assert.ok(total > 41, `the seed papers and the classics are listed (${total})`);
      const rendered = await frame.locator('.row').count();
      assert.ok(rendered > 0 && rendered < total, `${rendered} rows in the DOM for ${total} results`);
      await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await frame.locator(`.row[data-index="${total - 1}"]`).waitFor();
      assert.equal(await frame.locator('.row[data-index="0"]').count(), 0, 'rows scrolled away are removed');
      await frame.locator('input.query').fill('harmonc loss');
      await frame.locator('.row[data-index="0"] .row-title', { hasText: HARMONIC_PAPER }).waitFor();

      // Hide the view (another container) and come back: the query and results are restored.
      await wb.openView('Explorer');
      const again = await openPapers(wb);
      assert.equal(await again.locator('input.query').inputValue(), 'harmonc loss');
      await again.locator('.row[data-index="0"] .row-title', { hasText: HARMONIC_PAPER }).waitFor();
    },
  },
  {
    name: 'sidebar: find usages in the workspace from a paper, open one in the editor',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      const frame = await openPapers(wb);
      await search(frame, 'cut your losses', 'Cut Your Losses in Large-Vocabulary Language Models');
      await frame.locator('.row[data-index="0"]').click();
      const detail = frame.locator('article.detail');
      await detail.locator('button[data-action="find-usages"]').click();
      const usages = frame.locator('section.usages');
      await usages.locator('.status', { hasText: /usages? in \d+ files?/ }).waitFor({ timeout: 60_000 });
      const files = await usages.locator('.usage-file h3').allTextContents();
      assert.ok(files.some((f) => f.endsWith('train_cifar.py')), JSON.stringify(files));
      // Hits streamed during the scan and the final reply make one list: each usage once, each file once.
      const summary = String(await usages.locator('.status').textContent());
      const listed = await usages.locator('button.usage').count();
      assert.equal(listed, Number(/^(\d+)/.exec(summary)?.[1]), `${listed} buttons for "${summary}"`);
      assert.equal(new Set(files).size, files.length, `a file listed twice: ${JSON.stringify(files)}`);
      await wb.screenshot('usages');
      const cifar = usages.locator('.usage-file', { has: frame.locator('h3', { hasText: 'train_cifar.py' }) });
      const first = cifar.locator('button.usage').first();
      const position = await first.locator('.usage-pos').textContent();
      await first.click();
      // A preview tab: its label is "train_cifar.py" with a suffix, so match the text.
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'train_cifar.py' }).waitFor();
      const line = Number(String(position).split(':')[0]);
      await wb.page.locator('.statusbar', { hasText: new RegExp(`Ln ${line}, Col`) }).waitFor();
    },
  },
  {
    name: 'sidebar: the hover card\'s "Show in sidebar" opens the papers of that loss',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      await wb.openFile('classification/train_cifar.py');
      // Hovers need the extension active (opening Python activates it, asynchronously).
      await wb.waitForOutputChannel('PaperLens');
      let hover;
      for (let attempt = 0; ; attempt++) {
        try {
          hover = await wb.hoverWord('CrossEntropyLoss', { line: 46 });
          break;
        } catch (err) {
          if (attempt >= 2) throw err;
          await wb.page.keyboard.press('Escape');
        }
      }
      await hover.locator('a', { hasText: 'Show in sidebar' }).click();
      // The command opens the container itself (clicking its icon now would close it again).
      await wb.page.locator('.part.sidebar .composite.title .title-label h2', { hasText: /PaperLens/i }).waitFor();
      const frame = await papersFrame(wb);
      await frame.locator('.status', { hasText: /^\d+ papers?$/ }).waitFor();
      await frame.waitForFunction(() => /** @type {HTMLSelectElement | null} */ (document.querySelector('select.concept-filter'))?.value === 'cross-entropy');
      const chips = await frame.locator('.row[data-index="0"] .chip').allTextContents();
      assert.ok(chips.some((c) => /cross-entropy/i.test(c)), JSON.stringify(chips));
      await wb.screenshot('show-concept');
    },
  },
  {
    name: 'sidebar: a hostile paper in the workspace corpus renders as inert text',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      // A papers file in the workspace (picked up by paperlens.corpus.paths' default), in a scratch
      // folder removed afterwards, as the user-corpus integration test does.
      const prefix = 'zz-paperlens-e2e-hostile-';
      for (const name of readdirSync(wb.samplesDir)) if (name.startsWith(prefix)) rmSync(path.join(wb.samplesDir, name), { recursive: true, force: true });
      const dir = path.join(wb.samplesDir, `${prefix}${process.pid}`);
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(path.join(dir, 'hostile.paperlens.json'), JSON.stringify({
          papers: [{
            id: 'hostile-e2e',
            title: 'Zyzzyva <script>window.__pwned=1</script> loss <img src=x onerror="window.__pwned=2">',
            abstract: 'We test <img src=x onerror="window.__pwned=3"> and <script>window.__pwned=4</script> and [a link](javascript:window.__pwned=5) and <a href="javascript:window.__pwned=6">raw</a>, with math $x^2$.',
            authors: ['Eve <b onmouseover="window.__pwned=7">Mallory</b>'],
            year: 2099,
            code: 'https://example.org/zyzzyva',
            concepts: [{ id: 'focal', relation: 'studies' }],
          }],
        }, null, 2));
        const frame = await openPapers(wb);
        await watchCsp(frame);
        // The corpus loads in the background and the view refreshes itself: search until it is there.
        await frame.locator('input.query').fill('zyzzyva');
        await frame.locator('.row[data-index="0"] .row-title', { hasText: 'Zyzzyva' }).waitFor({ timeout: 60_000 });
        const rowTitle = await frame.locator('.row[data-index="0"] .row-title').textContent();
        assert.match(String(rowTitle), /<script>window\.__pwned=1<\/script>/, 'the title shows its markup as text');
        await frame.locator('.row[data-index="0"]').click();
        const detail = frame.locator('article.detail');
        await detail.locator('h2.paper-title', { hasText: '<script>window.__pwned=1</script>' }).waitFor();
        await detail.locator('.abstract .katex').first().waitFor();
        assert.equal(await detail.locator('img, script, iframe').count(), 0, 'no element came from the text');
        const hrefs = await detail.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(hrefs.every((h) => h && /^https?:\/\//.test(h)), JSON.stringify(hrefs));
        assert.match(await detail.locator('.abstract').innerText(), /\[a link\]\(javascript:window\.__pwned=5\)/);
        assert.match(await detail.locator('.authors').innerText(), /<b onmouseover=/);
        await detail.locator('.authors').hover();
        await wb.page.waitForTimeout(500);
        assert.equal(await frame.evaluate(() => /** @type {any} */ (window).__pwned), undefined, 'hostile code ran');
        assert.deepEqual(await cspViolations(frame), []);
        await wb.screenshot('hostile-paper');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'sidebar: hostile text from the host stays text in the webview',
    timeoutMs: 120_000,
    /** @param {Workbench} wb */
    async run(wb) {
      const frame = await openPapers(wb);
      await watchCsp(frame);
      // Hints the parser cannot use come back from the host as notes, verbatim: markup in them
      // must show as text and never run.
      const hostile = 'year:<img/src=x/onerror=window.__pwned=1> has:<script>window.__pwned=2</script>';
      await frame.locator('input.query').fill(hostile);
      await frame.locator('.notes .note.warning', { hasText: '<img/src=x/onerror=window.__pwned=1>' }).waitFor();
      await frame.locator('.notes .note.warning', { hasText: '<script>window.__pwned=2</script>' }).waitFor();
      assert.equal(await frame.locator('.notes img, .notes script, .top img').count(), 0);
      await wb.page.waitForTimeout(500);
      assert.equal(await frame.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
      assert.deepEqual(await cspViolations(frame), []);
      await wb.screenshot('hostile-query');
    },
  },
];
