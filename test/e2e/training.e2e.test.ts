/**
 * The training panel in a real VS Code (code-server + Chromium) with the packaged extension: run a lab file
 * on a subset of the shared MNIST, watch the charts receive every epoch, see the predictions grid and the run
 * file; reload the window and get the panel back with its runs; a bad config shows its errors in the panel.
 * Screenshots in both themes go to test-results/e2e/; the extension host's activation time and largest
 * event-loop delay during the run are read from the extension's log and printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_LAB,
  SHARED_MNIST as MNIST,
  smallLab,
  startWorkspace,
  type VsCode,
  e2eThemes,
  expectRunCompleted,
  screenshotOnFailure,
} from './harness.js';

const EPOCHS = 4;

/** A small lab: 784-64-32-10 on 3,000 training images for 4 epochs, a few seconds on the wasm backend. */
const LAB = smallLab({ name: 'E2E lab', epochs: EPOCHS, trainSamples: 3000, comment: 'e2e lab: small and fast' });

function runFiles(workspace: string): string[] {
  const dir = path.join(workspace, '.dnnlab', 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
}

function lastLogNumber(logs: string, pattern: RegExp): number | undefined {
  const matches = [...logs.matchAll(pattern)];
  return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
}

describe.each(e2eThemes(['dark', 'light'] as const))('training panel, %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    // The dark run names no data folder: with an empty cache and no network it must train on the MNIST the
    // vsix carries. The light run uses the shared copy through workspace settings (code-server is a remote
    // window, where the machine-overridable dnnLab.dataFolder is not read from the user settings).
    ({ vscode, workspace } = await startWorkspace({
      prefix: `training-ws-${theme}-`,
      files: { 'lab.dnn.json': LAB, 'bad.dnn.json': BAD_LAB },
      sharedMnist: theme === 'light',
      theme,
      label: `training-${theme}`,
      viewport: { width: 1400, height: 1000 },
    }));
  });

  screenshotOnFailure(() => vscode, `training-${theme}`);

  afterAll(async () => {
    if (vscode)
      console.log(
        `[${theme}] ${
          vscode
            .logs()
            .match(/^.*(Activated in|event-loop delay).*$/gm)
            ?.join('\n') ?? 'no measurements logged'
        }`,
      );
    await vscode?.close();
  });

  it('runs the lab file: charts get every epoch, the grid shows digits, the run file is written', async () => {
    await vscode.openFile('lab.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    await expectRunCompleted(page, 150_000);
    // The lab's CodeLens offers Run again once the run is over, not a Stop for a run that has ended.
    const lab = vscode.page.locator('.editor-group-container', {
      has: vscode.page.locator('.tab.active', { hasText: 'lab.dnn.json' }),
    });
    await lab.locator('.codelens-decoration a', { hasText: 'Run' }).first().waitFor({ timeout: 15_000 });
    expect(await lab.locator('.codelens-decoration a', { hasText: 'Stop' }).count()).toBe(0);
    for (const chart of ['loss', 'accuracy']) {
      expect(await page.locator(`figure[data-chart="${chart}"]`).getAttribute('data-points')).toBe(String(EPOCHS));
    }
    expect(Number(await page.locator('figure[data-chart="batchLoss"]').getAttribute('data-points'))).toBe(EPOCHS * 30);
    expect(
      Number(await page.locator('figure[data-chart="deltaRms"]').getAttribute('data-points')),
    ).toBeGreaterThanOrEqual(EPOCHS * 10);
    expect(await page.locator('figure[data-chart="loss"] canvas').count()).toBe(1);
    // The grid: 48 digits drawn on canvases, mistakes first, each with its label and prediction.
    const digits = page.locator('.digit-grid .digit');
    expect(await digits.count()).toBe(48);
    expect(await page.locator('.digit-grid').getAttribute('data-epoch')).toBe(String(EPOCHS));
    expect(await digits.first().locator('canvas').count()).toBe(1);
    const first = {
      label: await digits.first().getAttribute('data-label'),
      predicted: await digits.first().getAttribute('data-predicted'),
    };
    expect(first.label).not.toBe(first.predicted);
    expect(await page.locator('table.confusion tbody tr').count()).toBe(10);

    const files = runFiles(workspace);
    expect(files).toHaveLength(1);
    const record = JSON.parse(fs.readFileSync(path.join(workspace, '.dnnlab', 'runs', files[0]), 'utf8'));
    expect(record.status).toBe('completed');
    expect(record.epochs).toHaveLength(EPOCHS);
    expect(record.epochs[EPOCHS - 1].testAccuracy).toBeGreaterThan(0.85);
    expect(record.environment.backend).toMatch(/wasm|cpu/);
    expect(record.config.layers.map((l: { units: number }) => l.units)).toEqual([64, 32, 10]);
    // Where the data came from, as the extension logs it: the packaged copy, or the folder the setting names.
    const dataLine = vscode.logs().match(/Run [^\n]*, data ([^\n]*)/)?.[1] ?? '';
    if (theme === 'dark') expect(dataLine).toMatch(/extensions\/[^/]*dnn-lab[^/]*\/dist\/mnist$/);
    else expect(dataLine).toBe(MNIST);
    expect(await page.locator('.history-item').count()).toBe(1);
    await vscode.screenshot(`training-${theme}`);
    await page.locator('figure[data-chart="gradNorm"]').scrollIntoViewIfNeeded();
    await vscode.screenshot(`training-layers-${theme}`);
    await page.locator('#predictions').scrollIntoViewIfNeeded();
    await vscode.screenshot(`training-predictions-${theme}`);

    const logs = vscode.logs();
    const activation = lastLogNumber(logs, /Activated in ([\d.]+) ms/g);
    const delay = lastLogNumber(logs, /event-loop delay max ([\d.]+) ms/g);
    const handling = lastLogNumber(logs, /longest handling of one worker event ([\d.]+) ms/g);
    console.log(
      `[${theme}] activation ${activation} ms; during the run: extension host event-loop delay max ${delay} ms, longest event handling ${handling} ms`,
    );
    expect(delay).toBeDefined();
  });

  it.runIf(theme === 'dark')(
    'a second run overlays the first, and a reload brings the panel back with both',
    async () => {
      await vscode.openFile('lab.dnn.json');
      await vscode.runCommand('DNN Lab: Run Lab File');
      let page = vscode.webview();
      await expect.poll(() => page.locator('.history-item').count(), { timeout: 150_000, interval: 500 }).toBe(2);
      await expectRunCompleted(page);
      await page.locator('.history-item').nth(1).locator('input.compare-box').click();
      await expect.poll(() => page.locator('.charts').getAttribute('data-overlays')).toBe('1');
      // The comparison table puts the shown run and its overlay side by side.
      await expect.poll(() => page.locator('#comparison table.comparison tbody tr').count()).toBe(2);
      await page.locator('#comparison').scrollIntoViewIfNeeded();
      await vscode.screenshot(`training-comparison-${theme}`);
      expect(runFiles(workspace)).toHaveLength(2);

      await vscode.runCommand('Developer: Reload Window');
      page = vscode.webview();
      await expect.poll(() => page.locator('.history-item').count(), { timeout: 90_000, interval: 500 }).toBe(2);
      expect(await page.locator('figure[data-chart="loss"]').getAttribute('data-points')).toBe(String(EPOCHS));
      expect(await page.locator('.digit-grid .digit').count()).toBe(48);
      // The overlay choice survives the reload too (the page's own state).
      await expect.poll(() => page.locator('.charts').getAttribute('data-overlays')).toBe('1');
      await vscode.screenshot(`training-reloaded-${theme}`);
    },
  );

  it.runIf(theme === 'dark')('a bad config shows its errors in the panel, not a blank chart', async () => {
    await vscode.openFile('bad.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    const error = page.locator('.error-box');
    await expect
      .poll(() => error.textContent(), { timeout: 30_000 })
      .toMatch(/bad\.dnn\.json:4:\d+: layers\[0\]\.units must be a positive integer, got 10\.9/);
    // The last good run stays on the charts under the error.
    expect(await page.locator('figure[data-chart="loss"]').getAttribute('data-points')).toBe(String(EPOCHS));
    await vscode.screenshot(`training-config-error-${theme}`);
  });
});
