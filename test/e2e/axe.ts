/**
 * axe-core inside DNN Lab's webviews in the e2e tests: every visible webview's inner frame (where the pages run) is
 * checked, and a violation of impact serious or critical fails the test; minor and moderate ones are printed.
 */
import axe from 'axe-core';
import type { Frame } from 'playwright-core';
import { expect } from 'vitest';
import type { VsCode } from './harness.js';

/** One axe violation, as the failure message lists it. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** The inner frames of every visible webview: where the pages run. */
export async function webviewFrames(vscode: VsCode): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const outer of await vscode.page.locator('iframe.webview.ready >> visible=true').elementHandles()) {
    const outerFrame = await outer.contentFrame();
    const inner = await outerFrame?.locator('iframe#active-frame').elementHandle();
    const frame = await inner?.contentFrame();
    if (frame) frames.push(frame);
  }
  return frames;
}

/**
 * Runs axe-core in every visible webview frame and returns the serious and critical violations (the others are
 * printed). Injected with evaluate, which the pages' Content-Security-Policy does not govern.
 */
export async function seriousViolations(vscode: VsCode, where: string): Promise<Violation[]> {
  const frames = await webviewFrames(vscode);
  expect(frames.length, `${where}: no webview frame is visible`).toBeGreaterThan(0);
  const found: Violation[] = [];
  for (const frame of frames) {
    await frame.evaluate(axe.source);
    const violations = await frame.evaluate(async () => {
      const run = (globalThis as unknown as { axe: typeof axe }).axe.run;
      const results = await run({ resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
      }));
    });
    const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
    if (minor.length)
      console.log(
        `[${where}] minor axe findings: ${minor.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length} at ${v.nodes.map((n) => n.target).join(', ')}`).join('; ')}`,
      );
    found.push(...violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'));
  }
  return found;
}

/** Fails with every serious or critical axe violation in the visible webviews, listed with where they are. */
export async function expectAccessible(vscode: VsCode, where: string): Promise<void> {
  const violations = await seriousViolations(vscode, where);
  const text = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')}`)
    .join('\n');
  expect(violations, `${where}:\n${text}`).toEqual([]);
}
