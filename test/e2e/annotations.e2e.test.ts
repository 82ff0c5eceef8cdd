// The per-layer error-signal annotations in a real VS Code: live while the student edits a lab config.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceAllInEditor, startVsCode, type VsCode, e2eThemes } from './harness.js';

const VSIX = process.env.DNN_LAB_VSIX ?? path.resolve(__dirname, '../../dist/dnn-lab.vsix');
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');
const REFERENCE = path.resolve(__dirname, '../../labs/corelab-1/reference.dnn.json');

/** Five sigmoid layers and a softmax output, glorotUniform: the textbook case of a vanishing delta. */
const SIGMOID_6 = `// Six layers of sigmoid: watch delta fade on the way back.
{
  "name": "Deep sigmoid",
  "dataset": "mnist",
  "layers": [
    { "units": 256, "activation": "sigmoid" },
    { "units": 128, "activation": "sigmoid" },
    { "units": 64, "activation": "sigmoid" },
    { "units": 32, "activation": "sigmoid" },
    { "units": 16, "activation": "sigmoid" },
    { "units": 10, "activation": "softmax" }
  ],
  "kernelInitializer": "glorotUniform",
  "optimizer": { "type": "sgd", "learningRate": 0.1 },
  "seed": 1
}
`;

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * A workspace with the given files; MNIST is named in the workspace settings because code-server is a remote
 * window, where a machine-overridable setting such as dnnLab.dataFolder is not read from the user settings.
 */
function workspaceWith(files: Record<string, string>): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-annotations-'));
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'dnnLab.dataFolder': MNIST }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), text);
  return workspace;
}

/** One rendered annotation: its layer (from δˡ), RMS δ, and whether it is marked stale. */
interface Rendered {
  layer: number;
  deltaRms: number;
  stale: boolean;
  text: string;
}

/**
 * The annotations as the editor draws them: each is a CodeLens line above its layer (`.codelens-decoration`,
 * a content widget placed by its `top`), read in the order of the lines.
 */
async function renderedAnnotations(page: Page): Promise<Rendered[]> {
  const lenses = page.locator('.editor-instance .codelens-decoration a', { hasText: 'δ' });
  const found: { top: number; text: string }[] = [];
  for (const lens of await lenses.all()) {
    const box = await lens.boundingBox();
    const text = await lens.textContent();
    if (box !== null && text !== null) found.push({ top: box.y, text: text.replace(/\u00a0/g, ' ') });
  }
  return found
    .sort((a, b) => a.top - b.top)
    .map(({ text }) => {
      const match = /^δ([⁰¹²³⁴⁵⁶⁷⁸⁹]+) (\S+)/.exec(text);
      if (!match) throw new Error(`not an annotation: ${text}`);
      const layer = Number([...match[1]].map((c) => SUPERSCRIPT.indexOf(c)).join(''));
      return { layer, deltaRms: Number(match[2]), stale: text.includes('stale'), text };
    });
}

/**
 * Run in the workbench page before a keystroke: resolves `globalThis.__dnnLabLensUpdate` with the milliseconds from
 * the next keydown to the δ¹ CodeLens line showing a fresh number other than the current one, timed in the page
 * by a MutationObserver, so the test's polling adds nothing to the figure.
 */
const WATCH_FIRST_LENS = `(() => {
  const first = () =>
    [...document.querySelectorAll('.editor-instance .codelens-decoration a')]
      .map((a) => a.textContent || '')
      .find((t) => t.startsWith('δ¹'));
  const old = first();
  let t0;
  document.addEventListener('keydown', () => { if (t0 === undefined) t0 = performance.now(); }, { capture: true, once: true });
  globalThis.__dnnLabLensUpdate = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const text = first();
      if (t0 !== undefined && text !== undefined && text !== old && !text.includes('stale')) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
})()`;

/** Waits until the annotations satisfy `ok` (fresh ones only), and returns them. */
async function annotationsWhen(page: Page, ok: (a: Rendered[]) => boolean, timeout = 60_000): Promise<Rendered[]> {
  let last: Rendered[] = [];
  await expect
    .poll(
      async () => {
        last = await renderedAnnotations(page).catch(() => []);
        return last.length > 0 && last.every((a) => !a.stale) && ok(last);
      },
      { timeout, interval: 50 },
    )
    .toBe(true);
  return last;
}

async function warningSquiggles(page: Page): Promise<number> {
  return page.locator('.editor-instance .view-overlays .squiggly-warning').count();
}

/** Replaces every `find` with `replace` in the active editor as a student would, then goes back to its top. */
async function replaceAll(page: Page, find: string, replace: string): Promise<void> {
  await replaceAllInEditor(page, page.locator('.editor-instance').first(), find, replace);
  // Back to the top: each layer's δ line is drawn only while the layer is on screen.
  await page.keyboard.press('Control+Home');
}

/**
 * Opens the quick-fix menu at the cursor. The hover that the click raises can swallow Ctrl+., and the code
 * actions may not be computed yet, so close whatever is open and retry until the menu shows.
 */
async function openQuickFixes(page: Page): Promise<void> {
  const menu = page.locator('.action-widget .monaco-list-row').first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const shown = await menu.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (shown) return;
    if (attempt === 5) throw new Error('the quick-fix menu never opened');
  }
}

