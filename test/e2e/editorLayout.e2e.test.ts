/**
 * A lab as a student opens it, at 1400 × 900 in code-server: the config gets the room (its README is a tab behind
 * it, not a third group), the Run CodeLens is there before any click, the δ numbers of every layer stay inside the
 * editor's visible area even when the README and the training panel squeeze it to ~340 px, and a mistake typed
 * into the config gets exactly one diagnostic, in DNN Lab's words, with a quick fix. Screenshots per theme go to
 * test-results/e2e/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceAllInEditor, startWorkspace, type VsCode, e2eThemes, screenshotOnFailure } from './harness.js';

type Box = { x: number; y: number; width: number; height: number };

/** Whether `inner` lies inside `outer`, to the pixel. */
function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

/** The little of the DOM the measurement reads (the e2e tsconfig has no DOM lib). */
interface LensElement {
  firstChild: unknown;
}
interface DomRange {
  setStart(node: unknown, offset: number): void;
  setEnd(node: unknown, offset: number): void;
  getBoundingClientRect(): Box;
}

/** The box of the first `length` characters of a CodeLens, e.g. "δ¹ 0.079": where the δ number itself is drawn. */
async function prefixBox(lens: Locator, length: number): Promise<Box> {
  return lens.evaluate((a: LensElement, n: number) => {
    const range = (globalThis as unknown as { document: { createRange(): DomRange } }).document.createRange();
    range.setStart(a.firstChild, 0);
    range.setEnd(a.firstChild, n);
    const { x, y, width, height } = range.getBoundingClientRect();
    return { x, y, width, height };
  }, length);
}

/** The editor group that shows `file` in its active tab. */
function groupOf(page: Page, file: string): Locator {
  return page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: file }) });
}

