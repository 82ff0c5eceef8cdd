// @vitest-environment happy-dom
// The training page mounted in happy-dom against the real endpoint and guards over a fake transport that copies
// every message through JSON, as postMessage does, with the events of a real run on MNIST that overfits
// (test/support/overfitRun.ts): what the host's messages do to the page, and what the page asks of the host.
import { Chart } from 'chart.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRunEvent, finishRecord, newRunRecord } from '../../../src/engine/record/runReducer';
import { summarize, type RunRecord } from '../../../src/engine/record/runRecord';
import type { RunEvent } from '../../../src/engine/run';
import { probeDigit } from '../../../src/engine/digit/digitProbe';
import { detectOverfitting } from '../../../src/engine/train/overfitting';
import {
  fromTrainingPageGuards,
  type DigitRequest,
  type FromTrainingPage,
  type PanelState,
  type ToTrainingPage,
} from '../../../src/protocol/trainingPageProtocol';
import { mountTrainingPage } from '../../../webview/training/trainingPage';
import { installBlankCanvas } from '../../support/canvas';
import { overfitConfig, overfitRunEvents } from '../../support/overfitRun';
import { runStart } from '../../support/records';
import { pageHost } from '../pageHost';

const config = overfitConfig;
const start = runStart(config, 'page', 1_764_583_200_000);

/** A real run on the shared MNIST that overfits (test/support/overfitRun.ts). */
let events: RunEvent[] = [];
beforeAll(async () => {
  installBlankCanvas();
  events = await overfitRunEvents();
});

/** The page mounted in a fresh body, with the host answering `page/ready` with `state`. */
async function mounted(state: PanelState = { history: [], running: false }) {
  document.body.replaceChildren();
  const host = pageHost<FromTrainingPage, ToTrainingPage>();
  host.endpoint.on('page/ready', fromTrainingPageGuards['page/ready'], () => state);
  // The panel keeps the page's view (overlays, scroll) for a reopened panel; nothing to check here.
  host.endpoint.on('view/save', fromTrainingPageGuards['view/save'], () => {});
  const page = mountTrainingPage(host.transport, document.body);
  await page.ready;
  await host.settle();
  return host;
}

const chartOf = (name: string) =>
  Chart.getChart(document.querySelector(`[data-chart=${name}] canvas`) as HTMLCanvasElement);

