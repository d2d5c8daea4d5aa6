// @ts-check
// A page object for the browser VS Code: the handful of gestures the e2e checks need, each waiting
// for the UI state it produces rather than sleeping. Selectors are VS Code 1.100's DOM; if an
// upgrade moves them, this is the one file to fix.
import path from 'node:path';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {import('playwright-core').Frame} Frame */

const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

export class Workbench {
  /**
   * @param {Page} page
   * @param {{url: string, screenshotDir: string, screenshotPrefix: string, samplesDir: string}} opts
   *   url: the workbench URL (with the extension under development in its payload)
   */
  constructor(page, { url, screenshotDir, screenshotPrefix, samplesDir }) {
    this.page = page;
    this.url = url;
    this.screenshotDir = screenshotDir;
    this.screenshotPrefix = screenshotPrefix;
    this.samplesDir = samplesDir;
    /** @type {string[]} screenshots taken so far, for the report */
    this.screenshots = [];
  }

  /** Loads the workbench and waits until the explorer lists the samples (the remote side is connected). */
  async open() {
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /**
   * The activity-bar entry whose label is `title` (VS Code appends the keybinding, "Explorer (Ctrl+Shift+E)").
   * @param {string} title
   * @returns {Locator}
   */
  activityBarItem(title) {
    return this.page.locator(`.part.activitybar a.action-label[aria-label="${title}"], .part.activitybar a.action-label[aria-label^="${title} ("]`).first();
  }

  /**
   * Opens a view container from the activity bar and returns the side bar, once it shows that container.
   * @param {string} title e.g. "PaperLens"
   * @returns {Promise<Locator>}
   */
  async openView(title) {
    await this.activityBarItem(title).click();
    const sidebar = this.page.locator('.part.sidebar');
    await sidebar.locator('.composite.title .title-label h2', { hasText: new RegExp(title, 'i') }).waitFor();
    return sidebar;
  }

  /**
   * Runs a command from the command palette by its label, e.g. "View: Close All Editors".
   * @param {string} label
   */
  async runCommand(label) {
    await this.page.keyboard.press('F1');
    await this.quickInput().fill(`>${label}`);
    // Fuzzy ranking can put another command first ("Browse Color Themes…" before "Color Theme"),
    // so pick the row whose label is exactly this one (VS Code appends ", <keybinding>").
    await this.quickPickRow(label).click();
  }

  /** The text box of the quick input (command palette, Quick Open, pickers). @returns {Locator} */
  quickInput() {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * The quick-pick row labelled exactly `label`.
   * @param {string} label
   * @returns {Locator}
   */
  quickPickRow(label) {
    const q = JSON.stringify(label);
    const q2 = JSON.stringify(`${label}, `);
    return this.page.locator(`.quick-input-list .monaco-list-row[aria-label=${q}], .quick-input-list .monaco-list-row[aria-label^=${q2}]`).first();
  }

  /** The labels of the rows in the open quick pick. @returns {Promise<string[]>} */
  async quickPickItems() {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  }

  /** Closes the quick input if one is open. */
  async dismissQuickInput() {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Names of the Output channels. A channel that an extension creates in activate() shows up here
   * only once it ran, which makes this a UI-level "is the extension active" probe.
   * @returns {Promise<string[]>}
   */
  async outputChannels() {
    // In a fresh profile the palette sometimes does not list "Output: Show Output Channels..." yet
    // (seen in CI): retry a few times, closing the palette in between, instead of failing at once.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await this.quickInput().fill('>Output: Show Output Channels...', { timeout: 5_000 });
        await this.quickPickRow('Output: Show Output Channels...').click({ timeout: 5_000 });
        // The palette row stays until the channel picker replaces it; wait for the picker's placeholder.
        await this.page.locator('.quick-input-widget .quick-input-box input[placeholder*="hannel"], .quick-input-widget .quick-input-box input[aria-label*="hannel"]').waitFor({ timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(1_000);
      }
    }
    const items = await this.quickPickItems();
    await this.dismissQuickInput();
    return items;
  }

  /**
   * Waits until the Output channel `name` exists (extensions create theirs in activate(), which
   * runs asynchronously after the activation event) and returns the channel list.
   * @param {string} name
   * @param {number} [attempts]
   * @returns {Promise<string[]>}
   */
  async waitForOutputChannel(name, attempts = 20) {
    let channels = await this.outputChannels();
    for (let i = 1; i < attempts && !channels.includes(name); i++) {
      await this.page.waitForTimeout(500);
      channels = await this.outputChannels();
    }
    return channels;
  }

  /**
   * Opens `samples/<relativePath>` through Quick Open and waits until its tab is active and its text is rendered.
   * @param {string} relativePath
   * @returns {Promise<Locator>} the active editor
   */
  async openFile(relativePath) {
    const name = path.basename(relativePath);
    await this.page.keyboard.press(`${mod}+P`);
    await this.quickInput().fill(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[aria-label="${name}"]`).waitFor();
    const editor = this.activeEditor();
    await editor.locator('.view-lines .view-line').first().waitFor();
    return editor;
  }

  /** The focused editor group's code editor. @returns {Locator} */
  activeEditor() {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
  }

  /**
   * Moves the cursor to a line (through "Go to Line") so that it is rendered, e.g. before hovering.
   * @param {number} line 1-based
   */
  async goToLine(line) {
    await this.page.keyboard.press(`${mod}+G`);
    await this.quickInput().fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Puts the mouse on the `occurrence`-th rendered occurrence of `word` in the active editor and
   * waits for the hover widget. Reveal the line first (goToLine) if it may be scrolled out of view.
   * @param {string} word
   * @param {{occurrence?: number, line?: number}} [opts] line: reveal this 1-based line first; occurrence counts from the top of the viewport
   * @returns {Promise<Locator>} the visible hover
   */
  async hoverWord(word, { occurrence = 0, line } = {}) {
    if (line !== undefined) await this.goToLine(line);
    const editor = this.activeEditor();
    // Rendered lines are absolutely positioned spans; find the word's on-screen rectangle with a DOM Range.
    const rect = await editor.locator('.view-lines').evaluate((linesEl, { word, occurrence }) => {
      const lines = [...linesEl.querySelectorAll('.view-line')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      let seen = 0;
      for (const lineEl of lines) {
        const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
          let at = text.indexOf(word);
          while (at >= 0) {
            if (seen++ === occurrence) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + word.length);
              const r = range.getBoundingClientRect();
              return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            }
            at = text.indexOf(word, at + 1);
          }
        }
      }
      return null;
    }, { word, occurrence });
    if (!rect) throw new Error(`"${word}" (occurrence ${occurrence}) is not rendered in the active editor`);
    // Start away from the word so that the move is a real "enter" for the hover controller.
    await this.page.mouse.move(rect.x, rect.y + 200);
    await this.page.mouse.move(rect.x, rect.y, { steps: 5 });
    // Providers answer asynchronously; until then the hover only says "Loading...". Workbench
    // tooltips (activity bar, tabs) are .monaco-hover too, marked .workbench-hover.
    const hover = this.page.locator('.monaco-hover:not(.hidden):not(.workbench-hover)').filter({ visible: true }).filter({ hasNotText: /^\s*Loading\.\.\.\s*$/ }).first();
    await hover.waitFor();
    return hover;
  }

  /**
   * The content frames of the webviews on screen (the `#active-frame` inside each webview iframe).
   * @param {{count?: number}} [opts] count: wait until at least this many are loaded
   * @returns {Promise<Frame[]>}
   */
  async webviewFrames({ count = 1 } = {}) {
    const outer = this.page.locator('iframe.webview.ready');
    await outer.nth(count - 1).waitFor({ state: 'attached' });
    /** @type {Frame[]} */
    const frames = [];
    for (const handle of await outer.elementHandles()) {
      const outerFrame = await handle.contentFrame();
      const inner = await outerFrame?.waitForSelector('iframe#active-frame', { state: 'attached' });
      const frame = await inner?.contentFrame();
      if (frame) {
        await frame.waitForLoadState('domcontentloaded');
        frames.push(frame);
      }
    }
    return frames;
  }

  /**
   * Switches the color theme through its picker and waits for the workbench to repaint in it.
   * @param {'light' | 'dark'} kind
   */
  async setTheme(kind) {
    const theme = kind === 'light' ? 'Light Modern' : 'Dark Modern';
    await this.runCommand('Preferences: Color Theme');
    await this.page.locator('.quick-input-widget .quick-input-box input[aria-label*="olor"]').waitFor();
    await this.quickInput().fill(theme);
    await this.quickPickRow(theme).click();
    await this.page.locator(`.monaco-workbench.${kind === 'light' ? 'vs' : 'vs-dark'}`).waitFor();
  }

  /** Closes every editor (a clean slate between steps of one check). */
  async closeAllEditors() {
    await this.runCommand('View: Close All Editors');
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
  }

  /**
   * Saves a screenshot as test-results/screenshots/<check prefix>--<name>.png.
   * @param {string} name
   * @returns {Promise<string>} the file written
   */
  async screenshot(name) {
    const slug = (/** @type {string} */ s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const file = path.join(this.screenshotDir, `${slug(this.screenshotPrefix).slice(0, 80)}--${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    this.screenshots.push(file);
    return file;
  }
}