describe.each(e2eThemes(['light', 'dark', 'hc'] as const))('a lab at 1400 × 900, %s theme', (theme) => {
  let vscode: VsCode;

  beforeAll(async () => {
    ({ vscode } = await startWorkspace({
      prefix: `layout-ws-${theme}-`,
      sharedMnist: true,
      theme,
      label: `layout-${theme}`,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `layout-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('opens Lab01 with its README behind the config, and keeps every δ inside the editor at ~340 px', async () => {
    const { page } = vscode;
    await vscode.runCommand('DNN Lab: Open Lab…');
    await page.locator('.quick-input-widget').getByText('Lab01').first().click();
    const editor = groupOf(page, 'lab01.dnn.json');
    await editor.waitFor({ timeout: 30_000 });
    // One group: the README is a tab of the config's group, behind the config.
    await expect.poll(() => editor.locator('.tab', { hasText: 'README' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('.editor-group-container').count()).toBe(1);
    // The Run CodeLens and a δ line above each of the 3 layers, before any click into the editor.
    await editor.locator('.codelens-decoration a', { hasText: 'Run' }).first().waitFor({ timeout: 60_000 });
    const deltas = editor.locator('.codelens-decoration a', { hasText: 'δ' });
    await expect.poll(() => deltas.count(), { timeout: 60_000 }).toBe(3);
    await vscode.screenshot(`layout-lab01-${theme}`);

    // The squeeze the issue measured: README beside the config and the training panel beside that.
    await editor.locator('.codelens-decoration a', { hasText: 'README' }).click();
    await expect.poll(() => page.locator('.editor-group-container').count(), { timeout: 30_000 }).toBe(2);
    await page.locator('.editor-group-container').nth(1).locator('.tab.active').click();
    await vscode.runCommand('DNN Lab: Open Training Panel');
    await expect.poll(() => page.locator('.editor-group-container').count(), { timeout: 30_000 }).toBe(3);
    const config = page.locator('.editor-group-container').first();
    const visible = config.locator('.monaco-editor .monaco-scrollable-element.editor-scrollable').first();
    await expect
      .poll(() => config.locator('.codelens-decoration a', { hasText: 'δ' }).count(), { timeout: 30_000 })
      .toBe(3);
    // Wait for the layout to settle (the groups animate to their widths).
    await page.waitForTimeout(1_000);
    const scrollable = (await visible.boundingBox())!;
    // The minimap is drawn over the right of the text area: what lies under it cannot be read.
    const minimap = await config.locator('.monaco-editor .minimap').first().boundingBox();
    const right =
      minimap !== null && minimap.width > 0
        ? Math.min(minimap.x, scrollable.x + scrollable.width)
        : scrollable.x + scrollable.width;
    const area = { ...scrollable, width: right - scrollable.x };
    const editorWidth = (await config.locator('.monaco-editor').first().boundingBox())!.width;
    console.log(`config editor ${Math.round(editorWidth)} px wide, its text area ${Math.round(area.width)} px`);
    expect(editorWidth).toBeLessThan(480);
    const lenses = config.locator('.codelens-decoration a', { hasText: 'δ' });
    const texts = await lenses.allTextContents();
    expect(
      texts.map((t) => /^δ[¹²³] (\S+)/.exec(t)?.[1]).every((n) => n !== undefined && Number.isFinite(Number(n))),
    ).toBe(true);
    for (let i = 0; i < 3; i++) {
      const line = (await lenses.nth(i).boundingBox())!;
      const number = /^δ\S+ \S+/.exec(texts[i])![0];
      const box = await prefixBox(lenses.nth(i), number.length);
      console.log(
        `δ line ${i + 1}: "${number}" at x ${Math.round(box.x - area.x)}..${Math.round(box.x + box.width - area.x)}, ` +
          `the whole "${texts[i]}" to ${Math.round(line.x + line.width - area.x)}, of ${Math.round(area.width)} px visible`,
      );
      expect(box.width, `"${number}" is drawn`).toBeGreaterThan(10);
      expect(inside(box, area), `"${number}" of layer ${i + 1} inside the editor's visible area`).toBe(true);
      expect(inside(line, area), `the whole δ line of layer ${i + 1} inside the editor's visible area`).toBe(true);
    }
    await page.waitForTimeout(2_000); // the README and panel webviews draw a moment later
    await vscode.screenshot(`layout-narrow-${theme}`);
  });

  it.runIf(theme === 'light')(
    'checks the config as it is typed: one diagnostic per mistake, in DNN Lab words, with a quick fix',
    async () => {
      const { page } = vscode;
      await page.locator('.tab', { hasText: 'lab01.dnn.json' }).first().click();
      const editor = groupOf(page, 'lab01.dnn.json');
      await replaceAllInEditor(
        page,
        editor,
        '"units": 128, "activation": "relu"',
        '"units": 128, "activation": "relux"',
      );
      await replaceAllInEditor(page, editor, '"units": 64,', '"units": -3,');
      const errors = editor.locator('.view-overlays .squiggly-error');
      const warnings = editor.locator('.view-overlays .squiggly-warning');
      // Before any Run: DNN Lab's own errors, one per mistake, and no second (schema) voice.
      await expect.poll(() => errors.count(), { timeout: 15_000 }).toBe(2);
      await page.waitForTimeout(2_000); // the JSON language server validates ~0.5 s after a change
      expect(await warnings.count()).toBe(0);
      expect(await errors.count()).toBe(2);
      await page.keyboard.press('Control+Shift+M');
      const problems = page.locator('.markers-panel');
      await expect
        .poll(async () => (await problems.textContent()) ?? '', { timeout: 10_000 })
        .toContain('did you mean "relu"');
      const text = (await problems.textContent()) ?? '';
      expect(text).toContain('layers[1].units must be');
      expect(text).not.toContain('Value is not accepted');
      expect(text).not.toContain('minimum');
      await vscode.screenshot(`live-errors-${theme}`);

      // Ctrl+. on the misspelling offers the fix; applying it leaves the one other mistake.
      await editor.locator('.view-line').getByText('"relux"').click();
      const menu = page.locator('.action-widget .monaco-list-row', { hasText: 'Change "relux" to "relu"' });
      for (let attempt = 1; !(await menu.isVisible()); attempt++) {
        if (attempt > 5) throw new Error('the quick-fix menu never offered the fix');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        await menu.waitFor({ timeout: 3_000 }).catch(() => undefined);
      }
      await vscode.screenshot(`live-errors-quickfix-${theme}`);
      await menu.click();
      await expect.poll(() => errors.count(), { timeout: 15_000 }).toBe(1);
      const shown = (await editor.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ');
      expect(shown).toContain('"units": 128, "activation": "relu" }');
    },
  );
});
