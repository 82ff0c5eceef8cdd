/**
 * 7-2's interactive: real MNIST runs in the training worker (through the host), their training and test loss
 * curves on one chart with the turning point marked, and the remedies one click away.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { MessageEndpoint } from '../../../src/protocol/endpoint';
import {
  lessonPageReplyGuards,
  toLessonPageGuards,
  type FromLessonPage,
  type OverfitExperiment,
  type OverfitExperimentId,
  type OverfitResult,
  type ToLessonPage,
} from '../../../src/protocol/lessonProtocol';
import { fillTable } from '../../training/chartTable';
import { MIN_RISE } from '../../../src/engine/train/overfitting';
import { lowestTestLoss, remedyEffect, turningPoint } from '../model/overfitCurves';
import type { PageStrings } from '../strings';
import { button, el, setEnabled } from './controls';
import { errorText } from '../../../src/engine/errorText';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Title);

/**
 * Colours per experiment: DNN Lab's contributed Okabe–Ito series colours, which every theme defines (package.json
 * `contributes.colors`), told apart with red-green colour blindness too.
 */
const COLOR_VARIABLES: Record<OverfitExperimentId, string> = {
  baseline: '--vscode-dnnLab-chartSeries2',
  smallerModel: '--vscode-dnnLab-chartSeries1',
  moreData: '--vscode-dnnLab-chartSeries3',
};

type Host = MessageEndpoint<ToLessonPage, FromLessonPage>;

/** The experiments panel and chart. Runs already cached on this machine show at once. */
export function overfit(experiments: OverfitExperiment[], strings: PageStrings, host: Host): HTMLElement {
  const results = new Map<OverfitExperimentId, OverfitResult>();
  for (const e of experiments) if (e.result) results.set(e.id, e.result);
  let running: OverfitExperimentId | undefined;
  let live: OverfitResult['epochs'] = [];

  const root = el('section', 'interactive overfit');
  const cards = el('div', 'experiments');
  const canvasBox = el('div', 'chart-box');
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', strings.chartTitle);
  canvasBox.append(canvas);
  // Why the training curve can lie above the test one early on, and what "gap" means in the cards.
  const note = el('p', 'summary chart-note', strings.chartNote);
  note.id = 'overfit-chart-note';
  canvas.setAttribute('aria-describedby', note.id);
  // The chart's numbers as a table, for a screen reader, a keyboard or a copy-paste (filled while open).
  const details = el('details', 'chart-data');
  const table = el('table', 'chart-table');
  details.append(el('summary', undefined, strings.dataTable), table);
  details.addEventListener('toggle', () => redraw());
  root.append(cards, canvasBox, note, details);
  const chart = new Chart(canvas, { type: 'line', data: { datasets: [] }, options: chartOptions(strings) });

  const titles: Record<OverfitExperimentId, string> = {
    baseline: strings.experimentBaseline,
    smallerModel: strings.experimentSmallerModel,
    moreData: strings.experimentMoreData,
  };
  // Short names in the legend, so its entries fit in two rows and leave the plot its height.
  const series: Record<OverfitExperimentId, string> = {
    baseline: strings.seriesBaseline,
    smallerModel: strings.seriesSmallerModel,
    moreData: strings.seriesMoreData,
  };

  host.on('overfit/epochEnded', toLessonPageGuards['overfit/epochEnded'], ({ experiment, epoch }) => {
    if (experiment !== running) return;
    live = [...live, epoch];
    redraw();
  });
  host.on('overfit/status', toLessonPageGuards['overfit/status'], ({ experiment, message }) => {
    if (experiment === running) statusOf.get(experiment)!.textContent = message;
  });

  const statusOf = new Map<OverfitExperimentId, HTMLElement>();
  const runButtons = new Map<OverfitExperimentId, HTMLElement>();
  const cardOf = new Map<OverfitExperimentId, HTMLElement>();
  for (const e of experiments) {
    const card = el('div', 'experiment');
    card.dataset.experiment = e.id;
    card.style.setProperty('--experiment-color', `var(${COLOR_VARIABLES[e.id]})`);
    const status = el('p', 'status');
    // Read out as the run goes (an epoch at a time) and when it ends with its turning point.
    status.setAttribute('aria-live', 'polite');
    statusOf.set(e.id, status);
    const run = button(e.result ? strings.rerun : strings.runExperiment, () => void start(e), {
      secondary: e.id !== 'baseline',
    });
    runButtons.set(e.id, run);
    const stop = button(strings.stop, () => host.notify('overfit/stop', {}), { secondary: true });
    stop.classList.add('stop');
    card.append(
      el('h3', undefined, titles[e.id]),
      el('p', 'summary', strings.experimentSummary(e.sizes, e.parameters, e.trainSamples, e.testSamples, e.epochs)),
      run,
      stop,
      status,
    );
    cards.append(card);
    cardOf.set(e.id, card);
  }

  async function start(e: OverfitExperiment): Promise<void> {
    running = e.id;
    live = [];
    results.delete(e.id);
    cardOf.get(e.id)!.classList.add('running');
    for (const b of runButtons.values()) setEnabled(b, false);
    statusOf.get(e.id)!.textContent = strings.running;
    redraw();
    try {
      const result = await host.request('overfit/run', { experiment: e.id }, lessonPageReplyGuards['overfit/run']);
      results.set(e.id, result);
      runButtons.get(e.id)!.textContent = strings.rerun;
    } catch (err) {
      statusOf.get(e.id)!.textContent = errorText(err);
      statusOf.get(e.id)!.classList.add('error');
    } finally {
      running = undefined;
      cardOf.get(e.id)!.classList.remove('running');
      for (const b of runButtons.values()) setEnabled(b, true);
      redraw();
    }
  }

  function redraw(): void {
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [];
    for (const e of experiments) {
      const epochs = e.id === running ? live : results.get(e.id)?.epochs;
      const status = statusOf.get(e.id)!;
      if (!epochs || epochs.length === 0) continue;
      const color = themeColor(COLOR_VARIABLES[e.id]);
      const line = (
        label: string,
        pick: (m: OverfitResult['epochs'][number]) => number,
        dashed: boolean,
      ): ChartDataset<'line', { x: number; y: number }[]> => ({
        label: `${series[e.id]}: ${label}`,
        data: epochs.map((m) => ({ x: m.epoch, y: pick(m) })),
        borderColor: color,
        backgroundColor: color,
        borderDash: dashed ? [6, 4] : [],
        borderWidth: 2,
        pointRadius: 2,
        tension: 0.2,
      });
      datasets.push(
        line(strings.train, (m) => m.trainLoss, true),
        line(strings.test, (m) => m.testLoss, false),
      );
      if (e.id === running) {
        status.textContent = `${strings.running} ${epochs.length} / ${e.epochs}`;
        continue;
      }
      const result = results.get(e.id)!;
      const turn = turningPoint(epochs);
      const best = lowestTestLoss(epochs);
      const last = epochs[epochs.length - 1];
      status.classList.remove('error');
      status.replaceChildren(
        el('strong', undefined, turn ? strings.turningPoint(turn.epoch) : strings.noTurningPoint(MIN_RISE * 100)),
        el('br'),
        `${strings.resultRow(best.epoch, best.testLoss, last.testLoss, last.testAccuracy)}.`,
        el('br'),
      );
      // A remedy is judged against the baseline's finished run, by the rule the lesson's tests hold it to.
      const baseline = e.id === 'baseline' || running === 'baseline' ? undefined : results.get('baseline');
      if (baseline) {
        const effect = remedyEffect(baseline.epochs, epochs);
        const verdict = effect.reducesOverfitting ? strings.lessOverfitting : strings.notLessOverfitting;
        status.append(el('span', 'comparison', `${strings.againstBaseline(effect)}: ${verdict}.`), el('br'));
      }
      status.append(el('span', 'summary', `${strings.ranOn(result.backend, result.seconds)}.`));
      if (turn) {
        datasets.push({
          label: `${series[e.id]}: ${strings.turningPoint(turn.epoch)}`,
          data: [{ x: turn.epoch, y: turn.testLoss }],
          borderColor: color,
          backgroundColor: color,
          pointStyle: 'crossRot',
          pointRadius: 10,
          pointBorderWidth: 3,
          showLine: false,
        });
      }
    }
    chart.data.datasets = datasets;
    if (details.open)
      fillTable(
        table,
        strings.chartTitle,
        strings.chartEpoch,
        datasets.filter((d) => d.showLine !== false).map((d) => ({ label: d.label ?? '', points: d.data })),
      );
    // Before any run the axis has no data to span: give it the losses' usual range, not Chart.js's 0-1 default.
    chart.options.scales!.y!.max = datasets.length ? undefined : EMPTY_LOSS_MAX;
    chart.update('none');
  }
  redraw();
  return root;
}

