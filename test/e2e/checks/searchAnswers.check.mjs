// @ts-check
// Honest search results in the Papers sidebar (issue 19): a query no paper is about says so first
// and lists weak matches under their own heading; a library identifier heads the results with the
// card of its loss (formula rendered); a corrected word offers "search instead" as typed.
import assert from 'node:assert/strict';

/** @typedef {import('../workbench.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

/**
 * The Papers webview's content frame, once its script has built the search box.
 * @param {Workbench} wb
 * @returns {Promise<Frame>}
 */
async function openPapers(wb) {
  await wb.openView('PaperLens');
  for (let attempt = 0; attempt < 120; attempt++) {
    for (const frame of wb.page.frames()) {
      if (frame.isDetached()) continue;
      if (await frame.locator('#app input.query').isVisible().catch(() => false)) return frame;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error('the Papers webview never showed its search box');
}

// No shipped paper, seed or classic, is about weather forecasting.
const NO_ANSWER = 'weather forecasting transformer';

export const checks = [
  {
    name: 'sidebar: a query no paper is about says so first, weak matches apart; an identifier shows its loss card; "search instead"',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      const frame = await openPapers(wb);
      await frame.locator('.status', { hasText: /papers?/ }).first().waitFor();
      const input = frame.locator('input.query');

      await input.fill(NO_ANSWER);
      const status = frame.locator('.status.no-answer');
      await status.waitFor({ timeout: 20_000 });
      assert.match(await status.innerText(), /^No paper in your corpus is about weather forecasting transformer\./);
      assert.equal(await status.locator('em').innerText(), NO_ANSWER);
      // The weak matches come under their own heading, the first row of the list: never mixed in.
      const heading = frame.locator('.row.section-heading[data-index="0"]');
      await heading.waitFor();
      assert.match(await heading.innerText(), /Weak matches/);
      assert.equal(await frame.locator('.concept-card').count(), 0, 'no loss named, no card');
      await wb.screenshot('search-no-answer');
      await wb.page.locator('.part.sidebar').screenshot({ path: `${wb.screenshotDir}/sidebar-no-answer.png` });

      await input.fill('BCEWithLogitsLoss pos_weight');
      const card = frame.locator('.concept-card[data-concept="binary-cross-entropy"]');
      await card.waitFor({ timeout: 20_000 });
      await card.locator('.formula .katex').first().waitFor();
      await card.locator('button[data-action="show-concept"]').waitFor();
      assert.equal(await frame.locator('.status.no-answer').count(), 0, 'the corpus has binary cross-entropy papers');
      assert.equal(await frame.locator('.row.section-heading[data-index="0"]').count(), 0, 'strong matches come first');
      await wb.screenshot('search-identifier-card');

      await input.fill('harmonc loss');
      const instead = frame.locator('.notes .search-instead', { hasText: 'harmonc' });
      await instead.waitFor({ timeout: 20_000 });
      await frame.locator('.row[data-index="0"] .row-title', { hasText: 'Harmonic Loss' }).waitFor();
      await instead.click();
      await frame.locator('.status.no-answer', { hasText: '"harmonc" loss' }).waitFor({ timeout: 20_000 });
      assert.equal(await input.inputValue(), '"harmonc" loss');
      await wb.screenshot('search-instead-as-typed');
    },
  },
];
