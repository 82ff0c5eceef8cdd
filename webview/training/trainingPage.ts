// The training panel's page, mounted by mountTrainingPage on any transport (VS Code's in main.ts, a test's fake):
// asks the host for the whole state once loaded (also after a reload), then applies the run's updates as they
// stream in. All numbers arrive as plain data; nothing is computed here but views.
import {
  toTrainingPageGuards as guards,
  trainingPageReplyGuards as replies,
  type PanelError,
  type PanelState,
  type FromTrainingPage,
  type ToTrainingPage,
} from '../../src/protocol/trainingPageProtocol';
import { errorKey, errorToShow, overlaysOf, readViewState, withOverlay, type ViewState } from './viewState';
import { checkRunRecord, type RunRecord, type RunSummary } from '../../src/engine/record/runRecord';
import { applyRunEvent, finishRecord } from '../../src/engine/record/runReducer';
import { el as element } from '../common/dom';
import { connectToHost, type WebviewTransport } from '../common/vscodeApi';
import { runSeries } from './chartSeries';
import { PRINT_COLORS, TrainingCharts, type ChartName, type ChartParts } from './charts';
import { renderComparison } from './compareView';
import { renderHistory } from './historyView';
import { detectOverfitting } from '../../src/engine/train/overfitting';
import { renderPredictions } from './predictionsView';
import { format, strings } from './strings';
import { onThemeChange } from './themeColors';
import { chartPng } from './chartImage';
import { OwnDigit } from './ownDigit';

/** The mounted page: `ready` settles once the host's state is drawn (or its failure shown). */
export interface TrainingPage {
  ready: Promise<void>;
}

/**
 * Builds the training panel's page into `root` and talks to the host over `transport`: the page asks for the
 * panel's state at once, then follows the runs the host streams.
 */
