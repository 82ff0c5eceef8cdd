/**
 * Lesson 7-2's experiment in a real VS Code at 1400 × 900, in Light, Dark and High Contrast: the baseline trains on
 * real MNIST and turns, each remedy is run and its card says it reduced overfitting against the baseline (the
 * page's remedyEffect on this machine's own runs), and the chart carries its note on the training figures.
 * Screenshots of the cards and of the chart go to test-results/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspace, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

describe.each(e2eThemes(['light', 'dark', 'hc'] as const))('lesson 7-2 experiment, %s theme', (theme) => {
  let vscode: VsCode;

  beforeAll(async () => {
    ({ vscode } = await startWorkspace({
      prefix: 'lesson72-ws-',
      sharedMnist: true,
      theme,
      label: `lesson72-${theme}`,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `lesson72-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('the baseline turns and each remedy ends with less overfitting than it', async () => {
    await vscode.runCommand('Open Lesson 7-2: Validating a Network');
    const page = vscode.webview();
    await page.locator('article.lesson[data-lesson="7-2"]').waitFor({ timeout: 90_000 });
    const finish = async (experiment: string) => {
      const card = page.locator(`.experiment[data-experiment="${experiment}"]`);
      await card.locator('vscode-button').first().click();
      const status = card.locator('.status');
      await expect.poll(() => status.textContent(), { timeout: 280_000, interval: 1000 }).toMatch(/Lowest test loss/);
      return (await status.textContent()) ?? '';
    };
    expect(await finish('baseline')).toMatch(/Turning point: epoch \d+/);
    for (const remedy of ['smallerModel', 'moreData']) {
      const text = await finish(remedy);
      expect(text).toMatch(
        /Against the baseline: final test loss [\d.]+ vs [\d.]+, gap [\d.]+ vs [\d.]+, test accuracy/,
      );
      expect(text).toContain('less overfitting');
    }
    const note = page.locator('#overfit-chart-note');
    await expect.poll(() => note.textContent()).toMatch(/mean over the epoch's batches/);
    expect(await page.locator('canvas').getAttribute('aria-describedby')).toBe('overfit-chart-note');
    await page.locator('.experiments').scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-2-experiment-${theme}`);
    await note.scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-2-chart-${theme}`);
  }, 900_000); // three real trainings, on a machine other test runs may share
});
