/**
 * Corelab 1 in a real VS Code (code-server + Chromium) with the packaged extension: "Open Corelab Problem" copies
 * the starter into the workspace; "Run & grade" on its 3-layer DNN fails at once with the message shown inline on
 * the `layers` line; after the fix, "Run & grade" starts the training run (stopped again with the "Stop" CodeLens).
 * Screenshots in both themes go to test-results/e2e/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVsCode, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

const VSIX = process.env.DNN_LAB_VSIX ?? 'dist/dnn-lab.vsix';
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');
const REFERENCE = fs.readFileSync(path.resolve(__dirname, '../../labs/corelab-1/reference.dnn.json'), 'utf8');

describe.each(e2eThemes(['dark', 'light'] as const))('Corelab 1, %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;
  const starter = () => path.join(workspace, 'corelab-1', 'corelab-1.dnn.json');

  beforeAll(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), `labs-ws-${theme}-`));
    fs.mkdirSync(path.join(workspace, '.vscode'));
    // code-server is a remote window, where the machine-overridable dnnLab.dataFolder is read from the workspace.
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'dnnLab.dataFolder': MNIST }));
    vscode = await startVsCode({
      workspace,
      vsixPath: VSIX,
      theme,
      label: `labs-${theme}`,
      viewport: { width: 1400, height: 1000 },
    });
  });

  screenshotOnFailure(() => vscode, `labs-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('opens the problem, fails "Run & grade" at the layers line, and starts the run once fixed', async () => {
    const { page } = vscode;
    await vscode.runCommand('DNN Lab: Open Corelab Problem…');
    await page.locator('.quick-input-widget').getByText('Corelab 1 (basic)').click();
    await expect.poll(() => fs.existsSync(starter()), { timeout: 30_000 }).toBe(true);
    expect(fs.existsSync(path.join(workspace, 'corelab-1', 'README.md'))).toBe(true);
    expect(fs.existsSync(path.join(workspace, 'corelab-1', 'reference.dnn.json'))).toBe(false);
    await page.locator('.tab.active', { hasText: 'corelab-1.dnn.json' }).waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-group-container', {
      has: page.locator('.tab.active', { hasText: 'corelab-1.dnn.json' }),
    });

    await editor.locator('.codelens-decoration a', { hasText: 'Run & grade' }).click({ timeout: 60_000 });
    // The failure is shown on the line it is about: the inline test message sits on the `"layers": [` line.
    const message = editor.getByText('layers has 3 layers; Corelab 1 asks for 5 Dense layers').first();
    await message.waitFor({ timeout: 60_000 });
    const line = (await editor.locator('.view-line', { hasText: '"layers": [' }).boundingBox())!;
    const shown = (await message.boundingBox())!;
    // The inline message is drawn after the text of the line it is about: the same row of the editor.
    expect(Math.abs(shown.y + shown.height / 2 - (line.y + line.height / 2))).toBeLessThan(line.height / 2);
    await vscode.screenshot(`labs-corelab1-failed-${theme}`);

    // The student's fix: the 5-layer network with the problem's settings.
    fs.writeFileSync(starter(), REFERENCE);
    // The editor draws spaces as no-break spaces.
    const shownText = async () => (await editor.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ');
    await expect.poll(shownText, { timeout: 30_000 }).toContain('"units": 32');
    await editor.locator('.codelens-decoration a', { hasText: 'Run & grade' }).click({ timeout: 30_000 });
    // The run starts: the CodeLens turns into "Stop" and the run's file appears under .dnnlab/runs.
    const stop = editor.locator('.codelens-decoration a', { hasText: 'Stop' });
    await stop.waitFor({ timeout: 60_000 });
    const runs = path.join(workspace, '.dnnlab', 'runs');
    await expect
      .poll(() => (fs.existsSync(runs) ? fs.readdirSync(runs).length : 0), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await vscode.screenshot(`labs-corelab1-running-${theme}`);
    await stop.click();
    await editor.locator('.codelens-decoration a', { hasText: 'Run & grade' }).waitFor({ timeout: 60_000 });
  });
});
