import {
  Chart,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import type { ChartPixels } from './chartImage';
import type { Point, RunSeries } from './chartSeries';
import { fillTable } from './chartTable';
import type { Overfitting } from '../../src/engine/train/overfitting';
import { format, strings } from './strings';
import { themeColors, type ThemeColors } from './themeColors';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

/** A saved run drawn under the shown one for comparison. */
export interface Overlay {
  label: string;
  series: RunSeries;
}

/** What the charts show. */
export interface ChartsInput {
  series: RunSeries;
  plannedEpochs: number;
  overlays: Overlay[];
  overfitting?: Overfitting;
}

/** The charts of the panel. */
export type ChartName = 'loss' | 'accuracy' | 'batchLoss' | 'deltaRms' | 'gradNorm';

/** What each chart is drawn into: its canvas box, its legend list and its data table. */
export interface ChartParts {
  canvasBox: HTMLElement;
  legend: HTMLElement;
  table: HTMLTableElement;
  /** The element whose `data-points` tells how many points the chart has (tests read it). */
  figure: HTMLElement;
  /** The table is only filled while its disclosure is open: a run streams hundreds of updates. */
  tableOpen(): boolean;
  caption: string;
}

// Layers differ in dash as well as colour, so the curves stay apart in grey scale and for any colour vision.
const LAYER_DASHES: number[][] = [[], [6, 3], [2, 2], [10, 3, 2, 3], [4, 4], [1, 3]];

// An axis with nothing on it yet gets the range its numbers will have (Chart.js's 0.94-1.06 or 1-10 say nothing).
const EMPTY_RANGES: Record<ChartName, [number, number]> = {
  loss: [0, 2.5],
  accuracy: [0, 1],
  batchLoss: [0, 2.5],
  deltaRms: [1e-4, 1],
  gradNorm: [1e-3, 10],
};

/** A chart exported for a report: dark text and light grid on white, whatever the theme. */
export const PRINT_COLORS = { foreground: '#1f1f1f', muted: '#555555', grid: '#d4d4d4', background: '#ffffff' };
type LineChart = Chart<'line', Point[]>;

interface OverfitRegionOptions {
  from?: number;
  color?: string;
}

// Shades the epochs after the best one, where the test loss turns up: the overfitting the note explains.
const overfitRegion: Plugin<'line'> = {
  id: 'overfitRegion',
  beforeDatasetsDraw(chart, _args, options: OverfitRegionOptions) {
    if (options.from === undefined || !options.color) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x.getPixelForValue(options.from);
    if (!(x < chartArea.right)) return;
    ctx.save();
    ctx.fillStyle = options.color;
    ctx.globalAlpha = 0.12;
    ctx.fillRect(x, chartArea.top, chartArea.right - x, chartArea.bottom - chartArea.top);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = options.color;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

/** The five live charts of the panel, drawn with Chart.js in the theme's colors. */
export class TrainingCharts {
  private readonly charts = new Map<ChartName, LineChart>();
  private colors: ThemeColors = themeColors();
  private last?: ChartsInput;

  constructor(private readonly containers: Record<ChartName, ChartParts>) {
    for (const name of Object.keys(containers) as ChartName[]) this.charts.set(name, this.create(name));
  }

  /** Redraws every chart from `input` (cheap enough per update: a few thousand points at most). */
  render(input: ChartsInput): void {
    this.last = input;
    const c = this.colors;
    const { series, overlays } = input;
    const overlayColor = (i: number) => c.layers[(i + 2) % c.layers.length];
    const overlayLines = (pick: (s: RunSeries) => Point[], what: string) =>
      overlays.map((o, i) =>
        line(`${o.label} · ${what}`, pick(o.series), overlayColor(i), { dash: [2, 3], width: 1.5 }),
      );
    this.set('loss', [
      line(strings.trainLoss, series.trainLoss, c.train),
      line(strings.testLoss, series.testLoss, c.test, { dash: [6, 3] }),
      ...overlayLines((s) => s.testLoss, strings.testLoss),
    ]);
    this.set('accuracy', [
      line(strings.trainAccuracy, series.trainAccuracy, c.train),
      line(strings.testAccuracy, series.testAccuracy, c.test, { dash: [6, 3] }),
      ...overlayLines((s) => s.testAccuracy, strings.testAccuracy),
    ]);
    this.set('batchLoss', [
      line(strings.rawBatchLoss, series.batchLoss, c.grid, { width: 1 }),
      line(strings.smoothedBatchLoss, series.batchLossSmoothed, c.train),
    ]);
    const layerLines = (points: Point[][]) =>
      points.map((p, i) =>
        line(format(strings.layer, i + 1), p, c.layers[i % c.layers.length], {
          dash: LAYER_DASHES[i % LAYER_DASHES.length],
        }),
      );
    this.set('deltaRms', layerLines(series.deltaRms));
    this.set('gradNorm', layerLines(series.gradNorm));
    const maxX = Math.max(input.plannedEpochs, ...overlays.map((o) => o.series.trainLoss.length));
    for (const [name, chart] of this.charts) {
      const minX = name === 'loss' || name === 'accuracy' ? 1 : 0;
      // A one-epoch run's axis would run from 1 to 1: no width, so Chart.js drew its points nowhere. Half an epoch
      // either side puts the lone point in the middle, over its tick.
      const pad = maxX <= minX ? 0.5 : 0;
      chart.options.scales!.x!.max = Math.max(maxX, minX) + pad;
      chart.options.scales!.x!.min = minX - pad;
      const empty = !chart.data.datasets.some((d) => d.data.length > 0);
      chart.options.scales!.y!.min = empty ? EMPTY_RANGES[name][0] : undefined;
      chart.options.scales!.y!.max = empty ? EMPTY_RANGES[name][1] : undefined;
      const region = chart.options.plugins as { overfitRegion?: OverfitRegionOptions };
      region.overfitRegion =
        name === 'loss' && input.overfitting ? { from: input.overfitting.bestEpoch, color: c.warning } : {};
      chart.update('none');
      // The plot's own height (the chart area inside the axes), which the legend under the canvas never takes.
      this.containers[name].figure.dataset.plotHeight = String(Math.round(chart.chartArea?.height ?? 0));
      this.renderLegend(name, chart);
      this.renderTable(name);
    }
    this.describe(input);
  }

  /** Fills the chart's data table from what it draws (called when its disclosure opens, too). */
  renderTable(name: ChartName): void {
    const parts = this.containers[name];
    const chart = this.charts.get(name);
    if (!chart || !parts.tableOpen()) return;
    fillTable(
      parts.table,
      parts.caption,
      strings.epoch,
      chart.data.datasets.map((d) => ({ label: d.label ?? '', points: d.data })),
    );
  }

  // The legend is HTML under the canvas, not Chart.js's in it: however many overlays, the plot keeps its height,
  // and the entries are text a screen reader reads.
  private renderLegend(name: ChartName, chart: LineChart): void {
    const list = this.containers[name].legend;
    list.replaceChildren(
      ...chart.data.datasets.map((d) => {
        const item = document.createElement('li');
        const swatch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        swatch.setAttribute('width', '28');
        swatch.setAttribute('height', '8');
        swatch.setAttribute('aria-hidden', 'true');
        const stroke = document.createElementNS('http://www.w3.org/2000/svg', 'line');
        for (const [key, value] of Object.entries({ x1: 0, y1: 4, x2: 28, y2: 4 }))
          stroke.setAttribute(key, String(value));
        stroke.setAttribute('stroke', String(d.borderColor));
        stroke.setAttribute('stroke-width', String(Math.max(2, Number(d.borderWidth ?? 2))));
        const dash = (d.borderDash as number[] | undefined) ?? [];
        if (dash.length) stroke.setAttribute('stroke-dasharray', dash.join(' '));
        swatch.append(stroke);
        item.append(swatch, document.createTextNode(d.label ?? ''));
        return item;
      }),
    );
  }

  /**
   * The chart `name` as Chart.js draws it (toBase64Image: a PNG data URL, transparent background) in print colours,
   * dark on white whatever the theme, at twice the screen's pixels at least so it stays sharp in a report; the
   * chart is then drawn again in the theme's colours.
   */
  image(name: string): ChartPixels | undefined {
    if (!this.charts.has(name as ChartName)) return undefined;
    const theme = this.colors;
    this.colors = { ...theme, ...PRINT_COLORS };
    const chart = this.create(name as ChartName);
    this.charts.get(name as ChartName)?.destroy();
    this.charts.set(name as ChartName, chart);
    const pixelRatio = Math.max(2, window.devicePixelRatio || 1);
    chart.options.devicePixelRatio = pixelRatio;
    chart.resize();
    if (this.last) this.render(this.last);
    const image: ChartPixels = {
      url: chart.toBase64Image('image/png'),
      width: chart.canvas.width,
      height: chart.canvas.height,
      pixelRatio,
      // What the HTML legend under the panel's canvas says, for chartImage.ts to draw into the picture.
      legend: chart.data.datasets.map((d) => ({
        label: d.label ?? '',
        color: String(d.borderColor),
        width: Number(d.borderWidth ?? 2),
        dash: (d.borderDash as number[] | undefined) ?? [],
      })),
    };
    // Back to the theme's colours (applyTheme reads them again) for the panel.
    this.applyTheme();
    return image;
  }

  /** Re-reads the theme's colors and redraws. */
  applyTheme(): void {
    this.colors = themeColors();
    for (const [name, chart] of this.charts) {
      chart.destroy();
      this.charts.set(name, this.create(name));
    }
    if (this.last) this.render(this.last);
  }

  private set(name: ChartName, datasets: ChartDataset<'line', Point[]>[]): void {
    const chart = this.charts.get(name);
    if (chart) chart.data.datasets = datasets;
  }

  private create(name: ChartName): LineChart {
    const c = this.colors;
    const container = this.containers[name].canvasBox;
    container.replaceChildren();
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    container.append(canvas);
    const logScale = name === 'deltaRms' || name === 'gradNorm';
    const tick = { color: c.muted };
    return new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [overfitRegion],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        color: c.foreground,
        font: { family: getComputedStyle(document.body).getPropertyValue('--vscode-font-family') || undefined },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: strings.epoch, color: c.muted },
            ticks: { ...tick, precision: 0 },
            grid: { color: c.grid },
          },
          y: {
            type: logScale ? 'logarithmic' : 'linear',
            ticks: tick,
            grid: { color: c.grid },
            ...(name === 'accuracy' ? { suggestedMax: 1 } : {}),
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${Number(item.parsed.y).toPrecision(4)}` } },
        },
      },
    });
  }

  // Canvas pixels say nothing to a screen reader (or a test): each chart's figure states its latest numbers.
  private describe(input: ChartsInput): void {
    const { series } = input;
    const last = (points: Point[]) => (points.length ? points[points.length - 1].y.toFixed(4) : '–');
    const text: Record<ChartName, string> = {
      loss: `${strings.loss}: ${strings.trainLoss} ${last(series.trainLoss)}, ${strings.testLoss} ${last(series.testLoss)}`,
      accuracy: `${strings.accuracy}: ${strings.trainAccuracy} ${last(series.trainAccuracy)}, ${strings.testAccuracy} ${last(series.testAccuracy)}`,
      batchLoss: `${strings.batchLoss}: ${last(series.batchLossSmoothed)}`,
      deltaRms: `${strings.deltaRms}: ${series.deltaRms.map((p, i) => `${format(strings.layer, i + 1)} ${last(p)}`).join(', ')}`,
      gradNorm: `${strings.gradNorm}: ${series.gradNorm.map((p, i) => `${format(strings.layer, i + 1)} ${last(p)}`).join(', ')}`,
    };
    const points: Record<ChartName, number> = {
      loss: series.testLoss.length,
      accuracy: series.testAccuracy.length,
      batchLoss: series.batchLoss.length,
      deltaRms: series.deltaRms[0]?.length ?? 0,
      gradNorm: series.gradNorm[0]?.length ?? 0,
    };
    for (const name of Object.keys(text) as ChartName[]) {
      const parts = this.containers[name];
      parts.canvasBox.querySelector('canvas')?.setAttribute('aria-label', text[name]);
      parts.figure.dataset.points = String(points[name]);
    }
  }
}

function line(
  label: string,
  data: Point[],
  color: string,
  style: { dash?: number[]; width?: number } = {},
): ChartDataset<'line', Point[]> {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderDash: style.dash ?? [],
    borderWidth: style.width ?? 2,
    pointRadius: data.length <= 40 ? 2.5 : 0,
    pointHoverRadius: 4,
    tension: 0,
    spanGaps: false,
  };
}
