/**
 * Accessibility of every DNN Lab panel in the four default themes (Light Modern, Dark Modern, High Contrast, High
 * Contrast Light), in a real VS Code at 1400 × 900: axe-core runs inside each webview frame (the training panel
 * after a real run and with a config error, lessons 7-1, 7-2 after its baseline experiment, and 7-3) and the test
 * fails on any violation of impact serious or critical. Keyboard reach (the predictions grid, the confusion matrix,
 * the error entries) and the contributed chart colours are checked on the way; every screen is saved to
 * test-results/e2e/a11y-*.png. One VS Code per theme, one training run and one 7-2 experiment each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.js';
import { BAD_LAB, expectRunCompleted, smallLab, startWorkspace, type VsCode, screenshotOnFailure } from './harness.js';

// The page globals the evaluated functions use; this file is type-checked without the DOM library.
declare const document: { activeElement: unknown };
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string; stroke: string };

const EPOCHS = 2;

/** A small lab: two epochs on 2,000 images, a couple of seconds on the wasm backend. */
const LAB = smallLab({ name: 'A11y lab', epochs: EPOCHS, trainSamples: 2000, hidden: [32, 32, 32], seed: 5 });

const COMMANDS = {
  '7-1': 'Open Lesson 7-1: Backpropagation',
  '7-2': 'Open Lesson 7-2: Validating a Network',
  '7-3': 'Open Lesson 7-3: A Worked DNN Example',
} as const;

