// The training panel's page: asks the host for the whole state once loaded (also after a reload), then applies
// the run's updates as they stream in. All numbers arrive as plain data; nothing is computed here but views.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
// Bundled into dist/webview/training.css, which the page's HTML links.
import '../../media/training.css';
import {
  toTrainingPageGuards as guards,
  trainingPageReplyGuards as replies,
  type PanelError,
  type PanelState,
  type FromTrainingPage,
  type ToTrainingPage,
} from '../../src/protocol/trainingPageProtocol';
import { checkRunRecord, type RunRecord, type RunSummary } from '../../src/engine/record/runRecord';
import { applyRunEvent, finishRecord } from '../../src/engine/record/runReducer';
import { connectToHost, vscodeTransport } from '../common/vscodeApi';
import { runSeries } from './chartSeries';
import { TrainingCharts } from './charts';
import { renderComparison } from './compareView';
import { renderHistory } from './historyView';
import { detectOverfitting } from '../../src/engine/train/overfitting';
import { renderPredictions } from './predictionsView';
import { format, strings } from './strings';
import { onThemeChange } from './themeColors';

/** What the page remembers across reloads by itself: which runs are overlaid. */
interface SavedPageState {
  overlays: string[];
}

const transport = vscodeTransport();
const host = connectToHost<ToTrainingPage, FromTrainingPage>(transport);

let shown: RunRecord | undefined;
let history: RunSummary[] = [];
let running = false;
let error: PanelError | undefined;
const overlayIds = new Set<string>(
  ((transport.getState() as SavedPageState | undefined)?.overlays ?? []).filter((id) => typeof id === 'string'),
);
const overlayRecords = new Map<string, RunRecord>();

const element = <T extends HTMLElement = HTMLElement>(tag: string, className?: string, text?: string): T => {
  const el = document.createElement(tag) as T;
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
};

// ---- layout ----
const header = element('header', 'toolbar');
const title = element('h2', 'run-name', strings.title);
const status = element('span', 'run-status');
status.setAttribute('role', 'status');
const stopButton = element('vscode-button', undefined, strings.stop);
stopButton.id = 'stop';
stopButton.setAttribute('secondary', '');
const rerunButton = element('vscode-button', undefined, strings.rerun);
rerunButton.id = 'rerun';
header.append(element('div', 'run-heading'), stopButton, rerunButton);
header.firstElementChild!.append(title, status);

// What a render could not draw, so one odd value costs its part of the page, not the page.
const drawProblem = element('p', 'draw-problem');
drawProblem.setAttribute('role', 'alert');
drawProblem.hidden = true;
const errorBox = element('div', 'error-box');
errorBox.setAttribute('role', 'alert');
errorBox.hidden = true;
const overfitNote = element('aside', 'overfit-note');
overfitNote.hidden = true;
const emptyNote = element('p', 'hint empty', strings.noRun);

const chartGrid = element('div', 'charts');
const figure = (name: string, caption: string) => {
  const fig = element('figure', 'chart');
  fig.dataset.chart = name;
  fig.setAttribute('role', 'img');
  const body = element('div', 'chart-body');
  fig.append(element('figcaption', undefined, caption), body);
  chartGrid.append(fig);
  return { fig, body };
};
const figures = {
  loss: figure('loss', strings.loss),
  accuracy: figure('accuracy', strings.accuracy),
  batchLoss: figure('batchLoss', strings.batchLoss),
  deltaRms: figure('deltaRms', strings.deltaRms),
  gradNorm: figure('gradNorm', strings.gradNorm),
};
// The table of the shown run and its overlays: how a sweep's combinations (or any runs) compare.
const comparison = element('section', 'comparison-section');
comparison.id = 'comparison';
const comparisonTitle = element('h3', undefined, strings.comparison);
const comparisonBody = element('div');
comparison.append(comparisonTitle, comparisonBody);
const predictions = element('section', 'predictions');
predictions.id = 'predictions';
const historySection = element('section', 'history');
historySection.id = 'history';
const clearButton = element('vscode-button', undefined, strings.clearHistory);
clearButton.setAttribute('secondary', '');

document.body.append(
  header,
  drawProblem,
  errorBox,
  emptyNote,
  overfitNote,
  chartGrid,
  comparison,
  predictions,
  historySection,
  clearButton,
);

