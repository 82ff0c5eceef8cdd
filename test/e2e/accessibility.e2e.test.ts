/**
 * Accessibility of every DNN Lab panel in the four default themes (Light Modern, Dark Modern, High Contrast, High
 * Contrast Light), in a real VS Code at 1400 × 900: axe-core runs inside each webview frame (the training panel
 * after a real run and with a config error, lessons 7-1, 7-2 after its baseline experiment, and 7-3) and the test
 * fails on any violation of impact serious or critical. Keyboard reach (the predictions grid, the confusion matrix,
 * the error entries) and the contributed chart colours are checked on the way; every screen is saved to
 * test-results/e2e/a11y-*.png. One VS Code per theme, one training run and one 7-2 experiment each.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import axe from 'axe-core';
import type { Frame } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVsCode, type VsCode } from './harness.js';

// The page globals the evaluated functions use; this file is type-checked without the DOM library.
declare const document: { activeElement: unknown };
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string; stroke: string };

const VSIX = process.env.DNN_LAB_VSIX ?? 'dist/dnn-lab.vsix';
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');
const EPOCHS = 2;

/** A small lab: two epochs on 2,000 images, a couple of seconds on the wasm backend. */
const LAB = `{
  "name": "A11y lab",
  "dataset": "mnist",
  "layers": [
    { "units": 32, "activation": "relu" },
    { "units": 32, "activation": "relu" },
    { "units": 32, "activation": "relu" },
    { "units": 10, "activation": "softmax" }
  ],
  "kernelInitializer": "heNormal",
  "optimizer": { "type": "adam", "learningRate": 0.005 },
  "batchSize": 100,
  "epochs": ${EPOCHS},
  "trainSamples": 2000,
  "testSamples": 1000,
  "seed": 5
}
`;

const BAD_LAB = `{
  "name": "Bad lab",
  "layers": [
    { "units": 10.9, "activation": "relu" },
    { "units": 10, "activation": "softmax" }
  ]
}
`;

const COMMANDS = {
  '7-1': 'Open Lesson 7-1: Backpropagation',
  '7-2': 'Open Lesson 7-2: Validating a Network',
  '7-3': 'Open Lesson 7-3: A Worked DNN Example',
} as const;

/** One axe violation, as the failure message lists it. */
interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** The inner frames of every visible webview: where the pages run. */
async function webviewFrames(vscode: VsCode): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const outer of await vscode.page.locator('iframe.webview.ready >> visible=true').elementHandles()) {
    const outerFrame = await outer.contentFrame();
    const inner = await outerFrame?.locator('iframe#active-frame').elementHandle();
    const frame = await inner?.contentFrame();
    if (frame) frames.push(frame);
  }
  return frames;
}

/**
 * Runs axe-core in every visible webview frame and returns the serious and critical violations (the others are
 * printed). Injected with evaluate, which the pages' Content-Security-Policy does not govern.
 */
async function seriousViolations(vscode: VsCode, where: string): Promise<Violation[]> {
  const frames = await webviewFrames(vscode);
  expect(frames.length, `${where}: no webview frame is visible`).toBeGreaterThan(0);
  const found: Violation[] = [];
  for (const frame of frames) {
    await frame.evaluate(axe.source);
    const violations = await frame.evaluate(async () => {
      const run = (globalThis as unknown as { axe: typeof axe }).axe.run;
      const results = await run({ resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
      }));
    });
    const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
    if (minor.length)
      console.log(
        `[${where}] minor axe findings: ${minor.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length} at ${v.nodes.map((n) => n.target).join(', ')}`).join('; ')}`,
      );
    found.push(...violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'));
  }
  return found;
}

async function expectAccessible(vscode: VsCode, where: string): Promise<void> {
  const violations = await seriousViolations(vscode, where);
  const text = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')}`)
    .join('\n');
  expect(violations, `${where}:\n${text}`).toEqual([]);
}

describe.each(['light', 'dark', 'hc', 'hcLight'] as const)('accessibility, %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), `a11y-ws-${theme}-`));
    fs.writeFileSync(path.join(workspace, 'lab.dnn.json'), LAB);
    fs.writeFileSync(path.join(workspace, 'bad.dnn.json'), BAD_LAB);
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'dnnLab.dataFolder': MNIST }));
    const options = {
      workspace,
      vsixPath: VSIX,
      theme,
      label: `a11y-${theme}`,
      viewport: { width: 1400, height: 900 },
    };
    vscode = await startVsCode(options).catch((err: unknown) => {
      console.warn(`[${theme}] VS Code did not start (${String(err).split('\n')[0]}); retrying once`);
      return startVsCode(options);
    });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await vscode?.screenshot(`FAILED-a11y-${theme}-${ctx.task.name.slice(0, 30)}`).catch(() => undefined);
  });

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
      await expect
        .poll(() => page.locator('.run-status').getAttribute('data-status'), { timeout: 150_000 })
        .toBe('completed');
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
