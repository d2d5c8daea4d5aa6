// @ts-check
// The sidebar's framework tabs (issue 17) as a user sees them: with a JAX training script open,
// a paper's loss shows one tab per framework that has a verified implementation, the JAX tab
// selected first; another tab shows that framework's code and its own Insert button. Screenshots
// in the dark and light themes.
import assert from 'node:assert/strict';

/** @typedef {import('../workbench.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const DICE_PAPER = 'Dice Loss for Data-imbalanced NLP Tasks';

/**
 * The Papers webview's content frame, once its script has built the search box.
 * @param {Workbench} wb
 * @returns {Promise<Frame>}
 */
async function papersFrame(wb) {
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

export const checks = [
  {
    name: 'sidebar: framework tabs of a loss, JAX first next to a JAX file; the Keras tab shows keras.ops code',
    timeoutMs: 180_000,
    /** @param {Workbench} wb */
    async run(wb) {
      await wb.openFile('jax/train_optax.py');
      await wb.waitForOutputChannel('PaperLens');
      await wb.openView('PaperLens');
      const frame = await papersFrame(wb);
      await frame.locator('input.query').fill('dice loss data-imbalanced');
      await frame.locator('.row[data-index="0"] .row-title', { hasText: DICE_PAPER }).waitFor({ timeout: 20_000 });
      await frame.locator('.row[data-index="0"]').click();
      const detail = frame.locator('article.detail');
      await detail.locator('h2.paper-title', { hasText: DICE_PAPER }).waitFor();

      // The paper's own loss ships for PyTorch only: the detail says so next to a JAX file.
      const dsc = detail.locator('.snippets[data-concept="self-adjusting-dice"]');
      await dsc.locator('.snippet-missing', { hasText: /No verified JAX implementation of Self-adjusting Dice loss/ }).waitFor();
      assert.deepEqual(await dsc.locator('[role="tab"]').allTextContents(), ['PyTorch']);

      const snippets = detail.locator('.snippets[data-concept="dice"]');
      const tabs = snippets.locator('[role="tab"]');
      await tabs.first().waitFor();
      assert.deepEqual(await tabs.allTextContents(), ['PyTorch', 'JAX', 'Keras']);
      const jaxTab = snippets.locator('[role="tab"][data-framework="jax"]');
      assert.equal(await jaxTab.getAttribute('aria-selected'), 'true', 'the open file imports jax: its tab comes first');
      const code = snippets.locator('pre.snippet-code');
      assert.match(await code.textContent() ?? '', /import jax\.numpy as jnp[\s\S]*def dice_loss\([\s\S]*jnp\.sum\(p \* t, axis=1\)/);
      assert.equal(await snippets.locator('button[data-action="insert-snippet"]').textContent(), 'Insert JAX snippet');
      await snippets.scrollIntoViewIfNeeded();
      await wb.screenshot('framework-tabs-jax-dark');

      // Keyboard and mouse both switch tabs; the code and the Insert button follow.
      await jaxTab.press('ArrowRight');
      await snippets.locator('[role="tab"][data-framework="keras"][aria-selected="true"]').waitFor();
      assert.match(await code.textContent() ?? '', /from keras import ops[\s\S]*ops\.sum\(probs \* t, axis=axes\)/);
      assert.equal(await snippets.locator('button[data-action="insert-snippet"]').getAttribute('data-framework'), 'keras');
      await wb.setTheme('light');
      await snippets.scrollIntoViewIfNeeded();
      await wb.screenshot('framework-tabs-keras-light');
      await wb.page.locator('.part.sidebar').screenshot({ path: `${wb.screenshotDir}/sidebar-framework-tabs-light.png` });
      await snippets.locator('[role="tab"][data-framework="pytorch"]').click();
      assert.match(await code.textContent() ?? '', /import torch[\s\S]*def dice_loss\([\s\S]*torch\.Tensor/);
      await wb.setTheme('dark');
    },
  },
];