const charts = new TrainingCharts({
  loss: figures.loss.body,
  accuracy: figures.accuracy.body,
  batchLoss: figures.batchLoss.body,
  deltaRms: figures.deltaRms.body,
  gradNorm: figures.gradNorm.body,
});
// The figure, not the inner canvas box, carries the description and point count.
for (const { fig, body } of Object.values(figures)) {
  new MutationObserver(() => {
    fig.setAttribute('aria-label', body.getAttribute('aria-label') ?? '');
    fig.dataset.points = body.dataset.points ?? '0';
  }).observe(body, { attributes: true, attributeFilter: ['aria-label', 'data-points'] });
}

// ---- rendering ----
let frame = 0;
function scheduleRender(): void {
  if (!frame)
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
}

function render(): void {
  const failed: string[] = [];
  // Each part draws on its own: an exception in one is reported on the page and the others still draw.
  const part = (name: string, draw: () => void) => {
    try {
      draw();
    } catch (err) {
      failed.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  part('header', renderHeader);
  part('error', renderError);
  emptyNote.hidden = shown !== undefined;
  chartGrid.hidden = shown === undefined;
  part('charts', () => {
    if (!shown) {
      overfitNote.hidden = true;
      return;
    }
    const overfitting = detectOverfitting(shown.epochs);
    const overlays = [...overlayIds].flatMap((id) => {
      const record = overlayRecords.get(id);
      return record && record.id !== shown?.id
        ? [{ label: `${record.name} ${new Date(record.startedAt).toLocaleTimeString()}`, series: runSeries(record) }]
        : [];
    });
    charts.render({ series: runSeries(shown), plannedEpochs: shown.config.epochs, overfitting, overlays });
    chartGrid.dataset.overlays = String(overlays.length);
    renderOverfitting(overfitting);
  });
  const compared = shown
    ? [shown, ...[...overlayIds].flatMap((id) => overlayRecords.get(id) ?? []).filter((r) => r.id !== shown?.id)]
    : [];
  part('comparison', () => {
    renderComparison(comparisonBody, compared, {
      run: strings.compareRun,
      status: strings.compareStatus,
      train: strings.compareTrain,
      test: strings.compareTest,
      time: strings.compareTime,
    });
    comparison.hidden = compared.length < 2;
  });
  part('predictions', () => renderPredictions(predictions, shown?.predictions));
  predictions.hidden = shown === undefined;
  part('history', () => renderHistory(historySection, history, shown?.id, overlayIds, { toggleOverlay, show }));
  clearButton.hidden = history.length === 0 || running;
  drawProblem.hidden = failed.length === 0;
  drawProblem.textContent = failed.length ? format(strings.drawFailed, failed.join('; ')) : '';
  if (failed.length) console.error(`training panel: ${failed.join('; ')}`);
}

/** A record from the host, through the one record guard; one that fails it is reported instead of drawn. */
function accepted(value: unknown): RunRecord | undefined {
  if (value === undefined || value === null) return undefined;
  const checked = checkRunRecord(value);
  if (checked.ok) return checked.record;
  error = { file: '', kind: 'record', message: checked.problem };
  scheduleRender();
  return undefined;
}

function renderHeader(): void {
  title.textContent = shown ? shown.name : strings.title;
  const planned = shown?.config.epochs ?? 0;
  const done = shown?.epochs.length ?? 0;
  const progress =
    shown && running && done === 0 && shown.batchLosses.length === 0
      ? strings.loading
      : format(strings.epochOf, done, planned);
  const backend = shown?.environment.backend ? ` · ${format(strings.backend, shown.environment.backend)}` : '';
  status.textContent = shown ? `${strings[shown.status]} · ${progress}${backend}` : '';
  status.dataset.status = shown?.status ?? 'none';
  stopButton.toggleAttribute('disabled', !running);
  rerunButton.toggleAttribute('disabled', running || !shown);
}

function renderError(): void {
  errorBox.hidden = !error;
  errorBox.replaceChildren();
  if (!error) return;
  errorBox.dataset.kind = error.kind;
  const title =
    error.kind === 'config'
      ? format(strings.configErrorTitle, error.file)
      : error.kind === 'record'
        ? strings.recordErrorTitle
        : strings.errorTitle;
  const heading = element('h3', undefined, title);
  errorBox.append(heading);
  if (error.configErrors?.length) {
    const list = element('ul', 'config-errors');
    for (const e of error.configErrors)
      list.append(element('li', undefined, `${error.file}:${e.line}:${e.column}: ${e.message}`));
    errorBox.append(list);
  } else {
    errorBox.append(element('p', undefined, error.message));
  }
}

function renderOverfitting(overfitting: ReturnType<typeof detectOverfitting>): void {
  overfitNote.hidden = !overfitting;
  overfitNote.replaceChildren();
  if (!overfitting) return;
  const f = (x: number) => x.toFixed(3);
  const link = element<HTMLAnchorElement>('a', undefined, strings.overfitLesson);
  link.href = '#';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    host.notify('lesson/open', { lesson: '7-2' });
  });
  overfitNote.append(
    element('strong', undefined, format(strings.overfitTitle, overfitting.bestEpoch + 1)),
    element(
      'p',
      undefined,
      format(
        strings.overfitText,
        overfitting.bestEpoch,
        f(overfitting.bestTestLoss),
        f(overfitting.lastTestLoss),
        f(overfitting.trainLossAtBest),
        f(overfitting.lastTrainLoss),
      ),
    ),
    link,
  );
}

