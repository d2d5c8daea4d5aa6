// @ts-check
// The loss hover as a user sees it: over `nn.CrossEntropyLoss` in a training script, in a light and
// a dark theme, the card shows the formula as a loaded image drawn in the theme's colour, and links
// to papers. Screenshots: test-results/screenshots/hover--*.png (the README uses the dark one).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Formula colour per theme kind, as src/core/formula/formulaImage.ts draws it. */
const FORMULA_COLORS = { light: '#1F1F1F', dark: '#D4D4D4' };

/** @type {import('../harness.mjs').Check[]} */
export const checks = [
  {
    name: 'hover card over nn.CrossEntropyLoss in light and dark themes',
    timeoutMs: 180_000,
    async run(wb) {
      const relativePath = 'classification/train_cifar.py';
      const lines = readFileSync(path.join(wb.samplesDir, relativePath), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.includes('nn.CrossEntropyLoss(')) + 1;
      assert.ok(line > 0, 'sample changed: no nn.CrossEntropyLoss( call');
      await wb.openFile(relativePath);

      for (const kind of /** @type {const} */ (['light', 'dark'])) {
        await wb.setTheme(kind);
        const hover = await wb.hoverWord('CrossEntropyLoss', { line });
        // Our card among the hover's parts: the one with the formula image.
        const img = hover.locator('img[src^="data:image/svg+xml"]').first();
        await img.waitFor();
        await wb.page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete, await img.elementHandle());
        const { naturalWidth, naturalHeight, src } = await img.evaluate((el) => {
          const image = /** @type {HTMLImageElement} */ (el);
          return { naturalWidth: image.naturalWidth, naturalHeight: image.naturalHeight, src: image.src };
        });
        assert.ok(naturalWidth > 0 && naturalHeight > 0, `formula image not loaded (${naturalWidth}×${naturalHeight}) in the ${kind} theme`);
        const svg = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64').toString('utf8');
        assert.ok(svg.includes(`fill="${FORMULA_COLORS[kind]}"`), `the formula is not drawn in the ${kind} theme's colour`);

        const text = await hover.innerText();
        assert.match(text, /Cross-entropy/);
        assert.match(text, /torch\.nn\.CrossEntropyLoss/);
        assert.match(text, /label_smoothing=0\.1/);
        // Paper links: rendered markdown links keep their target in href or data-href.
        const paperLinks = hover.locator('a[href*="arxiv.org"], a[data-href*="arxiv.org"], a[href*="huggingface.co"], a[data-href*="huggingface.co"]');
        assert.ok((await paperLinks.count()) >= 1, 'no paper link in the card');
        const actions = hover.locator('a[href^="command:paperlens."], a[data-href^="command:paperlens."]');
        assert.ok((await actions.count()) >= 2, 'no PaperLens action links in the card');
        await wb.screenshot(`hover ${kind}`);
        // A hover has about 250 px before it scrolls: scroll the card to show its papers and actions too.
        const box = await hover.boundingBox();
        if (box) {
          await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
          await wb.page.mouse.wheel(0, 2000);
          await paperLinks.first().waitFor({ state: 'visible' });
          // Smooth scrolling: let it settle so the screenshot is not mid-animation (nothing is asserted on it).
          await wb.page.waitForTimeout(300);
          await wb.screenshot(`hover ${kind} papers`);
        }

        // Close the hover before switching themes.
        await wb.page.keyboard.press('Escape');
        await wb.page.mouse.move(5, 5);
        await hover.waitFor({ state: 'hidden' }).catch(() => {});
      }
    },
  },
];
