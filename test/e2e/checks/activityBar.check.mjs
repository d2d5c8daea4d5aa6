// @ts-check
// The PaperLens view container is contributed to the activity bar and opens.
import * as assert from 'node:assert/strict';

/** @type {import('../harness.mjs').Check[]} */
export const checks = [
  {
    name: 'activity bar shows the PaperLens view container',
    async run(wb) {
      const item = wb.activityBarItem('PaperLens');
      await item.waitFor();
      assert.equal(await item.getAttribute('aria-label'), 'PaperLens');
      await wb.screenshot('activity bar');
      const sidebar = await wb.openView('PaperLens');
      assert.ok(await sidebar.isVisible(), 'the side bar did not open on the PaperLens container');
      await wb.screenshot('container open');
    },
  },
];
