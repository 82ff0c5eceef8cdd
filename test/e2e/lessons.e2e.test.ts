/**
 * The lesson panels in a real VS Code (code-server + Chromium): every lesson opens, its math renders through
 * KaTeX with no raw TeX and no errors, 7-1 steps backward, 7-2 trains on real MNIST, 7-3 follows an edited
 * weight with the engine's loss. Screenshots of each lesson in both themes go to test-results/e2e/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLessonNetwork } from '../../src/lessons/lessonNetworkCheck';
import { runLessonNetwork } from '../../src/engine/lessonNetwork';
import { startWorkspace, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

const COMMANDS = {
  '7-1': 'Open Lesson 7-1: Backpropagation',
  '7-2': 'Open Lesson 7-2: Validating a Network',
  '7-3': 'Open Lesson 7-3: A Worked DNN Example',
} as const;

/** The slice of the DOM the check below uses; this file is type-checked without the DOM library. */
interface PageNode {
  cloneNode(deep: true): PageNode;
  querySelectorAll(selector: string): { forEach(each: (element: { remove(): void }) => void): void };
  textContent: string | null;
}

/** Checks the lesson's math: KaTeX output present, no KaTeX error, no TeX or $ left in the visible text. */
async function expectMathRendered(page: FrameLocator, minimumFormulas: number): Promise<void> {
  const article = page.locator('article.lesson');
  // A cold webview on a busy two-core machine can take most of a minute to load its bundle.
  await article.waitFor({ timeout: 90_000 });
  await expect.poll(() => article.locator('.katex').count()).toBeGreaterThanOrEqual(minimumFormulas);
  expect(await article.locator('.katex-error').count()).toBe(0);
  const textOutsideMath = await article.evaluate((node: PageNode) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll('.katex, svg, input, canvas').forEach((e) => e.remove());
    return copy.textContent ?? '';
  });
  expect(textOutsideMath).not.toMatch(/\$|\\(frac|delta|sigma|partial|begin|sum)/);
}

/** The final test accuracy in percent that a 7-2 experiment's status line states. */
function finalTestAccuracy(status: string): number {
  return Number(/(?:final test accuracy|最終測試準確率) (\d+\.\d)%/.exec(status)?.[1]);
}

