import type { RunSummary } from '../../src/engine/record/runRecord';
import { format, strings } from './strings';

/** What the history list lets the user do. */
export interface HistoryActions {
  /** Overlay a run's curves on the charts, or take it off. */
  toggleOverlay(runId: string, on: boolean): void;
  /** Show a run in the charts. */
  show(runId: string): void;
}

function statusText(status: RunSummary['status']): string {
  return strings[status];
}

/** Renders the saved runs, newest first, each with a compare box and its final test accuracy. */
export function renderHistory(
  container: HTMLElement,
  history: readonly RunSummary[],
  shownId: string | undefined,
  overlays: ReadonlySet<string>,
  actions: HistoryActions,
): void {
  container.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = `${strings.history} (${history.length})`;
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = history.length ? strings.historyHint : strings.noHistory;
  container.append(heading, hint);
  if (!history.length) return;
  const list = document.createElement('ul');
  list.className = 'history-list';
  for (const run of history) {
    const item = document.createElement('li');
    item.className = run.id === shownId ? 'history-item shown' : 'history-item';
    item.dataset.runId = run.id;
    // A native checkbox: vscode-checkbox's inner input has no label a screen reader (or axe) can find.
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'compare-box';
    box.checked = overlays.has(run.id);
    box.setAttribute('aria-label', `${strings.compare}: ${run.name} ${new Date(run.startedAt).toLocaleString()}`);
    box.disabled = run.id === shownId;
    box.addEventListener('change', () => actions.toggleOverlay(run.id, box.checked));
    const name = document.createElement('a');
    name.href = '#';
    name.className = 'history-name';
    name.textContent = run.name;
    name.title = run.documentPath;
    name.addEventListener('click', (event) => {
      event.preventDefault();
      actions.show(run.id);
    });
    const details = document.createElement('span');
    details.className = 'history-details';
    const accuracy =
      run.testAccuracy === undefined ? '' : ` · ${strings.testAcc} ${(100 * run.testAccuracy).toFixed(2)}%`;
    details.textContent = `${new Date(run.startedAt).toLocaleString()} · ${statusText(run.status)} · ${format(strings.epochOf, run.epochs, run.plannedEpochs)}${accuracy}`;
    item.append(box, name, details);
    list.append(item);
  }
  container.append(list);
}