describe.each(['light', 'dark', 'hc', 'hcLight'] as const)('accessibility, %s theme', (theme) => {
  let vscode: VsCode;

  beforeAll(async () => {
    ({ vscode } = await startWorkspace({
      prefix: `a11y-ws-${theme}-`,
      files: { 'lab.dnn.json': LAB, 'bad.dnn.json': BAD_LAB },
      sharedMnist: true,
      theme,
      label: `a11y-${theme}`,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `a11y-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('the training panel after a run: no serious violation, charts with tables, keyboard reach', async () => {
    await vscode.openFile('lab.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    await expect
      .poll(() => page.locator('.run-status').getAttribute('data-status'), { timeout: 150_000, interval: 500 })
      .toBe('completed');
    expect(await page.locator('main h1').count()).toBe(1);
    // The screen reader's summary of the last epoch, and every chart's numbers as a table.
    await expect.poll(() => page.locator('#epoch-summary').textContent()).toMatch(/\S/);
    const table = page.locator('figure[data-chart="loss"] details.chart-data');
    await table.locator('summary').click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(EPOCHS);
    // The contributed colours exist in this theme: the page reads them, not a missing variable.
    const colours = await page
      .locator('body')
      .evaluate((body) =>
        ['chartTrain', 'chartTest', 'chartSeries4', 'weightNegative', 'mistakeForeground'].map((id) =>
          getComputedStyle(body).getPropertyValue(`--vscode-dnnLab-${id}`).trim(),
        ),
      );
    for (const colour of colours) expect(colour).toMatch(/^#[0-9a-f]{6}/i);
    await vscode.screenshot(`a11y-training-${theme}`);
    await page.locator('figure[data-chart="gradNorm"]').scrollIntoViewIfNeeded();
    await vscode.screenshot(`a11y-training-layers-${theme}`);
    await expectAccessible(vscode, `training panel, ${theme}`);

    // The predictions grid: one Tab stop, the arrow keys move, and the focused digit is told in words.
    const first = page.locator('.digit-grid .digit').first();
    await first.focus();
    await first.press('ArrowRight');
    await expect
      .poll(() =>
        page
          .locator('.digit-grid .digit')
          .nth(1)
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await expect.poll(() => page.locator('.predictions-grid-section .focus-detail').textContent()).toMatch(/#\d+/);
    // The confusion matrix: down one row from the top-left cell is true 1, predicted 0.
    const cell = page.locator('table.confusion tbody td').first();
    await cell.focus();
    await cell.press('ArrowDown');
    await expect.poll(() => page.locator('.confusion-section .focus-detail').textContent()).toMatch(/1\D+0/);
    await page.locator('#predictions').scrollIntoViewIfNeeded();
    await vscode.screenshot(`a11y-training-predictions-${theme}`);
  });

  it('the training panel with a config error: the entry opens the file at its line', async () => {
    await vscode.openFile('bad.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    const entry = page.locator('.error-box a.error-location').first();
    await expect.poll(() => entry.textContent(), { timeout: 30_000 }).toMatch(/bad\.dnn\.json:4:\d+/);
    await vscode.screenshot(`a11y-training-error-${theme}`);
    await expectAccessible(vscode, `training panel with an error, ${theme}`);
    await entry.focus();
    await entry.press('Enter');
    // The editor of bad.dnn.json, its cursor on line 4.
    await expect
      .poll(() => vscode.page.locator('.statusbar-item[id="status.editor.selection"]').textContent(), {
        timeout: 15_000,
      })
      .toMatch(/Ln 4, Col 16/);
    // Fixed there (10.9 -> 16) and saved, the config error leaves the panel: it belonged to no run.
    for (let i = 0; i < 4; i++) await vscode.page.keyboard.press('Shift+ArrowRight');
    await vscode.page.keyboard.type('16');
    await vscode.page.keyboard.press('Control+S');
    await expect.poll(() => page.locator('.error-box').isHidden(), { timeout: 15_000 }).toBe(true);
  });

  it.runIf(theme === 'light')(
    'the shown run, its overlays, the scroll and the error box survive hiding and reopening the panel',
    async () => {
      await vscode.openFile('lab.dnn.json');
      await vscode.runCommand('DNN Lab: Run Lab File');
      let page = vscode.webview();
      await expect.poll(() => page.locator('.history-item').count(), { timeout: 150_000, interval: 500 }).toBe(2);
      await expectRunCompleted(page);
      // The config error belonged to no run; a new run took it away.
      expect(await page.locator('.error-box').isHidden()).toBe(true);
      // Show the older run, overlay the newer one, scroll to the history.
      const older = page.locator('.history-item').nth(1);
      const olderId = await older.getAttribute('data-run-id');
      await older.locator('a.history-name').click();
      await expect.poll(() => page.locator('.history-item.shown').getAttribute('data-run-id')).toBe(olderId);
      await page.locator('.history-item').nth(0).locator('input.compare-box').check();
      await expect.poll(() => page.locator('.charts').getAttribute('data-overlays')).toBe('1');
      await page.locator('#history').scrollIntoViewIfNeeded();
      const scrolled = await page
        .locator('body')
        .evaluate(() => Math.round((globalThis as unknown as { scrollY: number }).scrollY));
      expect(scrolled).toBeGreaterThan(300);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the page saves its scroll 150 ms after the last event

      const expectSameView = async () => {
        page = vscode.webview();
        await page.locator('body[data-ready="true"]').waitFor({ timeout: 90_000 });
        await expect.poll(() => page.locator('.history-item.shown').getAttribute('data-run-id')).toBe(olderId);
        await expect.poll(() => page.locator('.charts').getAttribute('data-overlays')).toBe('1');
        const y = await page.locator('body').evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
        expect(Math.abs(y - scrolled)).toBeLessThan(40);
      };
      // Hidden behind an editor in its group (the page is destroyed: no retainContextWhenHidden), then shown again.
      const panelTab = vscode.page.locator('.tabs-container .tab[aria-label^="DNN Lab: Training"]');
      await panelTab.click();
      await vscode.openFile('bad.dnn.json');
      await expect.poll(() => vscode.page.locator('iframe.webview.ready >> visible=true').count()).toBe(0);
      await panelTab.click();
      await expectSameView();
      await vscode.screenshot(`a11y-training-restored-${theme}`);
      // Closed and opened again: the host kept the page's view.
      await panelTab.click();
      await vscode.runCommand('View: Close Editor');
      await expect.poll(() => panelTab.count()).toBe(0);
      await vscode.runCommand('DNN Lab: Open Training Panel');
      await expectSameView();
    },
  );

  it('lessons 7-1 and 7-3: no serious violation; 7-3 draws its negative weights', async () => {
    // One webview at a time: the training panel's group goes.
    await vscode.runCommand('View: Close All Editor Groups');
    for (const lesson of ['7-1', '7-3'] as const) {
      await vscode.runCommand(COMMANDS[lesson]);
      const page = vscode.webview();
      await page.locator('article.lesson .katex').first().waitFor({ timeout: 90_000 });
      await vscode.screenshot(`a11y-lesson-${lesson}-${theme}`);
      if (lesson === '7-3') {
        const figure = page.locator('figure.network').first();
        await figure.scrollIntoViewIfNeeded();
        // Negative edges are stroked with a colour the theme defines (High Contrast has no charts.orange).
        const stroke = await figure
          .locator('line.edge.negative')
          .first()
          .evaluate((line) => getComputedStyle(line).stroke);
        expect(stroke).toMatch(/^rgb\(/);
        await vscode.screenshot(`a11y-lesson-7-3-figure-${theme}`);
      }
      await expectAccessible(vscode, `lesson ${lesson}, ${theme}`);
    }
  });

  it('lesson 7-2 with its baseline run: no serious violation, curves in the theme', async () => {
    await vscode.runCommand(COMMANDS['7-2']);
    const page = vscode.webview();
    await page.locator('article.lesson').waitFor({ timeout: 90_000 });
    const card = page.locator('.experiment[data-experiment="baseline"]');
    await card.locator('vscode-button').first().click();
    await expect
      .poll(() => card.locator('.status').textContent(), { timeout: 280_000, interval: 1000 })
      .toMatch(/Lowest test loss|最低測試損失/);
    await page.locator('.overfit canvas').scrollIntoViewIfNeeded();
    await vscode.screenshot(`a11y-lesson-7-2-${theme}`);
    await expectAccessible(vscode, `lesson 7-2, ${theme}`);
  }, 400_000);
});
