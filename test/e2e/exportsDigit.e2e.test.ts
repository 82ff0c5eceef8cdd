/**
 * The training panel's Export menu and "your own digit" in a real VS Code (code-server + Chromium) with the packaged
 * extension: after a run, the Export… button opens a Quick Pick of tables, charts and scripts, VS Code's save dialog
 * writes the file in the workspace (asking before replacing one), and Open shows it; a "1" drawn with the mouse on
 * the 28 × 28 pad is predicted as a 1 by the run's own network, and a test image picked from the list gets the
 * prediction the run itself made for it; the exported chart PNG carries its legend; under four overlaid runs the
 * plot keeps at least PLOT_FLOOR pixels of height. Screenshots at 1400 × 900 in Light, Dark, High Contrast and, for
 * the pad, in Traditional Chinese (VS Code's display language).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startVsCode, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

// The page globals legendColours evaluates in the browser; this file is type-checked without the DOM library.
declare const document: {
  createElement(tag: 'canvas'): {
    width: number;
    height: number;
    getContext(kind: '2d'): {
      drawImage(image: unknown, x: number, y: number): void;
      getImageData(
        x: number,
        y: number,
        w: number,
        h: number,
      ): { data: Uint8ClampedArray; width: number; height: number };
    } | null;
  };
};
declare const Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number; naturalHeight: number };

const VSIX = process.env.DNN_LAB_VSIX ?? 'dist/dnn-lab.vsix';
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

/** 784-128-64-10 on 12,000 images for 3 epochs: about 95% on the test images, a few seconds on the wasm backend. */
const LAB = `{
  "name": "Digit lab",
  "layers": [
    { "units": 128, "activation": "relu" },
    { "units": 64, "activation": "relu" },
    { "units": 10, "activation": "softmax" }
  ],
  "kernelInitializer": "heNormal",
  "optimizer": { "type": "adam", "learningRate": 0.002 },
  "batchSize": 64,
  "epochs": 3,
  "trainSamples": 12000,
  "testSamples": 2000,
  "seed": 5
}
`;

/** A run of a few seconds, run four times to overlay its runs on one another. */
const QUICK_LAB = `{
  "name": "Overlay lab",
  "layers": [{ "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
  "epochs": 2, "trainSamples": 2000, "testSamples": 500, "seed": 3
}
`;

/** The plot's height (the chart area inside the axes) must stay at least this, in CSS pixels, under any legend. */
const PLOT_FLOOR = 150;

const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Picks the Quick Pick row whose label starts with `label`. */
async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator(QUICK_ROWS, { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/**
 * The bottom block of ink of a PNG (the legend: the rows below the last blank band) and the distinct saturated
 * colours in it, decoded by the browser.
 */
async function legendColours(page: Page, png: Buffer): Promise<{ height: number; colours: string[] }> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const inked = (y: number) => {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) return true;
      }
      return false;
    };
    let bottom = height - 1;
    while (bottom > 0 && !inked(bottom)) bottom--;
    let top = bottom;
    // A blank band of 6 rows or more ends the block.
    for (let blank = 0; top > 0 && blank < 6; top--) blank = inked(top - 1) ? 0 : blank + 1;
    const colours = new Set<string>();
    for (let y = top; y <= bottom; y++)
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 80) colours.add([r, g, b].map((c) => c >> 5).join(','));
      }
    return { height: bottom - top + 1, colours: [...colours] };
  }, png.toString('base64'));
}

