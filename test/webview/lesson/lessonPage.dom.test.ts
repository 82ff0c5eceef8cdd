// @vitest-environment happy-dom
import './standardsMode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart } from 'chart.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import type { EpochMetrics } from '../../../src/engine/train/metrics';
import { detectOverfitting } from '../../../src/engine/train/overfitting';
import {
  fromLessonPageGuards,
  OVERFIT_EXPERIMENT_IDS,
  type FromLessonPage,
  type LessonId,
  type LessonNetworkData,
  type LessonState,
  type OverfitExperiment,
  type ToLessonPage,
} from '../../../src/protocol/lessonProtocol';
import { installBlankCanvas } from '../../support/canvas';
import { overfitRunEvents } from '../../support/overfitRun';
import { pageHost } from '../pageHost';
import stepperJson from '../../../lessons/7-1-stepper.json';

const stepper = stepperJson as LessonNetworkData;

const lessons = join(__dirname, '../../../lessons');
// As src/lessons/lessonContent.ts names them (that module reads through vscode.workspace.fs).
const EXPERIMENT_FILES = {
  baseline: 'baseline.dnn.json',
  smallerModel: 'smaller-model.dnn.json',
  moreData: 'more-data.dnn.json',
};
const read = (file: string) => readFileSync(join(lessons, file), 'utf8');

/** The experiments as the host describes them, from the real configs under lessons/7-2-experiments/. */
function experiments(): OverfitExperiment[] {
  return OVERFIT_EXPERIMENT_IDS.map((id) => {
    const config = parseLabConfig(read(`7-2-experiments/${EXPERIMENT_FILES[id]}`)).config!;
    const sizes = [784, ...config.layers.map((l) => l.units)];
    return {
      id,
      sizes,
      parameters: sizes.slice(1).reduce((sum, units, i) => sum + units * sizes[i] + units, 0),
      trainSamples: config.trainSamples,
      testSamples: config.testSamples,
      epochs: config.epochs,
    };
  });
}

function state(lesson: LessonId, extra: Partial<LessonState> = {}): LessonState {
  return {
    lesson,
    language: 'en',
    text: { en: read(`${lesson}.en.md`), 'zh-tw': read(`${lesson}.zh-tw.md`) },
    available: { openLab: true, openCorelab: true, demo: true },
    ...extra,
  };
}