function chartOptions(strings: PageStrings): Chart<'line'>['options'] {
  const text = themeColor('--vscode-foreground');
  const grid = themeColor('--vscode-editorWidget-border') || 'rgba(128,128,128,0.3)';
  return {
    animation: false,
    maintainAspectRatio: false,
    parsing: false,
    plugins: {
      title: { display: true, text: strings.chartTitle, color: text },
      legend: {
        labels: {
          color: text,
          usePointStyle: true,
          pointStyleWidth: 24,
          // Each curve as a short line, dashed like its dataset (the default takes a point's style, which has
          // no dash), and each turning point as its cross.
          generateLabels: (chart) =>
            Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
              const dataset = chart.data.datasets[item.datasetIndex ?? 0] as ChartDataset<'line'>;
              return dataset.pointStyle === 'crossRot'
                ? item
                : { ...item, pointStyle: 'line', lineDash: dataset.borderDash as number[] | undefined };
            }),
        },
      },
    },
    scales: {
      x: {
        type: 'linear',
        title: { display: true, text: strings.chartEpoch, color: text },
        ticks: { color: text, precision: 0 },
        grid: { color: grid },
      },
      // Linear from 0: the test loss turning up by a quarter is plain to see, and the distance between a test
      // curve and its training curve is the gap the cards state. (On a log scale the training loss's thousandfold
      // fall squeezed the test curves into a flat line at the top.)
      y: {
        type: 'linear',
        min: 0,
        title: { display: true, text: strings.chartLoss, color: text },
        ticks: { color: text },
        grid: { color: grid },
      },
    },
  };
}

/** The loss axis's top before any experiment has run: above where 7-2's first-epoch losses lie. */
const EMPTY_LOSS_MAX = 2.5;

function themeColor(variable: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim();
}