// ---- actions ----
function saveOverlays(): void {
  transport.setState({ overlays: [...overlayIds] } satisfies SavedPageState);
}

async function loadOverlay(id: string): Promise<void> {
  if (overlayRecords.has(id)) return;
  const record = accepted(await host.request('history/load', { runId: id }, replies['history/load']));
  if (record) overlayRecords.set(id, record);
  else overlayIds.delete(id);
}

function toggleOverlay(id: string, on: boolean): void {
  if (on) overlayIds.add(id);
  else overlayIds.delete(id);
  saveOverlays();
  void (on ? loadOverlay(id) : Promise.resolve()).then(scheduleRender, (err: unknown) => {
    overlayIds.delete(id);
    saveOverlays();
    showRecordError(err);
  });
}

function show(id: string): void {
  if (running) return;
  void host.request('history/load', { runId: id }, replies['history/load']).then((received) => {
    const record = accepted(received);
    if (record) shown = record;
    overlayIds.delete(id);
    saveOverlays();
    scheduleRender();
  }, showRecordError);
}

/** A saved run the host could not load, with its reason (from RunHistory.whyNotLoaded). */
function showRecordError(err: unknown): void {
  error = { file: '', kind: 'record', message: err instanceof Error ? err.message : String(err) };
  scheduleRender();
}

function showPageError(err: unknown): void {
  error = { file: '', kind: 'internal', message: err instanceof Error ? err.message : String(err) };
  scheduleRender();
}

stopButton.addEventListener('click', () => host.notify('run/stop', {}));
rerunButton.addEventListener('click', () => {
  if (shown) host.notify('run/rerun', { runId: shown.id });
});
clearButton.addEventListener('click', () => host.notify('history/clear', {}));

// ---- host updates ----
const isShown = (runId: string) => shown?.id === runId;
host.on('run/started', guards['run/started'], ({ record }) => {
  error = undefined;
  shown = accepted(record);
  running = true;
  scheduleRender();
});
host.on('run/batchEnded', guards['run/batchEnded'], ({ runId, batches }) => {
  if (!isShown(runId) || !shown) return;
  for (const metrics of batches) applyRunEvent(shown, { type: 'run/batchEnded', metrics });
  scheduleRender();
});
host.on('run/epochEnded', guards['run/epochEnded'], ({ runId, metrics }) => {
  if (!isShown(runId) || !shown) return;
  applyRunEvent(shown, { type: 'run/epochEnded', metrics });
  scheduleRender();
});
host.on('run/predicted', guards['run/predicted'], ({ runId, sample }) => {
  if (!isShown(runId) || !shown) return;
  applyRunEvent(shown, { type: 'run/predicted', sample });
  scheduleRender();
});
host.on('run/finished', guards['run/finished'], ({ runId, status: ended, backend, history: runs }) => {
  if (isShown(runId) && shown) finishRecord(shown, { status: ended, backend });
  running = false;
  history = runs;
  scheduleRender();
});
host.on('run/failed', guards['run/failed'], ({ runId, error: failure, history: runs }) => {
  if (runId !== undefined) {
    if (isShown(runId) && shown)
      finishRecord(shown, { status: 'failed', error: { kind: failure.kind, message: failure.message } });
    running = false;
  }
  error = failure;
  history = runs;
  scheduleRender();
});
host.on('history/changed', guards['history/changed'], ({ history: runs, shown: record }) => {
  history = runs;
  shown = accepted(record);
  overlayIds.clear();
  overlayRecords.clear();
  saveOverlays();
  scheduleRender();
});

onThemeChange(() => {
  charts.applyTheme();
  scheduleRender();
});

// ---- the ready handshake ----
void host.request('page/ready', {}, replies['page/ready']).then(async (state: PanelState) => {
  error = state.error;
  shown = accepted(state.shown);
  history = state.history;
  running = state.running;
  await Promise.all([...overlayIds].map((id) => loadOverlay(id).catch(() => overlayIds.delete(id))));
  render();
  document.body.dataset.ready = 'true';
}, showPageError);