describe.each(e2eThemes(['dark', 'light'] as const))('layer error signals, %s theme', (theme) => {
  let vscode: VsCode | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await vscode?.screenshot(`FAILED-annotations-${theme}`).catch(() => undefined);
    await vscode?.close();
    vscode = undefined;
  });

  it('annotates each layer, shows delta vanishing through sigmoid, and follows the switch to relu + heNormal', async () => {
    const workspace = workspaceWith({ 'deep.dnn.json': SIGMOID_6 });
    vscode = await startVsCode({ workspace, vsixPath: VSIX, theme, label: `annotations-${theme}` });
    const { page } = vscode;

    await vscode.openFile('deep.dnn.json');
    const sigmoid = await annotationsWhen(page, (a) => a.length === 6);
    expect(sigmoid.map((a) => a.layer)).toEqual([1, 2, 3, 4, 5, 6]);
    // The first layer's delta is orders of magnitude below the output layer's.
    expect(sigmoid[0].deltaRms / sigmoid[5].deltaRms).toBeLessThan(1e-2);
    for (let l = 0; l < 5; l++) expect(sigmoid[l].deltaRms).toBeLessThan(sigmoid[l + 1].deltaRms);
    await expect.poll(() => warningSquiggles(page), { timeout: 10_000 }).toBeGreaterThan(0);

    // The Problems panel names the vanishing layers.
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await expect
      .poll(async () => (await problems.allTextContents()).join('\n'), { timeout: 10_000 })
      .toContain('vanishes');
    await vscode.screenshot(`annotations-sigmoid-${theme}`);

    // Hovering layer 1 explains the number with the lesson's formula.
    await page.locator('.editor-instance .view-line', { hasText: '"units": 256' }).first().hover();
    const hover = page.locator('.monaco-hover-content').first();
    await expect
      .poll(async () => (await hover.textContent().catch(() => '')) ?? '', { timeout: 10_000 })
      .toContain("σ'(z¹)");
    await vscode.screenshot(`annotations-hover-${theme}`);
    await page.keyboard.press('Escape');

    // The quick fix on layer 1's warning writes relu with heNormal into every hidden layer.
    await page
      .locator('.editor-instance .view-line', { hasText: '"units": 256' })
      .first()
      .getByText('"sigmoid"')
      .click();
    await openQuickFixes(page);
    await page.locator('.action-widget .monaco-list-row', { hasText: 'every hidden layer' }).click();
    const fixed = await annotationsWhen(page, (a) => a.length === 6 && a[0].deltaRms !== sigmoid[0].deltaRms);
    expect(fixed[0].deltaRms / fixed[5].deltaRms).toBeGreaterThan(0.1);
    await page.keyboard.press('Control+Z');
    await annotationsWhen(page, (a) => a.length === 6 && a[0].deltaRms === sigmoid[0].deltaRms);

    // The same change typed through Find/Replace, as a student edits: the annotations follow.
    await replaceAll(page, '"sigmoid"', '"relu"');
    await replaceAll(page, '"glorotUniform"', '"heNormal"');
    // Waits for the numbers of the final text: the probe of the text between the two replacements (relu with
    // glorotUniform, about 1/16) may be on screen, fresh, for a moment before the second edit reaches the extension.
    const relu = await annotationsWhen(
      page,
      (a) => a.length === 6 && a[0].deltaRms !== fixed[0].deltaRms && a[0].deltaRms / a[5].deltaRms > 0.1,
    );
    expect(relu[0].deltaRms / relu[5].deltaRms).toBeGreaterThan(0.1);
    await expect.poll(() => warningSquiggles(page), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(async () => (await problems.allTextContents()).join('\n'), { timeout: 10_000 })
      .not.toContain('vanishes');
    await vscode.screenshot(`annotations-relu-${theme}`);

    // The same numbers as a table.
    await vscode.runCommand('DNN Lab: Show Layer Error Signals (δ) as a Table');
    await vscode.webview().getByText('Layer error signals of deep.dnn.json').waitFor({ timeout: 30_000 });
    await vscode.screenshot(`annotations-table-${theme}`);
  });

  it.runIf(theme === 'dark')(
    'updates the 5-layer Corelab 1 annotations a moment after each keystroke, and reports how long it took',
    async () => {
      const workspace = workspaceWith({ 'reference.dnn.json': fs.readFileSync(REFERENCE, 'utf8') });
      vscode = await startVsCode({ workspace, vsixPath: VSIX, theme, label: `annotations-latency-${theme}` });
      const { page } = vscode;
      await vscode.openFile('reference.dnn.json');
      let before = await annotationsWhen(page, (a) => a.length === 5);
      const seedLine =
        fs
          .readFileSync(REFERENCE, 'utf8')
          .split('\n')
          .findIndex((line) => line.includes('"seed": 1')) + 1;
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(seedLine));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      const times: number[] = [];
      const inPage: number[] = [];
      for (const seed of [2, 3, 4, 5, 6]) {
        await page.keyboard.press('Backspace');
        await page.evaluate(WATCH_FIRST_LENS);
        const t0 = Date.now();
        await page.keyboard.type(String(seed));
        const after = await annotationsWhen(
          page,
          (a) => a.length === 5 && a[0].deltaRms !== before[0].deltaRms,
          30_000,
        );
        times.push(Date.now() - t0);
        inPage.push(Math.round(Number(await page.evaluate('globalThis.__dnnLabLensUpdate'))));
        before = after;
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
      console.log(
        `keystroke to updated annotations on Corelab 1 (5 layers, 256 images): ${times.join(', ')} ms; median ${median(times)} ms; in the page (keydown to the δ¹ line's new number): ${inPage.join(', ')} ms; median ${median(inPage)} ms`,
      );
      const sorted = [...times].sort((a, b) => a - b);
      // A guard against regressions, not the figure: it has to hold on two cores shared with other builds.
      expect(sorted[2]).toBeLessThan(5_000);
    },
  );
});
