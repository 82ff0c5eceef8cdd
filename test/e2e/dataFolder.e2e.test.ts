/**
 * "DNN Lab: Set the MNIST Folder…" in code-server, a remote window: the User settings tab shows "No Settings Found"
 * for the machine-overridable dnnLab.dataFolder there, so the command picks the folder with the remote machine's
 * dialog and saves it in the Remote settings, where this window reads it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVsCode, type VsCode, screenshotOnFailure } from './harness.js';

const VSIX = process.env.DNN_LAB_VSIX ?? path.resolve(__dirname, '../../dist/dnn-lab.vsix');
const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

describe('the MNIST folder in a remote window', () => {
  let vscode: VsCode;

  beforeAll(async () => {
    // No workspace setting: the value has to go to the Remote settings.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'data-folder-ws-'));
    vscode = await startVsCode({
      workspace,
      vsixPath: VSIX,
      theme: 'light',
      label: 'data-folder-light',
      viewport: { width: 1400, height: 900 },
    });
  });

  screenshotOnFailure(() => vscode, 'data-folder');

  afterAll(async () => {
    await vscode?.close();
  });

  it('picks the folder with the remote dialog and saves it in the Remote settings', async () => {
    const { page } = vscode;
    await vscode.runCommand('DNN Lab: Set the MNIST Folder…');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.getByText('Choose a folder…').waitFor({ timeout: 10_000 });
    expect(await quickInput.locator('.quick-input-box input').getAttribute('placeholder')).toContain(
      'DNN Lab comes with MNIST',
    );
    await vscode.screenshot('data-folder-pick');
    await quickInput.getByText('Choose a folder…').click();
    // code-server's folder dialog is VS Code's own, a path box in the quick input.
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ timeout: 10_000 });
    // The dialog puts its starting folder into the box once it has listed it, which on a loaded machine can come
    // after our fill and replace it: fill until the box keeps the path.
    await expect
      .poll(
        async () => {
          if ((await box.inputValue()) !== `${MNIST}/`) await box.fill(`${MNIST}/`);
          await page.waitForTimeout(500);
          return box.inputValue();
        },
        { timeout: 15_000 },
      )
      .toBe(`${MNIST}/`);
    await vscode.screenshot('data-folder-dialog');
    await page.locator('.quick-input-widget').getByRole('button', { name: 'Use this MNIST folder' }).click();
    const toast = page.locator('.notifications-toasts', { hasText: 'dnnLab.dataFolder is' });
    await toast.waitFor({ timeout: 15_000 });
    const said = (await toast.textContent()) ?? '';
    expect(said).toContain(MNIST);
    expect(said).toContain('Remote settings of this window');
    await vscode.screenshot('data-folder-saved');

    // On disk: code-server keeps the Remote (machine) settings in <user-data-dir>/Machine/settings.json, the
    // local user settings in User/settings.json, which stay without it.
    const root = fs
      .readdirSync(os.tmpdir())
      .filter((name) => name.startsWith('dnn-lab-e2e-'))
      .map((name) => path.join(os.tmpdir(), name))
      .find((dir) => {
        try {
          return fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8').trim() === String(process.pid);
        } catch {
          return false; // another run's folder, being made or removed
        }
      })!;
    const machine = path.join(root, 'user-data', 'Machine', 'settings.json');
    await expect
      .poll(() => (fs.existsSync(machine) ? fs.readFileSync(machine, 'utf8') : ''), { timeout: 10_000 })
      .toContain(MNIST);
    expect(fs.readFileSync(path.join(root, 'user-data', 'User', 'settings.json'), 'utf8')).not.toContain(
      'dnnLab.dataFolder',
    );
  });
});
