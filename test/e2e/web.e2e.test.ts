/**
 * DNN Lab in the browser's web-worker extension host, the one vscode.dev and github.dev have: the same vsix in
 * code-server with the user setting `remote.extensionKind` putting DNN Lab in the web worker. The extension's own
 * log shows where it runs (`typeof process` is "undefined" there); lesson 7-3 opens, a small lab trains to the end
 * in a Web Worker with its charts, the run is saved, the annotations appear, Corelab 1 is graded and a long run is
 * stopped from the Command Palette. In Dark, Light and High Contrast, to look at the web screens in each (Dark only
 * where DNN_LAB_E2E_ONE_THEME=1, as in CI). Screenshots go to test-results/e2e/web-*-<theme>.png.
 *
 * With DNN_LAB_E2E_WEB_BENCH=1 it also measures Corelab 1's seconds per epoch in the web host against the Node host
 * on this machine, interleaved (web, Node, web, Node), and prints them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  e2eThemes,
  smallLab,
  startWorkspace,
  type VsCode,
  expectRunCompleted,
  screenshotOnFailure,
} from './harness.js';

const EPOCHS = 3;
/** What puts DNN Lab into the web-worker extension host of a code-server window. */
const WEB_HOST = { 'remote.extensionKind': { 'dnn-lab.dnn-lab': ['web'] } };

const LAB = smallLab({ name: 'Web lab', epochs: EPOCHS, trainSamples: 3000 });

/**
 * A lab that trains for minutes, to be stopped: 512 units in the first layer, as 64 finished its 20 epochs in ~30 s
 * on an idle machine, before the palette was reached (the palette then rightly no longer listed Stop).
 */
const LONG_LAB = smallLab({ name: 'Long web lab', epochs: 20, trainSamples: 60000, hidden: [512, 32] });

/** The text of the DNN Lab output channel, as the Output view shows it. */
async function outputChannelText(vscode: VsCode): Promise<string> {
  await vscode.showOutputChannel('DNN Lab');
  const lines = vscode.page.locator('.part.panel .view-lines').first();
  // The editor draws spaces as no-break spaces.
  const text = async () => ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ');
  await expect.poll(text, { timeout: 30_000 }).toMatch(/\[info\]/);
  return text();
}

/** The δ annotations the editor draws: a CodeLens line above each layer (see annotations.e2e.test.ts). */
async function annotationTexts(page: Page): Promise<string[]> {
  const texts = await page.locator('.editor-instance .codelens-decoration a', { hasText: 'δ' }).allTextContents();
  return texts.map((t) => t.replace(/\u00a0/g, ' '));
}

/** The parts of a saved run record the tests read. */
interface SavedRun {
  status: string;
  startedAt: number;
  epochs: { seconds: number; testAccuracy: number }[];
  batchLosses: { epoch: number; batch: number; batches: number }[];
  environment: Record<string, unknown>;
}

