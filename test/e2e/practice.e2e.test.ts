/**
 * Lesson 7-1's practice in a real VS Code (code-server + Chromium), by keyboard: the earlier steps shown, a
 * wrong δ¹ with σ′ left out is named as that mistake, the right δ¹ is accepted, and the progress survives a
 * reload of the panel. Screenshots (light, dark, zh-TW) of the named mistake go to test-results/e2e/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLessonNetwork, type LessonNetworkData } from '../../src/engine/lessonNetwork';
import { practiceExercise } from '../../src/engine/practice/exercise';
import { startVsCode, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

const VSIX = process.env.DNN_LAB_VSIX ?? 'dist/dnn-lab.vsix';
const network: LessonNetworkData = {
  ...(JSON.parse(fs.readFileSync('lessons/7-1-stepper.json', 'utf8')) as LessonNetworkData),
  loss: 'meanSquaredError',
};
const pass = runLessonNetwork(network);
const WORKED_EXAMPLE: LessonNetworkData = {
  ...(JSON.parse(fs.readFileSync('lessons/7-3-worked-example.json', 'utf8')) as LessonNetworkData),
  loss: 'categoricalCrossentropy',
};
const [, layer2] = pass.layers;
/** δ¹ with σ′(z¹) left out, computed here from the engine's pass: (W²)ᵀ δ². */
const withoutSigmaPrime = layer2.W[0].map((_, i) => layer2.W.reduce((s, row, k) => s + row[i] * layer2.delta[k], 0));
const rightDelta1 = pass.layers[0].delta;

/** Shows (reveals) steps until the open one is `stepId`. */
async function revealUntil(page: FrameLocator, stepId: string): Promise<void> {
  const form = page.locator('.practice-step');
  for (let k = 0; k < 12 && (await form.getAttribute('data-step')) !== stepId; k++) {
    const before = await form.getAttribute('data-step');
    await form.locator('vscode-button[secondary]').click();
    await expect.poll(() => form.getAttribute('data-step')).not.toBe(before);
  }
  expect(await form.getAttribute('data-step')).toBe(stepId);
}

/** Types the values into the open step's boxes by keyboard and presses Enter in the last one. */
async function answer(page: FrameLocator, values: number[]): Promise<void> {
  const inputs = page.locator('.practice-step input');
  expect(await inputs.count()).toBe(values.length);
  for (let k = 0; k < values.length; k++) {
    await inputs.nth(k).fill('');
    await inputs.nth(k).pressSequentially(values[k].toFixed(4));
  }
  await inputs.nth(values.length - 1).press('Enter');
}

