/**
 * Restricted Mode in a real VS Code (code-server + Chromium): the folder is opened untrusted, as when a student
 * answers "No, I don't trust the authors". DNN Lab still runs there: a lab file trains on the MNIST the vsix
 * carries; a config whose dataset.path names a folder gets an error on that line saying how to trust the folder;
 * the folder's own dnnLab.dataFolder setting is held back by VS Code (restrictedConfigurations).
 * One theme: the screens are the training panel's, which the training tests shoot in both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVsCode, type VsCode, expectRunCompleted, screenshotOnFailure } from './harness.js';

const VSIX = process.env.DNN_LAB_VSIX ?? 'dist/dnn-lab.vsix';
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

const lab = (name: string, dataset: string) => `{
  "name": "${name}",
  "dataset": ${dataset},
  "layers": [{ "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
  "kernelInitializer": "heNormal",
  "epochs": 2, "batchSize": 100, "trainSamples": 2000, "testSamples": 500
}
`;

describe('Restricted Mode (untrusted folder)', () => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'restricted-ws-'));
    fs.writeFileSync(path.join(workspace, 'lab.dnn.json'), lab('Untrusted lab', '"mnist"'));
    fs.writeFileSync(path.join(workspace, 'path.dnn.json'), lab('Lab with a path', JSON.stringify({ path: MNIST })));
    // The folder's own settings name a data folder: Restricted Mode must not use it.
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'dnnLab.dataFolder': '/nonexistent/untrusted-data' }),
    );
    vscode = await startVsCode({
      workspace,
      vsixPath: VSIX,
      theme: 'light',
      label: 'restricted',
      workspaceTrust: 'untrusted',
      viewport: { width: 1400, height: 900 },
    });
  });

  screenshotOnFailure(() => vscode, 'restricted');

  afterAll(async () => {
    await vscode?.close();
  });

  it("trains a lab file on the packaged MNIST, ignoring the folder's dataFolder setting", async () => {
    await vscode.page.getByText('Restricted Mode').first().waitFor({ timeout: 30_000 });
    await vscode.openFile('lab.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    await expectRunCompleted(vscode.webview(), 150_000);
    const dataLine = vscode.logs().match(/Run [^\n]*, data ([^\n]*)/)?.[1] ?? '';
    expect(dataLine).toMatch(/dnn-lab[^/]*\/dist\/mnist$/);
    await vscode.screenshot('restricted-trained');
  });

  it('refuses dataset.path with an error on its line that says how to trust the folder', async () => {
    await vscode.openFile('path.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const box = vscode.webview().locator('.error-box');
    await expect
      .poll(() => box.textContent(), { timeout: 60_000 })
      .toMatch(/path\.dnn\.json:3:\d+: dataset\.path "[^"]+" is not read in Restricted Mode/);
    // The same message is a diagnostic on the config's "dataset" line (line 3).
    await vscode.page.keyboard.press('Control+Shift+M');
    const problem = vscode.page.locator('.markers-panel .monaco-list-row', { hasText: 'Restricted Mode' }).first();
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toMatch(/\[Ln 3, Col \d+\]/);
    await vscode.screenshot('restricted-dataset-path');
  });
});
