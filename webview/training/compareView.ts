// The comparison table of several runs (a sweep's, or any the student overlays), for the training panel.
// The figures come from the DOM-free src/engine/sweep/comparison.ts, shared with the host's Markdown comparison.
import { comparisonRows, comparisonTable, type ComparedRun } from '../../src/engine/sweep/comparison';
import type { RunRecord } from '../../src/engine/record/runRecord';

/** The column headings, in the page's language. */
export interface CompareHeadings {
  run: string;
  status: string;
  train: string;
  test: string;
  time: string;
}

/**
 * Renders one row per record into `container`: final training and test accuracy, seconds per epoch and each
 * layer's δ RMS after the first epoch; empty for fewer than two runs, where there is nothing to compare.
 */
export function renderComparison(
  container: HTMLElement,
  records: readonly RunRecord[],
  headings: CompareHeadings,
): void {
  container.replaceChildren();
  if (records.length < 2) return;
  const runs: ComparedRun[] = records.map((record, index) => ({
    // Named as in the charts' overlay legend: a rerun of the same config differs only by its start time.
    run: { index, label: `${record.name} ${new Date(record.startedAt).toLocaleTimeString()}`, settings: [] },
    status: record.status,
    epochs: record.epochs,
    ...(record.error && { error: record.error.message }),
  }));
  const [header, ...body] = comparisonTable(comparisonRows(runs), headings);
  const table = document.createElement('table');
  table.className = 'comparison';
  const headRow = table.createTHead().insertRow();
  for (const text of header) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = text;
    headRow.append(cell);
  }
  const tbody = table.createTBody();
  body.forEach((cells, i) => {
    const row = tbody.insertRow();
    row.dataset.runId = records[i].id;
    for (const text of cells) row.insertCell().textContent = text;
  });
  // Wide tables (one δ column per layer) scroll sideways instead of squeezing their numbers.
  const scroller = document.createElement('div');
  scroller.className = 'comparison-scroll';
  // Focusable, so the keyboard can scroll to the δ columns a narrow panel puts off to the right; named by its
  // section's heading.
  scroller.tabIndex = 0;
  const heading = container.closest('section')?.querySelector('h2');
  if (heading) {
    heading.id ||= 'comparison-heading';
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-labelledby', heading.id);
  }
  scroller.append(table);
  container.append(scroller);
}