describe.each(e2eThemes(['light', 'dark'] as const))('lesson panels, %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    ({ vscode, workspace } = await startWorkspace({
      prefix: 'lessons-ws-',
      files: { 'README.md': '# Chapter 7\n' },
      sharedMnist: true,
      theme,
      label: `lessons-${theme}`,
      viewport: { width: 1280, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `lessons-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('7-1 renders its formulas and steps backward, each delta from the one after it', async () => {
    await vscode.runCommand(COMMANDS['7-1']);
    const page = vscode.webview();
    await expectMathRendered(page, 40);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toMatch(/7-1 (Optimization and backpropagation|優化原理與反向傳播)/);
    await vscode.screenshot(`lesson-7-1-${theme}`);
    const next = page.locator('.stepper vscode-button', { hasText: /Next step|下一步/ });
    for (let i = 0; i < 6; i++) await next.click();
    await expect.poll(() => page.locator('.steps .step').count()).toBe(6);
    const active = page.locator('.steps .step.active');
    await expect.poll(() => active.locator('h3').textContent()).toMatch(/layer 2|第 2 層/);
    expect(await active.locator('.katex').count()).toBe(2);
    expect(await active.locator('.katex-error').count()).toBe(0);
    await active.scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-1-stepper-${theme}`);
    // The figure highlights the layer the active step is about: layer 2's column.
    const figure = page.locator('.stepper figure.network');
    expect(await figure.locator('circle.node.highlight').count()).toBe(3);
    await figure.scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-1-figure-${theme}`);
  });

  it('switches 7-1 between Traditional Chinese and English and keeps the math', async () => {
    const page = vscode.webview();
    const before = await page.locator('h1').textContent();
    await page.locator('vscode-button.language').click();
    await expect.poll(() => page.locator('h1').textContent()).not.toBe(before);
    const after = (await page.locator('h1').textContent()) ?? '';
    expect([before, after].sort()).toEqual(['7-1 Optimization and backpropagation', '7-1 優化原理與反向傳播']);
    await expectMathRendered(page, 40);
    if (theme === 'light') await vscode.screenshot('lesson-7-1-switched-light');
    await page.locator('vscode-button.language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(before);
  });

  it("7-3 shows the engine's loss and follows an edited weight", async () => {
    await vscode.runCommand(COMMANDS['7-3']);
    const page = vscode.webview();
    await expectMathRendered(page, 30);
    const loss = page.locator('[data-testid="loss"]');
    await expect.poll(() => loss.textContent()).toBe('1.1362');
    await vscode.screenshot(`lesson-7-3-${theme}`);

    const data = checkLessonNetwork(
      JSON.parse(fs.readFileSync('lessons/7-3-worked-example.json', 'utf8')),
      '7-3',
      'categoricalCrossentropy',
    );
    data.layers[1].W[1][0] = 1;
    const expected = runLessonNetwork(data).cost.toFixed(4);
    const weight = page.getByLabel('W2[2][1]');
    await weight.fill('1');
    await weight.press('Enter');
    await expect.poll(() => loss.textContent()).toBe(expected);
    expect(expected).not.toBe('1.1362');
    await expectMathRendered(page, 30);

    const bad = page.getByLabel('W1[1][1]');
    await bad.fill('abc');
    await bad.press('Enter');
    await expect.poll(() => page.locator('.worked-example p.error').textContent()).toMatch(/W1\[1\]\[1\].*abc/);
    expect(await loss.textContent()).toBe(expected);
    await loss.scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-3-edited-${theme}`);
    await bad.fill('0.5');
    await bad.press('Enter');

    await page.locator('vscode-button', { hasText: /Take one step|走一步/ }).click();
    const step = page.locator('[data-testid="step-result"]');
    await step.waitFor();
    const [before, after] = ((await step.textContent()) ?? '').match(/\d+\.\d{4}/g)!.map(Number);
    expect(before).toBe(Number(expected));
    expect(after).toBeLessThan(before);
    await step.scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-3-step-${theme}`);
  });

  it('7-2 trains the baseline on real MNIST, marks its turning point, and compares a remedy', async () => {
    await vscode.runCommand(COMMANDS['7-2']);
    const page = vscode.webview();
    await expectMathRendered(page, 3);
    await vscode.screenshot(`lesson-7-2-${theme}`);
    const finish = async (experiment: string) => {
      const card = page.locator(`.experiment[data-experiment="${experiment}"]`);
      await card.locator('vscode-button').first().click();
      const status = card.locator('.status');
      await expect
        .poll(() => status.textContent(), { timeout: 280_000, interval: 1000 })
        .toMatch(/Lowest test loss|最低測試損失/);
      const text = (await status.textContent()) ?? '';
      // A real run: even from 500 images the network learns MNIST far past chance (10%).
      expect(finalTestAccuracy(text)).toBeGreaterThan(60);
      return text;
    };
    // The baseline (ten hidden layers on 500 images) overfits: its test loss turns up, and the turning point is named.
    const baseline = await finish('baseline');
    expect(baseline).toMatch(/Turning point: epoch \d+|轉折點[:：]第 \d+ 個 epoch/);
    if (theme === 'light') await finish('smallerModel');
    // Four times the training images: the remedy generalizes better than the baseline it is compared with.
    if (theme === 'dark')
      expect(finalTestAccuracy(await finish('moreData'))).toBeGreaterThan(finalTestAccuracy(baseline));
    await page.locator('canvas').scrollIntoViewIfNeeded();
    await vscode.screenshot(`lesson-7-2-curves-${theme}`);
  }, 600_000); // real training, on a machine other test runs may share

  it('comes back after a window reload (the panel serializer)', async () => {
    await vscode.page.reload();
    await vscode.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const article = vscode.webview().locator('article.lesson[data-lesson="7-2"]');
    await article.waitFor({ timeout: 90_000 });
    await expectMathRendered(vscode.webview(), 3);
    // The baseline's curves were cached by the run above, so they show without training again.
    await expect
      .poll(() => vscode.webview().locator('.experiment[data-experiment="baseline"] .status').textContent())
      .toMatch(/Lowest test loss|最低測試損失/);
  });

  it("lists the walkthrough from install to a first run, with the step's media beside it", async () => {
    const { page } = vscode;
    // The walkthrough hides its media column in an editor narrower than about 950 px; 1280 less the side bar is.
    await vscode.runCommand('View: Close Primary Side Bar');
    // Not runCommand: this command answers with a second quick pick (the walkthroughs), which runCommand would wait out.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await page.locator('.monaco-workbench .part.statusbar').click({ position: { x: 600, y: 10 } });
    await page.keyboard.press('F1');
    await input.fill('>Welcome: Open Walkthrough');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Learn backpropagation with DNN Lab' })
      .click();
    for (const step of [
      'Step through backpropagation',
      'MNIST comes with DNN Lab',
      'Watch a network overfit',
      'Check every number of a worked example',
      'Run your first lab',
    ]) {
      await vscode.page
        .getByRole('button', { name: new RegExp(step) })
        .first()
        .waitFor({ timeout: 30_000 });
    }
    // The first step's Markdown media, rendered in its own webview, with the backprop equation in plain Unicode.
    const media = page
      .locator('.getting-started-media iframe.webview')
      .contentFrame()
      .locator('iframe#active-frame')
      .contentFrame()
      .locator('body');
    await expect
      .poll(() => media.textContent(), { timeout: 30_000 })
      .toMatch(/Lesson 7-1 · 單元 7-1[\s\S]*δˡ = σ′\(zˡ\) ⊙ \(Wˡ⁺¹\)ᵀ δˡ⁺¹/);
    await vscode.screenshot(`lesson-walkthrough-${theme}`);
    await vscode.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  // Last: what the link opens takes the editor area, and its own webviews would make webview() ambiguous.
  it(
    theme === 'light'
      ? '7-3 "open this lab" opens Lab 01 in the workspace'
      : '7-3 "Demo 7-3" opens the demo config and the training panel',
    async () => {
      await vscode.runCommand(COMMANDS['7-3']);
      const page = vscode.webview();
      await expectMathRendered(page, 30);
      if (theme === 'light') {
        await page
          .locator('.link-card', { hasText: /Lab ?01/ })
          .locator('vscode-button')
          .click();
        await expect
          .poll(() => fs.existsSync(path.join(workspace, 'lab01', 'lab01.dnn.json')), { timeout: 60_000 })
          .toBe(true);
        await vscode.page.locator('.tabs-container .tab[aria-label^="lab01.dnn.json"]').waitFor({ timeout: 60_000 });
        await vscode.screenshot(`lesson-open-lab-${theme}`);
      } else {
        await page.locator('.link-card', { hasText: 'Demo 7-3' }).locator('vscode-button').click();
        await expect
          .poll(() => fs.existsSync(path.join(workspace, 'demo-7-3.dnn.json')), { timeout: 60_000 })
          .toBe(true);
        await vscode.page.locator('.tabs-container .tab[aria-label^="DNN Lab: Training"]').waitFor({ timeout: 60_000 });
        await vscode.screenshot(`lesson-demo-7-3-${theme}`);
      }
    },
  );
});