function runRecords(workspace: string): SavedRun[] {
  const dir = path.join(workspace, '.dnnlab', 'runs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** The web screens in Dark, Light and High Contrast (Dark only with DNN_LAB_E2E_ONE_THEME=1). */
const THEMES = e2eThemes(['dark', 'light', 'hc'] as const);

describe.each(THEMES)('the web extension (web-worker extension host), %s theme', (theme) => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    ({ vscode, workspace } = await startWorkspace({
      prefix: `web-ws-${theme}-`,
      files: { 'lab.dnn.json': LAB, 'long.dnn.json': LONG_LAB },
      theme,
      label: `web-${theme}`,
      settings: WEB_HOST,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, `web-${theme}`);

  afterAll(async () => {
    await vscode?.close();
  });

  it('activates in the web worker: its log says typeof process is undefined', async () => {
    await vscode.openFile('lab.dnn.json');
    const text = await outputChannelText(vscode);
    expect(text).toMatch(
      /activated in the web extension host \(typeof process: undefined, crossOriginIsolated: false\)/,
    );
    await vscode.screenshot(`web-output-${theme}`);
  });

  it('opens lesson 7-3 with its math and the engine’s loss', async () => {
    await vscode.runCommand('Open Lesson 7-3: A Worked DNN Example');
    const page = vscode.webview();
    await expect.poll(() => page.locator('[data-testid="loss"]').textContent(), { timeout: 60_000 }).toBe('1.1362');
    expect(await page.locator('article.lesson .katex').count()).toBeGreaterThan(30);
    expect(await page.locator('article.lesson .katex-error').count()).toBe(0);
    await vscode.screenshot(`web-lesson-7-3-${theme}`);
  });

  it('trains a lab to the end in a Web Worker, with its charts, and saves the run', async () => {
    await vscode.openFile('lab.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    await expectRunCompleted(page, 240_000);
    for (const chart of ['loss', 'accuracy'])
      expect(await page.locator(`figure[data-chart="${chart}"]`).getAttribute('data-points')).toBe(String(EPOCHS));
    expect(Number(await page.locator('figure[data-chart="batchLoss"]').getAttribute('data-points'))).toBe(EPOCHS * 30);
    expect(await page.locator('.digit-grid .digit').count()).toBe(48);
    await vscode.screenshot(`web-training-${theme}`);

    // Saved through vscode.workspace.fs into the folder, by the web worker, with the browser's facts.
    await expect.poll(() => runRecords(workspace).filter((r) => r.status === 'completed').length).toBe(1);
    const [record] = runRecords(workspace);
    expect(record.epochs).toHaveLength(EPOCHS);
    expect(record.epochs[EPOCHS - 1].testAccuracy).toBeGreaterThan(0.85);
    expect(record.environment.backend).toMatch(/^DNN Lab wasm \(.*1 thread\)$/);
    expect(record.environment.platform).toBe('web');
    expect(record.environment.dataDir).toMatch(/dist\/mnist$/);
    expect(await page.locator('.history-item').count()).toBe(1);

    // Its final weights beside it, written through workspace.fs too, so the panel's own-digit pad works here.
    const runs = path.join(workspace, '.dnnlab', 'runs');
    const weights = path.join(
      runs,
      fs
        .readdirSync(runs)
        .find((f) => f.endsWith('.json'))!
        .replace(/\.json$/, '.weights.bin'),
    );
    await expect.poll(() => fs.existsSync(weights), { timeout: 15_000 }).toBe(true);
    const digit = (record as unknown as { predictions: { digits: { predicted: number }[] } }).predictions.digits[0];
    await page.locator('#own-digit-test').scrollIntoViewIfNeeded();
    await page.locator('#own-digit-test').selectOption('0');
    await expect
      .poll(() => page.locator('#own-digit').getAttribute('data-predicted'), { timeout: 15_000 })
      .toBe(String(digit.predicted));
  });

  it('shows the δ annotations on the layer lines', async () => {
    await vscode.openFile('lab.dnn.json');
    await expect
      .poll(
        async () => (await annotationTexts(vscode.page).catch(() => [])).filter((t) => !t.includes('stale')).length,
        {
          timeout: 90_000,
          interval: 250,
        },
      )
      .toBe(3);
    const texts = await annotationTexts(vscode.page);
    expect(texts.join('\n')).toMatch(/δ¹ \S+/);
    await vscode.screenshot(`web-annotations-${theme}`);
  });

  it('opens Corelab 1 from the package and grades it in the Testing view: the failure shows on its line', async () => {
    const { page } = vscode;
    await vscode.runCommand('DNN Lab: Open Corelab Problem…');
    await page.locator('.quick-input-widget').getByText('Corelab 1 (basic)').click();
    // Copied from the extension's labs/ through vscode.workspace.fs, without the reference solution.
    const starter = path.join(workspace, 'corelab-1', 'corelab-1.dnn.json');
    await expect.poll(() => fs.existsSync(starter), { timeout: 30_000 }).toBe(true);
    expect(fs.existsSync(path.join(workspace, 'corelab-1', 'README.zh-tw.md'))).toBe(true);
    expect(fs.existsSync(path.join(workspace, 'corelab-1', 'reference.dnn.json'))).toBe(false);
    const editor = page.locator('.editor-group-container', {
      has: page.locator('.tab.active', { hasText: 'corelab-1.dnn.json' }),
    });
    await editor.locator('.codelens-decoration a', { hasText: 'Run & grade' }).click({ timeout: 60_000 });
    await editor
      .getByText('layers has 3 layers; Corelab 1 asks for 5 Dense layers')
      .first()
      .waitFor({ timeout: 60_000 });
    await vscode.screenshot(`web-corelab-graded-${theme}`);
  });

  it('stops a run from the Command Palette within a batch: the cancel is a message the Web Worker reads between batches', async () => {
    await vscode.openFile('long.dnn.json');
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    await expect
      .poll(async () => Number(await page.locator('figure[data-chart="batchLoss"]').getAttribute('data-points')), {
        timeout: 120_000,
        interval: 250,
      })
      .toBeGreaterThan(0);
    // From the Command Palette, where Stop is listed while dnnLab.running (with the training panel focused, as
    // after Run Lab File).
    await vscode.runCommand('DNN Lab: Stop Training Run', { timeoutMs: 60_000 });
    await expect
      .poll(() => page.locator('.run-status').getAttribute('data-status'), { timeout: 120_000, interval: 250 })
      .toBe('cancelled');
    // Within a batch of the host's request: no epoch ends after "Stop requested" (the check between epochs would
    // have let the epoch in progress finish). The request itself can lag the click on a loaded machine.
    let text = '';
    await expect
      .poll(async () => (text = await outputChannelText(vscode)), { timeout: 30_000 })
      .toMatch(/cancelled after \d+ epoch/);
    const at = (line: RegExp) => {
      const m = new RegExp(`(\\d\\d):(\\d\\d):(\\d\\d\\.\\d+) \\[\\w+\\] ${line.source}`).exec(text);
      return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : NaN;
    };
    const requested = at(/Stop requested for run/);
    const ended = at(/Run \S+: cancelled after/);
    const epochsBefore =
      [...text.slice(0, text.indexOf('Stop requested')).matchAll(/epoch (\d+)\/20 /g)].pop()?.[1] ?? '0';
    const cancelledAfter = /cancelled after (\d+) epoch/.exec(text)?.[1];
    // The time includes saving the record through vscode.workspace.fs, which the log line waits for.
    console.log(
      `[web] Stop requested to the run's saved end: ${(ended - requested).toFixed(2)} s, after epoch ${cancelledAfter} of 20`,
    );
    expect(cancelledAfter).toBe(epochsBefore);
    const long = runRecords(workspace).find((r) => r.status === 'cancelled');
    expect(long?.epochs.length).toBe(Number(cancelledAfter));
    // Its last batch is one of the epoch after: that epoch was left part way.
    const last = long?.batchLosses.at(-1);
    expect(last?.epoch).toBe(Number(cancelledAfter) + 1);
    expect(last?.batch).toBeLessThan(last?.batches ?? 0);
    await vscode.screenshot(`web-stopped-${theme}`);

    // With no run in progress the palette offers Run Lab File and no longer Stop (its `when` is dnnLab.running).
    await vscode.page.keyboard.press('F1');
    await vscode.page.locator('.quick-input-widget .quick-input-box input').fill('>DNN Lab: ');
    const rows = vscode.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'DNN Lab: Run Lab File' }).first().waitFor({ timeout: 30_000 });
    expect(await rows.filter({ hasText: 'Stop Training Run' }).count()).toBe(0);
    await vscode.page.keyboard.press('Escape');
  });
});

/**
 * The same web extension in a window served cross-origin isolated, as vscode.dev serves it with `?vscode-coi`
 * (through a proxy adding COOP/COEP: code-server never sends them): the web-worker extension host says so in its log,
 * and a run with dnnLab.threads 2 trains on the kernels with a helper Web Worker on the shared memory.
 */
describe('the web extension in a cross-origin isolated window, dark theme', () => {
  let vscode: VsCode;
  let workspace: string;

  beforeAll(async () => {
    ({ vscode, workspace } = await startWorkspace({
      prefix: 'web-coi-ws-',
      files: { 'lab.dnn.json': LAB },
      theme: 'dark',
      label: 'web-coi-dark',
      settings: { ...WEB_HOST, 'dnnLab.threads': 2 },
      crossOriginIsolated: true,
      viewport: { width: 1400, height: 900 },
    }));
  });

  screenshotOnFailure(() => vscode, 'web-coi');

  afterAll(async () => {
    await vscode?.close();
  });

  it('trains a lab on two kernel threads in the web worker', async () => {
    await vscode.openFile('lab.dnn.json');
    expect(await outputChannelText(vscode)).toMatch(
      /activated in the web extension host \(typeof process: undefined, crossOriginIsolated: true\)/,
    );
    // The Output view has the focus now: Run Lab File runs the one lab file a visible editor shows.
    await vscode.runCommand('DNN Lab: Run Lab File');
    const page = vscode.webview();
    await expectRunCompleted(page, 240_000);
    await expect.poll(() => runRecords(workspace).filter((r) => r.status === 'completed').length).toBe(1);
    const [record] = runRecords(workspace);
    expect(record.environment.backend).toMatch(/^DNN Lab wasm \(.*2 threads\)$/);
    expect(record.environment.platform).toBe('web');
    await vscode.screenshot('web-coi-training-dark');
  });
});

/** One thread's CPU time so far (user + system, from /proc), with its process and name. */
interface ThreadTime {
  pid: number;
  comm: string;
  seconds: number;
}

/**
 * Every thread of the processes that make up one VS Code of the harness: code-server and its children (found by the
 * workspace on code-server's command line, then by process group) and the Chromium whose profile sits beside
 * code-server's user-data folder. Linux only; keyed by thread id.
 */
function vsCodeThreadTimes(workspace: string): Map<number, ThreadTime> {
  if (!fs.existsSync('/proc/self/task')) return new Map();
  const ticks = 100; // USER_HZ: 100 on every Linux this runs on
  const procs = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const cmdline = (pid: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return [];
    }
  };
  const stat = (file: string) => {
    try {
      const text = fs.readFileSync(file, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // Fields after the name, from 3 (state): pgrp is 5, utime 14, stime 15.
      return { comm, pgrp: Number(fields[2]), seconds: (Number(fields[11]) + Number(fields[12])) / ticks };
    } catch {
      return undefined;
    }
  };
  const server = procs.find((pid) => {
    const args = cmdline(pid);
    return args.includes(workspace) && args.includes('--user-data-dir');
  });
  if (!server) return new Map();
  const args = cmdline(server);
  const root = path.dirname(args[args.indexOf('--user-data-dir') + 1]);
  const group = stat(`/proc/${server}/stat`)?.pgrp;
  const browserProfile = `--user-data-dir=${path.join(root, 'chromium')}`;
  const mine = procs.filter(
    // Chromium's child processes rewrite their command line into one space-separated string.
    (pid) =>
      stat(`/proc/${pid}/stat`)?.pgrp === group ||
      cmdline(pid).some((arg) => arg === browserProfile || arg.includes(`${browserProfile} `)),
  );
  const times = new Map<number, ThreadTime>();
  for (const pid of mine) {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const t = stat(`/proc/${pid}/task/${tid}/stat`);
      if (t) times.set(Number(tid), { pid: Number(pid), comm: t.comm, seconds: t.seconds });
    }
  }
  return times;
}

/** The threads that used the most CPU between two snapshots, busiest first, as "name (pid) seconds". */
function busiestThreads(before: Map<number, ThreadTime>, after: Map<number, ThreadTime>, count: number): string[] {
  return [...after]
    .map(([tid, t]) => ({ ...t, tid, used: t.seconds - (before.get(tid)?.seconds ?? 0) }))
    .sort((a, b) => b.used - a.used)
    .slice(0, count)
    .map((t) => `${t.comm} (${t.pid}/${t.tid}) ${t.used.toFixed(2)} s`);
}

/**
 * Corelab 1 (784-256-128-64-32-10, batch 300, Adam), 3 epochs on all of MNIST, in the web host and the Node host of
 * the same machine, interleaved: web, Node, web, Node. Prints every epoch's seconds. Opt-in: it takes minutes.
 */
describe.runIf(process.env.DNN_LAB_E2E_WEB_BENCH === '1')('Corelab 1 seconds per epoch, web against Node', () => {
  const hosts: { name: 'web' | 'node'; vscode: VsCode; workspace: string }[] = [];

  beforeAll(async () => {
    const corelab = fs
      .readFileSync(path.join(__dirname, '../../labs/corelab-1/reference.dnn.json'), 'utf8')
      .replace('"epochs": 20', '"epochs": 3');
    for (const name of ['web', 'node'] as const) {
      const { vscode, workspace } = await startWorkspace({
        prefix: `bench-${name}-`,
        files: { 'corelab-1.dnn.json': corelab },
        theme: 'dark',
        label: `web-bench-${name}`,
        settings: { ...(name === 'web' ? WEB_HOST : {}), 'dnnLab.annotations.enabled': false },
        viewport: { width: 1400, height: 900 },
      });
      hosts.push({ name, vscode, workspace });
    }
  }, 300_000);

  afterAll(async () => {
    for (const host of hosts) await host.vscode.close();
  });

  it('trains Corelab 1 in each host in turn and prints seconds per epoch', { timeout: 1_800_000 }, async () => {
    const seconds: Record<string, number[]> = { web: [], node: [] };
    const cpu: Record<string, { seconds: number; share: number }[]> = { web: [], node: [] };
    for (let round = 1; round <= 2; round++) {
      for (const { name, vscode, workspace } of hosts) {
        await vscode.openFile('corelab-1.dnn.json');
        const before = vsCodeThreadTimes(workspace);
        // Sampled while the run lasts: the training worker's thread ends with the run.
        const during = new Map(before);
        const sample = () => {
          for (const [tid, t] of vsCodeThreadTimes(workspace)) during.set(tid, t);
        };
        const started = Date.now();
        await vscode.runCommand('DNN Lab: Run Lab File');
        await expect
          .poll(() => (sample(), runRecords(workspace).filter((r) => r.status === 'completed').length), {
            timeout: 900_000,
            interval: 1000,
          })
          .toBe(round);
        const wall = (Date.now() - started) / 1000;
        const record = runRecords(workspace)
          .filter((r) => r.status === 'completed')
          .sort((a, b) => Number(b.startedAt) - Number(a.startedAt))[0];
        const epochs = record.epochs.map((e) => e.seconds);
        seconds[name].push(...epochs);
        // The run's own thread (a worker started for it, so absent before): its CPU time against the wall clock says
        // whether the code or the scheduler set the pace.
        const trainer = [...during]
          .filter(([tid, t]) => !before.has(tid) && /^(DedicatedWorker|WorkerThread)/.test(t.comm))
          .map(([, t]) => t.seconds)
          .sort((a, b) => b - a)[0];
        if (trainer !== undefined) cpu[name].push({ seconds: trainer, share: trainer / wall });
        console.log(
          `[bench] round ${round} ${name}: ${epochs.map((s) => s.toFixed(2)).join(', ')} s per epoch on ${String(record.environment.backend)}; ` +
            `${wall.toFixed(1)} s from the command to the saved record, in which the training thread had ${trainer?.toFixed(2) ?? '?'} s of CPU; ` +
            `busiest threads: ${busiestThreads(before, during, 5).join(', ')}`,
        );
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `[bench] Corelab 1 median seconds per epoch: web ${median(seconds.web).toFixed(2)}, Node ${median(seconds.node).toFixed(2)}, ratio ${(median(seconds.web) / median(seconds.node)).toFixed(2)}`,
    );
    const cpuOf = (host: string) =>
      `${median(cpu[host].map((c) => c.seconds)).toFixed(2)} s of CPU in the training thread per run, ${(100 * median(cpu[host].map((c) => c.share))).toFixed(0)}% of a core`;
    if (cpu.web.length && cpu.node.length)
      console.log(`[bench] median per 3-epoch run: web ${cpuOf('web')}; Node ${cpuOf('node')}`);
    expect(seconds.web.length).toBe(6);
  });
});
