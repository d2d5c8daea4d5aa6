// @ts-check
// The Papers sidebar as a user sees it in the browser VS Code: search as you type, typo tolerance,
// a paper's detail with math rendered by KaTeX, Copy BibTeX, keyboard navigation, state that
// survives hiding the view, and screenshots in light and dark themes.
import assert from 'node:assert/strict';

/** @typedef {import('../workbench.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const FOCAL_PAPER = 'Benchmarking LLMs for Predictive Applications in the Intensive Care Units';
const HARMONIC_PAPER = 'Rethinking the Harmonic Loss via Non-Euclidean Distance Layers';

/**
 * Opens the PaperLens container and returns the Papers webview's content frame once its script
 * has built the search box (the handshake with the host is then under way).
 * @param {Workbench} wb
 * @returns {Promise<Frame>}
 */
async function openPapers(wb) {
  await wb.openView('PaperLens');
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
      assert.ok(katexCount >= 2, `expected rendered formulas, found ${katexCount} .katex elements`);
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

      // Hide the view (another container) and come back: the query and results are restored.
      await wb.openView('Explorer');
      const again = await openPapers(wb);
      assert.equal(await again.locator('input.query').inputValue(), 'harmonc loss');
      await again.locator('.row[data-index="0"] .row-title', { hasText: HARMONIC_PAPER }).waitFor();
    },
  },
];
