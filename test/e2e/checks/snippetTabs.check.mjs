// @ts-check
// The sidebar's framework tabs (issue 17) as a user sees them: with a JAX training script open,
// a paper's loss shows one tab per framework that has a verified implementation, the JAX tab
// selected first; another tab shows that framework's code and its own Insert button. Screenshots
// in the dark and light themes.
import assert from 'node:assert/strict';

/** @typedef {import('../workbench.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const KD_PAPER = 'Distilling the Knowledge in a Neural Network';

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
      await frame.locator('input.query').fill('distilling knowledge');
      await frame.locator('.row[data-index="0"] .row-title', { hasText: KD_PAPER }).waitFor({ timeout: 20_000 });
      await frame.locator('.row[data-index="0"]').click();
      const detail = frame.locator('article.detail');
      await detail.locator('h2.paper-title', { hasText: KD_PAPER }).waitFor();

      const snippets = detail.locator('.snippets[data-concept="knowledge-distillation"]');
      const tabs = snippets.locator('[role="tab"]');
      await tabs.first().waitFor();
      assert.deepEqual(await tabs.allTextContents(), ['PyTorch', 'JAX', 'Keras']);
      const jaxTab = snippets.locator('[role="tab"][data-framework="jax"]');
      assert.equal(await jaxTab.getAttribute('aria-selected'), 'true', 'the open file imports jax: its tab comes first');
      const code = snippets.locator('pre.snippet-code');
      assert.match(await code.textContent() ?? '', /import jax\.numpy as jnp[\s\S]*jax\.lax\.stop_gradient/);
      assert.equal(await snippets.locator('button[data-action="insert-snippet"]').textContent(), 'Insert JAX snippet');
      await snippets.scrollIntoViewIfNeeded();
      await wb.screenshot('framework-tabs-jax-dark');

      // Keyboard and mouse both switch tabs; the code and the Insert button follow.
      await jaxTab.press('ArrowRight');
      await snippets.locator('[role="tab"][data-framework="keras"][aria-selected="true"]').waitFor();
      assert.match(await code.textContent() ?? '', /from keras import ops[\s\S]*ops\.stop_gradient/);
      assert.equal(await snippets.locator('button[data-action="insert-snippet"]').getAttribute('data-framework'), 'keras');
      await wb.setTheme('light');
      await snippets.scrollIntoViewIfNeeded();
      await wb.screenshot('framework-tabs-keras-light');
      await wb.page.locator('.part.sidebar').screenshot({ path: `${wb.screenshotDir}/sidebar-framework-tabs-light.png` });
      await snippets.locator('[role="tab"][data-framework="pytorch"]').click();
      assert.match(await code.textContent() ?? '', /import torch\.nn\.functional as F/);
      await wb.setTheme('dark');
    },
  },
];