export function mountTrainingPage(transport: WebviewTransport, root: HTMLElement): TrainingPage {
  const host = connectToHost<ToTrainingPage, FromTrainingPage>(transport);

  let shown: RunRecord | undefined;
  let history: RunSummary[] = [];
  let running = false;
  /** The error the host reported (a run's failure or a config's errors); errorToShow decides where it shows. */
  let error: PanelError | undefined;
  /** The view state: this webview's own (hide/show, reload) until the host's copy says more (a reopened panel). */
  let view: ViewState = readViewState(transport.getState());
  const overlayRecords = new Map<string, RunRecord>();
  /** The runs overlaid on the shown run's config. */
  const overlayIds = () => new Set(overlaysOf(view, shown?.documentPath));

  // ---- layout ----
  const header = element('header', 'toolbar');
  const title = element('h1', 'run-name', strings.title);
  const status = element('span', 'run-status');
  status.setAttribute('role', 'status');
  const stopButton = element('vscode-button', undefined, strings.stop);
  stopButton.id = 'stop';
  stopButton.setAttribute('secondary', '');
  const rerunButton = element('vscode-button', undefined, strings.rerun);
  rerunButton.id = 'rerun';
  // Tables, charts and scripts for a lab report; the host shows the menu (a Quick Pick) and the save dialog.
  const exportButton = element('vscode-button', undefined, strings.exportRun);
  exportButton.id = 'export';
  exportButton.setAttribute('secondary', '');
  exportButton.title = strings.exportHint;
  header.append(element('div', 'run-heading'), stopButton, rerunButton, exportButton);
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

  // Read out after each epoch and at the end of a run: what the charts show, for a screen reader.
  const epochSummary = element('p', 'visually-hidden');
  epochSummary.id = 'epoch-summary';
  epochSummary.setAttribute('aria-live', 'polite');

  const chartGrid = element('section', 'charts');
  chartGrid.setAttribute('aria-label', strings.charts);
  // Each chart: its canvas, an HTML legend under it, and its numbers as a table behind a disclosure.
  const figure = (name: ChartName, caption: string): ChartParts => {
    const fig = element('figure', 'chart');
    fig.dataset.chart = name;
    const canvasBox = element('div', 'chart-body');
    const legend = element('ul', 'legend');
    const details = element<HTMLDetailsElement>('details', 'chart-data');
    const table = element<HTMLTableElement>('table', 'chart-table');
    details.append(element('summary', undefined, strings.dataTable), table);
    // `charts` exists by the time anyone opens a table.
    details.addEventListener('toggle', () => charts.renderTable(name));
    fig.append(element('figcaption', undefined, caption), canvasBox, legend, details);
    chartGrid.append(fig);
    return { canvasBox, legend, table, figure: fig, caption, tableOpen: () => details.open };
  };
  const figures: Record<ChartName, ChartParts> = {
    loss: figure('loss', strings.loss),
    accuracy: figure('accuracy', strings.accuracy),
    batchLoss: figure('batchLoss', strings.batchLoss),
    deltaRms: figure('deltaRms', strings.deltaRms),
    gradNorm: figure('gradNorm', strings.gradNorm),
  };
  // Why training accuracy can read below test accuracy early on: it is the running mean over the epoch's batches.
  const accuracyNote = element('p', 'hint', strings.accuracyNote);
  accuracyNote.id = 'accuracy-note';
  figures.accuracy.legend.after(accuracyNote);
  figures.accuracy.figure.setAttribute('aria-describedby', accuracyNote.id);
  // The table of the shown run and its overlays: how a sweep's combinations (or any runs) compare.
  const comparison = element('section', 'comparison-section');
  comparison.id = 'comparison';
  const comparisonTitle = element('h2', undefined, strings.comparison);
  const comparisonBody = element('div');
  comparison.append(comparisonTitle, comparisonBody);
  const predictions = element('section', 'predictions');
  predictions.id = 'predictions';
  // Your own digit: after a run, the run's network on a digit the student draws (or a test image).
  const ownDigit = new OwnDigit({
    probe: (pixels, target) => {
      if (!shown) return Promise.reject(new Error(strings.noRun));
      return host.request('digit/probe', { runId: shown.id, pixels, target }, replies['digit/probe']);
    },
  });
  const historySection = element('section', 'history');
  historySection.id = 'history';
  const clearButton = element('vscode-button', undefined, strings.clearHistory);
  clearButton.setAttribute('secondary', '');

  // One main landmark holds the page, so every part is in a region a screen reader can jump to.
  const main = element('main');
  main.setAttribute('aria-label', strings.panelLabel);
  main.append(
    header,
    drawProblem,
    errorBox,
    emptyNote,
    overfitNote,
    epochSummary,
    chartGrid,
    comparison,
    predictions,
    ownDigit.root,
    historySection,
    clearButton,
  );
  root.append(main);

  const charts = new TrainingCharts(figures);

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
      const overlays = [...overlayIds()].flatMap((id) => {
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
      ? [shown, ...[...overlayIds()].flatMap((id) => overlayRecords.get(id) ?? []).filter((r) => r.id !== shown?.id)]
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
    part('ownDigit', () => {
      if (shown && !running && shown.status !== 'failed' && shown.epochs.length > 0)
        ownDigit.show(shown.id, shown.predictions?.digits ?? []);
      else ownDigit.hide();
    });
    part('history', () => renderHistory(historySection, history, shown?.id, overlayIds(), { toggleOverlay, show }));
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
    exportButton.toggleAttribute('disabled', !shown);
  }

  function renderError(): void {
    const shownError = errorToShow(error, shown);
    errorBox.hidden = !shownError;
    errorBox.replaceChildren();
    if (!shownError) return;
    errorBox.dataset.kind = shownError.kind;
    if (shownError.runId) errorBox.dataset.runId = shownError.runId;
    else delete errorBox.dataset.runId;
    const title =
      shownError.kind === 'config'
        ? format(strings.configErrorTitle, shownError.file)
        : shownError.kind === 'record'
          ? strings.recordErrorTitle
          : strings.errorTitle;
    const heading = element('h2', undefined, title);
    errorBox.append(heading);
    if (shownError.configErrors?.length) {
      const list = element('ul', 'config-errors');
      for (const e of shownError.configErrors) {
        const item = element('li');
        const where = `${shownError.file}:${e.line}:${e.column}`;
        const documentUri = shownError.documentUri;
        if (documentUri) {
          // A link to the place: Enter or a click opens the file with the cursor on the error.
          const link = element<HTMLAnchorElement>('a', 'error-location', where);
          link.href = '#';
          link.title = format(strings.openAtLine, shownError.file, e.line, e.column);
          link.addEventListener('click', (event) => {
            event.preventDefault();
            void host
              .request('error/open', { documentUri, line: e.line, column: e.column }, replies['error/open'])
              .catch((err: unknown) => console.error(`training panel: ${String(err)}`));
          });
          item.append(link, `: ${e.message}`);
        } else item.textContent = `${where}: ${e.message}`;
        list.append(item);
      }
      errorBox.append(list);
    } else {
      errorBox.append(element('p', undefined, shownError.message));
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

  /** The live region's words for the shown run's last epoch (announced when they change during a run). */
  function summarizeEpoch(): void {
    const metrics = shown?.epochs[shown.epochs.length - 1];
    if (!shown || !metrics) {
      epochSummary.textContent = '';
      return;
    }
    const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
    epochSummary.textContent = format(
      strings.epochSummary,
      metrics.epoch,
      shown.config.epochs,
      metrics.trainLoss.toFixed(4),
      metrics.testLoss.toFixed(4),
      percent(metrics.trainAccuracy),
      percent(metrics.testAccuracy),
    );
  }

  /** Scrolls an error the student has not seen yet into view (once: a reload keeps the scroll); true if it did. */
  function revealNewError(): boolean {
    const shownError = errorToShow(error, shown);
    if (!shownError || errorKey(shownError) === view.errorSeen) return false;
    errorBox.scrollIntoView({ block: 'nearest' });
    saveView({ errorSeen: errorKey(shownError), scrollY: Math.round(window.scrollY) });
    return true;
  }

  // ---- actions ----
  function saveView(change: Partial<ViewState> = {}): void {
    view = { ...view, ...change };
    transport.setState(view);
    host.notify('view/save', view);
  }

  async function loadOverlay(id: string): Promise<void> {
    if (overlayRecords.has(id)) return;
    const record = accepted(await host.request('history/load', { runId: id }, replies['history/load']));
    if (record) overlayRecords.set(id, record);
    else dropOverlay(id);
  }

  function dropOverlay(id: string): void {
    if (shown) saveView(withOverlay(view, shown.documentPath, id, false));
  }

  function toggleOverlay(id: string, on: boolean): void {
    if (!shown) return;
    saveView(withOverlay(view, shown.documentPath, id, on));
    void (on ? loadOverlay(id) : Promise.resolve()).then(scheduleRender, (err: unknown) => {
      dropOverlay(id);
      showRecordError(err);
    });
  }

  /** Shows a saved run; its config's overlays come with it, and an error about another run goes. */
  async function showRun(id: string): Promise<void> {
    const record = accepted(await host.request('history/load', { runId: id }, replies['history/load']));
    if (!record) return;
    shown = record;
    summarizeEpoch();
    if (error?.runId !== id) error = undefined;
    saveView(withOverlay({ ...view, shownRunId: id }, record.documentPath, id, false));
    await Promise.all(overlaysOf(view, record.documentPath).map((o) => loadOverlay(o).catch(() => dropOverlay(o))));
  }

  function show(id: string): void {
    if (running) return;
    void showRun(id).then(scheduleRender, showRecordError);
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
  exportButton.addEventListener('click', () => {
    if (!shown) return;
    const drawn = Object.entries(figures).filter(([, { figure }]) => Number(figure.dataset.points ?? 0) > 0);
    host.notify('export/menu', {
      runId: shown.id,
      compared: [...overlayIds()].filter((id) => overlayRecords.has(id)),
      charts: drawn.map(([chart, { caption }]) => ({
        chart,
        caption,
      })),
    });
  });

  // ---- host updates ----
  const isShown = (runId: string) => shown?.id === runId;
  host.on('run/started', guards['run/started'], ({ record }) => {
    error = undefined;
    shown = accepted(record);
    running = true;
    summarizeEpoch();
    // A new run is followed, whichever run the student had picked before.
    saveView({ shownRunId: undefined });
    void Promise.all(overlaysOf(view, shown?.documentPath).map((o) => loadOverlay(o).catch(() => dropOverlay(o)))).then(
      scheduleRender,
    );
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
    summarizeEpoch();
    scheduleRender();
  });
  host.on('run/predicted', guards['run/predicted'], ({ runId, sample }) => {
    if (!isShown(runId) || !shown) return;
    applyRunEvent(shown, { type: 'run/predicted', sample });
    scheduleRender();
  });
  host.on('run/finished', guards['run/finished'], ({ runId, status: ended, backend, history: runs }) => {
    if (isShown(runId) && shown) {
      finishRecord(shown, { status: ended, backend });
      epochSummary.textContent = format(strings.runEndedSummary, shown.name, strings[ended], shown.epochs.length);
    }
    running = false;
    history = runs;
    // A run that ended before the page heard it start (a short run while the panel was opening: its events went
    // nowhere, and the state the page asked for was read while the run's last save was under way) is shown now,
    // saved: otherwise the panel would say "No run yet" under a history that lists it.
    if (!isShown(runId) && runs.some((r) => r.id === runId)) show(runId);
    scheduleRender();
  });
  host.on('run/failed', guards['run/failed'], ({ runId, error: failure, history: runs }) => {
    if (runId !== undefined) {
      if (isShown(runId) && shown) {
        finishRecord(shown, { status: 'failed', error: { kind: failure.kind, message: failure.message } });
        epochSummary.textContent = format(strings.runEndedSummary, shown.name, strings.failed, shown.epochs.length);
      }
      running = false;
    }
    error = failure;
    history = runs;
    render();
    revealNewError();
  });
  host.on('run/errorCleared', guards['run/errorCleared'], () => {
    if (error?.kind === 'config') error = undefined;
    scheduleRender();
  });
  host.on('history/changed', guards['history/changed'], ({ history: runs, shown: record }) => {
    history = runs;
    shown = accepted(record);
    overlayRecords.clear();
    saveView({ shownRunId: undefined, overlays: {} });
    scheduleRender();
  });

  // The scroll position is part of the view: hiding the tab destroys the page, and it comes back where it was.
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => saveView({ scrollY: Math.round(window.scrollY) }), 150);
  });

  host.on('chart/image', guards['chart/image'], async ({ chart }) => {
    const pixels = charts.image(chart);
    const fig = figures[chart as keyof typeof figures];
    if (!pixels || !fig) throw new Error(format(strings.noChart, chart));
    return chartPng(pixels, fig.caption, {
      background: PRINT_COLORS.background,
      foreground: PRINT_COLORS.foreground,
      font: getComputedStyle(document.body).getPropertyValue('--vscode-font-family'),
    });
  });

  onThemeChange(() => {
    charts.applyTheme();
    ownDigit.applyTheme();
    scheduleRender();
  });

  // ---- the ready handshake ----
  const ready = host.request('page/ready', {}, replies['page/ready']).then(async (state: PanelState) => {
    error = state.error;
    shown = accepted(state.shown);
    history = state.history;
    running = state.running;
    // This webview's own state (hidden and shown, reloaded) is the newest; a reopened panel has none, and takes
    // the host's copy.
    if (transport.getState() === undefined && state.view !== undefined) view = readViewState(state.view);
    const chosen = view.shownRunId;
    if (!running && chosen && chosen !== shown?.id && history.some((r) => r.id === chosen)) {
      await showRun(chosen).catch(showRecordError);
    } else {
      await Promise.all(overlaysOf(view, shown?.documentPath).map((o) => loadOverlay(o).catch(() => dropOverlay(o))));
    }
    summarizeEpoch();
    render();
    if (!revealNewError()) window.scrollTo(0, view.scrollY);
    root.dataset.ready = 'true';
  }, showPageError);
  return { ready };
}
