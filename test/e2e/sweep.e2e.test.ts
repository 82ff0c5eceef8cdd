/**
 * A sweep in a real VS Code at 1400 × 900, in the four default themes: "Run all 2 combinations" trains both runs in
 * the training panel while the comparison view (a webview in the panel area, below the editors) fills its table.
 * The view is axe-clean (it has a language, a title and a table with a caption and scoped headings, which the old
 * Markdown preview could not have), it covers neither the config nor the training panel, its δ columns are not cut
 * off, and "Save as Markdown…" writes the table beside the config. Screenshots: test-results/e2e/sweep-*.png.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, webviewFrames } from './axe.js';
import { e2eThemes, startWorkspace, type VsCode, screenshotOnFailure } from './harness.js';

/** A two-run sweep kept quick: 1000 images, one epoch each. */
const SWEEP = `{
  "name": "E2E sweep",
  "layers": [{ "units": 32, "activation": "sigmoid" }, { "units": 10, "activation": "softmax" }],
  "epochs": 1, "trainSamples": 1000, "testSamples": 500,
  "sweep": { "kernelInitializer": ["zeros", "glorotUniform"] }
}
`;

type Box = { x: number; y: number; width: number; height: number };

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;
}

/** The comparison view's page among the visible webviews: the one whose heading names the sweep. */
async function comparisonFrame(vscode: VsCode): Promise<Frame | undefined> {
  for (const frame of await webviewFrames(vscode)) {
    const heading = await frame
      .locator('main h1')
      .textContent({ timeout: 1_000 })
      .catch(() => null);
    if (heading?.includes('E2E sweep')) return frame;
  }
  return undefined;
}

describe.each(e2eThemes(['dark', 'light', 'hc', 'hcLight'] as const))('a sweep, %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    ({ vscode, workspace } = await startWorkspace({
      prefix: `sweep-ws-${theme}-`,
      files: { 'sweep.dnn.json': SWEEP },
      sharedMnist: true,
      theme,
      label: `sweep-${theme}`,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `sweep-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('runs every combination and compares them below the editors, accessibly, with nothing cut off', async () => {
    const { page } = vscode;
    await vscode.openFile('sweep.dnn.json');
    const editor = page.locator('.editor-group-container', {
      has: page.locator('.tab.active', { hasText: 'sweep.dnn.json' }),
    });
    await editor.locator('.codelens-decoration a', { hasText: 'Run all 2 combinations' }).click({ timeout: 60_000 });

    let frame: Frame | undefined;
    await expect
      .poll(
        async () => {
          frame = await comparisonFrame(vscode);
          return frame ? frame.locator('tbody tr[data-status="completed"]').count() : 0;
        },
        { timeout: 150_000, interval: 1_000 },
      )
      .toBe(2);
    const view = frame!;
    const rows = await view.locator('tbody th[scope="row"]').allTextContents();
    expect(rows).toEqual(['kernelInitializer=zeros', 'kernelInitializer=glorotUniform']);
    const headings = await view.locator('thead th[scope="col"]').allTextContents();
    expect(headings.slice(-2)).toEqual(['δ¹ rms', 'δ² rms']);
    // Every δ cell holds its number, e.g. "1.4e-3".
    for (const row of await view.locator('tbody tr').all())
      for (const cell of (await row.locator('td').allTextContents()).slice(-2))
        expect(cell).toMatch(/^\d\.\de[+-]\d+$/);
    await expect.poll(() => view.locator('[role="status"]').textContent()).toBe('2 of 2 runs finished.');
    expect(await view.locator('table caption').textContent()).toContain('δ columns');
    expect(
      await view.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
      ),
    ).toMatch(/^en/);

    // Placement: the view is in the panel area; the config and the training panel keep their groups, uncovered.
    const panelPart = (await page.locator('.part.panel').boundingBox())!;
    const groups = page.locator('.editor-group-container');
    expect(await groups.count()).toBe(2);
    const training = (await page
      .locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: /Training|訓練/ }) })
      .boundingBox())!;
    const config = (await editor.boundingBox())!;
    expect(overlap(panelPart, training)).toBe(false);
    expect(overlap(panelPart, config)).toBe(false);
    expect(training.height).toBeGreaterThan(350);
    expect(config.width).toBeGreaterThan(500);
    // No δ column is cut off: the table fits the view's width, so nothing hides behind a sideways scroll.
    const fit = await view.locator('.table-scroll').evaluate((el: { scrollWidth: number; clientWidth: number }) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    const lastColumn = (await view.locator('thead th').last().boundingBox())!;
    expect(lastColumn.x + lastColumn.width).toBeLessThanOrEqual(panelPart.x + panelPart.width);
    await vscode.screenshot(`sweep-comparison-${theme}`);
    await expectAccessible(vscode, `sweep comparison, ${theme}`);

    // "Save as Markdown…": VS Code's save dialog (the simple one, in a remote window) offers the config's folder.
    await view.locator('button.save').click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await expect.poll(() => input.inputValue(), { timeout: 30_000 }).toMatch(/sweep-comparison\.md$/);
    await input.press('Enter');
    const saved = path.join(workspace, 'sweep-comparison.md');
    await expect.poll(() => fs.existsSync(saved), { timeout: 30_000 }).toBe(true);
    const markdown = fs.readFileSync(saved, 'utf8');
    expect(markdown).toMatch(/^# Comparison: E2E sweep\n/);
    expect(markdown).toMatch(/\| kernelInitializer=zeros \| completed \|/);
    expect(markdown).toContain('δ¹ rms');
  });
});