async function mounted(answer: LessonState | Error) {
  document.body.replaceChildren();
  const host = pageHost<FromLessonPage, ToLessonPage>();
  host.endpoint.on('page/ready', fromLessonPageGuards['page/ready'], () => {
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const page = mountLessonPage(host.transport, document.body);
  await page.ready;
  await host.settle();
  return host;
}

const curves = (epochs: EpochMetrics[]) =>
  epochs.map(({ epoch, trainLoss, trainAccuracy, testLoss, testAccuracy }) => ({
    epoch,
    trainLoss,
    trainAccuracy,
    testLoss,
    testAccuracy,
  }));
const overfitChart = () => Chart.getChart(document.querySelector('.overfit canvas') as HTMLCanvasElement)!;

let epochs: ReturnType<typeof curves> = [];
let mountLessonPage: typeof import('../../../webview/lesson/lessonPage').mountLessonPage;
beforeAll(async () => {
  installBlankCanvas();
  // KaTeX reads the document's mode once, as it loads: the page is imported after ./standardsMode set it.
  ({ mountLessonPage } = await import('../../../webview/lesson/lessonPage'));
  epochs = curves((await overfitRunEvents()).flatMap((e) => (e.type === 'run/epochEnded' ? [e.metrics] : [])));
});

describe('the lesson page, mounted with a fake transport', () => {
  it('renders 7-2 with a cached run and marks its turning point by the shared overfitting rule', async () => {
    const cached = experiments().map((e) =>
      e.id === 'baseline' ? { ...e, result: { epochs, backend: 'js', seconds: 9 } } : e,
    );
    await mounted(state('7-2', { experiments: cached }));
    expect(document.querySelector('article.lesson')!.getAttribute('data-lesson')).toBe('7-2');
    const best = detectOverfitting(epochs)!.bestEpoch;
    const status = document.querySelector('[data-experiment=baseline] .status')!;
    expect(status.textContent).toContain(`Turning point: epoch ${best}`);
    const cross = overfitChart().data.datasets.find((d) => (d as { pointStyle?: string }).pointStyle === 'crossRot');
    expect(cross?.data).toEqual([{ x: best, y: epochs[best - 1].testLoss }]);
  });

  it('draws a running experiment epoch by epoch from the host', async () => {
    const host = await mounted(state('7-2', { experiments: experiments() }));
    let finish: () => void = () => {};
    host.endpoint.on(
      'overfit/run',
      fromLessonPageGuards['overfit/run'],
      ({ experiment }) =>
        new Promise((resolve) => {
          for (const epoch of epochs.slice(0, 3))
            host.endpoint.notify('overfit/epochEnded', { experiment, epoch, totalEpochs: 12 });
          finish = () => resolve({ epochs, backend: 'js', seconds: 9 });
        }),
    );
    (document.querySelector('[data-experiment=smallerModel] vscode-button') as HTMLElement).click();
    await host.settle();
    const testLine = overfitChart().data.datasets.find((d) => d.label?.endsWith(': test'));
    expect(testLine?.data.map((p) => (p as { y: number }).y)).toEqual(epochs.slice(0, 3).map((e) => e.testLoss));
    finish();
    await host.settle();
    expect(document.querySelector('[data-experiment=smallerModel] .status')!.textContent).toContain('Turning point');
    expect(host.warnings).toEqual([]);
  });

  it('switches language: tells the host, and renders the other text', async () => {
    const host = await mounted(state('7-1'));
    const chosen: string[] = [];
    host.endpoint.on(
      'lesson/setLanguage',
      fromLessonPageGuards['lesson/setLanguage'],
      ({ language }) => void chosen.push(language),
    );
    const english = document.querySelector('article')!.textContent;
    (document.querySelector('vscode-button.language') as HTMLElement).click();
    await host.settle();
    expect(chosen).toEqual(['zh-tw']);
    expect(document.documentElement.lang).toBe('zh-Hant-TW');
    expect(document.querySelector('article')!.textContent).not.toBe(english);
  });

  it('puts the lesson in the main landmark under the chapter navigation, and opens another lesson through the host', async () => {
    const host = await mounted(state('7-3'));
    const opened: unknown[] = [];
    host.endpoint.on('lesson/openLink', fromLessonPageGuards['lesson/openLink'], (link) => void opened.push(link));
    expect(document.querySelector('main > article.lesson')?.getAttribute('data-lesson')).toBe('7-3');
    const current = document.querySelector('nav.lesson-nav a[aria-current=page]');
    expect(current?.textContent).toContain('7-3');
    const links = [...document.querySelectorAll<HTMLAnchorElement>('nav.lesson-nav a')];
    links.find((a) => a.textContent?.includes('7-1'))!.click();
    current!.dispatchEvent(new MouseEvent('click', { bubbles: true })); // the lesson shown: nothing to open
    await host.settle();
    expect(opened).toEqual([{ kind: 'lesson', id: '7-1' }]);
  });

  it('comes back to the same stepper step after a reload, and starts over for another lesson', async () => {
    const reload = async (saved: unknown) => {
      const host = pageHost<FromLessonPage, ToLessonPage>();
      host.endpoint.on('page/ready', fromLessonPageGuards['page/ready'], () => state('7-1', { stepper }));
      host.transport.setState(saved);
      document.body.replaceChildren();
      await mountLessonPage(host.transport, document.body).ready;
      return host.transport.getState();
    };
    expect(await reload({ lesson: '7-1', language: 'en', step: 3 })).toMatchObject({ lesson: '7-1', step: 3 });
    expect(await reload({ lesson: '7-3', language: 'en', step: 3 })).toMatchObject({ lesson: '7-1', step: 0 });
  });

  it('says why when the host cannot give the lesson', async () => {
    await mounted(new Error('lessons/7-2.en.md could not be read; reinstall DNN Lab.'));
    expect(document.body.textContent).toBe(
      'DNN Lab could not load this lesson: lessons/7-2.en.md could not be read; reinstall DNN Lab.',
    );
  });
});