// 'zh-tw' is the Light theme in VS Code's Traditional Chinese display language (the pad's strings are the page's).
describe.each(e2eThemes(['light', 'dark', 'hc', 'zh-tw'] as const))(
  'training panel exports and your own digit, %s',
  (variant) => {
    const theme = variant === 'zh-tw' ? 'light' : variant;
    const zh = variant === 'zh-tw';
    let vscode: VsCode;
    let workspace: string;

    beforeAll(async () => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), `exports-ws-${variant}-`));
      fs.writeFileSync(path.join(workspace, 'digit.dnn.json'), LAB);
      fs.mkdirSync(path.join(workspace, '.vscode'));
      fs.writeFileSync(
        path.join(workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'dnnLab.dataFolder': MNIST }),
      );
      const options = {
        workspace,
        vsixPath: VSIX,
        theme,
        label: `exports-${variant}`,
        viewport: { width: 1400, height: 900 },
        ...(zh && { locale: 'zh-tw' }),
      };
      vscode = await startVsCode(options).catch((err: unknown) => {
        console.warn(`[${variant}] VS Code did not start (${String(err).split('\n')[0]}); retrying once`);
        return startVsCode(options);
      });
    }, 300_000);

    screenshotOnFailure(() => vscode, `exports-${variant}`);

    afterAll(async () => {
      await vscode?.close();
    });

    it('keeps the run’s weights beside its record and predicts a 1 drawn with the mouse', async () => {
      await vscode.openFile('digit.dnn.json');
      await vscode.runCommand(zh ? 'DNN Lab: 執行 Lab 檔' : 'DNN Lab: Run Lab File');
      const page = vscode.webview();
      if (zh) await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-tw');
      await expect
        .poll(() => page.locator('.run-status').getAttribute('data-status'), { timeout: 180_000, interval: 500 })
        .toMatch(/completed|failed/);
      expect(await page.locator('.run-status').getAttribute('data-status')).toBe('completed');
      const runs = path.join(workspace, '.dnnlab', 'runs');
      const record = fs.readdirSync(runs).find((f) => f.endsWith('.json')) as string;
      const weights = record.replace(/\.json$/, '.weights.bin');
      await expect.poll(() => fs.existsSync(path.join(runs, weights)), { timeout: 15_000 }).toBe(true);
      // 784·128 + 128 + 128·64 + 64 + 64·10 + 10 float32 and a 36-byte header.
      expect(fs.statSync(path.join(runs, weights)).size).toBe(36 + 4 * 109_386);

      const pad = page.locator('.own-digit-pad');
      await pad.scrollIntoViewIfNeeded();
      const box = await pad.boundingBox();
      if (!box) throw new Error('the drawing pad has no box');
      // A "1" as a student draws it: one stroke, a little slanted, off-centre.
      const mouse = vscode.page.mouse;
      await mouse.move(box.x + box.width * 0.58, box.y + box.height * 0.18);
      await mouse.down();
      await mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.84, { steps: 25 });
      await mouse.up();
      await expect.poll(() => page.locator('#own-digit').getAttribute('data-predicted'), { timeout: 15_000 }).toBe('1');
      expect(await page.locator('.own-digit-outputs li').count()).toBe(10);
      expect(await page.locator('.own-digit-delta').count()).toBe(3);
      expect(await page.locator('.own-digit-delta').first().locator('.own-digit-cells span').count()).toBe(128);
      expect(Number(await page.locator('.own-digit-preview').getAttribute('data-ink'))).toBeGreaterThan(0);
      // δ for another target: the output layer's δ^L = y − target, so the target's own entry turns negative.
      await page.locator('#own-digit-target').selectOption('7');
      await expect
        .poll(() => page.locator('.own-digit-cells.output span').nth(7).getAttribute('class'), { timeout: 10_000 })
        .toBe('neg');
      await page.locator('#own-digit').scrollIntoViewIfNeeded();
      await vscode.screenshot(`own-digit-drawn-${variant}`);
      await page.locator('.own-digit-deltas').scrollIntoViewIfNeeded();
      await vscode.screenshot(`own-digit-deltas-${variant}`);
    });

    it('predicts a picked test image as the run itself did (the keyboard way in)', async () => {
      const page = vscode.webview();
      const runs = path.join(workspace, '.dnnlab', 'runs');
      const file = fs.readdirSync(runs).find((f) => f.endsWith('.json')) as string;
      const record = JSON.parse(fs.readFileSync(path.join(runs, file), 'utf8'));
      const digit = record.predictions.digits[0];
      await page.locator('#own-digit-target').selectOption('');
      await page.locator('#own-digit-test').focus();
      await page.locator('#own-digit-test').selectOption('0');
      await expect
        .poll(() => page.locator('#own-digit').getAttribute('data-predicted'), { timeout: 15_000 })
        .toBe(String(digit.predicted));
      await page.locator('#own-digit').scrollIntoViewIfNeeded();
      await vscode.screenshot(`own-digit-test-image-${variant}`);
    });

    it.runIf(!zh)(
      'exports the epochs as CSV through the Quick Pick and the save dialog, and a chart as PNG',
      async () => {
        const page = vscode.webview();
        await page.locator('#export').click();
        await pick(vscode.page, 'Epochs (CSV)');
        // Screenshot of the menu itself, opened again below, after this export.
        const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
        await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toMatch(/digit-lab-epochs\.csv$/);
        await vscode.page.keyboard.press('Enter');
        const csv = path.join(workspace, 'digit-lab-epochs.csv');
        await expect.poll(() => fs.existsSync(csv), { timeout: 15_000 }).toBe(true);
        const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
        expect(lines[0]).toBe('epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds');
        expect(lines).toHaveLength(4);
        const saved = vscode.page.locator('.notifications-toasts', { hasText: 'Saved' });
        await saved.waitFor({ timeout: 15_000 });
        await saved.getByRole('button', { name: 'Open' }).click();
        await vscode.page.locator('.tab.active', { hasText: 'digit-lab-epochs.csv' }).waitFor({ timeout: 15_000 });

        // The menu, as a student sees it, then the loss chart as a PNG.
        await vscode.page.locator('.tab', { hasText: 'DNN Lab: Training' }).click();
        await vscode.webview().locator('#export').click();
        await vscode.page.locator(QUICK_ROWS).first().waitFor({ timeout: 15_000 });
        await vscode.screenshot(`export-menu-${variant}`);
        await pick(vscode.page, 'Loss per epoch (PNG)');
        await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toMatch(/digit-lab-loss\.png$/);
        await vscode.page.keyboard.press('Enter');
        const png = path.join(workspace, 'digit-lab-loss.png');
        await expect
          .poll(() => fs.existsSync(png) && fs.statSync(png).size, { timeout: 15_000 })
          .toBeGreaterThan(5_000);
        expect([...fs.readFileSync(png).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        fs.copyFileSync(png, path.join(RESULTS_DIR, `exported-loss-${theme}.png`));
        // The legend is drawn into the picture under the plot: its swatches are the train and test curves' colours.
        const legend = await legendColours(vscode.page, fs.readFileSync(png));
        // At least a line of 12 px text at the export's twice the screen's pixels.
        expect(legend.height).toBeGreaterThanOrEqual(20);
        expect(legend.colours.length).toBeGreaterThanOrEqual(2);
      },
    );

    it.runIf(variant === 'light')('asks before replacing a file, and keeps it when told not to', async () => {
      const csv = path.join(workspace, 'digit-lab-epochs.csv');
      fs.writeFileSync(csv, 'my own notes\n');
      await vscode.page.locator('.tab', { hasText: 'DNN Lab: Training' }).click();
      await vscode.webview().locator('#export').click();
      await pick(vscode.page, 'Epochs (CSV)');
      const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
      await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toMatch(/digit-lab-epochs\.csv$/);
      await vscode.page.keyboard.press('Enter');
      // VS Code's own confirmation: the file is replaced only on "Replace"/"Yes".
      const dialog = vscode.page.locator('.monaco-dialog-box, .quick-input-widget', { hasText: /already exists/ });
      await dialog.first().waitFor({ timeout: 15_000 });
      await vscode.screenshot(`export-replace-${theme}`);
      await vscode.page.keyboard.press('Escape');
      await vscode.page.waitForTimeout(1_000);
      expect(fs.readFileSync(csv, 'utf8')).toBe('my own notes\n');
    });

    it.runIf(variant === 'light')('keeps the plot at a usable height under four overlays', async () => {
      fs.writeFileSync(path.join(workspace, 'overlay.dnn.json'), QUICK_LAB);
      const before = await vscode.webview().locator('.history-item').count();
      await vscode.openFile('overlay.dnn.json');
      for (let i = 1; i <= 4; i++) {
        // Back to the config's editor by its tab: quick open, once the file is open, lost its row for a minute at
        // load (a full e2e run at load ~3 failed on "not found by quick open" in the third round).
        await vscode.page.locator('.tab', { hasText: 'overlay.dnn.json' }).first().click();
        await vscode.page.locator('.tabs-container .tab.active[aria-label^="overlay.dnn.json"]').waitFor();
        await vscode.runCommand('DNN Lab: Run Lab File');
        const page = vscode.webview();
        await expect
          .poll(() => page.locator('.history-item').count(), { timeout: 120_000, interval: 500 })
          .toBe(before + i);
        await expect
          .poll(() => page.locator('.run-status').getAttribute('data-status'), { timeout: 120_000, interval: 500 })
          .toBe('completed');
      }
      const page = vscode.webview();
      const boxes = page.locator('.history-item input.compare-box:not([disabled])');
      for (let i = 0; i < 4; i++) await boxes.nth(i).check();
      await expect.poll(() => page.locator('.charts').getAttribute('data-overlays')).toBe('4');
      const loss = page.locator('figure[data-chart="loss"]');
      await expect.poll(() => loss.locator('.legend li').count()).toBe(6);
      const heights: Record<string, number> = {};
      for (const chart of ['loss', 'accuracy'])
        heights[chart] = Number(await page.locator(`figure[data-chart="${chart}"]`).getAttribute('data-plot-height'));
      console.log(`[${variant}] plot height under four overlays: ${JSON.stringify(heights)} CSS px`);
      for (const height of Object.values(heights)) expect(height).toBeGreaterThanOrEqual(PLOT_FLOOR);
      await loss.scrollIntoViewIfNeeded();
      await vscode.screenshot(`training-four-overlays-${variant}`);
    });
  },
);