describe.each(e2eThemes(['light', 'dark', 'hc'] as const))('lesson 7-1 practice, %s theme', (theme) => {
  let vscode: VsCode;

  beforeAll(async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'practice-ws-'));
    fs.writeFileSync(path.join(workspace, 'README.md'), '# Chapter 7\n');
    vscode = await startVsCode({
      workspace,
      vsixPath: VSIX,
      theme,
      label: `practice-${theme}`,
      viewport: { width: 1400, height: 900 },
    });
  });

  screenshotOnFailure(() => vscode, `practice-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('names "σ′ left out" for such a δ¹, then accepts the right one', async () => {
    await vscode.runCommand('Open Lesson 7-1: Backpropagation');
    const page = vscode.webview();
    const widget = page.locator('[data-testid="practice"]');
    await widget.waitFor({ timeout: 90_000 });
    // Always start in English, whatever the display language, so the assertions below read one language.
    if ((await page.locator('h1').textContent())?.includes('優化'))
      await page.locator('vscode-button.language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('7-1 Optimization and backpropagation');
    await expect.poll(() => widget.locator('.practice-step').getAttribute('data-step')).toBe('loss');
    await revealUntil(page, 'delta-1');

    await answer(page, withoutSigmaPrime);
    const feedback = widget.locator('[data-testid="practice-feedback"]');
    await expect.poll(() => feedback.locator('.practice-mistake').getAttribute('data-mistakes')).toBe('noSigmaPrime');
    expect(await feedback.textContent()).toContain('σ′ left out');
    expect(await feedback.getAttribute('aria-live')).toBe('polite');
    expect(await feedback.locator('.katex').count()).toBeGreaterThan(0);
    expect(await feedback.locator('.katex-error').count()).toBe(0);
    // Focus stays in a box, so the student corrects it without reaching for the mouse.
    expect(await page.locator('.practice-step input:focus').count()).toBe(1);
    await widget.locator('.practice-step').scrollIntoViewIfNeeded();
    await vscode.screenshot(`practice-mistake-${theme}`);

    await answer(page, rightDelta1);
    await expect.poll(() => feedback.textContent()).toBe('Right: δ¹ is correct.');
    await expect.poll(() => widget.locator('.practice-step').getAttribute('data-step')).toBe('dW-1');
    expect(await widget.locator('.practice-done-step.solved').count()).toBe(1);
    await vscode.screenshot(`practice-right-${theme}`);
  });

  it('keeps the progress when the lesson is opened again, and names the mistake in Traditional Chinese', async () => {
    await vscode.runCommand('Open Lesson 7-3: A Worked DNN Example');
    const practice73 = vscode.webview().locator('[data-testid="practice"]');
    await practice73.waitFor({ timeout: 90_000 });
    // 7-3 starts with the softmax of its own network, the output y not given yet.
    await expect.poll(() => practice73.locator('.practice-step').getAttribute('data-step')).toBe('softmax');
    await practice73.locator('.practice-title').scrollIntoViewIfNeeded();
    await vscode.screenshot(`practice-7-3-${theme}`);
    await vscode.runCommand('Open Lesson 7-1: Backpropagation');
    const page = vscode.webview();
    const widget = page.locator('[data-testid="practice"]');
    await widget.waitFor({ timeout: 90_000 });
    await expect.poll(() => widget.locator('.practice-step').getAttribute('data-step')).toBe('dW-1');
    await expect.poll(() => widget.locator('.summary').textContent()).toMatch(/1 number computed, 7 shown/);
    if (theme !== 'light') return;
    await widget.locator('vscode-button', { hasText: 'Start this exercise over' }).click();
    await page.locator('vscode-button.language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('7-1 優化原理與反向傳播');
    await revealUntil(page, 'delta-1');
    await answer(page, withoutSigmaPrime);
    const feedback = widget.locator('[data-testid="practice-feedback"]');
    await expect.poll(() => feedback.textContent()).toContain('漏了 σ′');
    await widget.locator('.practice-step').scrollIntoViewIfNeeded();
    await vscode.screenshot('practice-mistake-zh-tw');
  });
});

describe("a layer's hover in a .dnn.json editor", () => {
  let vscode: VsCode;

  screenshotOnFailure(() => vscode, 'practice-hover');

  beforeAll(async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'practice-hover-'));
    fs.mkdirSync(path.join(workspace, '.vscode'));
    // In workspace settings: code-server is a remote window, where user settings cannot set a machine-overridable setting.
    const mnist = path.resolve(__dirname, '../../../shared/datasets/mnist');
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'dnnLab.dataFolder': mnist }));
    fs.writeFileSync(
      path.join(workspace, 'tanh.dnn.json'),
      JSON.stringify(
        {
          name: 'Tanh',
          dataset: 'mnist',
          layers: [
            { units: 64, activation: 'tanh' },
            { units: 10, activation: 'softmax' },
          ],
          optimizer: { type: 'sgd', learningRate: 0.1 },
          seed: 1,
        },
        null,
        2,
      ),
    );
    vscode = await startVsCode({
      workspace,
      vsixPath: VSIX,
      theme: 'light',
      label: 'practice-hover',
      viewport: { width: 1400, height: 900 },
    });
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('opens 7-3\'s practice at that layer\'s δ, with its activation, from "Practise δ for this layer"', async () => {
    await vscode.openFile('tanh.dnn.json');
    const page = vscode.page;
    const line = page.locator('.editor-instance .view-line', { hasText: '"units": 64' }).first();
    // The annotations come from a probe of the network on MNIST: wait for layer 1's, a CodeLens line above the
    // layer, before hovering inside the layer.
    const lens = page.locator('.editor-instance .codelens-decoration a', { hasText: 'δ¹' }).first();
    await expect
      .poll(async () => (await lens.textContent().catch(() => '')) ?? '', { timeout: 120_000 })
      .toMatch(/^δ¹/);
    // On the text itself: past the end of a line there is no word for the hover to be about.
    await line.getByText('64', { exact: true }).hover();
    const hover = page.locator('.monaco-hover-content').first();
    await expect
      .poll(async () => (await hover.textContent().catch(() => '')) ?? '', { timeout: 20_000 })
      .toContain('Practise δ for this layer');
    await vscode.screenshot('practice-hover-link');
    await hover.getByRole('link', { name: 'Practise δ for this layer' }).click();
    const lesson = vscode.webview();
    const widget = lesson.locator('[data-testid="practice"]');
    await widget.waitFor({ timeout: 90_000 });
    // What the widget draws for a fresh student: seed 0 with tanh, from its first hidden layer below the output.
    const drawn = practiceExercise('7-3', WORKED_EXAMPLE, 0, { hiddenActivation: 'tanh' });
    const start = `delta-${drawn.network.layers.length - 1}`;
    await expect.poll(() => widget.locator('.practice-step').getAttribute('data-step')).toBe(start);
    expect(await widget.locator('.practice-title').textContent()).toMatch(/hidden layers tanh|隱藏層用 tanh/);
    // The focus lands in the first box of that δ, ready to type.
    await expect.poll(() => lesson.locator('.practice-step input:focus').count()).toBe(1);
    await vscode.screenshot('practice-from-hover');
  });
});
