// @ts-check
// Opening a training script shows it in an editor and activates PaperLens (onLanguage:python).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** @type {import('../harness.mjs').Check[]} */
export const checks = [
  {
    name: 'a Python sample opens in the editor with PaperLens active',
    async run(wb) {
      const relativePath = 'classification/train_cifar.py';
      const editor = await wb.openFile(relativePath);
      assert.match(await editor.getAttribute('data-uri') ?? '', /classification\/train_cifar\.py$/);
      // The rendered text is the file's text: compare an import line that is on screen at the top.
      const expected = readFileSync(path.join(wb.samplesDir, relativePath), 'utf8').split('\n').find((l) => l.startsWith('import torch.nn.functional'));
      assert.ok(expected, 'sample changed: no `import torch.nn.functional` line');
      await editor.locator('.view-line', { hasText: expected.replace(/ /g, '\u00a0') }).or(editor.locator('.view-line', { hasText: expected })).first().waitFor();
      assert.match(await wb.page.locator('.statusbar').innerText(), /Python/, 'status bar language is not Python');

      // activate() creates the "PaperLens" output channel, so its presence proves activation ran.
      const channels = await wb.waitForOutputChannel('PaperLens');
      assert.ok(channels.includes('PaperLens'), `no PaperLens output channel; channels: ${channels.join(', ')}`);
      await wb.screenshot('python file open');
    },
  },
];