describe('the training page, mounted with a fake transport', () => {
  it('draws a run streamed from the host: its epochs reach the charts and the header', async () => {
    const host = await mounted();
    const record = newRunRecord(start);
    host.endpoint.notify('run/started', { record });
    const batches = events.filter((e) => e.type === 'run/batchEnded').map((e) => e.metrics);
    host.endpoint.notify('run/batchEnded', { runId: start.id, batches });
    for (const e of events)
      if (e.type === 'run/epochEnded') host.endpoint.notify('run/epochEnded', { runId: start.id, metrics: e.metrics });
    await host.settle();

    const epochs = events.flatMap((e) => (e.type === 'run/epochEnded' ? [e.metrics] : []));
    expect(epochs).toHaveLength(12);
    const loss = document.querySelector<HTMLElement>('[data-chart=loss]')!;
    expect(loss.dataset.points).toBe('12');
    const testLoss = chartOf('loss')!.data.datasets[1].data as { x: number; y: number }[];
    expect(testLoss.map((p) => p.y)).toEqual(epochs.map((e) => e.testLoss));
    expect(document.querySelector<HTMLElement>('[data-chart=batchLoss]')!.dataset.points).toBe(String(batches.length));
    expect(document.querySelector('.run-status')!.textContent).toContain('12');
    expect(host.warnings).toEqual([]);
  });

  it('shows a run that ended before the page heard it start, not "No run yet" under its history', async () => {
    // The panel opened while a short run trained: the page became ready after the run's start and its events, so
    // the state it got holds no run, and the first it hears of the run is its end.
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    finishRecord(record, { status: 'completed', backend: 'js' });
    const host = await mounted();
    const loaded: string[] = [];
    host.endpoint.on('history/load', fromTrainingPageGuards['history/load'], ({ runId }) => {
      loaded.push(runId);
      return record;
    });
    expect(document.querySelector<HTMLElement>('[data-chart=loss]')!.dataset.points ?? '0').toBe('0');
    host.endpoint.notify('run/finished', {
      runId: start.id,
      status: 'completed',
      backend: 'js',
      history: [summarize(record)],
    });
    await expect
      .poll(() => document.querySelector<HTMLElement>('[data-chart=loss]')!.dataset.points, { timeout: 5_000 })
      .toBe('12');
    expect(loaded).toEqual([start.id]);
    expect(document.querySelector('.run-status')!.getAttribute('data-status')).toBe('completed');
    expect(host.warnings).toEqual([]);
  });

  it("gives a one-epoch run's axis a width, its point in the middle (happy-dom draws no pixels)", async () => {
    const oneEpoch = { ...config, epochs: 1 };
    const record = newRunRecord({ ...start, config: oneEpoch });
    const first = events.find((e) => e.type === 'run/epochEnded');
    applyRunEvent(record, first!);
    finishRecord(record, { status: 'completed', backend: 'js' });
    await mounted({ shown: record, history: [summarize(record)], running: false });
    for (const name of ['loss', 'accuracy']) {
      const chart = chartOf(name)!;
      chart.update();
      const x = chart.scales.x;
      expect(x.min, name).toBeLessThan(1);
      expect(x.max, name).toBeGreaterThan(1);
    }
  });

  it('shows the overfitting band and note where the shared rule finds it', async () => {
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    const overfitting = detectOverfitting(record.epochs);
    expect(overfitting, 'the real run overfits').toBeDefined();
    await mounted({ shown: record, history: [summarize(record)], running: false });
    const note = document.querySelector<HTMLElement>('.overfit-note')!;
    expect(note.hidden).toBe(false);
    expect(note.textContent).toContain(String(overfitting!.bestEpoch));
    const band = (chartOf('loss')!.options.plugins as { overfitRegion?: { from?: number } }).overfitRegion;
    expect(band?.from).toBe(overfitting!.bestEpoch);
  });

  it("shows a failed run's error in the panel, and a config error at its line", async () => {
    const host = await mounted();
    host.endpoint.notify('run/started', { record: newRunRecord(start) });
    host.endpoint.notify('run/failed', {
      runId: start.id,
      error: { file: 'page.dnn.json', kind: 'diverged', message: 'Training diverged at epoch 2, batch 5 (layer 3)' },
      history: [],
    });
    await host.settle();
    const box = document.querySelector<HTMLElement>('.error-box')!;
    expect(box.hidden).toBe(false);
    expect(box.getAttribute('role')).toBe('alert');
    expect(box.textContent).toContain('Training diverged at epoch 2, batch 5 (layer 3)');
    expect(document.querySelector('.run-status')!.getAttribute('data-status')).toBe('failed');

    host.endpoint.notify('run/failed', {
      error: {
        file: 'page.dnn.json',
        kind: 'config',
        message: '1 error',
        configErrors: [
          {
            path: 'layers[0].units',
            message: 'layers[0].units must be a positive integer, got 0',
            line: 4,
            column: 15,
          },
        ],
      },
      history: [],
    });
    await host.settle();
    expect(box.querySelector('li')!.textContent).toBe(
      'page.dnn.json:4:15: layers[0].units must be a positive integer, got 0',
    );
  });

  it('drops a malformed message from the host and keeps what it shows', async () => {
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    const host = await mounted({ shown: record, history: [], running: false });
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    try {
      host.endpoint.notify('run/epochEnded', { runId: start.id, metrics: { epoch: 'thirteen' } as never });
      await host.settle();
    } finally {
      console.warn = warn;
    }
    expect(document.querySelector<HTMLElement>('[data-chart=loss]')!.dataset.points).toBe('12');
    expect(warned).toEqual([expect.stringContaining('dropped a malformed "run/epochEnded" message')]);
  });

  it('reports a stored record that fails the record guard instead of drawing it', async () => {
    const broken = { ...events.reduce(applyRunEvent, newRunRecord(start)), epochs: 'many' } as unknown as RunRecord;
    await mounted({ shown: broken, history: [], running: false });
    const box = document.querySelector<HTMLElement>('.error-box')!;
    expect(box.hidden).toBe(false);
    expect(box.textContent).toContain('epochs must be an array, got "many"');
  });

  it('answers the digit pad: a picked test image goes to the run’s own network and its outputs and δ show', async () => {
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    finishRecord(record, { status: 'completed', backend: 'js' });
    const finished = events.find((e) => e.type === 'run/finished');
    const weights = finished?.type === 'run/finished' ? finished.result.weights : undefined;
    expect(weights, 'the run kept its weights').toBeDefined();
    const host = await mounted({ shown: record, history: [summarize(record)], running: false });
    const asked: DigitRequest[] = [];
    // The host's side as the panel has it: the engine's probe on the run's final weights.
    host.endpoint.on('digit/probe', fromTrainingPageGuards['digit/probe'], (request) => {
      asked.push(request);
      return probeDigit(config, weights!, request.pixels, request.target);
    });
    const pad = document.querySelector<HTMLElement>('#own-digit')!;
    expect(pad.hidden).toBe(false);
    const picker = document.querySelector<HTMLSelectElement>('#own-digit-test')!;
    const digits = record.predictions!.digits;
    expect(picker.options).toHaveLength(1 + digits.length);
    picker.value = '0';
    picker.dispatchEvent(new Event('change'));
    await expect.poll(() => pad.dataset.predicted, { timeout: 5_000 }).not.toBe('');
    await host.settle();

    // The last epoch's sample was predicted by the same final network: the pad agrees with the run.
    expect(pad.dataset.predicted).toBe(String(digits[0].predicted));
    expect(asked.at(-1)!.runId).toBe(start.id);
    expect(asked.at(-1)!.pixels).toEqual(digits[0].pixels);
    expect(document.querySelectorAll('.own-digit-outputs li')).toHaveLength(10);
    const strips = document.querySelectorAll('.own-digit-delta');
    expect(strips).toHaveLength(2);
    expect(strips[0].querySelectorAll('.own-digit-cells span')).toHaveLength(128);
    expect(host.warnings).toEqual([]);
  });

  it('hides the digit pad while a run trains and shows the host’s reason when the run kept no network', async () => {
    const host = await mounted();
    host.endpoint.notify('run/started', { record: newRunRecord(start) });
    for (const e of events) {
      if (e.type === 'run/epochEnded') host.endpoint.notify('run/epochEnded', { runId: start.id, metrics: e.metrics });
      if (e.type === 'run/predicted') host.endpoint.notify('run/predicted', { runId: start.id, sample: e.sample });
    }
    await host.settle();
    const pad = document.querySelector<HTMLElement>('#own-digit')!;
    expect(pad.hidden).toBe(true);
    const problem = 'This run kept no network to draw with (no file). Rerun the lab to try your own digit.';
    host.endpoint.on('digit/probe', fromTrainingPageGuards['digit/probe'], () => {
      throw new Error(problem);
    });
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    host.endpoint.notify('run/finished', {
      runId: start.id,
      status: 'completed',
      backend: 'js',
      history: [summarize(record)],
    });
    await host.settle();
    expect(pad.hidden).toBe(false);
    const picker = document.querySelector<HTMLSelectElement>('#own-digit-test')!;
    picker.value = '0';
    picker.dispatchEvent(new Event('change'));
    const shownProblem = document.querySelector<HTMLElement>('.own-digit-problem')!;
    await expect.poll(() => shownProblem.hidden, { timeout: 5_000 }).toBe(false);
    expect(shownProblem.textContent).toContain(problem);
    expect(shownProblem.getAttribute('role')).toBe('alert');
  });

  it('asks the host for the Export menu with the shown run and the charts that have points', async () => {
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    finishRecord(record, { status: 'completed', backend: 'js' });
    const host = await mounted({ shown: record, history: [summarize(record)], running: false });
    const asked: unknown[] = [];
    host.endpoint.on('export/menu', fromTrainingPageGuards['export/menu'], (request) => void asked.push(request));
    document.querySelector<HTMLElement>('#export')!.click();
    await host.settle();
    expect(asked).toEqual([
      {
        runId: start.id,
        compared: [],
        charts: [
          { chart: 'loss', caption: 'Loss per epoch' },
          { chart: 'accuracy', caption: 'Accuracy per epoch' },
          { chart: 'batchLoss', caption: 'Loss per batch (smoothed)' },
          { chart: 'deltaRms', caption: 'Error signal: RMS of δ per layer (log scale)' },
          { chart: 'gradNorm', caption: 'Gradient: ‖∂C/∂W‖ per layer (log scale)' },
        ],
      },
    ]);
  });
});
